package admin

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	rules "github.com/ocular-lab/ocular/app/admin"
	"github.com/ocular-lab/ocular/core"
)

// LevelChange confirms a change of a group's permission level: OMERO's
// warning and, for a downgrade to private, Ocular's loss preview from the
// planner's dry run (what would be deleted, per owner, or why the change
// would fail). Confirming runs exactly the reviewed plan in the background;
// if the data changed meanwhile the core refuses and nothing changes.
type LevelChange struct {
	p        *GroupPanel
	group    core.GroupInfo
	to       core.Level
	plan     core.GraphPlan
	Warning  *widget.Label
	Checking *widget.ProgressBarInfinite
	// Summary is the dry run's headline (as the CLI's --dry-run says it).
	Summary *widget.Label
	// Losses lists, per owner, what would be deleted.
	Losses  *fyne.Container
	lines   []string
	Error   *widget.Label
	Confirm *widget.Button
	dialog  *dialog.CustomDialog
}

func (p *GroupPanel) openLevelChange() {
	to, err := core.ParseLevel(p.Level.Selected)
	if err != nil {
		say(p.Message, "Choose the new permission level first.")
		return
	}
	if to == p.group.Level {
		say(p.Message, fmt.Sprintf("The group is already %s: choose another level.", to))
		return
	}
	say(p.Message, "")
	c := &LevelChange{p: p, group: p.group, to: to, Error: errorLabel(), Losses: container.NewVBox(),
		Checking: widget.NewProgressBarInfinite(), Summary: widget.NewLabel("")}
	c.Warning = widget.NewLabel(rules.LevelWarning(p.group.Level, to))
	c.Warning.Wrapping = fyne.TextWrapWord
	c.Warning.Importance = widget.WarningImportance
	c.Summary.Wrapping = fyne.TextWrapWord
	c.Confirm = widget.NewButton("Change to "+to.String(), c.run)
	c.Confirm.Importance = widget.DangerImportance
	cancel := widget.NewButton("Cancel", func() { c.dialog.Hide() })
	top := container.NewVBox(c.Warning, c.Checking, c.Summary, c.Error)
	body := container.NewBorder(top, nil, nil, nil, container.NewVScroll(c.Losses))
	c.dialog = dialog.NewCustomWithoutButtons(fmt.Sprintf("Change %s from %s to %s", p.group.Name, p.group.Level, to), body, p.a.opts.Window)
	c.dialog.SetButtons([]fyne.CanvasObject{cancel, c.Confirm})
	c.dialog.Resize(fyne.NewSize(640, 520))
	p.LevelDialog = c
	c.dialog.Show()
	if to != core.Private {
		c.Checking.Stop()
		c.Checking.Hide()
		c.Summary.Hide()
		return
	}
	c.Confirm.Disable()
	c.Summary.SetText("Checking what the change would delete…")
	c.preview()
}

// preview runs the dry run and names each object's owner (bounded by
// rules.MaxLookups) off the UI goroutine.
func (c *LevelChange) preview() {
	sess, g, to, name, from := c.p.a.opts.Session, c.group.ID, c.to, c.group.Name, c.group.Level
	c.p.a.opts.Run.Go(func() func() {
		plan, err := sess.PlanGraph(ctx(), core.GraphRequest{Op: core.OpChmod, Group: g, Level: to, DryRun: true})
		who := map[core.Ref]rules.Owned{}
		if err == nil {
			for i, r := range append(append([]core.Ref{}, plan.Deleted...), plan.Severed...) {
				if i >= rules.MaxLookups {
					break
				}
				if v, gerr := sess.Get(ctx(), r); gerr == nil {
					who[r] = rules.Owned{Owner: v.OwnerName, Name: v.Name}
				}
			}
		}
		return func() {
			c.Checking.Stop()
			c.Checking.Hide()
			if err != nil {
				c.Summary.SetText(fmt.Sprintf("Changing group %s from %s to %s would fail:", name, from, to))
				say(c.Error, sentence(err))
				c.p.a.event("level-preview " + name + " fails")
				return
			}
			c.plan = plan
			c.Summary.SetText(rules.LossSummary(name, from, to, plan))
			c.showLosses(rules.LossByOwner(plan, who))
			c.Confirm.Enable()
			c.p.a.event(fmt.Sprintf("level-preview %s %d objects %d links:%s", name, len(plan.Deleted), len(plan.Severed), refList(plan)))
		}
	})
}

func (c *LevelChange) showLosses(losses []rules.Loss) {
	c.Losses.RemoveAll()
	c.lines = nil
	for _, l := range losses {
		c.Losses.Add(bold(fmt.Sprintf("%s would lose %d:", l.Owner, len(l.Lines))))
		for _, line := range l.Lines {
			c.lines = append(c.lines, line)
			c.Losses.Add(widget.NewLabel("    " + line))
		}
	}
	c.Losses.Refresh()
}

// Lines are the preview's object lines ("Class:ID name"), owner by owner.
func (c *LevelChange) Lines() []string { return c.lines }

// run applies the change in the background: a downgrade to private runs the
// reviewed plan (refused if the data changed since), others set the level.
func (c *LevelChange) run() {
	c.Confirm.Disable()
	c.Checking.Show()
	c.Checking.Start()
	say(c.Error, "")
	sess, g, to, fp, p := c.p.a.opts.Session, c.group.ID, c.to, c.plan.Fingerprint, c.p
	p.a.opts.Run.Go(func() func() {
		var err error
		if to == core.Private {
			_, err = sess.RunGraph(ctx(), core.GraphRequest{Op: core.OpChmod, Group: g, Level: to, Expect: fp})
		} else {
			err = sess.SetGroupLevel(ctx(), g, to)
		}
		return func() {
			c.Checking.Stop()
			c.Checking.Hide()
			if err != nil {
				say(c.Error, sentence(err))
				p.a.event("level refused " + c.group.Name)
				return
			}
			c.dialog.Hide()
			p.a.event("level changed " + c.group.Name + " " + to.String())
			p.load(g)
		}
	})
}

// Hide closes the dialog.
func (c *LevelChange) Hide() { c.dialog.Hide() }

// refList is the plan's refs, sorted, for scripts comparing the preview
// with the CLI's dry run; at most 50, so an event stays one short line.
func refList(plan core.GraphPlan) string {
	var refs []string
	for _, r := range append(append([]core.Ref{}, plan.Deleted...), plan.Severed...) {
		refs = append(refs, r.String())
	}
	sort.Strings(refs)
	if len(refs) > 50 {
		refs = append(refs[:50], "…")
	}
	if len(refs) == 0 {
		return ""
	}
	return " " + strings.Join(refs, " ")
}
