package browser

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

// Change Owner… (spec §4.4): a group owner gives data of their group to one
// of its members, an administrator to anyone; a searchable chooser lists
// only those recipients. The dry run's review says "Change owner of"
// (counts by type) and "Will be removed from" (the containers the objects
// leave); OK starts a job. Administrators may give all data of the owner.

type chownDialog struct {
	v       *View
	sel     []core.ObjectView
	d       *stepDialog
	all     []graphreview.Recipient
	shown   []graphreview.Recipient
	to      graphreview.Recipient
	allData bool
	plan    core.GraphPlan
	gen     int
}

// ChownDialogTitle is the dialog's title.
const ChownDialogTitle = "Change Owner"

func (v *View) openChown(sel []core.ObjectView) {
	if why := graphreview.ChownWhy(v.opts.Me, sel); why != "" {
		v.setStatus(why)
		return
	}
	c := &chownDialog{v: v, sel: sel, d: newStepDialog(v.opts.Window, ChownDialogTitle)}
	me, sess := v.opts.Me, v.opts.Session
	c.d.show(checking("Listing who the data may be given to…", c.d.hide))
	v.opts.Run.Go(func() func() {
		var users []core.UserInfo
		var err error
		if me.Admin {
			users, err = sess.Users(context.Background())
		}
		return func() {
			if err != nil {
				c.d.hide()
				v.setStatus("Change Owner: " + core.UserMessage(err))
				return
			}
			c.all = graphreview.Recipients(me, sel[0].Group, sel[0].Owner, users)
			c.choose()
		}
	})
}

// choose is the recipient chooser, searchable by name.
func (c *chownDialog) choose() {
	c.shown = c.all
	next := widget.NewButton("Next", nil)
	next.Disable()
	list := widget.NewList(func() int { return len(c.shown) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(c.shown[i].Label) })
	list.OnSelected = func(i widget.ListItemID) { c.to = c.shown[i]; next.Enable() }
	search := widget.NewEntry()
	search.SetPlaceHolder("Search by name")
	search.OnChanged = func(q string) {
		c.shown = graphreview.FilterRecipients(c.all, q)
		list.UnselectAll()
		next.Disable()
		list.Refresh()
	}
	next.OnTapped = func() { c.review() }
	head := wrapping("Give " + graphreview.Phrase(c.sel) + " (owned by " + c.sel[0].OwnerName + ") to:")
	if len(c.all) == 0 {
		head.SetText("There is nobody " + graphreview.Phrase(c.sel) + " may be given to: the group has no other member.")
	}
	top := container.NewVBox(head, search)
	if c.v.opts.Me.Admin {
		all := widget.NewCheck("All data of "+c.sel[0].OwnerName+", in every group", func(on bool) { c.allData = on })
		all.Checked = c.allData
		top.Add(all)
	}
	body := container.NewBorder(top, nil, nil, nil, list)
	c.d.show(body, widget.NewButton("Cancel", c.d.hide), next)
	c.v.opts.Window.Canvas().Focus(search)
	c.v.event("dialog Change Owner: choose the recipient")
}

// request is the change of owner as chosen.
func (c *chownDialog) request() core.GraphRequest {
	req := core.GraphRequest{Op: core.OpChown, User: c.to.User.ID, Targets: graphreview.Targets(graphreview.Refs(c.sel))}
	if c.allData {
		req.Targets = []core.Target{{Class: core.ClassExperimenter, IDs: []core.ID{c.sel[0].Owner}}}
	}
	return req
}

func (c *chownDialog) review() {
	c.gen++
	gen := c.gen
	ctx, cancel := context.WithCancel(context.Background())
	c.d.show(checking("Checking what will be given to "+c.to.User.FullName()+"…", func() {
		cancel()
		c.gen++
		c.choose()
	}))
	req := c.request()
	req.DryRun = true
	sess := c.v.opts.Session
	c.v.opts.Run.Go(func() func() {
		plan, err := sess.PlanGraph(ctx, req)
		names := graphreview.LoadNames(ctx, sess, plan.Processed)
		return func() {
			if gen != c.gen {
				return
			}
			cancel()
			c.plan = plan
			body := container.NewVBox()
			ok := widget.NewButton("Change Owner", c.run)
			if err != nil {
				e := wrapping("The change of owner is not possible: " + core.UserMessage(err))
				e.Importance = widget.DangerImportance
				body.Add(e)
				ok.Disable()
			} else {
				body.Add(wrapping("Give to " + c.to.Label + ":"))
				body.Add(reviewContent(graphreview.Sections(plan, names)))
			}
			c.d.show(scroll(body), widget.NewButton("Cancel", c.d.hide), widget.NewButton("Back", c.choose), ok)
			if c.v.opts.OnEvent != nil {
				c.v.opts.OnEvent("review chown " + graphreview.CountList(plan.Review.Counts, false))
			}
		}
	})
}

func (c *chownDialog) run() {
	c.d.hide()
	req := c.request()
	req.Expect = c.plan.Fingerprint
	v, sel := c.v, c.sel
	meta := &jobMeta{dest: c.to.User.FullName(), retry: func() { v.openChown(sel) }}
	meta.after = func(info jobs.Info) {
		if info.State == jobs.Done {
			v.reset(v.model.Group(), v.model.Owner()) // the data now shows under its new owner
		}
	}
	sess := v.opts.Session
	v.acts.start("Give "+graphreview.Phrase(sel)+" to "+c.to.User.FullName(), meta, func(ctx context.Context, progress func(int, int)) (any, error) {
		req.Progress = progress
		res, err := sess.RunGraph(ctx, req)
		if err != nil {
			return nil, err
		}
		return res, nil
	})
}
