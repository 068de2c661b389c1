// Package widgets holds Ocular's own Fyne widgets, the ones Fyne lacks:
// a range slider with two thumbs (a channel's display window, a Z range),
// and a dialog listing sentences under a headline (listdialog.go).
//
// Threading: like every Fyne widget they are used from the UI goroutine only.
package widgets

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Draggable    = (*RangeSlider)(nil)
	_ fyne.Tappable     = (*RangeSlider)(nil)
	_ desktop.Hoverable = (*RangeSlider)(nil)
)

// RangeSlider selects an interval Low..High within Min..Max with two thumbs.
// Dragging moves the thumb nearest to where the drag started; a tap moves the
// nearest thumb there. The thumbs cannot cross: Low <= High always.
type RangeSlider struct {
	widget.BaseWidget

	Min, Max  float64
	Low, High float64
	// Step rounds values to a multiple of Step from Min; 0 keeps them exact.
	Step float64
	// Color paints the part of the track between the thumbs (the theme's
	// foreground colour when nil); a channel row uses the channel's colour.
	Color color.Color

	// OnChanged runs whenever the user moves a thumb, during a drag too.
	OnChanged func(low, high float64)
	// OnChangeEnded runs when the user lets go.
	OnChangeEnded func(low, high float64)

	dragging int // 0: none, 1: low thumb, 2: high thumb
	pending  bool
	hovered  bool
}

// NewRangeSlider returns a slider over min..max showing low..high.
func NewRangeSlider(min, max, low, high float64) *RangeSlider {
	s := &RangeSlider{Min: min, Max: max, Low: low, High: high}
	s.ExtendBaseWidget(s)
	s.clamp()
	return s
}

// SetRange changes Min, Max, Low and High at once, without calling
// OnChanged: the program, not the user, changed them.
func (s *RangeSlider) SetRange(min, max, low, high float64) {
	s.Min, s.Max, s.Low, s.High = min, max, low, high
	s.clamp()
	s.Refresh()
}

// Dragged moves the thumb the drag started nearest to.
func (s *RangeSlider) Dragged(e *fyne.DragEvent) {
	if s.dragging == 0 {
		start := e.Position.X - e.Dragged.DX
		s.dragging = s.nearest(start)
	}
	s.moveTo(s.dragging, s.valueAt(e.Position.X))
}

// DragEnd ends a drag.
func (s *RangeSlider) DragEnd() {
	s.dragging = 0
	s.fireEnded()
}

// Tapped moves the nearest thumb to the tap.
func (s *RangeSlider) Tapped(e *fyne.PointEvent) {
	s.moveTo(s.nearest(e.Position.X), s.valueAt(e.Position.X))
	s.fireEnded()
}

// MouseIn, MouseMoved and MouseOut highlight the thumbs while hovered.
func (s *RangeSlider) MouseIn(*desktop.MouseEvent)    { s.hovered = true; s.Refresh() }
func (s *RangeSlider) MouseMoved(*desktop.MouseEvent) {}
func (s *RangeSlider) MouseOut()                      { s.hovered = false; s.Refresh() }

func (s *RangeSlider) moveTo(thumb int, v float64) {
	low, high := s.Low, s.High
	if thumb == 1 {
		s.Low = math.Min(v, s.High)
	} else {
		s.High = math.Max(v, s.Low)
	}
	if low == s.Low && high == s.High {
		return
	}
	s.pending = true
	s.Refresh()
	if s.OnChanged != nil {
		s.OnChanged(s.Low, s.High)
	}
}

func (s *RangeSlider) fireEnded() {
	if !s.pending {
		return
	}
	s.pending = false
	if s.OnChangeEnded != nil {
		s.OnChangeEnded(s.Low, s.High)
	}
}

// nearest is the thumb (1 low, 2 high) closest to x; when both sit at the
// same place, the one that can move toward x.
func (s *RangeSlider) nearest(x float32) int {
	lx, hx := s.xOf(s.Low), s.xOf(s.High)
	if lx == hx {
		if x < lx {
			return 1
		}
		return 2
	}
	if abs32(x-lx) <= abs32(x-hx) {
		return 1
	}
	return 2
}

// endPad is the distance from each end to the centre of a thumb at its
// extreme, as widget.Slider has it, so the two look alike side by side.
func (s *RangeSlider) endPad() float32 {
	th := s.Theme()
	return diameter(th)/2 + th.Size(theme.SizeNameInnerPadding) - 1.5
}

func diameter(th fyne.Theme) float32 { return th.Size(theme.SizeNameInlineIcon) - 4 }

func (s *RangeSlider) xOf(v float64) float32 {
	pad := s.endPad()
	w := s.Size().Width - 2*pad
	if s.Max <= s.Min || w <= 0 {
		return pad
	}
	return pad + float32((v-s.Min)/(s.Max-s.Min))*w
}

func (s *RangeSlider) valueAt(x float32) float64 {
	pad := s.endPad()
	w := s.Size().Width - 2*pad
	if w <= 0 {
		return s.Min
	}
	r := math.Max(0, math.Min(1, float64((x-pad)/w)))
	return s.round(s.Min + r*(s.Max-s.Min))
}

func (s *RangeSlider) round(v float64) float64 {
	if s.Step > 0 {
		v = s.Min + math.Round((v-s.Min)/s.Step)*s.Step
	}
	return math.Max(s.Min, math.Min(s.Max, v))
}

func (s *RangeSlider) clamp() {
	if s.Max < s.Min {
		s.Max = s.Min
	}
	s.Low = math.Max(s.Min, math.Min(s.Max, s.Low))
	s.High = math.Max(s.Low, math.Min(s.Max, s.High))
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// CreateRenderer draws a track, the selected part in Color, and two thumbs.
func (s *RangeSlider) CreateRenderer() fyne.WidgetRenderer {
	s.ExtendBaseWidget(s)
	r := &rangeRenderer{s: s, track: canvas.NewRectangle(nil), active: canvas.NewRectangle(nil),
		low: &canvas.Circle{}, high: &canvas.Circle{}}
	r.Refresh()
	return r
}

type rangeRenderer struct {
	s             *RangeSlider
	track, active *canvas.Rectangle
	low, high     *canvas.Circle
}

func (r *rangeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.active, r.low, r.high}
}

func (r *rangeRenderer) Destroy() {}

func (r *rangeRenderer) MinSize() fyne.Size {
	th := r.s.Theme()
	d := diameter(th)
	return fyne.NewSize(4*d+2*r.s.endPad(), th.Size(theme.SizeNameInlineIcon)+2*th.Size(theme.SizeNameInnerPadding))
}

func (r *rangeRenderer) Layout(size fyne.Size) {
	th := r.s.Theme()
	border := th.Size(theme.SizeNameInputBorder)
	pad := r.s.endPad()
	d := diameter(th)
	y := size.Height/2 - border
	r.track.Move(fyne.NewPos(pad, y))
	r.track.Resize(fyne.NewSize(size.Width-2*pad, 2*border))
	lx, hx := r.s.xOf(r.s.Low), r.s.xOf(r.s.High)
	r.active.Move(fyne.NewPos(lx, y-border))
	r.active.Resize(fyne.NewSize(hx-lx, 4*border))
	for i, c := range []*canvas.Circle{r.low, r.high} {
		x := []float32{lx, hx}[i]
		c.Move(fyne.NewPos(x-d/2, size.Height/2-d/2))
		c.Resize(fyne.NewSquareSize(d))
	}
}

func (r *rangeRenderer) Refresh() {
	th := r.s.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.track.FillColor = th.Color(theme.ColorNameInputBackground, v)
	thumb := th.Color(theme.ColorNameForeground, v)
	if r.s.hovered {
		thumb = th.Color(theme.ColorNamePrimary, v)
	}
	r.low.FillColor, r.high.FillColor = thumb, thumb
	r.active.FillColor = th.Color(theme.ColorNameForeground, v)
	if r.s.Color != nil {
		r.active.FillColor = r.s.Color
	}
	r.Layout(r.s.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}
