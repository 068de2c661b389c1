package browser

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui/widgets"
)

// The Rendering menu: batch changes to the rendering settings of the
// selected image, dataset, plate or run (app/browse decides which items
// apply and words the outcome). It opens from a right-click on a tree row
// or a thumbnail, and from the toolbar's Rendering button.

// copied is the image whose settings were copied, shared with the viewers
// when the UI wires the clipboard in.
func (v *View) copied() (core.Ref, string) {
	if v.opts.CopiedSettings != nil {
		return v.opts.CopiedSettings()
	}
	return v.clip.from, v.clip.name
}

func (v *View) copySettings(img core.ObjectView) {
	if v.opts.CopySettings != nil {
		v.opts.CopySettings(img.Ref, img.DisplayName())
	} else {
		v.clip.from, v.clip.name = img.Ref, img.DisplayName()
	}
	v.setStatus("Copied the settings of “" + img.DisplayName() + "”: Paste Settings puts them on other images, a dataset or a plate.")
}

func (v *View) renderingSelection() browse.RenderingSelection {
	from, _ := v.copied()
	return browse.RenderingSelection{Target: v.selected, Me: v.opts.Me, Copied: from, Busy: v.busy}
}

// RenderingMenu is the Rendering menu for what is selected now: a heading
// that names it, then the items, those that do not apply disabled.
func (v *View) RenderingMenu() *fyne.Menu {
	sel := v.renderingSelection()
	heading := "Nothing selected"
	if !sel.Target.Ref.IsZero() {
		heading = "Rendering of " + browse.TargetPhrase(sel.Target)
	}
	head := fyne.NewMenuItem(heading, nil)
	head.Disabled = true
	items := []*fyne.MenuItem{head, fyne.NewMenuItemSeparator()}
	for _, it := range browse.RenderingMenu(sel) {
		if it.Action == browse.SetMinMax || it.Action == browse.RenameChannels {
			items = append(items, fyne.NewMenuItemSeparator())
		}
		a, target := it.Action, sel.Target
		mi := fyne.NewMenuItem(string(a), func() { v.choose(a, target) })
		mi.Disabled = !it.Enabled
		items = append(items, mi)
	}
	if !sel.Target.Ref.IsZero() { // Move to Group…, Change Owner…, Duplicate… (graph_menu.go)
		items = append(append(items, fyne.NewMenuItemSeparator()), v.GraphItems()...)
	}
	return fyne.NewMenu("Rendering", items...)
}

// showRenderingMenu pops the menu up at an absolute position; when items
// are disabled, the status bar says why.
func (v *View) showRenderingMenu(pos fyne.Position) {
	if why := browse.RenderingWhy(browse.RenderingMenu(v.renderingSelection())); why != "" {
		v.setStatus(why)
	}
	showMenuInside(v.RenderingMenu(), v.opts.Window.Canvas(), pos)
}

func (v *View) showRenderingMenuBelowButton() {
	b := v.Rendering
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	v.showRenderingMenu(pos.AddXY(0, b.Size().Height))
}

// choose runs a menu item on target.
func (v *View) choose(a browse.RenderingAction, target core.ObjectView) {
	switch a {
	case browse.CopySettings:
		v.copySettings(target)
	case browse.RenameChannels:
		v.askChannelNames(target)
	default:
		from, name := v.copied()
		v.runRendering(browse.RenderingRequest{Action: a, Target: target, From: from, FromName: name})
	}
}

// setBusy shows, in the status bar, that an action runs, and keeps the
// menu's items disabled meanwhile.
func (v *View) setBusy(busy bool, msg string) {
	v.busy = busy
	if busy {
		v.progressBox.Show()
		v.progress.Start()
	} else {
		v.progress.Stop()
		v.progressBox.Hide()
	}
	v.setStatus(msg)
}

// runRendering performs a request in the background and tells the outcome:
// in the status bar, and in a dialog when images were skipped.
func (v *View) runRendering(req browse.RenderingRequest) {
	title := browse.SummarizeRendering(req, browse.RenderingOutcome{}).Title
	v.setBusy(true, title+" on "+browse.TargetPhrase(req.Target)+"…")
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		out, err := browse.RunRendering(context.Background(), sess, req)
		return func() {
			if err != nil {
				msg := core.UserMessage(err)
				v.setBusy(false, title+": "+msg)
				dialog.ShowInformation(title+": nothing changed", msg, v.opts.Window)
				return
			}
			s := browse.SummarizeRendering(req, out)
			v.setBusy(false, s.Status)
			v.renderingChanged(out.Result.Changed)
			if s.Dialog {
				widgets.ShowListDialog(s.Title, s.Headline, s.Lines, v.opts.Window)
			}
		}
	})
}

// renderingChanged redraws what shows the changed images: their
// thumbnails, the details of the selected one, and (through the UI) the
// viewers showing them.
func (v *View) renderingChanged(changed []core.Ref) {
	if len(changed) == 0 {
		return
	}
	for _, r := range changed {
		v.Grid.Forget(r)
	}
	v.Plate.Redraw(changed)
	if v.selected.Class == core.Image {
		for _, r := range changed {
			if r == v.selected.Ref {
				v.details.show(&browse.Node{View: v.selected})
				v.loadImage(r)
				break
			}
		}
	}
	if v.opts.OnRenderingChanged != nil {
		v.opts.OnRenderingChanged(changed)
	}
}

// askChannelNames loads the channels of the target's first image and asks
// for new names, one entry per channel; an empty entry keeps a name.
func (v *View) askChannelNames(target core.ObjectView) {
	v.setBusy(true, "Reading the channels of "+browse.TargetPhrase(target)+"…")
	sess, group := v.opts.Session, v.model.Group()
	v.opts.Run.Go(func() func() {
		ctx := context.Background()
		img, ok, err := browse.FirstImage(ctx, sess, group, target)
		var chs []core.ChannelInfo
		if err == nil && ok {
			_, chs, err = sess.ImageDetails(ctx, img)
		}
		return func() {
			switch {
			case err != nil:
				v.setBusy(false, "Rename Channels: "+core.UserMessage(err))
			case !ok || len(chs) == 0:
				v.setBusy(false, "Rename Channels: "+browse.TargetPhrase(target)+" has no image with channels.")
			default:
				v.setBusy(false, "")
				v.showChannelNames(target, chs)
			}
		}
	})
}

func (v *View) showChannelNames(target core.ObjectView, chs []core.ChannelInfo) {
	entries := make([]*widget.Entry, len(chs))
	items := make([]*widget.FormItem, len(chs))
	for i, c := range chs {
		name := c.Name
		if name == "" {
			name = "Channel " + strconv.Itoa(i+1)
		}
		e := widget.NewEntry()
		e.SetPlaceHolder("Keep “" + name + "”")
		entries[i] = e
		items[i] = widget.NewFormItem("Channel "+strconv.Itoa(i+1), e)
	}
	intro := "New names for the channels of every image of " + browse.TargetPhrase(target) + ". Leave a box empty to keep that name."
	if target.Class == core.Image {
		intro = "New names for the channels of " + browse.TargetPhrase(target) + ". Leave a box empty to keep that name."
	}
	note := widget.NewLabel(intro)
	note.Wrapping = fyne.TextWrapWord
	items = append([]*widget.FormItem{widget.NewFormItem("", note)}, items...)
	d := dialog.NewForm("Rename Channels", "Rename", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		names := make([]string, len(entries))
		given := false
		for i, e := range entries {
			names[i] = e.Text
			given = given || e.Text != ""
		}
		if !given {
			v.setStatus("Rename Channels: no new names given, nothing changed.")
			return
		}
		v.runRendering(browse.RenderingRequest{Action: browse.RenameChannels, Target: target, Names: names})
	}, v.opts.Window)
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
	if len(entries) > 0 {
		v.opts.Window.Canvas().Focus(entries[0])
	}
}
