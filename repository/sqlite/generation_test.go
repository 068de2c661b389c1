package sqlite_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
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

// BenchmarkGeneration is what the thumbnail memo pays per request to learn
// whether any process wrote since (PRAGMA data_version on a connection of
// its own), beside the anchor: the per-process counter it replaced, which
// could not see other processes' writes.
func BenchmarkGeneration(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Create(ctx, filepath.Join(b.TempDir(), "repo"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	b.Run("data_version", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Generation(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("anchor-process-counter", func(b *testing.B) {
		var n atomic.Uint64
		for b.Loop() {
			n.Load()
		}
	})
}
