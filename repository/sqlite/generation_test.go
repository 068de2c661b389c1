package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// TestGenerationSeesOtherProcessesWrites: two stores over one repository
// (two server instances) each see the other's commits in Generation, and
// a read alone changes nothing.
func TestGenerationSeesOtherProcessesWrites(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "repo")
	a, err := sqlite.Create(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := sqlite.Open(ctx, dir)
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
	g1, _ := b.Generation(ctx)
	if g1 == g0 {
		t.Fatal("B's generation did not change after A committed")
	}
	if err := b.Write(ctx, func(tx core.Tx) error { return tx.SetMeta("probe", "2") }); err != nil {
		t.Fatal(err)
	}
	if g2, _ := b.Generation(ctx); g2 == g1 {
		t.Fatal("B's generation did not change after its own commit")
	}
}
