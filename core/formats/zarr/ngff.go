package zarr

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// attrs is a node's user attributes: .zattrs (v2) or zarr.json
// "attributes" (v3), with NGFF 0.5's "ome" object merged on top.
type attrs map[string]json.RawMessage

// readAttrs reads the attributes of the group or array in dir; a missing
// metadata file gives empty attributes.
func readAttrs(dir string) (attrs, error) {
	a := attrs{}
	if _, err := os.Stat(filepath.Join(dir, "zarr.json")); err == nil {
		var z struct {
			Attributes attrs `json:"attributes"`
		}
		if err := readJSON(filepath.Join(dir, "zarr.json"), &z); err != nil {
			return nil, err
		}
		a = z.Attributes
		if a == nil {
			a = attrs{}
		}
	} else if _, err := os.Stat(filepath.Join(dir, ".zattrs")); err == nil {
		if err := readJSON(filepath.Join(dir, ".zattrs"), &a); err != nil {
			return nil, err
		}
	}
	return a.flatten(), nil
}

// flatten merges the NGFF 0.5 "ome" object into the top level.
func (a attrs) flatten() attrs {
	if raw, ok := a["ome"]; ok {
		var ome attrs
		if json.Unmarshal(raw, &ome) == nil {
			for k, v := range ome {
				a[k] = v
			}
		}
	}
	return a
}

// ParseAttributes parses a .zattrs document or a zarr.json, returning the
// NGFF metadata it holds. It exists for tests and fuzzing of the metadata
// layer; Open uses the same code.
func ParseAttributes(b []byte) (*Multiscale, *PlateMeta, error) {
	var a attrs
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if raw, ok := a["attributes"]; ok {
		var inner attrs
		if json.Unmarshal(raw, &inner) == nil {
			a = inner
		}
	}
	a = a.flatten()
	var ms *Multiscale
	var pm *PlateMeta
	var err error
	if _, ok := a["multiscales"]; ok {
		if ms, err = a.multiscale(); err != nil {
			return nil, nil, err
		}
	}
	if _, ok := a["plate"]; ok {
		if pm, err = a.plate(); err != nil {
			return nil, nil, err
		}
	}
	return ms, pm, nil
}

// Axis is one NGFF axis.
type Axis struct {
	Name, Type, Unit string
}

// Transform is one coordinate transformation (scale or translation).
type Transform struct {
	Type        string    `json:"type"`
	Scale       []float64 `json:"scale"`
	Translation []float64 `json:"translation"`
}

// Multiscale is the first entry of "multiscales".
type Multiscale struct {
	Version  string
	Name     string
	Axes     []Axis
	Datasets []struct {
		Path       string      `json:"path"`
		Transforms []Transform `json:"coordinateTransformations"`
	}
	Transforms []Transform
	Omero      *Omero
}

// Omero is the transitional "omero" rendering block.
type Omero struct {
	Name     string `json:"name"`
	Channels []struct {
		Label  json.RawMessage `json:"label"`
		Color  string          `json:"color"`
		Active *bool           `json:"active"`
		Window *struct {
			Start, End, Min, Max float64
		} `json:"window"`
	} `json:"channels"`
}

func (a attrs) multiscale() (*Multiscale, error) {
	var list []struct {
		Version  string          `json:"version"`
		Name     string          `json:"name"`
		Axes     json.RawMessage `json:"axes"`
		Datasets []struct {
			Path       string      `json:"path"`
			Transforms []Transform `json:"coordinateTransformations"`
		} `json:"datasets"`
		Transforms []Transform `json:"coordinateTransformations"`
	}
	if err := json.Unmarshal(a["multiscales"], &list); err != nil {
		return nil, fmt.Errorf("multiscales is malformed: %v", err)
	}
	if len(list) == 0 || len(list[0].Datasets) == 0 {
		return nil, fmt.Errorf("multiscales lists no dataset")
	}
	m := &Multiscale{Version: list[0].Version, Name: list[0].Name, Datasets: list[0].Datasets, Transforms: list[0].Transforms}
	if len(list[0].Axes) > 0 && string(list[0].Axes) != "null" {
		// NGFF 0.3 lists names; 0.4 and later list objects.
		var names []string
		if json.Unmarshal(list[0].Axes, &names) == nil {
			for _, n := range names {
				m.Axes = append(m.Axes, Axis{Name: n})
			}
		} else {
			var objs []struct {
				Name string `json:"name"`
				Type string `json:"type"`
				Unit string `json:"unit"`
			}
			if err := json.Unmarshal(list[0].Axes, &objs); err != nil {
				return nil, fmt.Errorf("multiscales axes are malformed: %v", err)
			}
			for _, o := range objs {
				m.Axes = append(m.Axes, Axis{Name: o.Name, Type: o.Type, Unit: o.Unit})
			}
		}
	}
	if len(m.Axes) > maxDims {
		return nil, fmt.Errorf("multiscales has %d axes", len(m.Axes))
	}
	for _, d := range m.Datasets {
		if !validPath(d.Path) {
			return nil, fmt.Errorf("dataset path %q is not a relative path inside the image", d.Path)
		}
	}
	if raw, ok := a["omero"]; ok {
		var o Omero
		if json.Unmarshal(raw, &o) == nil {
			m.Omero = &o
		}
	}
	return m, nil
}

// validPath accepts relative slash-separated paths without "..", so that
// metadata cannot send the reader outside the Zarr directory.
func validPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}

// PlateMeta is the NGFF "plate" object.
type PlateMeta struct {
	Name         string
	Rows         []string
	Columns      []string
	Wells        []WellMeta
	Acquisitions []struct {
		ID        int    `json:"id"`
		Name      string `json:"name"`
		StartTime int64  `json:"starttime"`
		EndTime   int64  `json:"endtime"`
	}
	FieldCount int
}

// WellMeta is one entry of plate.wells. Row and Column are the well's
// place on the physical plate (B3 is row 1, column 2), not its index in the
// plate's rows and columns lists: a sparse plate lists only the rows and
// columns it uses, so its only well B3 has rowIndex 0 and columnIndex 0.
type WellMeta struct {
	Path                string
	Row, Column         int
	RowName, ColumnName string
}

func (a attrs) plate() (*PlateMeta, error) {
	var p struct {
		Name    string                  `json:"name"`
		Rows    []struct{ Name string } `json:"rows"`
		Columns []struct{ Name string } `json:"columns"`
		Wells   []struct {
			Path        string `json:"path"`
			RowIndex    *int   `json:"rowIndex"`
			ColumnIndex *int   `json:"columnIndex"`
		} `json:"wells"`
		Acquisitions json.RawMessage `json:"acquisitions"`
		FieldCount   int             `json:"field_count"`
	}
	if err := json.Unmarshal(a["plate"], &p); err != nil {
		return nil, fmt.Errorf("plate metadata is malformed: %v", err)
	}
	pm := &PlateMeta{Name: p.Name, FieldCount: p.FieldCount}
	for _, r := range p.Rows {
		pm.Rows = append(pm.Rows, r.Name)
	}
	for _, c := range p.Columns {
		pm.Columns = append(pm.Columns, c.Name)
	}
	if len(p.Acquisitions) > 0 {
		json.Unmarshal(p.Acquisitions, &pm.Acquisitions)
	}
	for _, w := range p.Wells {
		if !validPath(w.Path) {
			return nil, fmt.Errorf("well path %q is not a relative path inside the plate", w.Path)
		}
		wm := WellMeta{Path: w.Path, Row: -1, Column: -1}
		if w.RowIndex != nil && w.ColumnIndex != nil {
			wm.Row, wm.Column = *w.RowIndex, *w.ColumnIndex
		} else if parts := strings.Split(w.Path, "/"); len(parts) == 2 {
			// NGFF 0.3: indices from the row and column names.
			wm.Row, wm.Column = indexOf(pm.Rows, parts[0]), indexOf(pm.Columns, parts[1])
		}
		if wm.Row < 0 || wm.Column < 0 || wm.Row >= maxPlateSide || wm.Column >= maxPlateSide {
			return nil, fmt.Errorf("well %q has no valid row and column index (0 to %d)", w.Path, maxPlateSide-1)
		}
		if wm.Row < len(pm.Rows) && wm.Column < len(pm.Columns) {
			wm.RowName, wm.ColumnName = pm.Rows[wm.Row], pm.Columns[wm.Column]
			wm.Row, wm.Column = platePlace(wm.RowName, wm.Row), platePlace(wm.ColumnName, wm.Column)
		}
		pm.Wells = append(pm.Wells, wm)
	}
	return pm, nil
}

// maxPlateSide bounds a plate's rows and columns (the largest plates have
// 48 × 72 wells): the plate grid is drawn from them.
const maxPlateSide = 1 << 10

// platePlace is the physical row or column a name stands for: a letter
// name counts from A (A=0, Z=25, AA=26), a number from 1 ("03" is 2).
// Names that are neither keep their index in the list.
func platePlace(name string, index int) int {
	if n, err := strconv.Atoi(name); err == nil {
		if n >= 1 && n <= 1<<16 {
			return n - 1
		}
		return index
	}
	if name == "" || len(name) > 3 {
		return index
	}
	n := 0
	for _, r := range strings.ToUpper(name) {
		if r < 'A' || r > 'Z' {
			return index
		}
		n = n*26 + int(r-'A') + 1
	}
	return n - 1
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// labelString renders an omero channel label (a string, or a number as
// spatialdata writes).
func labelString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return ""
}

// parseHexColor parses "RRGGBB" (optionally with #).
func parseHexColor(s string) ([4]uint8, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) != 6 {
		return [4]uint8{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return [4]uint8{}, false
	}
	return [4]uint8{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, true
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
