package browser

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// The organising actions: the context menu of tree rows and thumbnails
// (above the Rendering items), the toolbar's New and Delete buttons and
// the keyboard (keys.go) all end in act. app/browse decides what applies
// and performs it; this file asks for names, runs the work in the
// background and reloads the tree and the grid when it is done.

// shortcuts shown beside the menu items (the keys widget handles them).
var shortcuts = map[browse.OrganiseAction]fyne.Shortcut{
	browse.CopyLink:      &desktop.CustomShortcut{KeyName: fyne.KeyC, Modifier: fyne.KeyModifierShortcutDefault},
	browse.CutLink:       &desktop.CustomShortcut{KeyName: fyne.KeyX, Modifier: fyne.KeyModifierShortcutDefault},
	browse.PasteLink:     &desktop.CustomShortcut{KeyName: fyne.KeyV, Modifier: fyne.KeyModifierShortcutDefault},
	browse.Rename:        &desktop.CustomShortcut{KeyName: fyne.KeyF2},
	browse.DeleteObjects: &desktop.CustomShortcut{KeyName: fyne.KeyDelete},
}

func (v *View) organiseItems() []browse.OrganiseItem {
	return browse.OrganiseMenu(v.Selection(), v.linkClip)
}

// OrganiseMenu is the organising part of the context menu for what is
// selected now; items the rules refuse are disabled.
func (v *View) OrganiseMenu() *fyne.Menu {
	sel := v.Selection()
	heading := "Nothing selected"
	if len(sel) > 0 {
		heading = capitalizeFirst(browse.SelectionPhrase(sel))
	}
	head := fyne.NewMenuItem(heading, nil)
	head.Disabled = true
	// The four New items go in a submenu, as OMERO.web's "Create new":
	// the menu stays short enough for the window.
	newMenu := fyne.NewMenuItem("New", nil)
	newMenu.ChildMenu = fyne.NewMenu("New")
	items := []*fyne.MenuItem{head, fyne.NewMenuItemSeparator(), newMenu}
	for _, it := range v.organiseItems() {
		switch it.Action {
		case browse.CopyLink, browse.DeleteObjects:
			items = append(items, fyne.NewMenuItemSeparator())
		}
		a := it.Action
		mi := fyne.NewMenuItem(v.actionLabel(a, sel), func() { v.act(a) })
		mi.Disabled = !it.Enabled
		mi.Shortcut = shortcuts[a]
		switch a {
		case browse.NewProject, browse.NewDataset, browse.NewScreen, browse.NewDatasetFromSelection:
			newMenu.ChildMenu.Items = append(newMenu.ChildMenu.Items, mi)
		default:
			items = append(items, mi)
		}
	}
	return fyne.NewMenu("Organise", items...)
}

// actionLabel names what an item does to this selection where that helps
// ("Remove from Dataset “Cells”").
func (v *View) actionLabel(a browse.OrganiseAction, sel []browse.Item) string {
	if a == browse.RemoveFromContainer && len(sel) > 0 && !sel[0].Parent.Ref.IsZero() && sel[0].Parent.Class != core.OrphanedImages {
		return "Remove from " + string(sel[0].Parent.Class) + " “" + browse.ShortName(sel[0].Parent.DisplayName()) + "”"
	}
	if a == browse.PasteLink && !v.linkClip.Empty() {
		return fmt.Sprintf("Paste Link (%d)", len(v.linkClip.Items))
	}
	return string(a)
}

// ContextMenu is the menu of a right-click on a tree row or a thumbnail:
// the organising items, then the Rendering items.
func (v *View) ContextMenu() *fyne.Menu {
	items := v.OrganiseMenu().Items
	items = append(items, fyne.NewMenuItemSeparator())
	items = append(items, v.RenderingMenu().Items...)
	return fyne.NewMenu("", items...)
}

// showContextMenu pops the menu up at an absolute position (Fyne keeps a
// pop-up menu inside the window and scrolls it when it is taller); the
// status bar says why items are disabled (a keyboard shortcut or the
// toolbar says it for the organising items too).
func (v *View) showContextMenu(pos fyne.Position) {
	why := browse.RenderingWhy(browse.RenderingMenu(v.renderingSelection()))
	if why == "" {
		why = v.menuWhy()
	}
	if why != "" {
		v.setStatus(why)
	}
	m := v.ContextMenu()
	showMenuInside(m, v.opts.Window.Canvas(), pos)
	v.event(fmt.Sprintf("context menu %d items", len(m.Items)))
}

// showMenuInside pops a menu up at pos, moved and, when taller than the
// window, shortened (it scrolls) so that no item runs off the window.
func showMenuInside(m *fyne.Menu, c fyne.Canvas, pos fyne.Position) {
	pm := widget.NewPopUpMenu(m, c)
	size := pm.MinSize()
	_, area := c.InteractiveArea()
	margin := theme.Padding()
	if limit := area.Height - 2*margin; size.Height > limit {
		size.Height = limit
		pos.Y = margin
	}
	pm.ShowAtPosition(pos)
	pm.Resize(size)
}

// menuWhy is the reason worth telling first: why the clipboard cannot be
// pasted here, else why the selection cannot be deleted or renamed.
func (v *View) menuWhy() string {
	items := v.organiseItems()
	order := []browse.OrganiseAction{browse.DeleteObjects, browse.CopyLink}
	if !v.linkClip.Empty() {
		order = append([]browse.OrganiseAction{browse.PasteLink}, order...)
	}
	if len(v.Selection()) == 1 {
		order = append(order, browse.Rename)
	}
	for _, a := range order {
		if why := browse.OrganiseWhy(items, a); why != "" {
			return why
		}
	}
	return ""
}

// act performs an action on the selection; one the rules refuse says why
// in the status bar and does nothing.
func (v *View) act(a browse.OrganiseAction) {
	if v.busy {
		v.setStatus("Wait for the running action to finish.")
		return
	}
	sel := v.Selection()
	if why := browse.OrganiseWhy(v.organiseItems(), a); why != "" {
		v.setStatus(string(a) + ": " + why)
		return
	}
	switch a {
	case browse.NewProject:
		v.askNew(core.Project, sel)
	case browse.NewDataset:
		v.askNew(core.Dataset, sel)
	case browse.NewScreen:
		v.askNew(core.Screen, sel)
	case browse.NewDatasetFromSelection:
		v.askDatasetFrom(sel)
	case browse.Rename:
		v.askRename(sel[0])
	case browse.EditDescription:
		v.askDescription(sel[0])
	case browse.CopyLink, browse.CutLink:
		v.linkClip = browse.Clipboard{Items: sel, Cut: a == browse.CutLink}
		verb := "Copied"
		if a == browse.CutLink {
			verb = "Cut"
		}
		v.setStatus(fmt.Sprintf("%s the link of %s: select a container and Paste Link (Ctrl+V).", verb, browse.SelectionPhrase(sel)))
		v.event(fmt.Sprintf("clipboard %d", len(sel)))
	case browse.PasteLink:
		v.paste(sel[0].View)
	case browse.RemoveFromContainer:
		v.unlink(sel)
	case browse.DeleteObjects:
		v.reviewDelete(sel, browse.DeleteOptions{})
	}
}

// event tells scripts (OnEvent) what an action did.
func (v *View) event(line string) {
	if v.opts.OnEvent != nil {
		v.opts.OnEvent(line)
	}
}

// newOwner is who a new container belongs to (spec §3.4): an
// administrator working in another user's data makes it theirs.
func (v *View) newOwner(sel []browse.Item) core.ID {
	if !v.opts.Me.Admin {
		return 0
	}
	owner := v.model.Owner()
	if len(sel) > 0 && sel[0].UID != "" {
		owner = v.model.OwnerOf(sel[0].UID)
	}
	if owner == core.AnyID || owner == v.opts.Me.User.ID {
		return 0
	}
	for _, g := range v.opts.Me.Groups {
		if g.ID == v.model.Group() && g.Level == core.Private {
			return 0 // not in a private group (spec §3.4)
		}
	}
	return owner
}

// askNew asks for the name and description of a new project, dataset or
// screen; a dataset goes into the selected project when there is one.
func (v *View) askNew(class core.Class, sel []browse.Item) {
	req := browse.NewContainer{Class: class, Owner: v.newOwner(sel)}
	note := ""
	if class == core.Dataset && len(sel) == 1 && sel[0].View.Class == core.Project {
		if why := browse.LinkWhy(sel[0].View, []browse.Item{{View: core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.Dataset}, Details: core.Details{Group: sel[0].View.Group}}, Flags: core.Flags{CanLink: true}}}}); why == "" {
			req.Parent = sel[0].View
			note = "It goes into project “" + browse.ShortName(sel[0].View.DisplayName()) + "”."
		} else {
			note = "It goes to the top level: " + why
		}
	}
	parentUID := ""
	if !req.Parent.Ref.IsZero() {
		parentUID = sel[0].UID
	}
	v.showNameDialog(nameDialog{title: "New " + string(class), confirm: "Create", note: note, withDescription: true},
		func(name, desc string) {
			req.Name, req.Description = name, desc
			v.create(req, parentUID)
		})
}

func (v *View) askDatasetFrom(sel []browse.Item) {
	req := browse.NewContainer{Class: core.Dataset, Images: sel, Owner: v.newOwner(sel)}
	note := "The new dataset will hold " + browse.SelectionPhrase(sel) + "; they stay where they are too."
	v.showNameDialog(nameDialog{title: "New Dataset from Selected Images", confirm: "Create", note: note, withDescription: true},
		func(name, desc string) {
			req.Name, req.Description = name, desc
			v.create(req, "")
		})
}

// create makes the container, then reloads the tree with it selected
// (inside parentUID when given).
func (v *View) create(req browse.NewContainer, parentUID string) {
	v.setBusy(true, "Creating "+string(req.Class)+" “"+browse.ShortName(req.Name)+"”…")
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		made, err := browse.CreateContainer(context.Background(), sess, req)
		return func() {
			if err != nil {
				v.failed("New "+string(req.Class), err)
				return
			}
			v.setBusy(false, "Created "+string(req.Class)+" “"+made.DisplayName()+"”.")
			v.event("created " + made.Ref.String())
			uid := made.Ref.String()
			switch {
			case parentUID != "":
				uid = parentUID + "/" + uid
			case v.model.Grouped():
				uid = core.Ref{Class: core.ClassExperimenter, ID: made.Owner}.String() + "/" + uid
			}
			v.reloadTo(uid)
			v.focusKeys(paneTree) // the keyboard comes back from the dialog: Ctrl+V pastes here
		}
	})
}

func (v *View) askRename(it browse.Item) {
	v.showNameDialog(nameDialog{title: "Rename " + string(it.View.Class), confirm: "Rename", name: it.View.Name},
		func(name, _ string) {
			v.update("Rename", func(ctx context.Context, s core.Session) (core.ObjectView, error) {
				return browse.SetName(ctx, s, it.View, name)
			}, nil)
		})
}

func (v *View) askDescription(it browse.Item) {
	e := widget.NewMultiLineEntry()
	e.SetText(it.View.Description)
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(5)
	d := dialog.NewCustomConfirm("Description of "+browse.ShortName(it.View.DisplayName()), "Save", "Cancel", e, func(ok bool) {
		if !ok {
			return
		}
		text := e.Text
		v.update("Edit Description", func(ctx context.Context, s core.Session) (core.ObjectView, error) {
			return browse.SetDescription(ctx, s, it.View, text)
		}, nil)
	}, v.opts.Window)
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
	v.opts.Window.Canvas().Focus(e)
}

// update saves a change to one object in the background, then reloads
// the tree and the grid with the selection kept, so the row, the
// thumbnail and the details panel show it. A refusal goes to fail, or to
// a dialog (failed) when fail is nil.
func (v *View) update(what string, run func(context.Context, core.Session) (core.ObjectView, error), fail func(error)) {
	v.setBusy(true, what+"…")
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		got, err := run(context.Background(), sess)
		return func() {
			if err != nil {
				if fail == nil || Offline(err) || Expired(err) {
					v.failed(what, err)
					return
				}
				v.setBusy(false, what+": "+core.UserMessage(err))
				v.event("refused " + what)
				fail(err)
				return
			}
			v.setBusy(false, what+": saved “"+browse.ShortName(got.DisplayName())+"”.")
			v.event("updated " + got.Ref.String())
			v.reload()
		}
	})
}

func (v *View) paste(target core.ObjectView) { v.pasteClip(v.linkClip, target) }

// pasteClip links clip's objects into target (moves them after a cut or
// a drop without Ctrl) in the background, then reloads.
func (v *View) pasteClip(clip browse.Clipboard, target core.ObjectView) {
	v.setBusy(true, "Linking into "+browse.ShortName(target.DisplayName())+"…")
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		out, err := browse.Paste(context.Background(), sess, clip, target)
		return func() {
			if err != nil {
				v.failed("Paste Link", err)
				return
			}
			if clip.Cut && v.linkClip.Cut {
				v.linkClip = browse.Clipboard{} // a cut pastes once
			}
			v.setBusy(false, out.Status(target, clip.Items[0].View.Class, clip.Cut))
			v.event(fmt.Sprintf("linked %d into %s", out.Linked, target.Ref))
			v.reload()
			v.focusKeys(paneTree)
		}
	})
}

func (v *View) unlink(sel []browse.Item) {
	v.setBusy(true, "Removing "+browse.SelectionPhrase(sel)+" from its container…")
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		err := browse.Unlink(context.Background(), sess, sel)
		return func() {
			if err != nil {
				v.failed("Remove from Container", err)
				return
			}
			v.setBusy(false, "Removed "+browse.SelectionPhrase(sel)+" from "+browse.ShortName(sel[0].Parent.DisplayName())+"; it is not deleted.")
			v.event(fmt.Sprintf("unlinked %d", len(sel)))
			v.reload()
		}
	})
}

// failed tells a refusal: in the status bar and a dialog; nothing changed.
// When the server cannot be reached or the session expired, the banner
// or the password dialog says so instead (trouble): the action is not
// repeated by itself, the user does it again once connected.
func (v *View) failed(what string, err error) {
	msg := core.UserMessage(err)
	v.setBusy(false, what+": "+msg)
	v.event("refused " + what)
	if v.trouble(err, nil) {
		return
	}
	dialog.ShowInformation(what+": nothing changed", capitalizeFirst(msg), v.opts.Window)
}

// OrganiseWhy is why an action does not apply to the selection now ("" when
// it does): what the status bar says when it is tried.
func (v *View) OrganiseWhy(a browse.OrganiseAction) string {
	return browse.OrganiseWhy(v.organiseItems(), a)
}
