package browser

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Right-clicks on tree rows and thumbnails open the Rendering menu. Fyne
// hands a click to the deepest object under the mouse that takes any kind
// of tap, so the object that takes right-clicks must also be the one that
// takes left-clicks and double-clicks: treeRow takes them for a tree row,
// cellTaps for a grid cell, and each passes the left ones on to what used
// to take them.

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

// cellTaps stands in for one cell of the thumbnail grid (ui/grid): it
// draws the cell's own picture and name (its renderer's objects) and passes
// taps and double-taps on to the cell, so the cell behaves as before, while
// a right-click selects the image and opens the Rendering menu. The cell
// itself stays out of the object tree: it would otherwise be the deepest
// object under the mouse and swallow right-clicks, which it ignores.
type cellTaps struct {
	widget.BaseWidget
	v    *View
	id   int
	cell fyne.CanvasObject
	// drawn is the cell's renderer, owned by cellTaps.
	drawn fyne.WidgetRenderer
}

// wrapGridCells makes every grid cell a cellTaps. It must run before the
// grid is first drawn, when the grid creates its cells.
func (v *View) wrapGridCells() {
	g := v.Grid.Grid
	create, update := g.CreateItem, g.UpdateItem
	g.CreateItem = func() fyne.CanvasObject {
		c := &cellTaps{v: v, id: -1, cell: create()}
		if w, ok := c.cell.(fyne.Widget); ok {
			c.drawn = w.CreateRenderer()
		}
		c.ExtendBaseWidget(c)
		return c
	}
	g.UpdateItem = func(id widget.GridWrapItemID, o fyne.CanvasObject) {
		c := o.(*cellTaps)
		c.id = id
		update(id, c.cell)
	}
}

func (c *cellTaps) CreateRenderer() fyne.WidgetRenderer {
	if c.drawn == nil {
		return widget.NewSimpleRenderer(c.cell)
	}
	return &cellRenderer{c: c}
}

func (c *cellTaps) MinSize() fyne.Size { return c.cell.MinSize() }

func (c *cellTaps) Tapped(e *fyne.PointEvent) {
	if t, ok := c.cell.(fyne.Tappable); ok {
		t.Tapped(e)
	}
}

func (c *cellTaps) DoubleTapped(e *fyne.PointEvent) {
	if t, ok := c.cell.(fyne.DoubleTappable); ok {
		t.DoubleTapped(e)
	}
}

func (c *cellTaps) TappedSecondary(e *fyne.PointEvent) {
	imgs := c.v.Grid.Images()
	if c.id < 0 || c.id >= len(imgs) {
		return
	}
	c.Tapped(e)
	c.v.selected = imgs[c.id] // it may have been selected already
	c.v.showRenderingMenu(e.AbsolutePosition)
}

// cellRenderer lays out and draws the cell's renderer's objects as its own.
type cellRenderer struct{ c *cellTaps }

// Layout leaves the cell's own size alone: resizing it would make Fyne
// build it a second renderer over the same objects.
func (r *cellRenderer) Layout(s fyne.Size)           { r.c.drawn.Layout(s) }
func (r *cellRenderer) MinSize() fyne.Size           { return r.c.cell.MinSize() }
func (r *cellRenderer) Objects() []fyne.CanvasObject { return r.c.drawn.Objects() }
func (r *cellRenderer) Refresh()                     { r.c.drawn.Refresh() }
func (r *cellRenderer) Destroy()                     { r.c.drawn.Destroy() }
