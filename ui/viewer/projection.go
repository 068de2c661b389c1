package viewer

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	appviewer "github.com/ocular-lab/ocular/app/viewer"
	"github.com/ocular-lab/ocular/ui/widgets"
)

// ProjectionControls are the "Projection" section of an image with more
// than one Z plane: a menu (None, Maximum, Mean, Sum intensity) and, while
// a projection is on, the Z range it covers. A projection replaces plane Z
// in the picture, so the Z slider is disabled meanwhile.
type ProjectionControls struct {
	Kind  *widget.Select
	Range *widgets.RangeSlider
	label *widget.Label
	row   *fyne.Container // the range and its label, shown while projecting
}

func (c *Controls) newProjection() *ProjectionControls {
	v, m := c.v, c.v.model
	p := &ProjectionControls{label: widget.NewLabel("")}
	start, end := m.ProjectionRange()
	p.Range = widgets.NewRangeSlider(0, float64(max(m.Pixels.SizeZ-1, 1)), float64(start), float64(end))
	p.Range.Step = 1
	p.Range.OnChanged = func(lo, hi float64) {
		p.label.SetText(m.ProjectionLabel(int(lo), int(hi)))
		if !m.Projecting() {
			return
		}
		_ = m.SetProjection(m.Settings.Projection.Kind, int(lo), int(hi)) // a known kind: no error
		v.changed()
	}
	p.Kind = widget.NewSelect(appviewer.ProjectionNames(), func(name string) {
		if c.syncing {
			return
		}
		kind, _ := appviewer.ParseProjection(name)
		if err := m.SetProjection(kind, int(p.Range.Low), int(p.Range.High)); err != nil {
			v.setStatus(err.Error(), true)
		}
		c.syncPlanes()
		c.syncProjection()
		v.changed()
	})
	p.row = container.NewBorder(nil, nil, minWidth(p.label, 90), nil, p.Range)
	return p
}

func (p *ProjectionControls) objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{widget.NewSeparator(), heading("Projection"), p.Kind, p.row}
}

// syncProjection sets the projection section from the model. When no
// projection is shown the range keeps what the user last chose.
func (c *Controls) syncProjection() {
	p := c.Projection
	if p == nil {
		return
	}
	was := c.syncing
	c.syncing = true
	defer func() { c.syncing = was }()
	m := c.v.model
	p.Kind.SetSelected(m.ProjectionName())
	if m.Projecting() {
		start, end := m.ProjectionRange()
		p.Range.SetRange(p.Range.Min, p.Range.Max, float64(start), float64(end))
		p.row.Show()
	} else {
		p.row.Hide()
	}
	p.label.SetText(m.ProjectionLabel(int(p.Range.Low), int(p.Range.High)))
}
