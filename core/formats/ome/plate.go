package ome

import (
	"strings"

	"github.com/ocular-lab/ocular/core/formats"
)

// convertPlate builds the formats.Plate of an OME Plate and points the
// Series of every image it references at its well (WellSampleRef).
func convertPlate(x *xPlate, m *Metadata, screens []xScreen) *formats.Plate {
	p := &formats.Plate{
		Name:      x.Name,
		RowNaming: naming(x.RowNamingConvention),
		ColNaming: naming(x.ColumnNamingConvention),
	}
	p.Rows, _ = intAttr("Rows", x.Rows, 0)
	p.Columns, _ = intAttr("Columns", x.Columns, 0)
	for _, a := range x.Acquisitions {
		pa := formats.PlateAcquisition{Name: a.Name}
		if pa.Name == "" {
			pa.Name = a.ID
		}
		pa.StartTime, _ = parseTime(a.StartTime)
		pa.EndTime, _ = parseTime(a.EndTime)
		p.Acquisitions = append(p.Acquisitions, pa)
	}
	acqOf := map[string]int{} // WellSample ID -> acquisition index
	for i, a := range x.Acquisitions {
		for _, r := range a.WellSampleRefs {
			acqOf[r.ID] = i
		}
	}
	imageIdx := map[string]int{}
	for i := range m.Images {
		imageIdx[m.Images[i].ID] = i
	}
	maxRow, maxCol := -1, -1
	for _, w := range x.Wells {
		row, err1 := intAttr("Row", w.Row, 0)
		col, err2 := intAttr("Column", w.Column, 0)
		if err1 != nil || err2 != nil || row > 1<<16 || col > 1<<16 {
			continue
		}
		maxRow, maxCol = max(maxRow, row), max(maxCol, col)
		p.Wells = append(p.Wells, formats.Well{Row: row, Column: col})
		for field, ws := range w.Samples {
			if ws.ImageRef == nil {
				continue
			}
			i, ok := imageIdx[ws.ImageRef.ID]
			if !ok {
				continue
			}
			ref := &formats.WellSampleRef{Row: row, Column: col, Field: field, Acquisition: -1}
			if a, ok := acqOf[ws.ID]; ok {
				ref.Acquisition = a
			} else if len(x.Acquisitions) == 1 {
				ref.Acquisition = 0
			}
			ref.PositionX, _ = length(ws.PositionX, ws.PositionXUnit)
			ref.PositionY, _ = length(ws.PositionY, ws.PositionYUnit)
			m.Images[i].Series.Well = ref
		}
	}
	// Rows/Columns are optional in the schema: fall back to the wells seen.
	p.Rows = max(p.Rows, maxRow+1)
	p.Columns = max(p.Columns, maxCol+1)
	for _, s := range screens {
		for _, r := range s.PlateRefs {
			if r.ID == x.ID && s.Name != "" {
				for i := range m.Images {
					if m.Images[i].Series.Well != nil {
						m.Images[i].Series.Original = append(m.Images[i].Series.Original, formats.KeyValue{Key: "Screen", Value: s.Name})
					}
				}
			}
		}
	}
	return p
}

func naming(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "letter":
		return "letter"
	case "number":
		return "number"
	}
	return ""
}
