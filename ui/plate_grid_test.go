package ui_test

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/browser"
)

// hcsPlate is an 8×12 plate of olive's in read-annotate with two runs:
// wells A1 and C2 have two fields in each run, at stage positions; the
// other 94 places are empty.
type hcsPlate struct {
	plate core.Ref
	// fields[well][run][field] is the field's image.
	fields map[string][2][2]core.Ref
	runs   [2]core.Ref
}

func newHCSPlate(t *testing.T, f *fixture) hcsPlate {
	t.Helper()
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(t.Context(), f.groups[core.ReadAnnotate].ID))
	h := hcsPlate{fields: map[string][2][2]core.Ref{}}
	h.plate = create(t, olive, core.Plate, "name", "HCS plate", "rows", "8", "columns", "12")
	h.runs[0] = create(t, olive, core.PlateAcquisition, "plate", h.plate.String(), "name", "Run 1")
	h.runs[1] = create(t, olive, core.PlateAcquisition, "plate", h.plate.String(), "name", "Run 2")
	for _, w := range []struct {
		name     string
		row, col string
	}{{"A1", "0", "0"}, {"C2", "2", "1"}} {
		well := create(t, olive, core.Well, "plate", h.plate.String(), "row", w.row, "column", w.col)
		var imgs [2][2]core.Ref
		for run := range 2 {
			for field := range 2 {
				name := w.name + " run " + string(rune('1'+run)) + " field " + string(rune('1'+field))
				imgs[run][field] = create(t, olive, core.Image, "name", name)
				create(t, olive, core.WellSample, "well", well.String(), "image", imgs[run][field].String(),
					"plateAcquisition", h.runs[run].String(), "positionX", []string{"0", "500"}[field], "positionY", "100")
			}
		}
		h.fields[w.name] = imgs
	}
	return h
}

// openPlate selects a plate at the top level of the tree (orphaned) or in
// the screen, and returns the plate view once drawn.
func openPlate(t *testing.T, u *ui.UI, plate core.Ref) *browser.PlateView {
	t.Helper()
	for _, uid := range u.Browser.Tree.ChildUIDs(widget.TreeNodeID(browse.Root)) {
		if r, _ := browse.Ref(uid); r == plate {
			u.Browser.Tree.Select(uid)
		}
		if r, _ := browse.Ref(uid); r.Class == core.Screen {
			u.Browser.Tree.OpenBranch(uid)
			for _, c := range u.Browser.Tree.ChildUIDs(uid) {
				if r, _ := browse.Ref(c); r == plate {
					u.Browser.Tree.Select(c)
				}
			}
		}
	}
	p := u.Browser.Plate
	if p.Plate() == nil || p.Plate().Plate.Ref != plate {
		t.Fatalf("selecting %s did not show its plate grid", plate)
	}
	if !p.Content().Visible() || u.Browser.Grid.Content().Visible() {
		t.Fatal("the plate grid is not shown in place of the thumbnail grid")
	}
	return p
}

func TestPlateGridLabelsRowsAndColumnsAndDrawsEmptyWellsEmpty(t *testing.T) {
	f := newFixture(t)
	h := newHCSPlate(t, f)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	p := openPlate(t, u, h.plate)
	texts := shown(p.Content())
	want := []string{"HCS plate", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "A", "B", "C", "D", "E", "F", "G", "H"}
	for _, s := range want {
		if !contains(texts, s) {
			t.Errorf("the plate grid does not show %q: %q", s, texts)
		}
	}
	if contains(texts, "I") || contains(texts, "13") {
		t.Errorf("an 8×12 plate shows a row I or column 13: %q", texts)
	}
	if img, isWell := p.WellImage("A1"); !isWell || img != h.fields["A1"][0][0] {
		t.Errorf("A1 draws %v (well %v), want its first field %v", img, isWell, h.fields["A1"][0][0])
	}
	if img, isWell := p.WellImage("B1"); isWell || !img.IsZero() {
		t.Errorf("the empty place B1 draws %v (well %v)", img, isWell)
	}
	if img, isWell := p.WellImage("H12"); isWell || !img.IsZero() {
		t.Errorf("the empty place H12 draws %v (well %v)", img, isWell)
	}
}

func TestFieldSelectorChangesWhatTheWellsDraw(t *testing.T) {
	f := newFixture(t)
	h := newHCSPlate(t, f)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	p := openPlate(t, u, h.plate)
	if !reflect.DeepEqual(p.Field.Options, []string{"Field 1", "Field 2", "Field 3", "Field 4"}) {
		t.Fatalf("with all runs the field selector offers %q", p.Field.Options)
	}
	p.PickWell("A1")
	p.Field.SetSelected("Field 2")
	if got := p.Fields(); len(got) != 4 {
		t.Errorf("after choosing Field 2 the picked well shows fields %q, want its 4", got)
	}
	for _, w := range []string{"A1", "C2"} {
		if img, _ := p.WellImage(w); img != h.fields[w][0][1] {
			t.Errorf("with Field 2, %s draws %v, want %v", w, img, h.fields[w][0][1])
		}
	}
}

func TestRunSelectorShowsOneRunsFields(t *testing.T) {
	f := newFixture(t)
	h := newHCSPlate(t, f)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	p := openPlate(t, u, h.plate)
	if !p.Run.Visible() || !reflect.DeepEqual(p.Run.Options, []string{"All runs", "Run 1", "Run 2"}) {
		t.Fatalf("a plate with two runs offers runs %q (visible %v)", p.Run.Options, p.Run.Visible())
	}
	p.Run.SetSelected("Run 2")
	if !reflect.DeepEqual(p.Field.Options, []string{"Field 1", "Field 2"}) {
		t.Errorf("one run's wells have two fields, the selector offers %q", p.Field.Options)
	}
	if img, _ := p.WellImage("C2"); img != h.fields["C2"][1][0] {
		t.Errorf("in Run 2, C2 draws %v, want %v", img, h.fields["C2"][1][0])
	}
	p.Field.SetSelected("Field 2")
	if img, _ := p.WellImage("A1"); img != h.fields["A1"][1][1] {
		t.Errorf("in Run 2 field 2, A1 draws %v, want %v", img, h.fields["A1"][1][1])
	}
}

func TestPickingAWellShowsItsFieldsAndTheirMap(t *testing.T) {
	f := newFixture(t)
	h := newHCSPlate(t, f)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	p := openPlate(t, u, h.plate)
	p.Run.SetSelected("Run 1")
	if !p.PickWell("C2") {
		t.Fatal("no well C2 to pick")
	}
	if got := p.Fields(); !reflect.DeepEqual(got, []string{"C2 run 1 field 1", "C2 run 1 field 2"}) {
		t.Errorf("well C2 in Run 1 shows fields %q", got)
	}
	if !contains(shown(p.Content()), "Well C2: 2 fields") {
		t.Errorf("the well panel does not name the well: %q", shown(p.Content()))
	}
	// Field 1 at x=0, field 2 at x=500, same y: side by side, left to right.
	m := p.FieldMap()
	if len(m) != 2 || !(m[0].X < m[1].X) || m[0].Y != m[1].Y {
		t.Errorf("the field map places the fields at %v", m)
	}
	if title := shown(u.Browser.Details())[0]; title != "C2" {
		t.Errorf("the details panel shows %q, want the well C2", title)
	}
	if n, _ := after(shown(u.Browser.Details()), "Contains"); n != "4 fields" {
		t.Errorf("the details say well C2 contains %q, want its 4 fields (2 runs × 2)", n)
	}
}

// The fixture's screen plate holds one well at row 1, column 2: it is B3,
// drawn in a 2×3 grid, not A1.
func TestSparsePlateShowsItsOnlyWellAtB3(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	p := openPlate(t, u, f.plate)
	if img, isWell := p.WellImage("B3"); !isWell || img != f.wellImage {
		t.Errorf("B3 draws %v (well %v), want %v", img, isWell, f.wellImage)
	}
	if _, isWell := p.WellImage("A1"); isWell {
		t.Error("the only well is drawn at A1")
	}
	texts := shown(p.Content())
	for _, s := range []string{"A", "B", "1", "2", "3"} {
		if !contains(texts, s) {
			t.Errorf("the sparse plate's grid lacks the label %q: %q", s, texts)
		}
	}
	if !p.PickWell("B3") || !reflect.DeepEqual(p.Fields(), []string{"B3 field 1"}) {
		t.Errorf("picking B3 shows fields %q", p.Fields())
	}
}
