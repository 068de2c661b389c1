package browser

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	appgrid "github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
)

// wellCell is one place of the plate grid: an empty outline where the
// plate has no well, else the thumbnail of the chosen field. A tap picks the
// well, a double tap opens the field shown.
type wellCell struct {
	widget.BaseWidget
	p        *PlateView
	well     *appgrid.PlateWell // nil: an empty place
	row, col int
	side     float32
	image    core.ObjectView // the field drawn
	bg       *canvas.Rectangle
	thumb    *canvas.Image
	border   *canvas.Rectangle
	broken   *widget.Icon
}

func newWellCell(p *PlateView, w *appgrid.PlateWell, side float32) *wellCell {
	c := &wellCell{p: p, well: w, side: side}
	if w != nil {
		c.row, c.col = w.Row, w.Column
	}
	c.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	c.bg.CornerRadius = 3
	if w == nil { // an empty place: the outline of a well, as on the plate
		c.bg.CornerRadius = side / 2
		c.bg.FillColor = color.Transparent
		c.bg.StrokeColor = emptyWell
		c.bg.StrokeWidth = 1
	}
	c.thumb = canvas.NewImageFromImage(nil)
	c.thumb.FillMode = canvas.ImageFillContain
	c.thumb.ScaleMode = canvas.ImageScalePixels
	c.border = canvas.NewRectangle(color.Transparent)
	c.border.StrokeColor = theme.Color(theme.ColorNamePrimary)
	c.border.StrokeWidth = 0
	c.broken = widget.NewIcon(theme.BrokenImageIcon())
	c.broken.Hide()
	c.ExtendBaseWidget(c)
	return c
}

// place sets the cell's plate place; empty places need it for WellImage.
func (c *wellCell) place(row, col int) { c.row, c.col = row, col }

func (c *wellCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.bg, container.NewPadded(c.thumb), container.NewCenter(c.broken), c.border))
}

func (c *wellCell) MinSize() fyne.Size { return fyne.NewSquareSize(c.side) }

func (c *wellCell) setImage(img core.ObjectView, thumb *image.RGBA, broken bool) {
	c.image = img
	if thumb == nil {
		c.thumb.Image = nil
	} else {
		c.thumb.Image = thumb
	}
	c.thumb.Refresh()
	if broken {
		c.broken.Show()
	} else {
		c.broken.Hide()
	}
}

func (c *wellCell) setPicked(on bool) {
	c.border.StrokeWidth = 0
	if on {
		c.border.StrokeWidth = 3
	}
	c.border.Refresh()
}

func (c *wellCell) Tapped(*fyne.PointEvent) {
	if c.well != nil {
		c.p.pick(c.well)
	}
}

func (c *wellCell) DoubleTapped(*fyne.PointEvent) {
	if c.well == nil || c.image.ID == 0 {
		return
	}
	c.p.pick(c.well)
	if open := c.p.v.opts.OnOpenImage; open != nil {
		open(c.image, c.well.Well)
	}
}

// wellPanel shows the picked well's fields: their thumbnails in a row and a
// map of their positions in the well.
type wellPanel struct {
	p       *PlateView
	content fyne.CanvasObject
	title   *widget.Label
	fields  *fyne.Container
	fmap    *fieldMap
	shown   *appgrid.PlateWell
}

func newWellPanel(p *PlateView) *wellPanel {
	w := &wellPanel{p: p}
	w.title = widget.NewLabel("Choose a well to see its fields.")
	w.title.Importance = widget.LowImportance
	w.fields = container.NewHBox()
	w.fmap = newFieldMap()
	w.fmap.Hide()
	// Packed at the top: thumbnails keep their size however tall the pane.
	w.content = container.NewBorder(w.title, nil, container.NewVBox(container.NewPadded(w.fmap)), nil,
		container.NewHScroll(container.NewVBox(w.fields)))
	return w
}

func (w *wellPanel) clear() {
	w.shown = nil
	w.title.SetText("Choose a well to see its fields.")
	w.title.Importance = widget.LowImportance
	w.title.TextStyle.Bold = false
	w.title.Refresh()
	w.fields.RemoveAll()
	w.fmap.Hide()
}

func (w *wellPanel) show(well *appgrid.PlateWell) {
	w.shown = well
	fields := well.FieldsOf(w.p.run)
	w.title.SetText(fmt.Sprintf("Well %s: %s", well.Name(), plural(len(fields), "field", "fields")))
	w.title.Importance = widget.MediumImportance
	w.title.TextStyle.Bold = true
	w.title.Refresh()
	w.fields.RemoveAll()
	for i, f := range fields {
		w.fields.Add(newFieldCell(w, well, i, f))
	}
	w.fmap.set(fields, w.p.field)
	w.fmap.Show()
	w.p.v.event(fmt.Sprintf("well %s %d fields", well.Well.Ref, len(fields)))
}

// Fields are the names of the fields the panel shows, in order.
func (p *PlateView) Fields() []string {
	var out []string
	for _, o := range p.wellPanel.fields.Objects {
		out = append(out, o.(*fieldCell).image.DisplayName())
	}
	return out
}

// FieldMap is the positions of the fields the map draws, in 0…1 of the
// map's width and height.
func (p *PlateView) FieldMap() []fyne.Position { return p.wellPanel.fmap.spots }

const fieldThumb = 80

// fieldCell is one field of the picked well: its thumbnail over its name.
type fieldCell struct {
	widget.BaseWidget
	w     *wellPanel
	well  *appgrid.PlateWell
	index int
	image core.ObjectView
	thumb *canvas.Image
	name  *widget.Label
}

func newFieldCell(w *wellPanel, well *appgrid.PlateWell, i int, f appgrid.Field) *fieldCell {
	c := &fieldCell{w: w, well: well, index: i, image: f.Image}
	c.thumb = canvas.NewImageFromImage(nil)
	c.thumb.FillMode = canvas.ImageFillContain
	c.thumb.ScaleMode = canvas.ImageScalePixels
	c.thumb.SetMinSize(fyne.NewSquareSize(fieldThumb))
	c.name = widget.NewLabel("Field " + strconv.Itoa(i+1))
	c.name.Alignment = fyne.TextAlignCenter
	c.ExtendBaseWidget(c)
	p := w.p
	if p.v.thumbs != nil {
		key := appgrid.Key{Image: f.Image.ID, Size: int(fieldThumb * p.v.scale())}
		if t, ok := p.cache.Get(key); ok {
			c.thumb.Image = t
		} else {
			ctx, thumbs, ref := p.ctx, p.v.thumbs, f.Image.Ref
			p.v.opts.Run.Go(func() func() {
				t, err := thumbs.Thumbnail(ctx, ref, key.Size)
				return func() {
					if err != nil || ctx.Err() != nil {
						return
					}
					p.cache.Put(key, t)
					c.thumb.Image = t
					c.thumb.Refresh()
				}
			})
		}
	}
	return c
}

func (c *fieldCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, c.name, nil, nil, c.thumb))
}

// Tapped shows the field's image in the details panel and on the map.
func (c *fieldCell) Tapped(*fyne.PointEvent) {
	v := c.w.p.v
	v.selected = c.image
	v.details.show(&browse.Node{View: c.image})
	c.w.fmap.set(c.well.FieldsOf(c.w.p.run), c.index)
}

func (c *fieldCell) DoubleTapped(*fyne.PointEvent) {
	if open := c.w.p.v.opts.OnOpenImage; open != nil {
		open(c.image, c.well.Well)
	}
}

// fieldMap is the bird's-eye view of a well: a circle with one mark per
// field at its stage position (fields without one are spread on a grid),
// the chosen field highlighted.
type fieldMap struct {
	widget.BaseWidget
	spots  []fyne.Position // in 0…1
	chosen int
	well   *canvas.Circle
	marks  []*canvas.Rectangle
	box    *fyne.Container
}

const mapSide = 120

func newFieldMap() *fieldMap {
	m := &fieldMap{well: canvas.NewCircle(color.Transparent)}
	m.well.StrokeColor = theme.Color(theme.ColorNameForeground)
	m.well.StrokeWidth = 1
	m.box = container.NewWithoutLayout(m.well)
	m.ExtendBaseWidget(m)
	return m
}

func (m *fieldMap) MinSize() fyne.Size { return fyne.NewSquareSize(mapSide) }

func (m *fieldMap) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(m.box) }

// set places the fields: positions scaled into the circle, keeping their
// aspect, as OMERO.web's well view does.
func (m *fieldMap) set(fields []appgrid.Field, chosen int) {
	m.chosen = chosen
	m.spots = spots(fields)
	m.box.Objects = []fyne.CanvasObject{m.well}
	m.marks = nil
	mark := float32(10)
	m.well.Move(fyne.NewPos(1, 1))
	m.well.Resize(fyne.NewSquareSize(mapSide - 2))
	inner := float32(mapSide) * 0.6 // inside the circle
	off := (mapSide - inner) / 2
	for i, s := range m.spots {
		r := canvas.NewRectangle(theme.Color(theme.ColorNameDisabled))
		if i == chosen {
			r.FillColor = theme.Color(theme.ColorNamePrimary)
		}
		r.Move(fyne.NewPos(off+s.X*inner-mark/2, off+s.Y*inner-mark/2))
		r.Resize(fyne.NewSquareSize(mark))
		m.marks = append(m.marks, r)
		m.box.Objects = append(m.box.Objects, r)
	}
	m.box.Refresh()
}

// spots maps field positions into 0…1 (centred when all share a place);
// without positions, fields are spread on a square grid in order.
func spots(fields []appgrid.Field) []fyne.Position {
	out := make([]fyne.Position, len(fields))
	have := len(fields) > 0
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, f := range fields {
		if !f.HasPosition || math.IsNaN(f.X) || math.IsNaN(f.Y) || math.IsInf(f.X, 0) || math.IsInf(f.Y, 0) {
			have = false
			break
		}
		minX, maxX = min(minX, f.X), max(maxX, f.X)
		minY, maxY = min(minY, f.Y), max(maxY, f.Y)
	}
	if have && (maxX > minX || maxY > minY) {
		span := max(maxX-minX, maxY-minY)
		for i, f := range fields {
			// Centred on the shorter axis so the layout keeps its shape.
			x := (f.X-minX)/span + (1-(maxX-minX)/span)/2
			y := (f.Y-minY)/span + (1-(maxY-minY)/span)/2
			out[i] = fyne.NewPos(float32(x), float32(y))
		}
		return out
	}
	side := int(math.Ceil(math.Sqrt(float64(len(fields)))))
	for i := range fields {
		x, y := 0.5, 0.5
		if side > 1 {
			x, y = float64(i%side)/float64(side-1), float64(i/side)/float64(side-1)
		}
		out[i] = fyne.NewPos(float32(x), float32(y))
	}
	return out
}
