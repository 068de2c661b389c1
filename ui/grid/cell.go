package grid

import (
	"context"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	appgrid "github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
)

// cell is one reusable grid cell: a thumbnail over a name. It handles taps
// itself, because a double tap must reach it and Fyne delivers a tap only
// to the topmost object that takes taps.
type cell struct {
	widget.BaseWidget
	v     *View
	id    int
	thumb *canvas.Image
	// mark highlights a cell selected besides the primary one (the
	// GridWrap draws that one's highlight itself).
	mark *canvas.Rectangle
	// mods are the modifiers held when the mouse went down on the cell,
	// as the windowing system reported them with the click.
	mods fyne.KeyModifier
	icon *widget.Icon // a broken-image icon when there is no thumbnail
	name *widget.Label
	// where is a search result's place, under its name (hidden outside
	// results).
	where *widget.Label
	// key is the thumbnail the cell shows or is loading; cancel stops that
	// load when the cell is reused for another image.
	key     appgrid.Key
	loading bool
	ctx     context.Context
	cancel  context.CancelFunc
	// seq numbers the cell's loads; a load that comes back after a newer
	// one started (or after stop) is ignored.
	seq int
}

func (v *View) newCell() fyne.CanvasObject {
	c := &cell{v: v, id: -1}
	c.thumb = canvas.NewImageFromImage(nil)
	c.thumb.FillMode = canvas.ImageFillContain
	c.thumb.ScaleMode = canvas.ImageScalePixels // drawn at the size shown
	c.thumb.SetMinSize(fyne.NewSquareSize(MinThumbSize))
	c.mark = canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	c.mark.CornerRadius = theme.SelectionRadiusSize()
	c.mark.Hide()
	c.icon = widget.NewIcon(theme.BrokenImageIcon())
	c.icon.Hide()
	c.name = widget.NewLabel("")
	c.name.Truncation = fyne.TextTruncateEllipsis
	c.name.Alignment = fyne.TextAlignCenter
	c.where = widget.NewLabel("")
	c.where.Truncation = fyne.TextTruncateEllipsis
	c.where.Alignment = fyne.TextAlignCenter
	c.where.SizeName = theme.SizeNameCaptionText
	c.where.Hide()
	c.ExtendBaseWidget(c)
	return c
}

func (c *cell) CreateRenderer() fyne.WidgetRenderer {
	pic := container.NewStack(c.thumb, container.NewCenter(c.icon))
	return widget.NewSimpleRenderer(container.NewStack(c.mark, container.NewBorder(nil, container.New(captionLayout{}, c.name, c.where), nil, nil, pic)))
}

// MinSize leaves room for a thumbnail and a little more width for names.
func (c *cell) MinSize() fyne.Size {
	w := c.v.size + 40
	if c.v.results != nil {
		w = max(w, resultWidth) // room for where a result lives
	}
	return fyne.NewSize(w, c.v.size+c.name.MinSize().Height+whereHeight(c))
}

// Tapped selects the image (with Ctrl or Shift held, adds it or a range
// to the selection); DoubleTapped opens it.
func (c *cell) Tapped(*fyne.PointEvent) {
	if c.id >= 0 {
		mods := c.mods
		c.mods = 0
		c.v.Click(c.id, mods)
	}
}

// Dragged drags the image (or the selection it is in); the browser
// hit-tests the pointer (see Options.OnDrag).
func (c *cell) Dragged(e *fyne.DragEvent) {
	if c.id < 0 || c.id >= len(c.v.images) || c.v.opts.OnDrag == nil {
		return
	}
	at := e.AbsolutePosition
	if at.IsZero() { // test.Drag gives the start in the cell and the move
		at = fyne.CurrentApp().Driver().AbsolutePositionForObject(c).Add(e.Position).AddXY(e.Dragged.DX, e.Dragged.DY)
	}
	c.v.opts.OnDrag(c.v.images[c.id], at)
}

func (c *cell) DragEnd() {
	if c.v.opts.OnDragEnd != nil {
		c.v.opts.OnDragEnd()
	}
}

// MouseDown keeps the click's modifiers for Tapped.
func (c *cell) MouseDown(e *desktop.MouseEvent) { c.mods = e.Modifier }
func (c *cell) MouseUp(*desktop.MouseEvent)     {}

// TappedSecondary (a right-click) selects the image and hands it to
// OnSecondary, which shows a menu for it.
func (c *cell) TappedSecondary(e *fyne.PointEvent) {
	if c.id < 0 || c.id >= len(c.v.images) || c.v.opts.OnSecondary == nil {
		return
	}
	if !c.v.marked[c.id] {
		c.v.Click(c.id, 0) // a right-click outside the selection starts a new one
	} else {
		c.v.selectKeeping(c.id)
	}
	c.v.opts.OnSecondary(c.v.images[c.id], e.AbsolutePosition)
}

func (c *cell) DoubleTapped(*fyne.PointEvent) {
	if c.id < 0 || c.id >= len(c.v.images) {
		return
	}
	c.v.Grid.Select(c.id)
	if c.v.opts.OnOpen != nil && c.v.images[c.id].Class == core.Image {
		c.v.opts.OnOpen(c.v.images[c.id])
	}
}

// bind shows image id in cell o: its name now, its thumbnail from the cache
// or, after a background load, from the rendering service.
func (v *View) bind(id widget.GridWrapItemID, o fyne.CanvasObject) {
	c := o.(*cell)
	c.id = id
	if id < 0 || id >= len(v.images) {
		c.mark.Hide()
		return
	}
	im := v.images[id]
	c.name.SetText(im.DisplayName())
	if v.results != nil {
		c.where.SetText(v.Where(im.Ref))
		c.where.Show()
	} else {
		c.where.Hide()
	}
	if v.marked[id] && id != v.selected {
		c.mark.Show()
	} else {
		c.mark.Hide()
	}
	if im.Class != core.Image { // a project, dataset... found by a search
		c.stop()
		c.key = appgrid.Key{}
		c.thumb.Image = nil
		c.thumb.Refresh()
		c.icon.SetResource(classIcon(im.Class))
		c.icon.Show()
		return
	}
	c.icon.SetResource(theme.BrokenImageIcon())
	key := appgrid.Key{Image: im.Ref.ID, Size: int(v.size * v.opts.Scale())}
	if img, ok := v.cache.Get(key); ok {
		c.stop()
		c.key = key
		c.show(img)
		return
	}
	if c.key == key && c.loading && c.ctx.Err() == nil {
		return // already on its way
	}
	c.stop()
	if c.key != key {
		c.show(nil) // not the previous image's thumbnail while this one loads
	}
	c.key = key
	if v.opts.Thumbs == nil {
		return
	}
	ctx, cancel := context.WithCancel(v.ctx)
	c.ctx, c.cancel, c.loading = ctx, cancel, true
	c.seq++
	seq := c.seq
	thumbs, sem, ref := v.opts.Thumbs, v.sem, im.Ref
	v.opts.Run.Go(func() func() {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return nil // scrolled away before its turn came
		}
		var img *image.RGBA
		err := ctx.Err()
		if err == nil {
			img, err = thumbs.Thumbnail(ctx, ref, key.Size)
		}
		<-sem
		return func() {
			if err == nil {
				v.cache.Put(key, img)
			}
			if c.seq != seq {
				return // the cell shows another image now, or loads it again
			}
			c.loading = false
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				c.broken(core.UserMessage(err))
				return
			}
			c.show(img)
		}
	})
}

// stop cancels the cell's load, if any.
func (c *cell) stop() {
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	c.loading = false
	c.seq++
}

func (c *cell) show(img *image.RGBA) {
	c.icon.Hide()
	if img == nil {
		c.thumb.Image = nil
	} else {
		c.thumb.Image = img
	}
	c.thumb.Refresh()
}

// broken shows that the image has no thumbnail (no pixels, unreadable
// files); the reason is in the details panel when the image is selected.
func (c *cell) broken(string) {
	c.thumb.Image = nil
	c.thumb.Refresh()
	c.icon.Show()
}

// classIcon stands for a result that has no thumbnail.
func classIcon(c core.Class) fyne.Resource {
	switch c {
	case core.Project, core.Screen:
		return theme.FolderIcon()
	case core.Dataset, core.Plate:
		return theme.FolderOpenIcon()
	}
	return theme.FileIcon()
}
