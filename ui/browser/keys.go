package browser

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// The browser's keyboard. Fyne gives keys to the focused widget only, and
// widget.Tree and widget.GridWrap keep theirs. So a click on a tree row
// or a thumbnail focuses one invisible widget, keys, that knows which pane
// was clicked last and does what OMERO.insight does there: Delete opens
// the delete review, F2 renames, Ctrl+C / Ctrl+X / Ctrl+V copy, cut and
// paste links, Ctrl+A selects every thumbnail, Enter opens the image, and
// the arrows move the selection.

type pane int

const (
	paneTree pane = iota
	paneGrid
)

type keys struct {
	widget.BaseWidget
	v    *View
	pane pane
}

func newKeys(v *View) *keys {
	k := &keys{v: v}
	k.ExtendBaseWidget(k)
	return k
}

func (k *keys) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(nil))
}

func (k *keys) MinSize() fyne.Size { return fyne.Size{} }

func (k *keys) FocusGained()   {}
func (k *keys) FocusLost()     {}
func (k *keys) TypedRune(rune) {}

// TypedKey handles the plain keys.
func (k *keys) TypedKey(e *fyne.KeyEvent) {
	v := k.v
	switch e.Name {
	case fyne.KeyDelete, fyne.KeyBackspace:
		v.act(browse.DeleteObjects)
	case fyne.KeyF2:
		v.act(browse.Rename)
	case fyne.KeyReturn, fyne.KeyEnter:
		v.openSelected()
	case fyne.KeyUp, fyne.KeyDown, fyne.KeyLeft, fyne.KeyRight:
		if k.pane == paneGrid {
			dx, dy := arrow(e.Name)
			v.Grid.Move(dx, dy)
			return
		}
		v.moveInTree(e.Name)
	}
}

// TypedShortcut handles Ctrl+C, Ctrl+X, Ctrl+V and Ctrl+A.
func (k *keys) TypedShortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutCopy:
		k.v.act(browse.CopyLink)
	case *fyne.ShortcutCut:
		k.v.act(browse.CutLink)
	case *fyne.ShortcutPaste:
		k.v.act(browse.PasteLink)
	case *fyne.ShortcutSelectAll:
		if k.pane == paneGrid {
			k.v.Grid.SelectAll()
		}
	default:
		passToWindow(k, s)
	}
}

// passToWindow hands a shortcut a focused widget does not use to its
// window: Fyne gives every shortcut to the focused widget, so the window's
// own (Ctrl+Q, Ctrl+I, Ctrl+R) would otherwise be lost while it has focus.
func passToWindow(o fyne.CanvasObject, s fyne.Shortcut) {
	if c, ok := fyne.CurrentApp().Driver().CanvasForObject(o).(fyne.Shortcutable); ok {
		c.TypedShortcut(s)
	}
}

func arrow(k fyne.KeyName) (dx, dy int) {
	switch k {
	case fyne.KeyUp:
		return 0, -1
	case fyne.KeyDown:
		return 0, 1
	case fyne.KeyLeft:
		return -1, 0
	}
	return 1, 0
}

// focusKeys gives the keyboard to the browser after a click in a pane.
func (v *View) focusKeys(p pane) {
	v.keys.pane = p
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.keys); c != nil && c.Focused() != v.keys {
		c.Focus(v.keys)
	}
}

// Keys is the browser's keyboard handler, focused by a click on a tree
// row or a thumbnail (tests type into it).
func (v *View) Keys() fyne.Focusable { return v.keys }

// moveInTree: Up and Down select the row above or below, Right opens a
// branch, Left closes it (or goes to the parent).
func (v *View) moveInTree(key fyne.KeyName) {
	rows := v.visibleRows()
	if len(rows) == 0 {
		return
	}
	i := indexOfUID(rows, v.primary)
	switch key {
	case fyne.KeyUp:
		if i > 0 {
			v.ClickRow(rows[i-1], 0)
		}
	case fyne.KeyDown:
		if i < len(rows)-1 {
			v.ClickRow(rows[i+1], 0)
		}
	case fyne.KeyRight:
		if i >= 0 && v.model.IsBranch(rows[i]) {
			v.Tree.OpenBranch(rows[i])
		}
	case fyne.KeyLeft:
		if i < 0 {
			return
		}
		if v.Tree.IsBranchOpen(rows[i]) {
			v.Tree.CloseBranch(rows[i])
		} else if p := browse.Path(rows[i]); len(p) >= 2 {
			v.ClickRow(p[len(p)-2], 0)
		}
	}
	if v.primary != "" {
		v.Tree.ScrollTo(v.primary)
	}
}

// openSelected opens the selected image in the viewer (Enter).
func (v *View) openSelected() {
	if v.opts.OnOpenImage == nil {
		return
	}
	if v.keys.pane == paneGrid {
		if img, ok := v.Grid.Primary(); ok {
			v.opts.OnOpenImage(img, v.Grid.Shown())
		}
		return
	}
	it, ok := v.item(v.primary)
	if !ok {
		return
	}
	if it.View.Class == core.Image {
		v.opts.OnOpenImage(it.View, it.Parent)
	} else if v.model.IsBranch(v.primary) {
		v.Tree.OpenBranch(v.primary)
	}
}
