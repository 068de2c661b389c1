package grid

import (
	"reflect"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

func view(class core.Class, id core.ID, attrs map[string]any) core.ObjectView {
	return core.ObjectView{Object: core.Object{Ref: core.Ref{Class: class, ID: id}, Attrs: attrs}}
}

func well(id core.ID, row, col int) core.ObjectView {
	return view(core.Well, id, map[string]any{"row": float64(row), "column": float64(col)})
}

func TestPlateDrawsEveryPlaceOfItsSizeAndNamesWellsFromTheirPlace(t *testing.T) {
	plate := view(core.Plate, 1, map[string]any{"rows": float64(8), "columns": float64(12)})
	sample := core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.WellSample, ID: 5}, Parent: 2, Child: 9,
		Attrs: map[string]any{"positionX": 1.5, "positionY": 2.5}}}
	p := buildPlate(plate, []core.ObjectView{well(2, 1, 2), sample, view(core.Image, 9, nil)})
	if len(p.RowPlaces) != 8 || len(p.ColumnPlaces) != 12 {
		t.Fatalf("an 8×12 plate draws %d×%d places", len(p.RowPlaces), len(p.ColumnPlaces))
	}
	w := p.Well(1, 2)
	if w == nil || w.Name() != "B3" || len(w.Fields) != 1 || w.Fields[0].Image.ID != 9 || !w.Fields[0].HasPosition || w.Fields[0].X != 1.5 {
		t.Fatalf("well at B3: %+v", w)
	}
	if p.Well(0, 0) != nil {
		t.Error("A1 holds a well although the plate has none there")
	}
	if RowLabel(0) != "A" || RowLabel(15) != "P" || RowLabel(26) != "AA" || ColumnLabel(23) != "24" {
		t.Error("labels are not lettered A–P and numbered 1–24")
	}
}

// A plate whose stored size or well places would ask for millions of cells
// draws only the rows and columns that hold wells.
func TestHugePlateDrawsOnlyTheRowsAndColumnsThatHoldWells(t *testing.T) {
	plate := view(core.Plate, 1, map[string]any{"rows": float64(1 << 30), "columns": float64(1 << 30)})
	p := buildPlate(plate, []core.ObjectView{well(2, 0, 0), well(3, 60000, 70000)})
	if !reflect.DeepEqual(p.RowPlaces, []int{0, 60000}) || !reflect.DeepEqual(p.ColumnPlaces, []int{0, 70000}) {
		t.Errorf("rows %v, columns %v", p.RowPlaces, p.ColumnPlaces)
	}
	var many []core.ObjectView
	for i := range 10000 {
		many = append(many, well(core.ID(i+2), i, i))
	}
	p = buildPlate(plate, many)
	if n := len(p.RowPlaces) * len(p.ColumnPlaces); n > maxPlateCells {
		t.Errorf("a diagonal of 10,000 wells draws %d places", n)
	}
}

func TestFieldsOfOneRun(t *testing.T) {
	w := &PlateWell{Fields: []Field{{Run: 1}, {Run: 2}, {Run: 1}}}
	if len(w.FieldsOf(0)) != 3 || len(w.FieldsOf(1)) != 2 || len(w.FieldsOf(3)) != 0 {
		t.Error("FieldsOf does not keep the run's fields")
	}
}
