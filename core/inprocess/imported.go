package inprocess

import (
	"context"

	"github.com/ocular-lab/ocular/core"
)

// ImportedFiles implements core.Importer: earlier imports of a file, limited
// to filesets the caller may see.
func (s *session) ImportedFiles(ctx context.Context, clientPath string) ([]core.FilesetEntry, error) {
	var out []core.FilesetEntry
	err := s.read(ctx, func(d *ctxData) error {
		entries, err := d.tx.FilesetEntriesByClientPath(clientPath)
		if err != nil {
			return err
		}
		visible := map[core.ID]bool{}
		for _, e := range entries {
			ok, seen := visible[e.Fileset]
			if !seen {
				_, err := d.get("imported files", core.Ref{Class: core.Fileset, ID: e.Fileset})
				ok = err == nil
				visible[e.Fileset] = ok
			}
			if ok {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}
