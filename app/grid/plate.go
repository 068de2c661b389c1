package grid

import (
	"context"
	"sort"
	"strconv"

	"github.com/ocular-lab/ocular/core"
)

// maxPlateCells bounds the wells a plate grid draws: four 1536-well plates.
// A plate whose stored size or well positions ask for more (a hostile or
// broken file) is drawn with only the rows and columns that hold wells.
const maxPlateCells = 4 * 1536

// Plate is what the plate grid draws: the wells at their places on the
// plate, each with its fields, and the plate's runs.
type Plate struct {
	Plate core.ObjectView
	// RowPlaces and ColumnPlaces are the plate rows and columns drawn, in
	// order (0 is row A or column 1); normally every row and column of the
	// plate, fewer for a plate too big to draw whole.
	RowPlaces, ColumnPlaces []int
	// Runs are the plate's acquisitions (PlateAcquisition), by name.
	Runs  []core.ObjectView
	wells map[[2]int]*PlateWell
}

// PlateWell is one well with its fields in the order they were imported.
type PlateWell struct {
	Well        core.ObjectView
	Row, Column int
	Fields      []Field
}

// Field is one well sample: its image, its run and its position in the
// well (the stage position the microscope recorded, when one was).
type Field struct {
	Image       core.ObjectView
	Run         core.ID
	X, Y        float64
	HasPosition bool
}

// Name is the well's name from its own row and column ("B3").
func (w *PlateWell) Name() string { return core.WellName(w.Row, w.Column) }

// FieldsOf are the well's fields in run (zero: every run).
func (w *PlateWell) FieldsOf(run core.ID) []Field {
	if run == 0 {
		return w.Fields
	}
	var out []Field
	for _, f := range w.Fields {
		if f.Run == run {
			out = append(out, f)
		}
	}
	return out
}

// Well is the well at a plate place, or nil where the plate has none.
func (p *Plate) Well(row, col int) *PlateWell { return p.wells[[2]int{row, col}] }

// Wells are the wells in row-major order.
func (p *Plate) Wells() []*PlateWell {
	out := make([]*PlateWell, 0, len(p.wells))
	for _, w := range p.wells {
		out = append(out, w)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Row != out[j].Row {
			return out[i].Row < out[j].Row
		}
		return out[i].Column < out[j].Column
	})
	return out
}

// FieldCount is the most fields a well has in run (zero: every run): the
// choices of the field selector.
func (p *Plate) FieldCount(run core.ID) int {
	n := 0
	for _, w := range p.wells {
		n = max(n, len(w.FieldsOf(run)))
	}
	return n
}

// RowLabel names a plate row as plates are lettered: A…Z, AA…
func RowLabel(row int) string {
	name := core.WellName(row, 0)
	return name[:len(name)-1]
}

// ColumnLabel names a plate column as plates number them, from 1.
func ColumnLabel(col int) string { return strconv.Itoa(col + 1) }

// LoadPlate reads everything the plate grid of plate draws in one call.
func LoadPlate(ctx context.Context, s core.Session, group core.ID, plate core.ObjectView) (*Plate, error) {
	vs, err := s.Browse(ctx, core.BrowseRequest{Group: group, Owner: core.AnyID, Parent: plate.Ref, Fields: true})
	if err != nil {
		return nil, err
	}
	return buildPlate(plate, vs), nil
}

func buildPlate(plate core.ObjectView, vs []core.ObjectView) *Plate {
	p := &Plate{Plate: plate, wells: map[[2]int]*PlateWell{}}
	byID := map[core.ID]*PlateWell{}
	images := map[core.ID]core.ObjectView{}
	var samples []core.ObjectView
	maxRow, maxCol := -1, -1
	for _, v := range vs {
		switch v.Class {
		case core.PlateAcquisition:
			p.Runs = append(p.Runs, v)
		case core.Well:
			r, c := int(v.AttrInt("row")), int(v.AttrInt("column"))
			if r < 0 || c < 0 {
				continue // not a place on a plate
			}
			w := &PlateWell{Well: v, Row: r, Column: c}
			p.wells[[2]int{r, c}], byID[v.ID] = w, w
			maxRow, maxCol = max(maxRow, r), max(maxCol, c)
		case core.WellSample:
			samples = append(samples, v)
		case core.Image:
			images[v.ID] = v
		}
	}
	sort.SliceStable(p.Runs, func(i, j int) bool { return p.Runs[i].DisplayName() < p.Runs[j].DisplayName() })
	sort.Slice(samples, func(i, j int) bool { return samples[i].ID < samples[j].ID })
	for _, s := range samples {
		w, img := byID[s.Parent], images[s.Child]
		if w == nil || img.ID == 0 {
			continue // an image the user may not see
		}
		_, hx := s.Attrs["positionX"]
		_, hy := s.Attrs["positionY"]
		w.Fields = append(w.Fields, Field{Image: img, Run: s.Ref2,
			X: attrFloat(s.Object, "positionX"), Y: attrFloat(s.Object, "positionY"), HasPosition: hx && hy})
	}
	rows := max(maxRow+1, int(plate.AttrInt("rows")))
	cols := max(maxCol+1, int(plate.AttrInt("columns")))
	if rows > 0 && cols > 0 && rows*cols <= maxPlateCells {
		p.RowPlaces, p.ColumnPlaces = upTo(rows), upTo(cols)
		return p
	}
	// Too big to draw whole: only the rows and columns that hold wells.
	rowSet, colSet := map[int]bool{}, map[int]bool{}
	for k := range p.wells {
		rowSet[k[0]], colSet[k[1]] = true, true
	}
	p.RowPlaces, p.ColumnPlaces = sortedKeys(rowSet), sortedKeys(colSet)
	if len(p.ColumnPlaces) > maxPlateCells {
		p.ColumnPlaces = p.ColumnPlaces[:maxPlateCells]
	}
	if n := len(p.RowPlaces) * len(p.ColumnPlaces); n > maxPlateCells {
		p.RowPlaces = p.RowPlaces[:max(1, maxPlateCells/len(p.ColumnPlaces))]
	}
	return p
}

func attrFloat(o core.Object, key string) float64 {
	switch v := o.Attrs[key].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	case int:
		return float64(v)
	}
	return 0
}

func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
