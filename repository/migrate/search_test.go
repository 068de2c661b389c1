package migrate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/labrepo"
	"github.com/ocular-lab/ocular/internal/pgtest"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// The target's search index takes the migrated rows as they arrive (its
// triggers run for COPY too): names, tags, key-value pairs and file names
// are found.
func TestMigrate_SearchFindsMigratedRows(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	lab := labrepo.New(t, 3)
	files := filepath.Join(t.TempDir(), "server")
	if _, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: files, ChunkRows: 4}); err != nil {
		t.Fatal(err)
	}
	svc := openTarget(t, dsn, files)
	root := testrepo.Root(t, svc)
	if _, err := root.Search(ctx, core.SearchRequest{Query: "x", Group: core.AnyID, Owner: core.AnyID}); err != nil && strings.Contains(core.UserMessage(err), "not available") {
		t.Skip("this build has no search on PostgreSQL")
	}
	for q, want := range map[string]int{"mitosis": 2, "strain=N2": 1, "well_001": 1, "plates": 1, "tag:mitosis": 2} {
		res, err := root.Search(ctx, core.SearchRequest{Query: q, Group: core.AnyID, Owner: core.AnyID})
		if err != nil || len(res.Hits) != want {
			t.Errorf("search %q: %d hits, want %d (%v)", q, len(res.Hits), want, err)
		}
	}
}
