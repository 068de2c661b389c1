package viewer

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
)

// picture shows the rendered image on a black background and reports every
// change of its size, so the image is redrawn at the size shown.
type picture struct {
	widget.BaseWidget
	img      *canvas.Image
	bg       *canvas.Rectangle
	onResize func(fyne.Size)
	last     fyne.Size
}

func newPicture(onResize func(fyne.Size)) *picture {
	p := &picture{onResize: onResize, bg: canvas.NewRectangle(color.Black)}
	p.img = canvas.NewImageFromImage(nil)
	p.img.FillMode = canvas.ImageFillContain
	p.img.ScaleMode = canvas.ImageScalePixels // rendered at the size shown: no resampling
	p.ExtendBaseWidget(p)
	return p
}

// set shows img (drawn for the current size).
func (p *picture) set(img *image.RGBA) {
	p.img.Image = img
	p.img.Refresh()
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

// fit is the longest side, in screen pixels, of a w × h image drawn as large
// as it fits into an area of size dp at the given scale.
func fit(w, h int, size fyne.Size, scale float32) int {
	if w <= 0 || h <= 0 {
		return 0
	}
	aw, ah := float64(size.Width*scale), float64(size.Height*scale)
	s := min(aw/float64(w), ah/float64(h))
	return max(1, int(float64(max(w, h))*s))
}
