package browser

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

// Duplicate… and Duplicate to Group… (spec §4.5): a preset (or the
// advanced table of classes to ignore, reference or duplicate), the
// group's limits explained, an optional container for the copies
// (default: none, as OMERO), the dry run's review, then a job. Duplicate
// to Group then moves the copies to another group in the same job: the
// training guide's replacement for Shares.

type duplicateDialog struct {
	v       *View
	sel     []core.ObjectView
	d       *stepDialog
	table   graphreview.Table
	preset  *widget.RadioGroup
	selects map[core.Class]*widget.Select
	into    []core.ObjectView
	target  *widget.Select
	toGroup bool
	dests   []graphreview.Destination
	group   *widget.Select
	plan    core.GraphPlan
	gen     int
	setting bool
}

// DuplicateDialogTitle is the dialog's title.
const DuplicateDialogTitle = "Duplicate"

func (v *View) openDuplicate(sel []core.ObjectView, toGroup bool) {
	if why := graphreview.DuplicateWhy(v.opts.Me, sel); why != "" {
		v.setStatus(why)
		return
	}
	title := DuplicateDialogTitle
	if toGroup {
		title = "Duplicate to Group"
	}
	d := &duplicateDialog{v: v, sel: sel, d: newStepDialog(v.opts.Window, title), table: graphreview.Table{}, toGroup: toGroup,
		dests: graphreview.MoveDestinations(v.opts.Me, sel[0].Group)}
	cls := graphreview.ContainerClass(sel)
	me, sess, group := v.opts.Me.User.ID, v.opts.Session, sel[0].Group
	d.d.show(checking("Listing the containers the copies may go into…", d.d.hide))
	v.opts.Run.Go(func() func() {
		var into []core.ObjectView
		if cls != "" {
			into, _ = sess.List(context.Background(), cls, me, group)
		}
		return func() { d.into = into; d.options() }
	})
}

// options is the first step: preset, advanced table, target, group.
func (d *duplicateDialog) options() {
	names := make([]string, len(graphreview.Presets))
	for i, p := range graphreview.Presets {
		names[i] = p.Name
	}
	d.selects = map[core.Class]*widget.Select{}
	d.preset = widget.NewRadioGroup(names, func(s string) {
		if d.setting {
			return
		}
		for _, p := range graphreview.Presets {
			if p.Name == s {
				d.table = graphreview.TableOf(p.Opts)
			}
		}
		d.fillTable()
	})
	d.preset.Required = false
	form := widget.NewForm()
	choices := make([]string, len(graphreview.Choices))
	for i, c := range graphreview.Choices {
		choices[i] = string(c)
	}
	for _, c := range graphreview.TableClasses {
		c := c
		s := widget.NewSelect(choices, func(val string) {
			if d.setting {
				return
			}
			d.table[c] = graphreview.Choice(val)
			d.setting = true
			d.preset.SetSelected(graphreview.PresetOf(d.table.Options()))
			d.setting = false
		})
		d.selects[c] = s
		form.Append(string(c), s)
	}
	d.setting = true
	d.preset.SetSelected(graphreview.PresetOf(d.table.Options()))
	d.setting = false
	d.fillTable()
	advanced := widget.NewAccordion(widget.NewAccordionItem("Advanced: per class (the more specific class wins)", form))

	body := container.NewVBox(wrapping("Copy "+graphreview.Phrase(d.sel)+" with its contents. What the copies take along:"), d.preset, advanced)
	note := wrapping(graphreview.DuplicateNote(d.v.opts.Me, d.sel[0].Level, d.sel[0].Group))
	note.Importance = widget.LowImportance
	body.Add(note)
	if cls := graphreview.ContainerClass(d.sel); cls != "" && !d.toGroup {
		opts := []string{intoNone}
		for _, c := range d.into {
			opts = append(opts, strings.ToLower(string(c.Class))+" “"+c.DisplayName()+"”")
		}
		d.target = widget.NewSelect(opts, nil)
		d.target.SetSelectedIndex(0)
		body.Add(widget.NewForm(widget.NewFormItem("Put the copies into", d.target)))
	}
	if d.toGroup {
		labels := make([]string, len(d.dests))
		for i, g := range d.dests {
			labels[i] = g.Label
		}
		d.group = widget.NewSelect(labels, nil)
		d.group.PlaceHolder = "Choose the group"
		body.Add(widget.NewForm(widget.NewFormItem("Then move the copies to", d.group)))
	}
	next := widget.NewButton("Review", d.review)
	d.d.show(scroll(body), widget.NewButton("Cancel", d.d.hide), next)
	d.v.event("dialog Duplicate: options")
}

func (d *duplicateDialog) fillTable() {
	d.setting = true
	defer func() { d.setting = false }()
	for c, s := range d.selects {
		ch := d.table[c]
		if ch == "" {
			ch = graphreview.Default
		}
		s.SetSelected(string(ch))
	}
}

func (d *duplicateDialog) request() core.GraphRequest {
	return core.GraphRequest{Op: core.OpDuplicate, Targets: graphreview.Targets(graphreview.Refs(d.sel)), DuplicateOptions: d.table.Options()}
}

// dest is the chosen destination group of Duplicate to Group.
func (d *duplicateDialog) dest() (graphreview.Destination, bool) {
	if d.group == nil {
		return graphreview.Destination{}, false
	}
	i := d.group.SelectedIndex()
	if i < 0 {
		return graphreview.Destination{}, false
	}
	return d.dests[i], true
}

func (d *duplicateDialog) review() {
	if d.toGroup {
		if _, ok := d.dest(); !ok {
			d.v.setStatus("Duplicate to Group: choose the group the copies go to.")
			return
		}
	}
	d.gen++
	gen := d.gen
	ctx, cancel := context.WithCancel(context.Background())
	opts := d.options
	d.d.show(checking("Checking what will be copied…", func() { cancel(); d.gen++; opts() }))
	req := d.request()
	req.DryRun = true
	sess := d.v.opts.Session
	d.v.opts.Run.Go(func() func() {
		plan, err := sess.PlanGraph(ctx, req)
		names := graphreview.LoadNames(ctx, sess, plan.Processed)
		return func() {
			if gen != d.gen {
				return
			}
			cancel()
			d.plan = plan
			body := container.NewVBox(wrapping("Preset: " + graphreview.PresetOf(req.DuplicateOptions)))
			ok := widget.NewButton("Duplicate", d.run)
			if err != nil {
				e := wrapping("The copy is not possible: " + core.UserMessage(err))
				e.Importance = widget.DangerImportance
				body.Add(e)
				ok.Disable()
			} else {
				body.Add(reviewContent(graphreview.Sections(plan, names)))
				if ref := req.Reference; len(ref) > 0 {
					body.Add(wrapping("Referenced, not copied (the copies link to the originals): " + classList(ref)))
				}
				if dst, ok := d.dest(); ok {
					body.Add(wrapping("Then the copies move to " + dst.Label + "."))
				}
			}
			d.d.show(scroll(body), widget.NewButton("Cancel", d.d.hide), widget.NewButton("Back", d.options), ok)
			if d.v.opts.OnEvent != nil {
				d.v.opts.OnEvent("review duplicate " + graphreview.CountList(plan.Review.Counts, false))
			}
		}
	})
}

func classList(cs []core.Class) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// run starts the job: the duplicate with the reviewed plan's fingerprint,
// then, for Duplicate to Group, the move of the copies.
func (d *duplicateDialog) run() {
	d.d.hide()
	req := d.request()
	req.Expect = d.plan.Fingerprint
	v, sel := d.v, d.sel
	meta := &jobMeta{retry: func() { v.openDuplicate(sel, d.toGroup) }}
	if d.target != nil {
		if i := d.target.SelectedIndex(); i > 0 && i <= len(d.into) {
			meta.container = d.into[i-1].Ref
			meta.dest = d.into[i-1].DisplayName()
		}
	}
	dst, toGroup := d.dest()
	title := "Duplicate " + graphreview.Phrase(sel)
	if toGroup {
		title += " to " + dst.Group.Name
		meta.container, meta.dest = core.Ref{}, dst.Group.Name
	}
	meta.after = func(info jobs.Info) {
		if info.State == jobs.Done {
			v.reset(v.model.Group(), v.model.Owner())
		}
	}
	sess := v.opts.Session
	into := meta.container
	v.acts.start(title, meta, func(ctx context.Context, progress func(int, int)) (any, error) {
		req.Progress = progress
		res, err := sess.RunGraph(ctx, req)
		if err != nil {
			return nil, err
		}
		top := topCopies(sel, res)
		if !into.IsZero() {
			for _, c := range top {
				link := map[core.Class]core.Class{core.Dataset: core.ProjectDatasetLink, core.Image: core.DatasetImageLink, core.Plate: core.ScreenPlateLink}[c.Class]
				if _, err := sess.Create(ctx, link, map[string]string{"parent": into.String(), "child": c.String()}); err != nil {
					return res, core.E("duplicate", core.KindOf(err), "the copies were made but could not be put into "+into.String()+": "+core.UserMessage(err))
				}
			}
		}
		if toGroup {
			move := core.GraphRequest{Op: core.OpChgrp, Group: dst.Group.ID, Targets: graphreview.Targets(top), Progress: progress}
			if _, err := sess.RunGraph(ctx, move); err != nil {
				return res, core.E("duplicate", core.KindOf(err), "the copies were made in "+sel[0].GroupName+" but could not be moved to "+dst.Group.Name+": "+core.UserMessage(err))
			}
		}
		return res, nil
	})
}

// topCopies are the copies of the selected objects themselves.
func topCopies(sel []core.ObjectView, res core.GraphResult) []core.Ref {
	want := map[core.Ref]bool{}
	for _, v := range sel {
		want[v.Ref] = true
	}
	var out []core.Ref
	for _, p := range res.Duplicates {
		if want[p.Original] {
			out = append(out, p.Copy)
		}
	}
	return out
}
