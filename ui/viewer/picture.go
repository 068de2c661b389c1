package viewer

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
)

// picture is the viewer's image area: the rendered picture placed where the
// viewport puts it on a black background the size of the area, in screen
// pixels (canvas scale included), so Fyne shows it without resampling. It
// reports every change of its size (the picture is redrawn at the size
// shown), and hands the mouse wheel, drags and double-clicks to the viewer.
//
// The picture is copied into an area-sized buffer rather than placed as a
// smaller canvas object: a zoomed picture sticks out of the area, and Fyne
// does not clip a widget's children; a pan shows the last picture moved by
// copying it again, at once, before the new one is rendered.
type picture struct {
	widget.BaseWidget
	img      *canvas.Image
	bg       *canvas.Rectangle
	screen   *image.RGBA // what the area shows
	onResize func(fyne.Size)
	last     fyne.Size

	onScroll    func(*fyne.ScrollEvent)
	onDrag      func(*fyne.DragEvent)
	onDoubleTap func(*fyne.PointEvent)
}

var (
	_ fyne.Scrollable     = (*picture)(nil)
	_ fyne.Draggable      = (*picture)(nil)
	_ fyne.DoubleTappable = (*picture)(nil)
)

func newPicture(onResize func(fyne.Size)) *picture {
	p := &picture{onResize: onResize, bg: canvas.NewRectangle(color.Black)}
	p.img = canvas.NewImageFromImage(nil)
	p.img.FillMode = canvas.ImageFillContain
	p.img.ScaleMode = canvas.ImageScalePixels // drawn at the size shown: no resampling
	p.ExtendBaseWidget(p)
	return p
}

// show draws pic with its top-left corner at (at) of an area of screen
// pixels, black around it, and shows that.
func (p *picture) show(pic *image.RGBA, at image.Point, screen image.Point) {
	if p.screen == nil || p.screen.Rect.Size() != screen {
		p.screen = image.NewRGBA(image.Rectangle{Max: screen})
	}
	compose(p.screen, pic, at)
	p.img.Image = p.screen
	p.img.Refresh()
}

// compose copies src onto dst with src's top-left corner at (at), clipped
// to dst, and makes the rest of dst opaque black.
func compose(dst, src *image.RGBA, at image.Point) {
	r := dst.Rect
	var in image.Rectangle // dst pixels covered by src
	if src != nil {
		in = src.Rect.Sub(src.Rect.Min).Add(at).Intersect(r)
	}
	black := make([]byte, 4*r.Dx())
	for i := 3; i < len(black); i += 4 {
		black[i] = 255
	}
	fill := func(row []byte) { copy(row, black) }
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(r.Min.X, y) : dst.PixOffset(r.Min.X, y)+4*r.Dx()]
		if y < in.Min.Y || y >= in.Max.Y {
			fill(row)
			continue
		}
		x0, x1 := 4*(in.Min.X-r.Min.X), 4*(in.Max.X-r.Min.X)
		fill(row[:x0])
		fill(row[x1:])
		s := src.PixOffset(src.Rect.Min.X+in.Min.X-at.X, src.Rect.Min.Y+y-at.Y)
		copy(row[x0:x1], src.Pix[s:s+x1-x0])
	}
}

// pixels is the area's size in screen pixels.
func (p *picture) pixels(scale float32) image.Point {
	s := p.Size()
	return image.Pt(int(math.Round(float64(s.Width*scale))), int(math.Round(float64(s.Height*scale))))
}

// Scrolled implements fyne.Scrollable: the mouse wheel zooms.
func (p *picture) Scrolled(ev *fyne.ScrollEvent) {
	if p.onScroll != nil {
		p.onScroll(ev)
	}
}

// Dragged implements fyne.Draggable: a drag pans.
func (p *picture) Dragged(ev *fyne.DragEvent) {
	if p.onDrag != nil {
		p.onDrag(ev)
	}
}

// DragEnd implements fyne.Draggable.
func (p *picture) DragEnd() {}

// DoubleTapped implements fyne.DoubleTappable: a double-click fits.
func (p *picture) DoubleTapped(ev *fyne.PointEvent) {
	if p.onDoubleTap != nil {
		p.onDoubleTap(ev)
	}
}

func (p *picture) MinSize() fyne.Size { return fyne.NewSize(320, 240) }

func (p *picture) CreateRenderer() fyne.WidgetRenderer { return &pictureRenderer{p} }

type pictureRenderer struct{ p *picture }

func (r *pictureRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.p.bg, r.p.img} }
func (r *pictureRenderer) Destroy()                     {}
func (r *pictureRenderer) MinSize() fyne.Size           { return r.p.MinSize() }
func (r *pictureRenderer) Refresh() {
	r.p.bg.Refresh()
	r.p.img.Refresh()
}

func (r *pictureRenderer) Layout(size fyne.Size) {
	r.p.bg.Resize(size)
	r.p.img.Resize(size)
	if size != r.p.last && size.Width > 0 && size.Height > 0 {
		r.p.last = size
		if r.p.onResize != nil {
			r.p.onResize(size)
		}
	}
}
