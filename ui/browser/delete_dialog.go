package browser

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
)

// The delete review: a dry run of the graph planner fills a dialog with
// what will be deleted; Delete runs exactly that plan in the background
// with progress, and the tree and the grid reload when it ends.

// reviewDelete plans the delete of sel with opts and shows the review.
func (v *View) reviewDelete(sel []browse.Item, opts browse.DeleteOptions) {
	v.setBusy(true, "Looking at what deleting "+browse.SelectionPhrase(sel)+" involves…")
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		rv, err := browse.PlanDelete(context.Background(), sess, sel, opts)
		return func() {
			if err != nil {
				v.failed("Delete", err)
				return
			}
			v.setBusy(false, "")
			v.showDeleteReview(sel, opts, rv)
		}
	})
}

func wrapped(s string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	return l
}

// listed is a block of lines under a heading, in a bounded scroll.
func listed(heading string, lines []string, imp widget.Importance) fyne.CanvasObject {
	box := container.NewVBox()
	for _, l := range lines {
		box.Add(wrapped("• "+l, widget.MediumImportance))
	}
	var body fyne.CanvasObject = box
	if len(lines) > 5 {
		s := container.NewVScroll(box)
		s.SetMinSize(fyne.NewSize(0, 140))
		body = s
	}
	h := wrapped(heading, imp)
	h.TextStyle.Bold = true
	return container.NewVBox(h, body)
}

func (v *View) showDeleteReview(sel []browse.Item, opts browse.DeleteOptions, rv browse.DeleteReview) {
	parts := []fyne.CanvasObject{wrapped("Will be deleted: "+rv.Summary+".", widget.MediumImportance)}
	if len(rv.Deleted) > 0 {
		parts = append(parts, listed("By type:", rv.Deleted, widget.MediumImportance))
	}
	if len(rv.MultiLinked) > 0 {
		parts = append(parts, listed(browse.MultiLinkWarning, rv.MultiLinked, widget.WarningImportance))
	}
	if len(rv.Kept) > 0 {
		parts = append(parts, listed(browse.KeptNote, rv.Kept, widget.WarningImportance))
	}
	if len(rv.Split) > 0 {
		parts = append(parts, listed("Some images are part of a multi-image fileset; the images of a fileset are deleted together or not at all:", rv.Split, widget.WarningImportance))
	}
	var d *dialog.CustomDialog
	replan := func(o browse.DeleteOptions) {
		d.Hide()
		v.reviewDelete(sel, o)
	}
	if len(rv.Split) > 0 || opts.WholeFilesets {
		whole := widget.NewCheck("Delete all images of the fileset", func(on bool) {
			o := opts
			o.WholeFilesets = on
			replan(o)
		})
		whole.Checked = opts.WholeFilesets
		parts = append(parts, whole)
	}
	orphans := widget.NewCheck("Also delete annotations that become orphans (tags and attachments only these objects use)", func(on bool) {
		o := opts
		o.OrphanAnnotations = on
		replan(o)
	})
	orphans.Checked = opts.OrphanAnnotations
	parts = append(parts, orphans)
	if rv.Blocked != "" {
		parts = append(parts, wrapped(capitalizeFirst(rv.Blocked), widget.DangerImportance))
	}
	// A fixed size: wrapped labels cannot tell their height before they
	// are laid out, and a long list scrolls inside the dialog.
	scroll := container.NewVScroll(container.NewVBox(parts...))
	scroll.SetMinSize(fyne.NewSize(620, 380))
	d = dialog.NewCustomWithoutButtons("Delete "+browse.SelectionPhrase(sel)+"?", scroll, v.opts.Window)
	del := widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() {
		d.Hide()
		v.runDelete(sel, rv)
	})
	del.Importance = widget.DangerImportance
	if rv.Blocked != "" {
		del.Disable()
	}
	d.SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide), del})
	d.Show()
	v.event(fmt.Sprintf("delete review %d multi-linked %d kept", len(rv.MultiLinked), len(rv.Kept)))
}

func (v *View) runDelete(sel []browse.Item, rv browse.DeleteReview) {
	what := browse.SelectionPhrase(sel)
	v.setBusy(true, "Deleting "+what+"…")
	sess, run := v.opts.Session, v.opts.Run
	v.opts.Run.Go(func() func() {
		res, err := browse.RunDelete(context.Background(), sess, rv, func(done, total int) {
			run.Do(func() { v.setStatus(fmt.Sprintf("Deleting %s… %d of %d changes", what, done, total)) })
		})
		return func() {
			if err != nil {
				v.failed("Delete", err)
				v.reload()
				return
			}
			v.setBusy(false, "Deleted "+what+" ("+rv.Summary+").")
			v.linkClip = browse.Clipboard{}
			v.event(fmt.Sprintf("deleted %d objects", len(res.Processed)))
			v.reload()
			v.focusKeys(paneTree)
		}
	})
}
