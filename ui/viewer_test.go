package ui_test

import (
	"bytes"
	"context"
	"image"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// Selecting a dataset shows its images in the grid, each with its name and
// a thumbnail drawn at the 96 pixels shown.
func TestGridShowsTheDatasetsThumbnails(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	g := u.Browser.Grid
	var names []string
	for _, im := range g.Images() {
		names = append(names, im.Name)
	}
	if want := []string{"read-annotate-cells-1.ome.tiff", "read-annotate-cells-2.ome.tiff"}; strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("the grid lists %q, want %q", names, want)
	}
	texts := shown(g.Content())
	for _, n := range names {
		if !contains(texts, n) {
			t.Errorf("the grid does not show the name %q: %q", n, texts)
		}
	}
	if !contains(texts, "2 images") {
		t.Errorf("the grid does not say how many images it shows: %q", texts)
	}
	cells := gridCells(g.Grid)
	if len(cells) != 2 {
		t.Fatalf("the grid shows %d cells, want 2", len(cells))
	}
	for i, c := range cells {
		img := thumbnail(c.(fyne.CanvasObject))
		if img == nil {
			t.Fatalf("cell %d shows no thumbnail", i)
		}
		side := int(96 * u.Window.Canvas().Scale())
		if b := img.Bounds(); max(b.Dx(), b.Dy()) != side {
			t.Errorf("cell %d's thumbnail is %v, want its longest side drawn at the %d pixels shown", i, b, side)
		}
	}
}

// A member opening olive's image sees olive's saved settings, drawn at the
// size of the window.
func TestViewerOpensWithTheOwnersSettingsForAMember(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	olive := testrepo.Login(t, f.svc, "olive", password)
	img := f.images[core.ReadAnnotate][0]
	saveWindow(t, olive, img, 0, 111, 2222)

	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	m := v.Model()
	if m.Image != img {
		t.Fatalf("the viewer opened %s, want %s", m.Image, img)
	}
	if cs := m.Settings.Channels[0]; cs.Start != 111 || cs.End != 2222 {
		t.Errorf("the viewer shows channel 1's window %v..%v, want olive's 111..2222", cs.Start, cs.End)
	}
	if !strings.Contains(m.Whose(), "olive") {
		t.Errorf("the viewer says it shows %q, want olive's settings", m.Whose())
	}
	r := v.Controls().Channels[0]
	if r.Start.Text != "111" || r.End.Text != "2222" || r.Window.Low != 111 || r.Window.High != 2222 {
		t.Errorf("channel 1's controls show %s..%s (slider %v..%v), want 111..2222", r.Start.Text, r.End.Text, r.Window.Low, r.Window.High)
	}
	pic := v.Picture()
	if pic == nil {
		t.Fatalf("no picture drawn: %s", v.Status())
	}
	if b := pic.Bounds(); b.Dx() < 400 {
		t.Errorf("the picture is %v: not drawn at the size of the window", b)
	}
	if texts := shown(v.Window.Content()); contains(texts, "T 1 of 1") || !contains(texts, "Z 2 of 3") {
		t.Errorf("want a Z slider on the middle plane and no T slider for 3 planes and 1 timepoint: %q", texts)
	}
}

// Dragging a channel's window slider redraws the picture with the new window.
func TestMovingAWindowSliderChangesThePicture(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	before := snapshot(v.Picture())
	draws := v.Draws()
	s := v.Controls().Channels[0].Window
	high := s.High
	dragSlider(s, 0.95, 0.4) // the high thumb, from near the right end to 40%
	if s.High >= high {
		t.Fatalf("the high thumb did not move: %v, was %v", s.High, high)
	}
	if got := v.Model().Settings.Channels[0].End; got != s.High {
		t.Errorf("the window's end is %v, the slider shows %v", got, s.High)
	}
	if v.Draws() == draws || bytes.Equal(before, snapshot(v.Picture())) {
		t.Error("the picture did not change when the window narrowed")
	}
	if texts := shown(v.Window.Content()); !contains(texts, "o olive's settings (the owner's) — changed, not saved") {
		t.Errorf("the viewer does not say that olive's settings are shown, changed: %q", texts)
	}
}

// The Z slider shows another plane.
func TestZSliderChangesThePlane(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	c := v.Controls()
	if !c.Z.Visible() {
		t.Fatal("no Z slider for an image of 3 planes")
	}
	before := snapshot(v.Picture())
	z := v.Model().Settings.DefaultZ
	c.Z.SetValue(float64((z + 1) % 3))
	if v.Model().Settings.DefaultZ == z {
		t.Fatal("moving the Z slider did not change the plane")
	}
	if bytes.Equal(before, snapshot(v.Picture())) {
		t.Error("the picture did not change with the plane")
	}
	if texts := shown(v.Window.Content()); !contains(texts, "Z "+itoa(v.Model().Settings.DefaultZ+1)+" of 3") {
		t.Errorf("the plane label is not shown: %q", texts)
	}
	// Scripts (scripts/e2e) wait on this line to know the new plane is on screen.
	if want := " z=" + itoa(v.Model().Settings.DefaultZ) + " "; !strings.Contains(v.Shown(), want) {
		t.Errorf("the viewer describes its picture as %q, want it to contain %q", v.Shown(), want)
	}
}

// In a read-annotate group a member's Save creates their own settings and
// leaves the owner's as they were (spec §5.2).
func TestSaveByAMemberKeepsTheOwnersSettings(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	olive := testrepo.Login(t, f.svc, "olive", password)
	img := f.images[core.ReadAnnotate][0]
	owners := saveWindow(t, olive, img, 0, 111, 2222)

	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	dragSlider(v.Controls().Channels[0].Window, 0.05, 0.3) // the low thumb up
	start := v.Model().Settings.Channels[0].Start
	test.Tap(v.Controls().Save)
	if !strings.Contains(v.Status(), "Saved") {
		t.Fatalf("after Save the viewer says %q", v.Status())
	}
	defs, err := olive.RenderingDefs(context.Background(), img)
	must(t, err)
	if len(defs) != 2 {
		t.Fatalf("the image has %d settings after mike saved, want olive's and mike's", len(defs))
	}
	for _, d := range defs {
		got := d.Settings.Channels[0].Start
		switch {
		case d.Def == owners.Def && got != 111:
			t.Errorf("olive's window start changed to %v", got)
		case d.Def != owners.Def && got != start:
			t.Errorf("mike's saved window start is %v, want %v", got, start)
		}
	}
	if !strings.HasPrefix(v.Model().Whose(), "Your settings") || v.Model().Unsaved() {
		t.Errorf("after Save the viewer says %q (unsaved %v)", v.Model().Whose(), v.Model().Unsaved())
	}
}

// In a private group the PI sees olive's image and may adjust it, but Save
// is refused with the reason, and nothing is stored.
func TestSaveOnAnothersImageInAPrivateGroupIsRefused(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	img := f.images[core.Private][0]
	u := browseImaging(t, f, "pia", core.Private)
	v := openViewer(t, u, 0)
	if v.Model().Image != img {
		t.Fatalf("pia opened %s, want olive's %s", v.Model().Image, img)
	}
	test.Tap(v.Controls().MinMax)
	test.Tap(v.Controls().Save)
	olive := testrepo.Login(t, f.svc, "olive", password)
	pia := testrepo.Login(t, f.svc, "pia", password)
	_, refusal := pia.SaveRendering(context.Background(), img, v.Model().Settings)
	if refusal == nil {
		t.Fatal("the repository let pia save settings on olive's image in a private group")
	}
	if v.Status() != core.UserMessage(refusal) {
		t.Errorf("after Save the viewer says %q, want the refusal %q", v.Status(), core.UserMessage(refusal))
	}
	defs, err := olive.RenderingDefs(context.Background(), img)
	must(t, err)
	for _, d := range defs {
		if d.OwnerName != "" && strings.Contains(strings.ToLower(d.OwnerName), "pia") {
			t.Errorf("pia's settings were stored: %+v", d)
		}
	}
}

// Copy on one image and Paste on another stores the first's settings as
// the user's own on the second and shows them.
func TestCopyPasteSettingsBetweenImages(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	first := openViewer(t, u, 0)
	first.Controls().Channels[1].Color.SetSelected("LUT: fire")
	test.Tap(first.Controls().Save)
	test.Tap(first.Controls().Copy)
	second := openViewer(t, u, 1)
	test.Tap(second.Controls().Paste)
	if !strings.HasPrefix(second.Status(), "Pasted") {
		t.Fatalf("after Paste the viewer says %q", second.Status())
	}
	if got := second.Model().Settings.Channels[1].LUT; got != "fire" {
		t.Errorf("the pasted channel 2 has LUT %q, want fire", got)
	}
	if got := second.Controls().Channels[1].Color.Selected; got != "LUT: fire" {
		t.Errorf("channel 2's menu shows %q after Paste", got)
	}
}

func saveWindow(t *testing.T, s core.Session, img core.Ref, c int, start, end float64) core.RenderingDefView {
	t.Helper()
	ctx := context.Background()
	def, err := s.ViewerRendering(ctx, img)
	must(t, err)
	def.Settings.Channels[c].Start, def.Settings.Channels[c].End = start, end
	saved, err := s.SaveRendering(ctx, img, def.Settings)
	must(t, err)
	return saved
}

// dragSlider drags a range slider from one fraction of its width to another.
func dragSlider(s interface {
	fyne.Draggable
	Size() fyne.Size
}, from, to float32) {
	w, h := s.Size().Width, s.Size().Height
	s.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(to*w, h/2)}, Dragged: fyne.NewDelta((to-from)*w, 0)})
	s.DragEnd()
}

func snapshot(img *image.RGBA) []byte {
	if img == nil {
		return nil
	}
	return append([]byte(nil), img.Pix...)
}

func itoa(i int) string { return strconv.Itoa(i) }

// Thumbnails show the owner's settings (spec §5.5): the owner's Save
// redraws the grid's thumbnail, a member's Save does not change it.
func TestThumbnailFollowsTheOwnersSaveOnly(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	for _, c := range []struct {
		user    string
		changes bool
	}{{"mike", false}, {"olive", true}} {
		u := browseImaging(t, f, c.user, core.ReadAnnotate)
		cell := gridCells(u.Browser.Grid.Grid)[0].(fyne.CanvasObject)
		before := snapshot(thumbnail(cell).(*image.RGBA))
		v := openViewer(t, u, 0)
		v.Controls().Channels[0].Color.SetSelected("LUT: fire")
		v.Controls().Channels[1].Active.SetChecked(false)
		test.Tap(v.Controls().Save)
		if !strings.HasPrefix(v.Status(), "Saved") {
			t.Fatalf("%s: Save says %q", c.user, v.Status())
		}
		after := snapshot(thumbnail(cell).(*image.RGBA))
		if changed := !bytes.Equal(before, after); changed != c.changes {
			t.Errorf("%s saved: the thumbnail changed %v, want %v", c.user, changed, c.changes)
		}
		u.Close()
	}
}
