package postgres

import (
	"context"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/jobstoretest"
)

func TestJobStore(t *testing.T) {
	jobstoretest.Run(t, func(t *testing.T) core.JobStore {
		st, _ := openTest(t)
		return st
	})
}

// TestGenerationSeesOtherInstancesWrites: two stores over one database
// (two server instances) each see the other's commits.
func TestGenerationSeesOtherInstancesWrites(t *testing.T) {
	ctx := context.Background()
	a, dsn := openTest(t)
	b, err := Open(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	g0, err := b.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a.Read(ctx, func(core.Tx) error { return nil })
	if g, _ := b.Generation(ctx); g != g0 {
		t.Fatalf("a read moved the generation %d -> %d", g0, g)
	}
	if err := a.Write(ctx, func(tx core.Tx) error { return tx.SetMeta("probe", "1") }); err != nil {
		t.Fatal(err)
	}
	if g, _ := b.Generation(ctx); g == g0 {
		t.Fatal("B's generation did not change after A committed")
	}
}
