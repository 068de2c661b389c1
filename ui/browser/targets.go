package browser

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Right-clicks on tree rows open the Rendering menu (on thumbnails, the
// grid's OnSecondary does). Fyne hands a click to the deepest object under
// the mouse that takes any kind of tap, so the object that takes
// right-clicks must also be the one that takes left-clicks: treeRow takes
// both for a tree row and selects the row as the tree's own row does.

// treeRow is the content of one tree row: icon and label. A tap selects
// the row, as the tree's own row does; a right-click selects it and opens
// the Rendering menu there.
type treeRow struct {
	widget.BaseWidget
	v     *View
	uid   string
	icon  *widget.Icon
	label *widget.Label
	// mark highlights a row selected besides the tree's own selection.
	mark *canvas.Rectangle
	// mods are the modifiers held when the mouse went down on the row, as
	// the windowing system reported them with the click (the driver's
	// "held now" can be stale after a key went up in another window).
	mods fyne.KeyModifier
	// drop highlights the row while something dragged is over it.
	drop *canvas.Rectangle
}

// Dragged drags the row (or the selection it is in) toward a container;
// DragEnd drops it there.
func (r *treeRow) Dragged(e *fyne.DragEvent) {
	if r.uid != "" {
		r.v.dragFromTree(r.uid, pointerOf(r, e))
	}
}

func (r *treeRow) DragEnd() { r.v.endDrag(heldNow()) }

// MouseDown keeps the click's modifiers for Tapped; MouseUp has nothing to do.
func (r *treeRow) MouseDown(e *desktop.MouseEvent) { r.mods = e.Modifier }
func (r *treeRow) MouseUp(*desktop.MouseEvent)     {}

func (v *View) newTreeRow() *treeRow {
	r := &treeRow{v: v, icon: widget.NewIcon(nil), label: widget.NewLabel("")}
	r.mark = canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	r.mark.CornerRadius = theme.SelectionRadiusSize()
	r.mark.Hide()
	r.drop = canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	r.drop.StrokeColor = theme.Color(theme.ColorNamePrimary)
	r.drop.StrokeWidth = 2
	r.drop.CornerRadius = theme.SelectionRadiusSize()
	r.drop.Hide()
	v.rows = append(v.rows, r)
	r.label.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *treeRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(r.mark, r.drop, container.NewBorder(nil, nil, r.icon, nil, r.label)))
}

// Tapped does what the tree's row does: select it (with Ctrl or Shift
// held, add it or a range to the selection) and take the keyboard focus,
// so the arrow keys move on from there and Delete, F2 and the copy and
// paste shortcuts act on the selection.
func (r *treeRow) Tapped(*fyne.PointEvent) {
	if r.uid == "" {
		return
	}
	mods := r.mods
	r.mods = 0
	r.v.ClickRow(r.uid, mods)
}

func (r *treeRow) TappedSecondary(e *fyne.PointEvent) {
	if r.uid == "" {
		return
	}
	if !r.v.marked[r.uid] || r.v.fromGrid {
		r.Tapped(e) // a right-click outside the selection starts a new one
	} else {
		r.v.selectRowKeeping(r.uid)
		r.v.focusKeys(paneTree)
	}
	if n, ok := r.v.model.Node(r.uid); ok && n.Placeholder == "" {
		r.v.selected = n.View // the row may have been selected already
		r.v.showContextMenu(e.AbsolutePosition)
	}
}
