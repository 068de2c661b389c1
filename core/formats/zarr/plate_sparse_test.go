package zarr

import (
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/internal/realdata"
)

// writeSparsePlate writes an NGFF 0.4 plate whose only well is B3: the
// plate lists one row "B" and one column "03", so the well's rowIndex and
// columnIndex are both 0.
func writeSparsePlate(t *testing.T, withIndices bool) string {
	root := t.TempDir()
	well := `{"path":"B/03"}`
	if withIndices {
		well = `{"path":"B/03","rowIndex":0,"columnIndex":0}`
	}
	write(t, filepath.Join(root, ".zgroup"), []byte(`{"zarr_format":2}`))
	write(t, filepath.Join(root, ".zattrs"), []byte(`{"plate":{"version":"0.4","name":"sparse","rows":[{"name":"B"}],"columns":[{"name":"03"}],"wells":[`+well+`],"field_count":1}}`))
	write(t, filepath.Join(root, "B", "03", ".zattrs"), []byte(`{"well":{"version":"0.4","images":[{"path":"0"}]}}`))
	fdir := filepath.Join(root, "B", "03", "0")
	write(t, filepath.Join(fdir, ".zattrs"), []byte(`{"multiscales":[{"version":"0.4","axes":[{"name":"y","type":"space"},{"name":"x","type":"space"}],"datasets":[{"path":"0","coordinateTransformations":[{"type":"scale","scale":[1,1]}]}]}]}`))
	write(t, filepath.Join(fdir, "0", ".zarray"), []byte(`{"zarr_format":2,"shape":[2,2],"chunks":[2,2],"dtype":"|u1","compressor":null,"fill_value":0,"order":"C","filters":null}`))
	write(t, filepath.Join(fdir, "0", "0.0"), []byte{1, 2, 3, 4})
	return root
}

func TestSparsePlateWellKeepsItsOwnRowAndColumn(t *testing.T) {
	for _, withIndices := range []bool{true, false} {
		r, err := Open(writeSparsePlate(t, withIndices))
		if err != nil {
			t.Fatal(err)
		}
		p := r.Plate()
		if len(p.Wells) != 1 || p.Wells[0].Row != 1 || p.Wells[0].Column != 2 {
			t.Fatalf("indices %v: wells %+v, want B3 (row 1, column 2)", withIndices, p.Wells)
		}
		if p.Rows < 2 || p.Columns < 3 {
			t.Errorf("plate is %d×%d, too small to hold B3", p.Rows, p.Columns)
		}
		s := r.Series()[0]
		if s.Well == nil || s.Well.Row != 1 || s.Well.Column != 2 || s.Name != "B03 field 1" {
			t.Errorf("field %q at %+v", s.Name, s.Well)
		}
	}
}

func TestPlatePlace(t *testing.T) {
	for _, c := range []struct {
		name  string
		index int
		want  int
	}{{"A", 5, 0}, {"B", 0, 1}, {"P", 0, 15}, {"AA", 0, 26}, {"03", 0, 2}, {"1", 7, 0}, {"24", 0, 23}, {"0", 4, 4}, {"x-1", 3, 3}, {"", 2, 2}} {
		if got := platePlace(c.name, c.index); got != c.want {
			t.Errorf("platePlace(%q, %d) = %d, want %d", c.name, c.index, got, c.want)
		}
	}
}

// The real bioformats2raw plate lists both its rows: its wells stay A1 and B1.
func TestRealPlateWellsNamedFromRowAndColumn(t *testing.T) {
	r, err := Open(filepath.Join(realdata.Dir(t), "ome-zarr/bf2raw/plate-rows-2.zarr"))
	if err != nil {
		t.Fatal(err)
	}
	w := r.Plate().Wells
	if len(w) != 2 || w[0] != (wellAt{0, 0}).well() || w[1] != (wellAt{1, 0}).well() {
		t.Fatalf("wells %+v, want A1 and B1", w)
	}
}

type wellAt struct{ row, col int }

func (w wellAt) well() formats.Well { return formats.Well{Row: w.row, Column: w.col} }

// A field's translation (NGFF coordinate transformations) is its position
// in the well, in µm: the plate grid's map of fields is drawn from it.
func TestPlateFieldPositionsFromTranslations(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, ".zgroup"), []byte(`{"zarr_format":2}`))
	write(t, filepath.Join(root, ".zattrs"), []byte(`{"plate":{"version":"0.4","rows":[{"name":"A"}],"columns":[{"name":"1"}],"wells":[{"path":"A/1","rowIndex":0,"columnIndex":0}]}}`))
	write(t, filepath.Join(root, "A", "1", ".zattrs"), []byte(`{"well":{"version":"0.4","images":[{"path":"0"},{"path":"1"}]}}`))
	for i, tr := range []string{`[100, 200]`, `[100, 0.7]`} {
		unit := []string{"micrometer", "millimeter"}[i]
		fdir := filepath.Join(root, "A", "1", itoa(i))
		write(t, filepath.Join(fdir, ".zattrs"), []byte(`{"multiscales":[{"version":"0.4","axes":[{"name":"y","type":"space","unit":"`+unit+`"},{"name":"x","type":"space","unit":"`+unit+`"}],"datasets":[{"path":"0","coordinateTransformations":[{"type":"scale","scale":[1,1]},{"type":"translation","translation":`+tr+`}]}]}]}`))
		write(t, filepath.Join(fdir, "0", ".zarray"), []byte(`{"zarr_format":2,"shape":[2,2],"chunks":[2,2],"dtype":"|u1","compressor":null,"fill_value":0,"order":"C","filters":null}`))
		write(t, filepath.Join(fdir, "0", "0.0"), []byte{1, 2, 3, 4})
	}
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Series()
	if len(s) != 2 || s[0].Well.PositionX != 200 || s[0].Well.PositionY != 100 || s[1].Well.PositionX != 700 || s[1].Well.PositionY != 100000 {
		t.Errorf("field positions %+v and %+v, want (200, 100) and (700, 100000) µm", s[0].Well, s[1].Well)
	}
}
