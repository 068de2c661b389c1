package browser

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

// Move to Group… (spec §4.3, OMERO.web's chgrp dialog): 1. the destination
// group, among those the move may go to, with their levels; 2. "Checking
// which linked objects will be moved…" with Cancel, then the review of the
// dry run; 3. where in the destination (no container, an existing one, or a
// new one owned by the data's owner) and "Keep tags, files and key-value
// pairs". OK starts a job that applies exactly the reviewed plan.

type moveDialog struct {
	v        *View
	sel      []core.ObjectView
	dests    []graphreview.Destination
	dest     graphreview.Destination
	d        *stepDialog
	plan     core.GraphPlan
	planErr  error
	names    map[core.Ref]string
	keep     bool
	moveAll  bool
	cancel   context.CancelFunc
	gen      int
	into     []core.ObjectView // containers of the destination the data may go into
	target   *widget.Select
	newName  *widget.Entry
	errLabel *widget.Label
}

// MoveDialogTitle is the dialog's title.
const MoveDialogTitle = "Move to Group"

func (v *View) openMove(sel []core.ObjectView) {
	if why := graphreview.MoveWhy(v.opts.Me, sel); why != "" {
		v.setStatus(why)
		return
	}
	m := &moveDialog{v: v, sel: sel, dests: graphreview.MoveDestinations(v.opts.Me, sel[0].Group)}
	m.d = newStepDialog(v.opts.Window, MoveDialogTitle)
	m.chooseGroup("")
}

// chooseGroup is step 1; note says why the dialog came back here.
func (m *moveDialog) chooseGroup(note string) {
	labels := make([]string, len(m.dests))
	for i, d := range m.dests {
		labels[i] = d.Label
	}
	next := widget.NewButton("Next", nil)
	next.Disable()
	radio := widget.NewRadioGroup(labels, func(s string) {
		if s != "" {
			next.Enable()
		} else {
			next.Disable()
		}
	})
	if m.dest.Label != "" {
		radio.SetSelected(m.dest.Label)
	}
	next.OnTapped = func() {
		for _, d := range m.dests {
			if d.Label == radio.Selected {
				m.dest = d
			}
		}
		m.review()
	}
	head := wrapping("1. Move " + graphreview.Phrase(m.sel) + " (owned by " + m.sel[0].OwnerName + ") from " + m.sel[0].GroupName + " to:")
	body := container.NewVBox(head, radio)
	if note != "" {
		n := wrapping(note)
		n.Importance = widget.WarningImportance
		body.Add(n)
	}
	m.d.show(scroll(body), widget.NewButton("Cancel", m.d.hide), next)
	m.v.event("dialog Move to Group: choose the group")
}

// request is the move as chosen so far.
func (m *moveDialog) request() core.GraphRequest {
	return core.GraphRequest{Op: core.OpChgrp, Targets: graphreview.Targets(graphreview.Refs(m.sel)),
		Group: m.dest.Group.ID, KeepAnnotations: m.keep, AddMissingFilesetImages: m.moveAll}
}

// review is step 2: the dry run in the background, then the review.
func (m *moveDialog) review() {
	m.gen++
	gen := m.gen
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.d.show(checking("Checking which linked objects will be moved to "+m.dest.Group.Name+"…", func() {
		cancel()
		m.gen++ // the dry run's answer, if it comes, is ignored
		m.chooseGroup("Review cancelled; nothing was moved.")
	}))
	req := m.request()
	req.DryRun = true
	sess := m.v.opts.Session
	cls := graphreview.ContainerClass(m.sel)
	owner := m.sel[0].Owner
	m.v.opts.Run.Go(func() func() {
		plan, err := sess.PlanGraph(ctx, req)
		names := graphreview.LoadNames(ctx, sess, plan.Processed)
		var into []core.ObjectView
		if cls != "" && err == nil {
			into, _ = sess.List(ctx, cls, owner, req.Group)
		}
		return func() {
			if gen != m.gen {
				return
			}
			cancel()
			m.plan, m.planErr, m.names, m.into = plan, err, names, into
			m.showReview()
			if m.v.opts.OnEvent != nil {
				m.v.opts.OnEvent("review chgrp " + graphreview.CountList(plan.Review.Counts, false))
			}
		}
	})
}

// showReview shows the review and step 3.
func (m *moveDialog) showReview() {
	body := container.NewVBox(wrapping("2. What moving " + graphreview.Phrase(m.sel) + " to " + m.dest.Label + " does:"))
	ok := widget.NewButton("Move", m.run)
	if m.planErr != nil && len(m.plan.Review.SplitFilesets) == 0 {
		e := wrapping("The move is not possible: " + core.UserMessage(m.planErr))
		e.Importance = widget.DangerImportance
		body.Add(e)
		ok.Disable()
	}
	if m.planErr == nil || len(m.plan.Review.Counts) > 0 {
		body.Add(reviewContent(graphreview.Sections(m.plan, m.names)))
	}
	if split := graphreview.Split(m.plan, "move"); len(split) > 0 || m.moveAll {
		for _, s := range split {
			l := wrapping(s)
			l.Importance = widget.WarningImportance
			body.Add(l)
		}
		all := widget.NewCheck("Move all images of the fileset", func(on bool) { m.moveAll = on; m.review() })
		all.Checked = m.moveAll
		body.Add(all)
		if m.planErr != nil {
			ok.Disable()
		}
	}
	body.Add(widget.NewSeparator())
	body.Add(m.targetStep())
	m.errLabel = wrapping("")
	m.errLabel.Importance = widget.DangerImportance
	m.errLabel.Hide()
	body.Add(m.errLabel)
	back := widget.NewButton("Back", func() { m.chooseGroup("") })
	m.d.show(scroll(body), widget.NewButton("Cancel", m.d.hide), back, ok)
}

const (
	intoNone = "None (orphaned)"
	intoNew  = "A new "
)

// targetStep is step 3: the container in the destination and the
// keep-annotations option.
func (m *moveDialog) targetStep() fyne.CanvasObject {
	box := container.NewVBox(wrapping("3. Where in " + m.dest.Group.Name + ":"))
	cls := graphreview.ContainerClass(m.sel)
	if cls != "" {
		opts := []string{intoNone}
		for _, c := range m.into {
			opts = append(opts, strings.ToLower(string(c.Class))+" “"+c.DisplayName()+"”")
		}
		opts = append(opts, intoNew+strings.ToLower(string(cls))+"…")
		m.newName = widget.NewEntry()
		m.newName.SetPlaceHolder("Name of the new " + strings.ToLower(string(cls)))
		m.newName.Hide()
		m.target = widget.NewSelect(opts, func(s string) {
			if strings.HasPrefix(s, intoNew) {
				m.newName.Show()
			} else {
				m.newName.Hide()
			}
		})
		m.target.SetSelectedIndex(0)
		box.Add(widget.NewForm(widget.NewFormItem("Put into", m.target)))
		box.Add(m.newName)
		if m.sel[0].Owner != m.v.opts.Me.User.ID {
			box.Add(wrapping("A new " + strings.ToLower(string(cls)) + " belongs to " + m.sel[0].OwnerName + ", who owns the data."))
		}
	} else {
		box.Add(wrapping("Projects and screens go to the top level of " + m.dest.Group.Name + "."))
	}
	keep := widget.NewCheck("Keep tags, files and key-value pairs", func(on bool) { m.keep = on; m.review() })
	keep.Checked = m.keep
	box.Add(keep)
	if rv := m.plan.Review; !m.keep && len(rv.NotIncludedTags)+len(rv.NotIncludedFiles)+rv.NotIncludedOthers > 0 {
		note := wrapping("Unchecked, the links to tags, files and key-value pairs listed under Not included are removed. Checked, a same-named tag in " + m.dest.Group.Name + " is reused and the rest is copied there.")
		note.Importance = widget.LowImportance
		box.Add(note)
	}
	return box
}

// run starts the job with the reviewed plan's fingerprint: if the data
// changed meanwhile, the job refuses and offers to review again.
func (m *moveDialog) run() {
	req := m.request()
	req.Expect = m.plan.Fingerprint
	meta := &jobMeta{dest: m.dest.Group.Name}
	if m.target != nil {
		i := m.target.SelectedIndex()
		switch {
		case i > 0 && i <= len(m.into):
			req.TargetContainer = m.into[i-1].Ref
			meta.container = req.TargetContainer
		case strings.HasPrefix(m.target.Selected, intoNew):
			name := strings.TrimSpace(m.newName.Text)
			if name == "" {
				m.errLabel.SetText("Name the new " + strings.ToLower(string(graphreview.ContainerClass(m.sel))) + ", or choose another place.")
				m.errLabel.Show()
				return
			}
			req.NewContainer, req.NewContainerName = graphreview.ContainerClass(m.sel), name
		}
	}
	m.d.hide()
	v := m.v
	sel := m.sel
	meta.retry = func() { v.openMove(sel) }
	source := sel[0].Group
	meta.after = func(info jobs.Info) {
		if res, ok := info.Result.(core.GraphResult); ok && meta.container.IsZero() && req.NewContainer != "" {
			for _, r := range res.Created {
				if r.Class == req.NewContainer {
					meta.container = r
				}
			}
		}
		if info.State == jobs.Done && v.model.Group() == source {
			v.reset(v.model.Group(), v.model.Owner()) // the data leaves the source group's tree
		}
	}
	sess := v.opts.Session
	v.acts.start("Move "+graphreview.Phrase(sel)+" to "+m.dest.Group.Name, meta, func(ctx context.Context, progress func(int, int)) (any, error) {
		req.Progress = progress
		res, err := sess.RunGraph(ctx, req)
		if err != nil {
			return nil, err
		}
		return res, nil
	})
}
