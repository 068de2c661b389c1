package viewer

import (
	"fmt"
	"image"
	"math"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core/render"
)

// MaxZoom is the largest zoom a user can reach, in screen pixels per image
// pixel (a tiny image fitted to the window may be shown larger still).
const MaxZoom = 32

// Viewport is the part of an image a viewer shows and at what zoom, as in
// OMERO.iviewer: it opens fitted to the area, the wheel zooms at the
// cursor, a drag pans, and View says which pyramid level and region to
// render so that only the tiles on screen are read, at the size shown.
//
// Screen coordinates are pixels of the picture area (device pixels, so the
// canvas scale is the caller's business), origin at its top left; image
// coordinates are full-resolution pixels. The zoom is screen pixels per
// full-resolution pixel. The image can never be dragged out of view: an
// image wider than the area always covers it, a narrower one is centred.
//
// A Viewport is owned by one goroutine (the UI goroutine); a copy
// (v2 := *v) is an independent snapshot.
type Viewport struct {
	size   image.Point   // full resolution
	levels []image.Point // full resolution first, each smaller than the last
	screen image.Point
	zoom   float64
	cx, cy float64 // the image point at the centre of the area
	fit    bool    // zoom and centre follow the area's size
}

// NewViewport returns the viewport of an image of the given full-resolution
// size with the given resolution levels (app/rendering.Service.Levels),
// fitted to the area. Levels that are not smaller than the one before are
// ignored; nil means full resolution only.
func NewViewport(size image.Point, levels []image.Point) *Viewport {
	size = image.Pt(max(size.X, 1), max(size.Y, 1))
	ls := []image.Point{size}
	for _, l := range levels {
		last := ls[len(ls)-1]
		if l.X > 0 && l.Y > 0 && l.X <= last.X && l.Y <= last.Y && l != last {
			ls = append(ls, l)
		}
	}
	v := &Viewport{size: size, levels: ls, zoom: 1, fit: true}
	v.settle()
	return v
}

// Size is the image's full-resolution size.
func (v *Viewport) Size() image.Point { return v.size }

// Levels are the resolution levels the viewport chooses from.
func (v *Viewport) Levels() []image.Point { return v.levels }

// SetScreen sets the size of the area the image is shown in. A fitted
// image is fitted again; otherwise zoom and centre stay, within limits.
func (v *Viewport) SetScreen(s image.Point) {
	v.screen = image.Pt(max(s.X, 0), max(s.Y, 0))
	v.settle()
}

// Screen is the area's size.
func (v *Viewport) Screen() image.Point { return v.screen }

// Zoom is the zoom shown: screen pixels per full-resolution pixel.
func (v *Viewport) Zoom() float64 { return v.zoom }

// Fitted reports whether the whole image is fitted to the area (and stays
// so when the area is resized).
func (v *Viewport) Fitted() bool { return v.fit }

// Centre is the image point at the centre of the area.
func (v *Viewport) Centre() (x, y float64) { return v.cx, v.cy }

// FitZoom is the zoom at which the whole image fits the area (1 while the
// area's size is unknown).
func (v *Viewport) FitZoom() float64 {
	if v.screen.X <= 0 || v.screen.Y <= 0 {
		return 1
	}
	return min(float64(v.screen.X)/float64(v.size.X), float64(v.screen.Y)/float64(v.size.Y))
}

// zoomRange bounds the zoom: down to the fitted zoom (or 100% for an image
// fitted larger than that), up to MaxZoom (or the fitted zoom of a tiny
// image).
func (v *Viewport) zoomRange() (lo, hi float64) {
	f := v.FitZoom()
	return min(f, 1), max(f, MaxZoom)
}

// ImagePoint is the image point under screen point at (it may lie outside
// the image).
func (v *Viewport) ImagePoint(at image.Point) (x, y float64) {
	return v.cx + (float64(at.X)-float64(v.screen.X)/2)/v.zoom,
		v.cy + (float64(at.Y)-float64(v.screen.Y)/2)/v.zoom
}

// ScreenPoint is where image point (x, y) is on the screen.
func (v *Viewport) ScreenPoint(x, y float64) (sx, sy float64) {
	return (x-v.cx)*v.zoom + float64(v.screen.X)/2, (y-v.cy)*v.zoom + float64(v.screen.Y)/2
}

// ZoomAt multiplies the zoom by factor (within limits), keeping the image
// point under screen point at where it is, unless that would drag the image
// out of view. Zooming out to the fitted zoom fits the image again.
func (v *Viewport) ZoomAt(factor float64, at image.Point) {
	if !(factor > 0) || math.IsInf(factor, 0) {
		return
	}
	px, py := v.ImagePoint(at)
	lo, hi := v.zoomRange()
	v.zoom = min(max(v.zoom*factor, lo), hi)
	v.cx = px - (float64(at.X)-float64(v.screen.X)/2)/v.zoom
	v.cy = py - (float64(at.Y)-float64(v.screen.Y)/2)/v.zoom
	v.fit = math.Abs(v.zoom-v.FitZoom()) <= 1e-9*v.zoom
	v.settle()
}

// Pan moves the image by (dx, dy) screen pixels, as far as it can go
// without leaving the area uncovered where it could be covered.
func (v *Viewport) Pan(dx, dy float64) {
	if math.IsNaN(dx) || math.IsNaN(dy) {
		return
	}
	cx, cy := v.cx, v.cy
	v.cx -= dx / v.zoom
	v.cy -= dy / v.zoom
	v.clamp()
	if v.cx != cx || v.cy != cy {
		v.fit = false
	}
}

// Fit shows the whole image as large as the area allows, and keeps it
// fitted when the area is resized.
func (v *Viewport) Fit() {
	v.fit = true
	v.settle()
}

// ZoomTo100 shows full resolution (one image pixel per screen pixel),
// keeping the centre.
func (v *Viewport) ZoomTo100() {
	v.zoom = 1
	v.fit = math.Abs(1-v.FitZoom()) <= 1e-9
	v.settle()
}

// Label is the zoom as a user reads it: "25%", "100%", "3200%"; "0.4%" below 10%.
func (v *Viewport) Label() string {
	p := v.zoom * 100
	if p < 9.95 {
		return fmt.Sprintf("%.1f%%", p)
	}
	return fmt.Sprintf("%.0f%%", p)
}

// settle applies the fit and the limits after a change.
func (v *Viewport) settle() {
	if v.fit {
		v.zoom = v.FitZoom()
		v.cx, v.cy = float64(v.size.X)/2, float64(v.size.Y)/2
		return
	}
	lo, hi := v.zoomRange()
	v.zoom = min(max(v.zoom, lo), hi)
	v.clamp()
}

// clamp keeps the image in view: on each axis an image wider than the
// area covers it, a narrower one is centred.
func (v *Viewport) clamp() {
	v.cx = clampAxis(v.cx, float64(v.size.X), float64(v.screen.X), v.zoom)
	v.cy = clampAxis(v.cy, float64(v.size.Y), float64(v.screen.Y), v.zoom)
}

func clampAxis(c, size, screen, zoom float64) float64 {
	half := screen / 2 / zoom // half the area, in image pixels
	if size*zoom <= screen*(1+1e-9) {
		return size / 2
	}
	return min(max(c, half), size-half)
}

// Level is the pyramid level View reads: the coarsest whose resolution
// still is at least the zoom's (full resolution when zoomed past 100%).
func (v *Viewport) Level() int {
	for i := len(v.levels) - 1; i > 0; i-- {
		l := v.levels[i]
		if min(float64(l.X)/float64(v.size.X), float64(l.Y)/float64(v.size.Y)) >= v.zoom*(1-1e-9) {
			return i
		}
	}
	return 0
}

// View sets the area's size (as SetScreen) and returns what to render for
// it: the level (Level), the region of that level on screen, never outside
// it (rounded outwards to whole pixels), and the picture's longest side in
// screen pixels; the caller adds the plane and the buffer. at is where the
// rendered picture goes on the screen, at the size it will have; it may
// stick out of the area by less than one level pixel, and is centred in
// the area on an axis where the image is narrower than the area. An area
// of no size gives an empty View (Size 0).
func (v *Viewport) View(screen image.Point) (view rendering.View, at image.Rectangle) {
	v.SetScreen(screen)
	if v.screen.X <= 0 || v.screen.Y <= 0 {
		return rendering.View{}, image.Rectangle{}
	}
	level := v.Level()
	l := v.levels[level]
	fx, fy := float64(l.X)/float64(v.size.X), float64(l.Y)/float64(v.size.Y)
	rx0, rx1 := span(v.cx, v.screen.X, v.zoom, v.size.X, fx, l.X)
	ry0, ry1 := span(v.cy, v.screen.Y, v.zoom, v.size.Y, fy, l.Y)
	region := image.Rect(rx0, ry0, rx1, ry1)
	left, top := v.ScreenPoint(float64(rx0)/fx, float64(ry0)/fy)
	// The picture's longest side follows the region's, as the renderer
	// scales it (render.ThumbnailSize).
	side := float64(rx1-rx0) / fx * v.zoom
	if region.Dy() > region.Dx() {
		side = float64(ry1-ry0) / fy * v.zoom
	}
	size := max(1, int(math.Round(side)))
	tw, th := render.ThumbnailSize(region.Dx(), region.Dy(), size)
	o := image.Pt(int(math.Round(left)), int(math.Round(top)))
	o.X = cover(o.X, tw, v.screen.X)
	o.Y = cover(o.Y, th, v.screen.Y)
	return rendering.View{Level: level, Region: region, Size: size}, image.Rectangle{Min: o, Max: o.Add(image.Pt(tw, th))}
}

// cover moves a picture of n pixels placed at o along an axis of screen
// pixels by the pixel that rounding may have cost, so that a picture as
// large as the area never leaves a black line at one edge.
func cover(o, n, screen int) int {
	switch {
	case n < screen:
	case o > 0 && o+n > screen:
		return o - 1
	case o < 0 && o+n < screen:
		return o + 1
	}
	return o
}

// span is the range of level pixels [a, b) on screen along one axis: the
// visible image range (centre c, area of screen pixels at zoom, image of
// size pixels) scaled by f to the level of n pixels, rounded outwards, at
// least one pixel, never outside the level.
func span(c float64, screen int, zoom float64, size int, f float64, n int) (a, b int) {
	half := float64(screen) / 2 / zoom
	lo, hi := max(0, c-half), min(float64(size), c+half)
	a = min(max(int(math.Floor(lo*f)), 0), n-1)
	b = min(max(int(math.Ceil(hi*f)), a+1), n)
	return a, b
}

// Moved is how far, in screen pixels, a picture drawn for the viewport as
// it was (a copy taken then) must move to sit where the image is now: a
// pan shows the last picture moved at once, before the new one is drawn.
// ok is false when the zoom or the area changed (the old picture no longer
// fits by a move).
func (v *Viewport) Moved(then Viewport) (d image.Point, ok bool) {
	if then.zoom != v.zoom || then.screen != v.screen || then.size != v.size {
		return image.Point{}, false
	}
	return image.Pt(int(math.Round((then.cx-v.cx)*v.zoom)), int(math.Round((then.cy-v.cy)*v.zoom))), true
}
