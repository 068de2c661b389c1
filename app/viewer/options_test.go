package viewer_test

import (
	"math"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/viewer"
	"github.com/ocular-lab/ocular/core/render"
)

func TestReverseIsAnUnsavedChange(t *testing.T) {
	m := newModel(t, me, true)
	if m.Reverse(1) {
		t.Fatal("a freshly loaded channel is reversed")
	}
	m.SetReverse(1, true)
	if !m.Reverse(1) || !m.Settings.Channels[1].Reverse || m.Settings.Channels[0].Reverse {
		t.Errorf("reverse on channel 2 gives %+v", m.Settings.Channels)
	}
	if !m.Unsaved() {
		t.Error("reversing a channel is not an unsaved change")
	}
	m.SetReverse(1, false)
	if m.Unsaved() {
		t.Error("reversing back still counts as a change")
	}
}

func TestFamilyAndItsCoefficient(t *testing.T) {
	m := newModel(t, me, true)
	if m.Family(0) != render.Linear || m.Coefficient(0) != 1 {
		t.Fatalf("the defaults are %s k=%v, want linear k=1", m.Family(0), m.Coefficient(0))
	}
	if err := m.SetFamily(0, render.Polynomial, 2); err != nil {
		t.Fatal(err)
	}
	if cs := m.Settings.Channels[0]; cs.Family != render.Polynomial || cs.Coefficient != 2 || !m.Unsaved() {
		t.Errorf("polynomial k=2 gives %s k=%v (unsaved %v)", cs.Family, cs.Coefficient, m.Unsaved())
	}
	// Coefficients a polynomial or an exponential cannot have are refused
	// and change nothing.
	for _, c := range []struct {
		f render.Family
		k float64
	}{{render.Polynomial, 0}, {render.Exponential, -1}, {render.Exponential, 101}, {render.Polynomial, math.NaN()}} {
		err := m.SetFamily(0, c.f, c.k)
		if err == nil || !strings.Contains(err.Error(), "coefficient") {
			t.Errorf("%s with k=%v: error %v, want a refusal naming the coefficient", c.f, c.k, err)
		}
		if cs := m.Settings.Channels[0]; cs.Family != render.Polynomial || cs.Coefficient != 2 {
			t.Errorf("a refused %s k=%v changed the channel to %s k=%v", c.f, c.k, cs.Family, cs.Coefficient)
		}
	}
	if err := m.SetFamily(0, render.Exponential, 100); err != nil {
		t.Errorf("the largest coefficient is refused: %v", err)
	}
	// Linear and logarithmic ignore k: any k is accepted and the channel
	// keeps its coefficient for when it goes back to polynomial.
	if err := m.SetFamily(0, render.Logarithmic, -5); err != nil {
		t.Errorf("logarithmic refused an ignored coefficient: %v", err)
	}
	if cs := m.Settings.Channels[0]; cs.Family != render.Logarithmic || cs.Coefficient != 100 {
		t.Errorf("logarithmic gives %s k=%v, want logarithmic keeping k=100", cs.Family, cs.Coefficient)
	}
	if err := m.SetFamily(0, "gamma", 1); err == nil {
		t.Error("an unknown family was accepted")
	}
	if err := m.Settings.Validate(render.PixelsInfo{SizeC: 2, SizeZ: 5, SizeT: 3}); err != nil {
		t.Errorf("the settings no longer validate: %v", err)
	}
	if viewer.HasCoefficient(render.Linear) || viewer.HasCoefficient(render.Logarithmic) || !viewer.HasCoefficient(render.Exponential) {
		t.Error("HasCoefficient is wrong")
	}
	for _, name := range viewer.FamilyNames() {
		if f, ok := viewer.ParseFamily(name); !ok || viewer.FamilyName(f) != name {
			t.Errorf("menu entry %q does not round-trip", name)
		}
	}
	if k, err := viewer.ParseCoefficient(" 1,5 "); err != nil || k != 1.5 {
		t.Errorf("1,5 reads as %v, %v", k, err)
	}
	if _, err := viewer.ParseCoefficient("NaN"); err == nil {
		t.Error("NaN reads as a coefficient")
	}
}

func TestProjectionIsClampedAndOrdered(t *testing.T) {
	m := newModel(t, me, true) // 5 planes
	if m.Projecting() || m.ProjectionName() != "None" {
		t.Fatal("a freshly loaded image is projected")
	}
	if s, e := m.ProjectionRange(); s != 0 || e != 4 {
		t.Errorf("the range offered is %d..%d, want every plane 0..4", s, e)
	}
	if err := m.SetProjection(render.ProjectMax, 7, -2); err != nil {
		t.Fatal(err)
	}
	p := m.Settings.Projection
	if p == nil || p.Kind != render.ProjectMax || p.StartZ != 0 || p.EndZ != 4 {
		t.Fatalf("maximum over 7..-2 gives %+v, want max over 0..4", p)
	}
	if !m.Projecting() || m.ProjectionName() != "Maximum intensity" || !m.Unsaved() {
		t.Errorf("projecting %v, menu %q, unsaved %v", m.Projecting(), m.ProjectionName(), m.Unsaved())
	}
	if err := m.SetProjection(render.ProjectMean, 3, 1); err != nil {
		t.Fatal(err)
	}
	if s, e := m.ProjectionRange(); s != 1 || e != 3 {
		t.Errorf("mean over 3..1 gives %d..%d, want 1..3", s, e)
	}
	if got := m.ProjectionLabel(1, 3); got != "Z 2–4 of 5" {
		t.Errorf("the range label is %q", got)
	}
	if err := m.Settings.Validate(render.PixelsInfo{SizeC: 2, SizeZ: 5, SizeT: 3}); err != nil {
		t.Errorf("the projected settings do not validate: %v", err)
	}
	if err := m.SetProjection("median", 0, 1); err == nil || m.Settings.Projection.Kind != render.ProjectMean {
		t.Errorf("an unknown projection: error %v, projection %+v", err, m.Settings.Projection)
	}
	// Imported shows the import defaults, which have no projection.
	m.Imported()
	if m.Projecting() {
		t.Error("Imported kept the projection")
	}
	if err := m.SetProjection(render.ProjectSum, 0, 4); err != nil {
		t.Fatal(err)
	}
	if err := m.SetProjection(render.ProjectNone, 0, 4); err != nil || m.Settings.Projection != nil {
		t.Errorf("None leaves %+v (%v)", m.Settings.Projection, err)
	}
	for _, name := range viewer.ProjectionNames() {
		if k, ok := viewer.ParseProjection(name); !ok || (k == render.ProjectNone) != (name == "None") {
			t.Errorf("menu entry %q reads as %q", name, k)
		}
	}
}

func TestRenameChecksTheName(t *testing.T) {
	m := newModel(t, olive, true)
	names, err := m.RenameNames(1, "  GFP-long  ")
	if err != nil || len(names) != 2 || names[0] != "" || names[1] != "GFP-long" {
		t.Fatalf("renaming channel 2 asks for %q (%v), want [\"\" \"GFP-long\"]", names, err)
	}
	for _, bad := range []string{"", "   ", "a\tb", strings.Repeat("x", 256)} {
		if _, err := m.RenameNames(0, bad); err == nil {
			t.Errorf("the name %q was accepted", bad)
		}
	}
	if _, err := m.RenameNames(2, "x"); err == nil {
		t.Error("a third channel of a two-channel image was renamed")
	}
	m.Settings.Channels[1].Label = "old label"
	m.Renamed(1, " GFP-long ")
	if got := m.ChannelName(1); got != "GFP-long" {
		t.Errorf("after renaming, channel 2 is called %q", got)
	}
}
