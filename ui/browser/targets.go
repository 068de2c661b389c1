package browser

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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
}

func (v *View) newTreeRow() *treeRow {
	r := &treeRow{v: v, icon: widget.NewIcon(nil), label: widget.NewLabel("")}
	r.label.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *treeRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, nil, r.label))
}

// Tapped does what the tree's row does: select it and give the tree the
// keyboard focus, so the arrow keys move on from there.
func (r *treeRow) Tapped(*fyne.PointEvent) {
	if r.uid == "" {
		return
	}
	r.v.Tree.Select(r.uid)
	if c := fyne.CurrentApp().Driver().CanvasForObject(r.v.Tree); c != nil && c.Focused() != r.v.Tree {
		c.Focus(r.v.Tree)
	}
}

func (r *treeRow) TappedSecondary(e *fyne.PointEvent) {
	if r.uid == "" {
		return
	}
	r.Tapped(e)
	if n, ok := r.v.model.Node(r.uid); ok && n.Placeholder == "" {
		r.v.selected = n.View // the row may have been selected already
		r.v.showRenderingMenu(e.AbsolutePosition)
	}
}
