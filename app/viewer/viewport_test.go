package viewer_test

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ocular-lab/ocular/app/viewer"
	"github.com/ocular-lab/ocular/core/render"
)

// halvings lists the levels of a pyramid of a w x h image: each level half
// the one above, rounding up, down to a longest side of at most smallest.
func halvings(w, h, smallest int) []image.Point {
	ls := []image.Point{{w, h}}
	for max(w, h) > smallest {
		w, h = (w+1)/2, (h+1)/2
		ls = append(ls, image.Pt(w, h))
	}
	return ls
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// An image opens fitted: the whole of the coarsest level that still has a
// pixel per screen pixel, centred in the area at the size shown.
func TestViewportOpensFitted(t *testing.T) {
	v := viewer.NewViewport(image.Pt(4000, 2000), halvings(4000, 2000, 500))
	view, at := v.View(image.Pt(1000, 1000))
	if !v.Fitted() || v.Zoom() != 0.25 || v.Label() != "25%" {
		t.Fatalf("fitted %v at zoom %v (%s), want fitted at 25%%", v.Fitted(), v.Zoom(), v.Label())
	}
	if view.Level != 2 || view.Region != image.Rect(0, 0, 1000, 500) || view.Size != 1000 {
		t.Errorf("fitted view is level %d region %v size %d, want level 2 (1000x500) whole, size 1000", view.Level, view.Region, view.Size)
	}
	if at != image.Rect(0, 250, 1000, 750) {
		t.Errorf("the picture goes at %v, want centred at (0,250)-(1000,750)", at)
	}
}

// Zooming keeps the image point under the cursor where it is, zooming in
// as well as out, wherever the cursor is, as long as the image still covers
// the area there.
func TestViewportZoomKeepsThePointUnderTheCursor(t *testing.T) {
	v := viewer.NewViewport(image.Pt(40000, 30000), halvings(40000, 30000, 512))
	screen := image.Pt(1200, 800)
	v.View(screen)
	steps := []struct {
		factor float64
		at     image.Point
	}{{4, image.Pt(600, 400)}, {3, image.Pt(100, 700)}, {1.25, image.Pt(1199, 0)}, {10, image.Pt(333, 444)},
		{0.5, image.Pt(900, 200)}, {0.8, image.Pt(10, 790)}, {7, image.Pt(600, 1)}}
	for _, s := range steps {
		x0, y0 := v.ImagePoint(s.at)
		zoom := v.Zoom()
		v.ZoomAt(s.factor, s.at)
		if !near(v.Zoom(), zoom*s.factor, 1e-12) {
			t.Fatalf("zoom %v times %v gave %v", zoom, s.factor, v.Zoom())
		}
		x1, y1 := v.ImagePoint(s.at)
		if !near(x0, x1, 1e-6) || !near(y0, y1, 1e-6) {
			t.Errorf("zooming %vx at %v moved the image point under the cursor from (%.3f, %.3f) to (%.3f, %.3f)", s.factor, s.at, x0, y0, x1, y1)
		}
		if v.Fitted() {
			t.Errorf("still fitted after zooming %vx", s.factor)
		}
	}
}

// Zooming near an edge keeps the image covering the area: the point under
// the cursor gives way rather than letting the image leave the screen.
func TestViewportZoomOutAtAnEdgeKeepsTheImageInView(t *testing.T) {
	v := viewer.NewViewport(image.Pt(4000, 4000), nil)
	screen := image.Pt(1000, 1000)
	v.View(screen)
	v.ZoomAt(8, image.Pt(0, 0)) // 2x: the top-left corner stays put
	if x, y := v.ImagePoint(image.Pt(0, 0)); x != 0 || y != 0 {
		t.Fatalf("zooming at the top-left corner shows (%v, %v) there, want the image's corner", x, y)
	}
	v.ZoomAt(0.75, image.Pt(999, 999)) // the image would leave the top left
	covers(t, v, screen)
}

// covers fails unless the image covers the area on each axis where it is
// larger than the area, and is centred where it is smaller.
func covers(t *testing.T, v *viewer.Viewport, screen image.Point) {
	t.Helper()
	size := v.Size()
	l, tp := v.ScreenPoint(0, 0)
	r, b := v.ScreenPoint(float64(size.X), float64(size.Y))
	check := func(axis string, lo, hi float64, s int) {
		if hi-lo > float64(s)+1e-6 {
			if lo > 1e-6 || hi < float64(s)-1e-6 {
				t.Errorf("the image spans %s %.2f..%.2f on screen, leaving part of the %d-pixel area uncovered", axis, lo, hi, s)
			}
		} else if !near(lo, float64(s)-hi, 1e-6) {
			t.Errorf("the image spans %s %.2f..%.2f in an area of %d: not centred", axis, lo, hi, s)
		}
	}
	check("x", l, r, screen.X)
	check("y", tp, b, screen.Y)
}

// A drag cannot pull the image out of view, in any direction, at any zoom.
func TestViewportPanIsClamped(t *testing.T) {
	v := viewer.NewViewport(image.Pt(3000, 500), nil)
	screen := image.Pt(800, 600)
	v.View(screen)
	v.ZoomTo100() // wider than the area, not as tall
	for _, d := range [][2]float64{{1e9, 0}, {-1e9, 0}, {0, 1e9}, {0, -1e9}, {5000, -5000}, {-123.4, 56.7}} {
		v.Pan(d[0], d[1])
		covers(t, v, screen)
	}
	v.Pan(-1e9, 0)
	if l, _ := v.ScreenPoint(3000, 0); !near(l, 800, 1e-6) {
		t.Errorf("dragged fully left, the image's right edge is at %v, want the area's (800)", l)
	}
	// Dragging less than the way to an edge moves the image by the drag.
	x0, _ := v.ScreenPoint(1000, 0)
	v.Pan(250, 40)
	if x1, y1 := v.ScreenPoint(1000, 0); !near(x1-x0, 250, 1e-6) || !near(y1, 50, 1e-6) {
		t.Errorf("a drag of (250, 40) moved image point (1000, 0) from x %v to (%v, %v), want +250 and y kept centred at 50", x0, x1, y1)
	}
	// A fitted image does not move at all.
	v.Fit()
	before, _ := v.View(screen)
	v.Pan(100, 100)
	after, _ := v.View(screen)
	if !v.Fitted() || before != after {
		t.Errorf("a drag moved a fitted image: %+v -> %+v", before, after)
	}
}

// The level read is the coarsest with at least one pixel per screen pixel;
// past 100% it is full resolution.
func TestViewportChoosesTheCoarsestSufficientLevel(t *testing.T) {
	for _, c := range []struct {
		size image.Point
		zoom float64
		want int
	}{
		{image.Pt(8000, 6000), 4, 0}, {image.Pt(8000, 6000), 1, 0}, {image.Pt(8000, 6000), 0.6, 0},
		{image.Pt(8000, 6000), 0.5, 1}, {image.Pt(8000, 6000), 0.3, 1}, {image.Pt(8000, 6000), 0.25, 2},
		{image.Pt(8000, 6000), 0.1, 3}, {image.Pt(8000, 6000), 0.02, 4},
		// Odd sizes: the halved levels round up, so level 1 has a bit more
		// than half the pixels and still serves a zoom of one half.
		{image.Pt(8001, 6001), 0.5, 1}, {image.Pt(8001, 6001), 0.5001, 0}, {image.Pt(8001, 6001), 0.02, 4},
	} {
		v := viewer.NewViewport(c.size, halvings(c.size.X, c.size.Y, 512))
		v.View(image.Pt(100, 100))
		v.ZoomAt(c.zoom/v.Zoom(), image.Pt(50, 50))
		if !near(v.Zoom(), c.zoom, 1e-12) {
			t.Fatalf("could not zoom %v to %v: %v", c.size, c.zoom, v.Zoom())
		}
		view, _ := v.View(image.Pt(100, 100))
		if view.Level != c.want {
			t.Errorf("%v at zoom %v reads level %d (%v), want %d (%v)", c.size, c.zoom, view.Level, v.Levels()[view.Level], c.want, v.Levels()[c.want])
		}
	}
}

// Whatever the user does, the region is inside its level and not empty,
// the picture has the size the renderer will give it, covers the area
// where the image is larger than it, and shows the image at the zoom.
func TestViewportRegionNeverLeavesTheLevel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []image.Point{{1, 1}, {1, 5000}, {5000, 1}, {2, 3}, {7, 7}, {513, 1025}, {40001, 30003}, {1000, 1000}}
	screens := []image.Point{{1, 1}, {640, 480}, {1023, 767}, {2400, 1600}, {300, 900}}
	for _, size := range sizes {
		for _, screen := range screens {
			v := viewer.NewViewport(size, halvings(size.X, size.Y, 256))
			for step := 0; step < 60; step++ {
				at := image.Pt(rng.IntN(screen.X), rng.IntN(screen.Y))
				switch rng.IntN(6) {
				case 0, 1:
					v.ZoomAt(math.Pow(2, rng.Float64()*6-3), at)
				case 2, 3:
					v.Pan(rng.Float64()*4000-2000, rng.Float64()*4000-2000)
				case 4:
					v.ZoomTo100()
				case 5:
					v.Fit()
				}
				checkView(t, v, screen, fmt.Sprintf("%v on %v step %d", size, screen, step))
			}
		}
	}
}

func checkView(t *testing.T, v *viewer.Viewport, screen image.Point, what string) {
	t.Helper()
	view, at := v.View(screen)
	l := v.Levels()[view.Level]
	r := view.Region
	if r.Empty() || !r.In(image.Rect(0, 0, l.X, l.Y)) {
		t.Fatalf("%s: region %v is outside level %d (%v)", what, r, view.Level, l)
	}
	if tw, th := render.ThumbnailSize(r.Dx(), r.Dy(), view.Size); at.Dx() != tw || at.Dy() != th {
		t.Fatalf("%s: the picture goes at %v, but the renderer draws %dx%d", what, at, tw, th)
	}
	size := v.Size()
	fx := float64(l.X) / float64(size.X)
	if want := float64(r.Dx()) / fx * v.Zoom(); !near(float64(at.Dx()), want, 1.5) {
		t.Fatalf("%s: region %v of level %d is drawn %d wide, want %.1f at zoom %v", what, r, view.Level, at.Dx(), want, v.Zoom())
	}
	for _, ax := range []struct{ lo, hi, s, img int }{{at.Min.X, at.Max.X, screen.X, size.X}, {at.Min.Y, at.Max.Y, screen.Y, size.Y}} {
		if float64(ax.img)*v.Zoom() >= float64(ax.s)+1 {
			if ax.lo > 0 || ax.hi < ax.s {
				t.Fatalf("%s: the picture at %v leaves part of the %v area black though the image is larger", what, at, screen)
			}
		} else if d := ax.lo - (ax.s - ax.hi); d < -1 || d > 1 {
			t.Fatalf("%s: the picture at %v is not centred in the %v area", what, at, screen)
		}
	}
	covers(t, v, screen)
}

// A one-pixel image fills the smaller side of the area, centred, and the
// view reads its one pixel.
func TestViewportOnePixelImage(t *testing.T) {
	v := viewer.NewViewport(image.Pt(1, 1), []image.Point{{1, 1}})
	view, at := v.View(image.Pt(800, 600))
	if view.Level != 0 || view.Region != image.Rect(0, 0, 1, 1) || view.Size != 600 || at != image.Rect(100, 0, 700, 600) {
		t.Errorf("a 1-pixel image in 800x600 is level %d region %v size %d at %v, want level 0 (0,0)-(1,1) size 600 at (100,0)-(700,600)",
			view.Level, view.Region, view.Size, at)
	}
	v.ZoomAt(4, image.Pt(400, 300)) // already as large as it gets
	if v.Zoom() != 600 || !v.Fitted() {
		t.Errorf("zooming in on a fitted 1-pixel image changed the zoom to %v", v.Zoom())
	}
	v.ZoomTo100()
	view, at = v.View(image.Pt(800, 600))
	if view.Size != 1 || at != image.Rect(400, 300, 401, 301) || v.Label() != "100%" {
		t.Errorf("at 100%% a 1-pixel image is size %d at %v (%s), want 1 pixel at (400,300)", view.Size, at, v.Label())
	}
}

// 100% shows full resolution around the same centre; Fit comes back to the
// very view the image opened with.
func TestViewportZoomTo100AndFit(t *testing.T) {
	v := viewer.NewViewport(image.Pt(20000, 10000), halvings(20000, 10000, 512))
	screen := image.Pt(1000, 800)
	first, firstAt := v.View(screen)
	v.ZoomAt(3, image.Pt(100, 100))
	v.Pan(-200, 300)
	v.ZoomTo100()
	view, at := v.View(screen)
	// The centre may fall between pixels: then one more pixel shows in part.
	if v.Zoom() != 1 || v.Label() != "100%" || view.Level != 0 || !image.Rect(0, 0, 1000, 800).In(at) || at.Dx() > 1001 || at.Dy() > 801 {
		t.Errorf("100%% shows level %d size %d at %v (%s), want level 0 drawn 1:1 over the 1000x800 area", view.Level, view.Size, at, v.Label())
	}
	if r := view.Region; r.Dx() != at.Dx() || r.Dy() != at.Dy() {
		t.Errorf("100%% reads region %v for a picture at %v, want the pixels on screen, one image pixel per screen pixel", r, at)
	}
	v.Fit()
	view, at = v.View(screen)
	if view != first || at != firstAt || !v.Fitted() {
		t.Errorf("Fit shows %+v at %v, want what the image opened with: %+v at %v", view, at, first, firstAt)
	}
	// A fitted image follows the area's size; a zoomed one keeps its zoom.
	v.View(image.Pt(500, 400))
	if v.Zoom() != 0.025 {
		t.Errorf("a fitted image in a smaller area has zoom %v, want 0.025", v.Zoom())
	}
	v.ZoomTo100()
	v.View(image.Pt(1500, 900))
	if v.Zoom() != 1 {
		t.Errorf("resizing changed the zoom from 100%% to %v", v.Zoom())
	}
}

// A picture drawn before a pan is shown moved by the pan until the new one
// lands; after a zoom it is not.
func TestViewportMoved(t *testing.T) {
	v := viewer.NewViewport(image.Pt(5000, 5000), nil)
	v.View(image.Pt(800, 600))
	v.ZoomTo100()
	then := *v
	v.Pan(30, -20)
	if d, ok := v.Moved(then); !ok || d != image.Pt(30, -20) {
		t.Errorf("after a drag of (30, -20) the old picture moves by %v (%v)", d, ok)
	}
	then = *v
	v.ZoomAt(2, image.Pt(10, 10))
	if _, ok := v.Moved(then); ok {
		t.Error("the old picture is moved after a zoom, which it cannot follow")
	}
}

func TestViewportLabel(t *testing.T) {
	v := viewer.NewViewport(image.Pt(100000, 100), nil)
	for _, c := range []struct {
		screen image.Point
		want   string
	}{{image.Pt(400, 1000), "0.4%"}, {image.Pt(25000, 1000), "25%"}, {image.Pt(100000, 1000), "100%"}} {
		v.View(c.screen)
		if v.Label() != c.want {
			t.Errorf("zoom %v reads %q, want %q", v.Zoom(), v.Label(), c.want)
		}
	}
}
