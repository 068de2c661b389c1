package ui_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/viewer"
)

// centreOf is the centre of the viewer's picture area, in window
// coordinates, and the same point in the area's own.
func centreOf(v *viewer.View) (abs, local fyne.Position) {
	o := v.PictureArea()
	local = fyne.NewPos(o.Size().Width/2, o.Size().Height/2)
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(local), local
}

// Scrolling the wheel up over the picture zooms in: the zoom label grows,
// the picture is drawn again from a smaller region, and the image pixel
// under the cursor stays under it.
func TestWheelZoomsInAtTheCursor(t *testing.T) {
	f := newImaging(t, 1280, 960, 2, 1) // larger than the area: fitted below 100%
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	label := v.Zoom().Label.Text
	first := snapshot(v.Picture())
	whole := v.Drawn().Region
	if !v.Viewport().Fitted() || whole != image.Rect(0, 0, 1280, 960) {
		t.Fatalf("the viewer opened on region %v (fitted %v), want the whole 1280x960 image fitted", whole, v.Viewport().Fitted())
	}
	if texts := shown(v.Window.Content()); !contains(texts, label) || !strings.HasSuffix(label, "%") {
		t.Fatalf("the zoom label %q is not shown: %q", label, texts)
	}

	abs, _ := centreOf(v)
	test.Scroll(v.Window.Canvas(), abs, 0, 25) // one notch up, over the picture
	if v.Zoom().Label.Text == label || v.Viewport().Fitted() {
		t.Fatalf("scrolling up over the picture left the zoom at %s", v.Zoom().Label.Text)
	}
	if r := v.Drawn().Region; r.Dx() >= 1280 && r.Dy() >= 960 {
		t.Errorf("zoomed in, the viewer still reads region %v", r)
	}
	if bytes.Equal(first, snapshot(v.Picture())) {
		t.Error("the picture did not change when zooming in")
	}
	if !strings.HasSuffix(v.Shown(), " zoom="+v.Zoom().Label.Text) {
		t.Errorf("the viewer describes its picture as %q, without its zoom %s", v.Shown(), v.Zoom().Label.Text)
	}

	// Off centre, the pixel under the cursor keeps its colour.
	at := fyne.NewPos(150, 120)
	before := v.Screen().RGBAAt(150, 120)
	zoom := v.Viewport().Zoom()
	v.PictureArea().(fyne.Scrollable).Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: at}, Scrolled: fyne.Delta{DY: 75}})
	if v.Viewport().Zoom() <= zoom {
		t.Fatalf("the zoom went from %v to %v", zoom, v.Viewport().Zoom())
	}
	after := v.Screen().RGBAAt(150, 120)
	if d := max(absDiff(before.R, after.R), absDiff(before.G, after.G), absDiff(before.B, after.B)); d > 2 {
		t.Errorf("the pixel under the cursor went from %v to %v: the zoom did not keep it there", before, after)
	}
	// Scrolling down zooms back out to the fitted picture, not beyond.
	for range 10 {
		test.Scroll(v.Window.Canvas(), abs, 0, -100)
	}
	if !v.Viewport().Fitted() || v.Zoom().Label.Text != label || !bytes.Equal(first, snapshot(v.Picture())) {
		t.Errorf("scrolling down all the way shows zoom %s (fitted %v), want the first picture at %s", v.Zoom().Label.Text, v.Viewport().Fitted(), label)
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// Zoomed in all the way, a drag pans: the region read moves against the
// drag and the picture changes; Fit shows the first picture again, pixel
// for pixel, and so does a double-click.
func TestDragPansAndFitReturns(t *testing.T) {
	f := newImaging(t, 640, 480, 2, 1)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	first, firstScreen := snapshot(v.Picture()), snapshot(v.Screen())
	label := v.Zoom().Label.Text
	for range 12 {
		test.Tap(v.Zoom().In)
	}
	if v.Zoom().Label.Text != "3200%" {
		t.Fatalf("zoomed in all the way, the label says %s, want 3200%%", v.Zoom().Label.Text)
	}
	region, pic := v.Drawn().Region, snapshot(v.Picture())
	abs, _ := centreOf(v)
	test.Drag(v.Window.Canvas(), abs, -200, -100) // pull the image up and left: see more of its right and bottom
	moved := v.Drawn().Region
	if moved.Min.X <= region.Min.X || moved.Min.Y <= region.Min.Y {
		t.Errorf("dragging up-left moved the region read from %v to %v, want it right and down", region, moved)
	}
	if bytes.Equal(pic, snapshot(v.Picture())) {
		t.Error("the picture did not change when dragged")
	}
	// Far past the image's corner the drag stops there.
	for range 100 {
		test.Drag(v.Window.Canvas(), abs, -1000, -1000)
	}
	if r := v.Drawn().Region; r.Max != image.Pt(640, 480) {
		t.Errorf("dragged to the bottom right, the viewer reads %v, want the region ending at the image's corner", r)
	}

	test.Tap(v.Zoom().Fit)
	if !v.Viewport().Fitted() || v.Zoom().Label.Text != label {
		t.Errorf("after Fit the zoom is %s, want %s", v.Zoom().Label.Text, label)
	}
	if !bytes.Equal(first, snapshot(v.Picture())) || !bytes.Equal(firstScreen, snapshot(v.Screen())) {
		t.Error("Fit does not show the first picture pixel for pixel")
	}

	test.Tap(v.Zoom().Full)
	if v.Zoom().Label.Text != "100%" || v.Drawn().Level != 0 {
		t.Fatalf("100%% shows zoom %s at level %d", v.Zoom().Label.Text, v.Drawn().Level)
	}
	if r, p := v.Drawn().Region, v.Picture().Bounds(); r.Dx() != p.Dx() || r.Dy() != p.Dy() {
		t.Errorf("at 100%% region %v is drawn %v, want one image pixel per screen pixel", r, p)
	}
	test.DoubleTap(v.PictureArea().(fyne.DoubleTappable))
	if !v.Viewport().Fitted() || !bytes.Equal(first, snapshot(v.Picture())) {
		t.Error("a double-click does not fit the image again")
	}
}

// The picture area shows the picture at the size the viewport says, with
// nothing resampled: at 100% the screen holds the picture's pixels as
// drawn, and black where the image does not reach.
func TestPictureIsShownAtTheSizeDrawn(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	test.Tap(v.Zoom().Full)
	scr, pic := v.Screen(), v.Picture()
	size := v.PictureArea().Size()
	scale := v.Window.Canvas().Scale()
	if want := image.Pt(int(size.Width*scale+0.5), int(size.Height*scale+0.5)); scr.Bounds().Size() != want {
		t.Fatalf("the area holds a %v picture, want its size in screen pixels %v", scr.Bounds().Size(), want)
	}
	if pic.Bounds().Size() != image.Pt(64, 48) {
		t.Fatalf("at 100%% a 64x48 image is drawn %v", pic.Bounds().Size())
	}
	// Centred: the picture's top-left corner is half the margin in.
	ox, oy := (scr.Bounds().Dx()-64)/2, (scr.Bounds().Dy()-48)/2
	for _, p := range []image.Point{{0, 0}, {63, 0}, {0, 47}, {63, 47}, {31, 20}} {
		if got, want := scr.RGBAAt(ox+p.X, oy+p.Y), pic.RGBAAt(p.X, p.Y); got != want {
			t.Errorf("image pixel %v is shown as %v, drawn as %v", p, got, want)
		}
	}
	for _, p := range []image.Point{{0, 0}, {ox - 1, oy}, {ox + 64, oy + 47}, {ox, oy + 48}} {
		if c := scr.RGBAAt(p.X, p.Y); c.R|c.G|c.B != 0 || c.A != 255 {
			t.Errorf("outside the image the area shows %v at %v, want black", c, p)
		}
	}
}

// An image with a pyramid is read from the coarsest level that still has a
// pixel per screen pixel: fitted, a reduced level; at 100%, full
// resolution, only the region on screen.
func TestFittedPyramidIsReadFromAReducedLevel(t *testing.T) {
	f := newPyramidImaging(t, 2048, 1536)
	u := browseImaging(t, f, "olive", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	levels := v.Viewport().Levels()
	if len(levels) != 4 || levels[1] != image.Pt(1024, 768) {
		t.Fatalf("the viewer knows levels %v, want the file's 2048x1536 and three halvings", levels)
	}
	zoom := v.Viewport().Zoom()
	if zoom >= 0.5 || zoom < 0.25 {
		t.Fatalf("the test expects a fitted zoom between 25%% and 50%%, not %v (area %v)", zoom, v.PictureArea().Size())
	}
	if d := v.Drawn(); d.Level != 1 || d.Region != image.Rect(0, 0, 1024, 768) {
		t.Errorf("fitted at %s the viewer reads level %d region %v, want level 1's whole 1024x768", v.Zoom().Label.Text, d.Level, d.Region)
	}
	test.Tap(v.Zoom().Full)
	area := v.Screen().Bounds().Size()
	if d := v.Drawn(); d.Level != 0 || d.Region.Dx() > area.X+1 || d.Region.Dy() > area.Y+1 {
		t.Errorf("at 100%% the viewer reads level %d region %v, want full resolution, only the %v on screen", d.Level, d.Region, area)
	}
	// Half way between: 40% reads level 1, 20% level 2 would need zooming
	// out past the fit, which the viewer does not allow.
	test.Tap(v.Zoom().Out) // 50%
	if d := v.Drawn(); v.Zoom().Label.Text != "50%" || d.Level != 1 {
		t.Errorf("at %s the viewer reads level %d, want 50%% from level 1", v.Zoom().Label.Text, d.Level)
	}
}

// newPyramidImaging is a repository where olive imported one w x h uint16
// OME-TIFF with three reduced levels in SubIFDs, tiled, into the dataset
// "Cells" of a project in a read-annotate group.
func newPyramidImaging(t testing.TB, w, h int) *imaging {
	t.Helper()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	svc, dir := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "Imaging read-annotate", core.ReadAnnotate, "")
	check(err)
	_, err = root.CreateUser(ctx, core.NewUser{Username: "olive", FirstName: "o", LastName: "olive", Password: password, Groups: []core.ID{g.ID}})
	check(err)
	olive := testrepo.Login(t, svc, "olive", password)
	p, err := olive.Create(ctx, core.Project, map[string]string{"name": "Olive project"})
	check(err)
	d, err := olive.Create(ctx, core.Dataset, map[string]string{"name": "Cells"})
	check(err)
	_, err = olive.Create(ctx, core.ProjectDatasetLink, map[string]string{"parent": p.Ref.String(), "child": d.Ref.String()})
	check(err)

	path := filepath.Join(t.TempDir(), "slide.ome.tiff")
	s := formats.Series{Name: "slide", SizeX: w, SizeY: h, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint16}
	err = ome.WriteTIFF(path, s, nil, func(z, c, _ int) (*pixel.Plane, error) {
		p, err := pixel.NewPlane(pixel.Uint16, w, h)
		if err != nil {
			return nil, err
		}
		// 64-pixel checks with a ramp along x: every region looks different.
		for y := 0; y < h; y++ {
			row := p.Data[2*y*w : 2*(y+1)*w]
			for x := 0; x < w; x++ {
				binary.LittleEndian.PutUint16(row[2*x:], uint16((x/64+y/64)%2*3000+x%4096))
			}
		}
		return p, nil
	}, ome.WriteOptions{TileSize: 256, PyramidLevels: 3})
	check(err)
	sum, err := importer.Run(ctx, importer.Config{Session: olive, Open: detect.Open, Thumbs: thumbcache.ForRepository(dir),
		Pyramids: pyramid.ForRepository(dir)}, []string{path}, importer.Options{Dataset: d.Ref}, nil)
	check(err)
	check(sum.Err())
	return &imaging{dir: dir, svc: svc, groups: map[core.Level]core.Group{core.ReadAnnotate: g},
		images: map[core.Level][]core.Ref{core.ReadAnnotate: sum.Results[0].Images}, dataset: map[core.Level]core.Ref{core.ReadAnnotate: d.Ref}}
}

// BenchmarkViewerPan measures what a user waits for while dragging a big
// image shown at 100% in the viewer (default window size): the drag event,
// the viewport, reading the tiles of the new region of full resolution
// (never seen before: the drag goes on over new ground, row after row),
// rendering it and placing it in the picture area. One op is one drag
// event of 40 pixels and the redraw it asks for.
func BenchmarkViewerPan(b *testing.B) {
	const side = 16384
	f := newPyramidImaging(b, side, side)
	sess := testrepo.Login(b, f.svc, "olive", password)
	svc := rendering.New(rendering.Config{Session: sess, Pyramids: pyramid.ForRepository(f.dir)})
	b.Cleanup(func() { svc.Close() })
	img := f.images[core.ReadAnnotate][0]
	v := viewer.Open(viewer.Options{App: test.NewTempApp(b), Run: async.Immediate, Session: sess, Render: svc},
		core.ObjectView{Object: core.Object{Ref: img, Name: "bench"}})
	v.Window.Resize(viewer.DefaultSize)
	test.Tap(v.Zoom().Full)
	for range 400 { // to the top-left corner
		v.PictureArea().(fyne.Draggable).Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 1000, DY: 1000}})
	}
	if r := v.Drawn().Region; r.Min != (image.Point{}) || v.Drawn().Level != 0 {
		b.Fatalf("not at the top-left corner of full resolution: level %d region %v", v.Drawn().Level, r)
	}
	drag := func(dx, dy float32) {
		v.PictureArea().(fyne.Draggable).Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: dx, DY: dy}})
	}
	draws, dir := v.Draws(), float32(-40)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := v.Drawn().Region
		drag(dir, 0)
		if v.Drawn().Region == before { // at an edge: a row further down, and back
			dir = -dir
			drag(0, -300)
			draws--
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	if d := v.Draws() - draws; d != b.N {
		b.Fatalf("%d redraws for %d drags", d, b.N)
	}
	r := v.Drawn().Region
	b.ReportMetric(float64(r.Dx()*r.Dy())/1e6, "Mpx/op")
}
