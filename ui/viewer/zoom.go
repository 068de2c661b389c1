package viewer

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/rendering"
	appviewer "github.com/ocular-lab/ocular/app/viewer"
)

// wheelStep is the scroll distance (Fyne's units: 25 per notch of a mouse
// wheel on Linux and Windows) that doubles or halves the zoom: about 1.26x
// a notch, three notches 2x.
const wheelStep = 75

// ZoomControls are the buttons and label under the picture: Fit, 100%,
// zoom out, zoom in, and the zoom shown ("25%"). They live with the
// picture, not in the controls panel, so they never move its sliders.
type ZoomControls struct {
	Fit, Full, Out, In *widget.Button
	Label              *widget.Label
}

func (v *View) newZoomControls() (*ZoomControls, fyne.CanvasObject) {
	z := &ZoomControls{
		Fit:   widget.NewButtonWithIcon("Fit", theme.ViewRestoreIcon(), v.fit),
		Full:  widget.NewButton("100%", v.zoomTo100),
		Out:   widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { v.zoomCentre(0.5) }),
		In:    widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { v.zoomCentre(2) }),
		Label: widget.NewLabel(""),
	}
	for _, b := range []*widget.Button{z.Fit, z.Full, z.Out, z.In} {
		b.Importance = widget.LowImportance
		b.Disable() // until the image is loaded
	}
	bar := container.NewHBox(z.Fit, z.Full, z.Out, z.In, layout.NewSpacer(), z.Label)
	return z, bar
}

// Zoom are the zoom buttons and label.
func (v *View) Zoom() *ZoomControls { return v.zoom }

// Viewport is the part of the image shown and its zoom (nil while loading).
func (v *View) Viewport() *appviewer.Viewport { return v.vp }

// Drawn is the view (level, region, size) of the picture on screen.
func (v *View) Drawn() rendering.View { return v.drawn }

// Screen is what the picture area shows: the picture placed by the
// viewport on black, in screen pixels (nil before the first draw).
func (v *View) Screen() *image.RGBA { return v.pic.screen }

// PictureArea is the widget that shows the picture and takes the wheel,
// drags and double-clicks.
func (v *View) PictureArea() fyne.CanvasObject { return v.pic }

// startViewport makes the viewport once the image's size and levels are
// known and enables the zoom buttons.
func (v *View) startViewport(levels []image.Point) {
	p := v.model.Pixels
	v.vp = appviewer.NewViewport(image.Pt(p.SizeX, p.SizeY), levels)
	for _, b := range []*widget.Button{v.zoom.Fit, v.zoom.Full, v.zoom.Out, v.zoom.In} {
		b.Enable()
	}
	v.zoom.Label.SetText(v.vp.Label())
}

// screenPoint converts a position in the picture area to screen pixels.
func (v *View) screenPoint(p fyne.Position) image.Point {
	s := float64(v.Window.Canvas().Scale())
	return image.Pt(int(math.Round(float64(p.X)*s)), int(math.Round(float64(p.Y)*s)))
}

// scrolled zooms at the cursor: wheel up zooms in.
func (v *View) scrolled(ev *fyne.ScrollEvent) {
	if v.vp == nil || ev.Scrolled.DY == 0 {
		return
	}
	v.syncScreen()
	v.vp.ZoomAt(math.Pow(2, float64(ev.Scrolled.DY)/wheelStep), v.screenPoint(ev.Position))
	v.zoomed()
}

// dragged pans, showing the last picture moved at once; the new one
// follows (coalesced: a fast drag renders only the latest position).
func (v *View) dragged(ev *fyne.DragEvent) {
	if v.vp == nil {
		return
	}
	s := float64(v.Window.Canvas().Scale())
	v.syncScreen()
	v.vp.Pan(float64(ev.Dragged.DX)*s, float64(ev.Dragged.DY)*s)
	if d, ok := v.vp.Moved(v.frontVP); ok && v.front != nil && v.pic.screen != nil {
		v.pic.show(v.front, v.frontAt.Min.Add(d), v.vp.Screen())
	}
	v.zoomed()
}

func (v *View) fit() {
	if v.vp != nil {
		v.vp.Fit()
		v.zoomed()
	}
}

func (v *View) zoomTo100() {
	if v.vp != nil {
		v.syncScreen()
		v.vp.ZoomTo100()
		v.zoomed()
	}
}

// zoomCentre zooms by factor at the centre of the area.
func (v *View) zoomCentre(factor float64) {
	if v.vp != nil {
		v.vp.ZoomAt(factor, v.syncScreen().Div(2))
		v.zoomed()
	}
}

// syncScreen tells the viewport the picture area's size in screen pixels
// (the window may have been resized since) and returns it.
func (v *View) syncScreen() image.Point {
	s := v.pic.pixels(v.Window.Canvas().Scale())
	v.vp.SetScreen(s)
	return s
}

// zoomed shows the new zoom and asks for the picture.
func (v *View) zoomed() {
	v.zoom.Label.SetText(v.vp.Label())
	v.request()
}
