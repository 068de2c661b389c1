package ui_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui/viewer"
)

// openOptions taps channel c's "⋯" button and returns its popup's controls.
func openOptions(t *testing.T, v *viewer.View, c int) *viewer.ChannelOptions {
	t.Helper()
	o := v.Controls().Channels[c].More
	test.Tap(o.Button)
	if !o.Shown() {
		t.Fatalf("tapping channel %d's ⋯ button opened no popup", c+1)
	}
	return o
}

// submit presses Enter in an entry after typing text into it.
func submit(e *widget.Entry, text string) {
	e.SetText(text)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// Reverse intensity, in a channel's popup, inverts the channel in the
// picture and is an unsaved change.
func TestReverseIntensityChangesThePicture(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	before := snapshot(v.Picture())
	o := openOptions(t, v, 0)
	test.Tap(o.Reverse)
	if !v.Model().Settings.Channels[0].Reverse {
		t.Fatal("checking Reverse intensity did not reverse channel 1")
	}
	if v.Model().Settings.Channels[1].Reverse {
		t.Error("channel 2 was reversed too")
	}
	if bytes.Equal(before, snapshot(v.Picture())) {
		t.Error("the picture did not change when channel 1 was reversed")
	}
	if texts := shown(v.Window.Content()); !strings.Contains(strings.Join(texts, "\n"), "— changed, not saved") {
		t.Errorf("the viewer does not say the settings changed: %q", texts)
	}
}

// Polynomial with coefficient 2 darkens the mid-tones: the picture changes.
// The coefficient is offered only for the families that use it.
func TestPolynomialFamilyChangesThePicture(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	before := snapshot(v.Picture())
	o := openOptions(t, v, 1)
	if o.Family.Selected != "Linear" || !o.Coefficient.Disabled() || !o.Gamma.Disabled() {
		t.Errorf("channel 2 shows family %q with the coefficient disabled %v: want Linear, disabled", o.Family.Selected, o.Coefficient.Disabled())
	}
	o.Family.SetSelected("Polynomial")
	if o.Coefficient.Disabled() {
		t.Error("the polynomial's coefficient cannot be changed")
	}
	submit(o.Coefficient, "2")
	cs := v.Model().Settings.Channels[1]
	if cs.Family != render.Polynomial || cs.Coefficient != 2 {
		t.Fatalf("channel 2 is %s k=%v, want polynomial k=2", cs.Family, cs.Coefficient)
	}
	if o.Gamma.Value != 2 {
		t.Errorf("the coefficient slider shows %v, want 2", o.Gamma.Value)
	}
	if bytes.Equal(before, snapshot(v.Picture())) {
		t.Error("the picture did not change with a polynomial of coefficient 2")
	}
	// A coefficient out of range is refused with the reason.
	submit(o.Coefficient, "500")
	if got := v.Model().Settings.Channels[1].Coefficient; got != 2 || o.Coefficient.Text != "2" {
		t.Errorf("coefficient 500 gave %v (entry %q), want 2 kept", got, o.Coefficient.Text)
	}
	if !strings.Contains(v.Status(), "at most 100") {
		t.Errorf("a refused coefficient says %q", v.Status())
	}
}

// A maximum projection over every plane shows what app/rendering draws for
// it, not plane Z; the Z slider is disabled meanwhile; a mean over part of
// the stack follows the range slider.
func TestProjectionShowsWhatTheRendererProjects(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	c := v.Controls()
	if c.Projection == nil {
		t.Fatal("no Projection section for an image of 3 planes")
	}
	plane := snapshot(v.Picture())
	c.Projection.Kind.SetSelected("Maximum intensity")
	p := v.Model().Settings.Projection
	if p == nil || p.Kind != render.ProjectMax || p.StartZ != 0 || p.EndZ != 2 {
		t.Fatalf("the settings' projection is %+v, want max over Z 0..2", p)
	}
	if !c.Z.Disabled() {
		t.Error("the Z slider stays enabled while a projection is shown")
	}
	if texts := shown(v.Window.Content()); !contains(texts, "Z 1–3 of 3") {
		t.Errorf("the projection's range is not shown: %q", texts)
	}
	pic := v.Picture()
	if bytes.Equal(plane, snapshot(pic)) {
		t.Fatal("the picture still shows plane Z")
	}
	mike := testrepo.Login(t, f.svc, "mike", password)
	svc := rendering.New(rendering.Config{Session: mike})
	t.Cleanup(func() { svc.Close() })
	want := func(s render.Settings, pr render.Projection) []byte {
		t.Helper()
		size := max(v.Picture().Bounds().Dx(), v.Picture().Bounds().Dy())
		img, err := svc.Render(context.Background(), v.Model().Image, s, rendering.View{Size: size, Projection: &pr})
		must(t, err)
		return snapshot(img)
	}
	if !bytes.Equal(snapshot(pic), want(v.Model().Settings, *p)) {
		t.Error("the projected picture differs from what app/rendering draws for a maximum over Z 1–3")
	}

	// Mean over the first two planes: drag the high thumb to the middle.
	c.Projection.Kind.SetSelected("Mean intensity")
	dragSlider(c.Projection.Range, 0.99, 0.5)
	p = v.Model().Settings.Projection
	if p.Kind != render.ProjectMean || p.StartZ != 0 || p.EndZ != 1 {
		t.Fatalf("after dragging the range the projection is %+v, want mean over 0..1", p)
	}
	if texts := shown(v.Window.Content()); !contains(texts, "Z 1–2 of 3") {
		t.Errorf("the range label does not follow: %q", texts)
	}
	if !bytes.Equal(snapshot(v.Picture()), want(v.Model().Settings, *p)) {
		t.Error("the mean projection differs from what app/rendering draws")
	}

	c.Projection.Kind.SetSelected("None")
	if v.Model().Settings.Projection != nil || c.Z.Disabled() {
		t.Errorf("None leaves projection %+v, Z slider disabled %v", v.Model().Settings.Projection, c.Z.Disabled())
	}
	if !bytes.Equal(plane, snapshot(v.Picture())) {
		t.Error("None does not show plane Z again")
	}
}

// Save keeps reverse, family, coefficient and the projection as the
// user's settings.
func TestSaveKeepsReverseFamilyAndProjection(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	img := f.images[core.ReadAnnotate][0]
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	test.Tap(openOptions(t, v, 0).Reverse)
	o := openOptions(t, v, 1)
	o.Family.SetSelected("Exponential")
	submit(o.Coefficient, "0.5")
	v.Controls().Projection.Kind.SetSelected("Sum intensity")
	test.Tap(v.Controls().Save)
	if !strings.HasPrefix(v.Status(), "Saved") {
		t.Fatalf("Save says %q", v.Status())
	}
	mike := testrepo.Login(t, f.svc, "mike", password)
	def, err := mike.ViewerRendering(context.Background(), img)
	must(t, err)
	s := def.Settings
	if !s.Channels[0].Reverse || s.Channels[1].Reverse {
		t.Errorf("saved reverse: %v, %v; want channel 1 only", s.Channels[0].Reverse, s.Channels[1].Reverse)
	}
	if s.Channels[1].Family != render.Exponential || s.Channels[1].Coefficient != 0.5 {
		t.Errorf("saved channel 2 is %s k=%v, want exponential k=0.5", s.Channels[1].Family, s.Channels[1].Coefficient)
	}
	if p := s.Projection; p == nil || p.Kind != render.ProjectSum || p.EndZ != 2 {
		t.Errorf("saved projection %+v, want sum over 0..2", p)
	}
	if v.Model().Unsaved() || !strings.HasPrefix(v.Model().Whose(), "Your settings") {
		t.Errorf("after Save the viewer says %q (unsaved %v)", v.Model().Whose(), v.Model().Unsaved())
	}

	// Imported shows the import defaults: no reverse, linear, no projection.
	test.Tap(v.Controls().Imported)
	m := v.Model()
	if m.Settings.Channels[0].Reverse || m.Settings.Channels[1].Family != render.Linear || m.Projecting() || v.Controls().Z.Disabled() {
		t.Errorf("Imported kept reverse %v, family %s, projection %+v", m.Settings.Channels[0].Reverse, m.Settings.Channels[1].Family, m.Settings.Projection)
	}
	if got := v.Controls().Projection.Kind.Selected; got != "None" {
		t.Errorf("after Imported the projection menu shows %q", got)
	}
}

// The owner renames a channel: the viewer shows the new name and the
// repository has it.
func TestOwnerRenamesAChannel(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	img := f.images[core.ReadAnnotate][0]
	u := browseImaging(t, f, "olive", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	o := openOptions(t, v, 0)
	if o.Name.Text != "DAPI" {
		t.Fatalf("the name entry shows %q, want DAPI", o.Name.Text)
	}
	o.Name.SetText("  Nuclei ")
	test.Tap(o.Rename)
	if !strings.HasPrefix(v.Status(), "Renamed") {
		t.Fatalf("after Rename the viewer says %q", v.Status())
	}
	texts := shown(v.Window.Content())
	if !contains(texts, "Nuclei") || contains(texts, "DAPI") {
		t.Errorf("the channel rows show %q, want Nuclei instead of DAPI", texts)
	}
	if got := v.Model().ChannelName(0); got != "Nuclei" {
		t.Errorf("the viewer calls channel 1 %q", got)
	}
	olive := testrepo.Login(t, f.svc, "olive", password)
	src, err := olive.PixelSource(context.Background(), img)
	must(t, err)
	if src.Channels[0].Name != "Nuclei" || src.Channels[1].Name != "GFP" {
		t.Errorf("the repository names the channels %q, %q; want Nuclei, GFP", src.Channels[0].Name, src.Channels[1].Name)
	}
}

// A member may not rename the channels of olive's image in a read-annotate
// group: the viewer's name field is read-only and says why, and the
// repository refuses too.
func TestRenameOnAnothersImageIsRefused(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	img := f.images[core.ReadAnnotate][0]
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	o := openOptions(t, v, 0)
	if !o.Name.Disabled() || !o.Rename.Disabled() {
		t.Error("mike may not edit olive's image, yet its channel name can be changed")
	}
	if texts := shown(v.Window.Canvas().Overlays().Top()); !contains(texts, "Only users who may edit this image can rename its channels.") {
		t.Errorf("the popup does not say why the name is read-only: %q", texts)
	}
	test.Tap(o.Rename)
	mike := testrepo.Login(t, f.svc, "mike", password)
	_, refusal := mike.RenameChannels(context.Background(), img, []string{"Nuclei", ""})
	if refusal == nil {
		t.Fatal("the repository let mike rename olive's channels")
	}
	if o.Name.Text != "DAPI" || v.Model().ChannelName(0) != "DAPI" {
		t.Errorf("after the refusal the entry shows %q and the viewer calls the channel %q, want DAPI", o.Name.Text, v.Model().ChannelName(0))
	}
	if texts := shown(v.Window.Content()); contains(texts, "Nuclei") {
		t.Errorf("the refused name is shown: %q", texts)
	}
	src, err := mike.PixelSource(context.Background(), img)
	must(t, err)
	if src.Channels[0].Name != "DAPI" {
		t.Errorf("the repository renamed channel 1 to %q", src.Channels[0].Name)
	}
}
