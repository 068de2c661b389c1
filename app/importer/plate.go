package importer

import (
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
)

// plateRequest maps a reader's plate layout onto the registration request:
// each series placed in a well becomes a field (well sample) there.
func plateRequest(pl *formats.Plate, series []formats.Series) *core.NewPlate {
	np := &core.NewPlate{Name: pl.Name, Rows: pl.Rows, Columns: pl.Columns,
		RowNamingConvention: pl.RowNaming, ColNamingConvention: pl.ColNaming}
	for _, a := range pl.Acquisitions {
		name := a.Name
		if name == "" {
			name = "Run " + strconv.Itoa(len(np.Runs)+1)
		}
		np.Runs = append(np.Runs, name)
	}
	for i, s := range series {
		if s.Well == nil {
			continue
		}
		run := s.Well.Acquisition
		if run >= len(np.Runs) {
			run = -1
		}
		np.Fields = append(np.Fields, core.NewField{Row: s.Well.Row, Column: s.Well.Column, Image: i, Run: run,
			PositionX: s.Well.PositionX, PositionY: s.Well.PositionY})
		np.Rows = max(np.Rows, s.Well.Row+1)
		np.Columns = max(np.Columns, s.Well.Column+1)
	}
	return np
}
