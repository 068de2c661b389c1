package viewer

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui/widgets"
)

// Save to All (OMERO.insight's "Save to All"): the settings shown here are
// saved as the user's own on every compatible image of the dataset, plate
// or run the viewer was opened from; incompatible ones are listed with the
// reason.

// saveToAllTarget is the container Save to All acts on, if the viewer was
// opened from one it can act on.
func (v *View) saveToAllTarget() (core.ObjectView, bool) {
	c := v.opts.Container
	switch c.Class {
	case core.Dataset, core.Plate, core.PlateAcquisition:
		return c, true
	}
	return core.ObjectView{}, false
}

// newSaveToAll is the Save to All button, disabled when there is no
// container to save to.
func (v *View) newSaveToAll() *widget.Button {
	b := widget.NewButton("Save to All", v.saveToAll)
	if _, ok := v.saveToAllTarget(); !ok {
		b.Disable()
	}
	return b
}

func (v *View) saveToAll() {
	target, ok := v.saveToAllTarget()
	if !ok {
		v.setStatus("Open the image from its dataset, plate or run to save its settings to all of its images.", true)
		return
	}
	s := v.model.Settings.Clone()
	req := browse.RenderingRequest{Action: browse.SaveToAll, Target: target, From: v.image.Ref,
		FromName: v.image.DisplayName(), Settings: &s}
	sess, ctx := v.opts.Session, v.ctx
	v.c.SaveAll.Disable()
	v.setStatus("Saving to every image of "+browse.TargetPhrase(target)+"…", false)
	v.opts.Run.Go(func() func() {
		out, err := browse.RunRendering(ctx, sess, req)
		var def core.RenderingDefView
		ownChanged := slices.Contains(out.Result.Changed, v.image.Ref)
		if err == nil && ownChanged {
			def, err = sess.ViewerRendering(ctx, v.image.Ref)
		}
		return func() {
			if v.closed {
				return
			}
			v.c.SaveAll.Enable()
			if err != nil {
				v.setStatus(core.UserMessage(err), true)
				return
			}
			if ownChanged {
				v.model.From = def // what is shown is now stored
				v.updateWhose()
				v.loadUsersSettings()
			}
			sum := browse.SummarizeRendering(req, out)
			v.setStatus(sum.Status, false)
			if sum.Dialog {
				widgets.ShowListDialog(sum.Title, sum.Headline, sum.Lines, v.Window)
			}
			if v.opts.OnSaved != nil {
				for _, r := range out.Result.Changed {
					v.opts.OnSaved(r)
				}
			}
		}
	})
}

// usersLabel names one user's settings in the "Settings of" menu.
func (v *View) usersLabel(d core.RenderingDefView) string {
	name := d.OwnerName
	if name == "" {
		name = fmt.Sprintf("user %d", d.Owner)
	}
	mine, owners := d.Owner == v.model.Me(), d.Owner == v.model.Owner
	switch {
	case mine && owners:
		return name + " (yours, the owner's)"
	case mine:
		return name + " (yours)"
	case owners:
		return name + " (the owner's)"
	}
	return name
}

// loadUsersSettings fills the "Settings of" menu with every user's stored
// settings on the image (OMERO.insight's per-user rendering settings).
func (v *View) loadUsersSettings() {
	sess, ref, ctx := v.opts.Session, v.image.Ref, v.ctx
	v.opts.Run.Go(func() func() {
		defs, err := sess.RenderingDefs(ctx, ref)
		return func() {
			if v.closed || err != nil {
				return // the menu keeps what it had; the rest of the viewer works
			}
			v.users = defs
			labels := make([]string, len(defs))
			for i, d := range defs {
				labels[i] = v.usersLabel(d)
			}
			sel := v.c.Users
			sel.Options = labels
			sel.ClearSelected()
			if len(defs) < 2 {
				sel.PlaceHolder = "Only one user has settings"
				if len(defs) == 0 {
					sel.PlaceHolder = "Nobody has saved settings"
				}
			} else {
				sel.PlaceHolder = fmt.Sprintf("Show one of %d users' settings", len(defs))
			}
			sel.Refresh()
		}
	})
}

// showUsersSettings shows the settings of the i-th user of the menu (not
// saved until Save).
func (v *View) showUsersSettings(i int) {
	if i < 0 || i >= len(v.users) {
		return
	}
	d := v.users[i]
	v.model.Use(d.Settings)
	v.c.sync()
	v.changed()
	if d.Owner == v.model.Me() {
		v.setStatus("Showing your saved settings.", false)
	} else {
		v.setStatus("Showing "+d.OwnerName+"'s settings; Save keeps them as yours.", false)
	}
}

// Reload shows the user's stored settings again after something else (the
// browser's Rendering menu) changed them. Unsaved changes on screen stay,
// and the header says they differ from what is stored.
func (v *View) Reload() {
	if v.model == nil || v.closed {
		return
	}
	sess, ref, ctx := v.opts.Session, v.image.Ref, v.ctx
	v.opts.Run.Go(func() func() {
		def, err := sess.ViewerRendering(ctx, ref)
		return func() {
			if v.closed {
				return
			}
			if err != nil {
				v.setStatus(core.UserMessage(err), true)
				return
			}
			if v.model.Unsaved() {
				v.model.From = def
				v.updateWhose()
				v.setStatus("The stored settings were changed from the browser; what you see is not saved.", false)
			} else {
				v.model.Loaded(def)
				v.c.sync()
				v.changed()
				v.setStatus("Showing the settings just changed from the browser.", false)
			}
			v.loadUsersSettings()
		}
	})
}
