package browser

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	appgrid "github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
)

// PlateView is the plate grid of a selected plate, as OMERO.web draws it:
// the wells at their places on the plate, rows lettered and columns
// numbered, each drawn with the thumbnail of the chosen field (of the
// chosen run, where the plate has several); empty places drawn empty.
// Choosing a well shows its fields' thumbnails and a map of where they lie
// in the well (OMERO.web's bird's-eye view).
//
// Threading: UI goroutine only; reads and thumbnails go through Options.Run.
type PlateView struct {
	v       *View
	content fyne.CanvasObject
	title   *widget.Label
	message *widget.Label
	// Field and Run choose what the wells show; Run is hidden for a plate
	// with one run or none.
	Field, Run *widget.Select
	grid       *fyne.Container
	wellPanel  *wellPanel

	plate  *appgrid.Plate
	run    core.ID
	field  int
	cells  map[[2]int]*wellCell
	picked *appgrid.PlateWell
	cache  *appgrid.Cache
	sem    chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	token  int
	// waiting counts the well thumbnails still loading; the event
	// "plate … thumbnails" is sent when it reaches zero.
	waiting int
}

func (v *View) newPlateView() *PlateView {
	p := &PlateView{v: v, cache: appgrid.NewCache(4 * 1536), sem: make(chan struct{}, 4), cells: map[[2]int]*wellCell{}}
	p.cache.LimitBytes(32 << 20) // a 1536-well plate at 26 px fits; bigger ones read from disk again
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.title = widget.NewLabel("")
	p.title.TextStyle.Bold = true
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.message = widget.NewLabel("")
	p.message.Importance = widget.LowImportance
	p.Field = widget.NewSelect(nil, func(string) {
		if i := p.Field.SelectedIndex(); i >= 0 && i != p.field {
			p.field = i
			p.drawWells()
			if p.picked != nil { // its map marks the chosen field; its loads were stopped
				p.wellPanel.show(p.picked)
			}
		}
	})
	p.Run = widget.NewSelect(nil, func(string) { p.runChanged() })
	p.Run.Hide()
	p.grid = container.NewVBox()
	p.wellPanel = newWellPanel(p)
	header := container.NewBorder(nil, nil, nil, container.NewHBox(p.Run, p.Field), p.title)
	plate := container.NewScroll(container.NewVBox(p.message, p.grid))
	split := container.NewVSplit(plate, p.wellPanel.content)
	split.SetOffset(0.62)
	p.content = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, split)
	p.content.Hide()
	return p
}

// Plate is what the plate grid shows (nil before it is loaded).
func (p *PlateView) Plate() *appgrid.Plate { return p.plate }

// Show loads and draws a plate.
func (p *PlateView) Show(plate core.ObjectView) {
	if p.plate != nil && p.plate.Plate.Ref == plate.Ref {
		return
	}
	p.stopLoads()
	p.token++
	p.plate, p.picked, p.run, p.field = nil, nil, 0, 0
	p.title.SetText(plate.DisplayName())
	p.message.SetText("Loading…")
	p.message.Show()
	p.grid.RemoveAll()
	p.wellPanel.clear()
	token, sess, group, ctx := p.token, p.v.opts.Session, p.v.model.Group(), p.ctx
	p.v.opts.Run.Go(func() func() {
		pl, err := appgrid.LoadPlate(ctx, sess, group, plate)
		return func() {
			if token != p.token {
				return
			}
			if err != nil {
				p.message.SetText("Could not read the plate: " + core.UserMessage(err))
				return
			}
			p.plate = pl
			p.fillRuns()
			p.fillFields()
			p.build()
			p.v.event(fmt.Sprintf("plate %s %d×%d %d wells", plate.Ref, len(pl.RowPlaces), len(pl.ColumnPlaces), len(pl.Wells())))
			p.drawWells()
		}
	})
}

// Forget stops loading and forgets the plate shown (another container is).
func (p *PlateView) Forget() {
	p.stopLoads()
	p.token++
	p.plate, p.picked = nil, nil
	p.grid.RemoveAll()
	p.wellPanel.clear()
}

func (p *PlateView) stopLoads() {
	p.cancel()
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.waiting = 0
}

func (p *PlateView) fillRuns() {
	runs := p.plate.Runs
	if len(runs) < 2 {
		p.Run.Hide()
		return
	}
	opts := []string{"All runs"}
	for _, r := range runs {
		opts = append(opts, r.DisplayName())
	}
	p.Run.Options = opts
	p.Run.SetSelectedIndex(0)
	p.Run.Show()
}

func (p *PlateView) runChanged() {
	i := p.Run.SelectedIndex()
	if p.plate == nil || i < 0 {
		return
	}
	run := core.ID(0)
	if i > 0 && i <= len(p.plate.Runs) {
		run = p.plate.Runs[i-1].ID
	}
	if run == p.run {
		return
	}
	p.run = run
	p.fillFields()
	p.drawWells()
	if p.picked != nil {
		p.wellPanel.show(p.picked)
	}
}

func (p *PlateView) fillFields() {
	n := p.plate.FieldCount(p.run)
	opts := make([]string, n)
	for i := range opts {
		opts[i] = "Field " + strconv.Itoa(i+1)
	}
	p.Field.Options = opts
	p.field = min(p.field, max(n-1, 0))
	if n == 0 {
		p.Field.ClearSelected()
		p.Field.Disable()
		return
	}
	p.Field.Enable()
	p.Field.SetSelectedIndex(p.field)
}

// cellSide is the side of a well, smaller for plates with many columns.
func (p *PlateView) cellSide() float32 {
	return min(max(640/float32(len(p.plate.ColumnPlaces)+1), 26), 72)
}

// build lays out the labels and one cell per place of the plate.
func (p *PlateView) build() {
	pl := p.plate
	p.cells = map[[2]int]*wellCell{}
	side := p.cellSide()
	cols := len(pl.ColumnPlaces)
	g := container.NewGridWithColumns(cols + 1)
	corner := canvas.NewRectangle(color.Transparent)
	corner.SetMinSize(fyne.NewSquareSize(side))
	g.Add(corner)
	for _, c := range pl.ColumnPlaces {
		g.Add(centred(appgrid.ColumnLabel(c)))
	}
	for _, r := range pl.RowPlaces {
		g.Add(centred(appgrid.RowLabel(r)))
		for _, c := range pl.ColumnPlaces {
			cell := newWellCell(p, pl.Well(r, c), side)
			cell.place(r, c)
			p.cells[[2]int{r, c}] = cell
			g.Add(cell)
		}
	}
	// In an HBox the grid keeps its minimum size: square wells.
	p.grid.Objects = []fyne.CanvasObject{container.NewHBox(g, layout.NewSpacer())}
	p.grid.Refresh()
	if len(pl.Wells()) == 0 {
		p.message.SetText("This plate has no wells.")
	} else {
		p.message.Hide()
	}
}

// drawWells gives every well the thumbnail of the chosen field.
func (p *PlateView) drawWells() {
	if p.plate == nil {
		return
	}
	p.stopLoads()
	size := int(p.cellSide() * p.v.scale())
	for _, cell := range p.cells {
		if cell.well == nil {
			continue
		}
		fields := cell.well.FieldsOf(p.run)
		if p.field >= len(fields) {
			cell.setImage(core.ObjectView{}, nil, false)
			continue
		}
		img := fields[p.field].Image
		key := appgrid.Key{Image: img.ID, Size: size}
		if thumb, ok := p.cache.Get(key); ok {
			cell.setImage(img, thumb, false)
			continue
		}
		cell.setImage(img, nil, false)
		if p.v.thumbs == nil {
			continue
		}
		p.waiting++
		p.load(cell, img, key)
	}
	if p.waiting == 0 {
		p.thumbnailsDone()
	}
}

func (p *PlateView) load(cell *wellCell, img core.ObjectView, key appgrid.Key) {
	ctx, sem, thumbs, token := p.ctx, p.sem, p.v.thumbs, p.token
	p.v.opts.Run.Go(func() func() {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		var thumb *image.RGBA
		err := ctx.Err()
		if err == nil {
			thumb, err = thumbs.Thumbnail(ctx, img.Ref, key.Size)
		}
		<-sem
		return func() {
			if ctx.Err() != nil || token != p.token {
				return
			}
			if err == nil {
				p.cache.Put(key, thumb)
			}
			if cell.image.Ref == img.Ref {
				cell.setImage(img, thumb, err != nil)
			}
			p.waiting--
			if p.waiting == 0 {
				p.thumbnailsDone()
			}
		}
	})
}

func (p *PlateView) thumbnailsDone() {
	p.v.event(fmt.Sprintf("plate %s field %d thumbnails", p.plate.Plate.Ref, p.field+1))
}

// pick chooses a well: its fields and their map appear below the plate,
// and the details panel describes it.
func (p *PlateView) pick(w *appgrid.PlateWell) {
	if prev := p.picked; prev != nil {
		if c := p.cells[[2]int{prev.Row, prev.Column}]; c != nil {
			c.setPicked(false)
		}
	}
	p.picked = w
	if c := p.cells[[2]int{w.Row, w.Column}]; c != nil {
		c.setPicked(true)
	}
	p.v.selected = w.Well
	p.v.details.show(&browse.Node{View: w.Well})
	p.wellPanel.show(w)
}

// WellImage is the image whose thumbnail the well named name ("B3") draws;
// the zero ref for an empty place or a well without the chosen field.
func (p *PlateView) WellImage(name string) (core.Ref, bool) {
	for _, c := range p.cells {
		if core.WellName(c.row, c.col) == name {
			return c.image.Ref, c.well != nil
		}
	}
	return core.Ref{}, false
}

// PickWell chooses the well named name, as a tap on it does.
func (p *PlateView) PickWell(name string) bool {
	for _, c := range p.cells {
		if c.well != nil && c.well.Name() == name {
			p.pick(c.well)
			return true
		}
	}
	return false
}

// Content is the plate view.
func (p *PlateView) Content() fyne.CanvasObject { return p.content }

func centred(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.Alignment = fyne.TextAlignCenter
	l.TextStyle.Bold = true
	return container.NewCenter(l)
}

var emptyWell = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x30}

// scale is the canvas scale: thumbnails are drawn at the size shown.
func (v *View) scale() float32 {
	if v.opts.Window == nil {
		return 1
	}
	return v.opts.Window.Canvas().Scale()
}

// showPlate shows the plate grid in place of the thumbnail grid, or back.
func (v *View) showPlate(on bool) {
	if on {
		v.Grid.Content().Hide()
		v.Plate.content.Show()
		return
	}
	v.Plate.Forget()
	v.Plate.content.Hide()
	v.Grid.Content().Show()
}

// Redraw drops the thumbnails of images whose settings changed and draws
// the wells and fields shown again.
func (p *PlateView) Redraw(imgs []core.Ref) {
	for _, r := range imgs {
		p.cache.Forget(r.ID)
	}
	if p.plate == nil {
		return
	}
	p.drawWells()
	if p.picked != nil {
		p.wellPanel.show(p.picked)
	}
}
