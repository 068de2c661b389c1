package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// TestWritesOfTwoProcessesTakeTurns: two stores over one repository (two
// server instances) write alternately at full speed; every write lands,
// and a write that cannot start before its context ends says so.
func TestWritesOfTwoProcessesTakeTurns(t *testing.T) {
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

	const each = 200
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for p, st := range []*sqlite.Store{a, b} {
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each / 4 {
					errs <- st.Write(ctx, func(tx core.Tx) error { return tx.SetMeta(fmt.Sprintf("k%d-%d-%d", p, w, i), "v") })
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for p := range 2 {
		for w := range 4 {
			for i := range each / 4 {
				var v string
				a.Read(ctx, func(tx core.Tx) error { v, _ = tx.Meta(fmt.Sprintf("k%d-%d-%d", p, w, i)); return nil })
				if v != "v" {
					t.Fatalf("write %d-%d-%d is missing", p, w, i)
				}
			}
		}
	}

	// While A's write runs, B's waits; given up on, it changes nothing and
	// A's lock is intact for B's next write.
	held, release := make(chan struct{}), make(chan struct{})
	go a.Write(ctx, func(tx core.Tx) error { close(held); <-release; return tx.SetMeta("long", "a") })
	<-held
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	err = b.Write(short, func(tx core.Tx) error { return tx.SetMeta("long", "b") })
	cancel()
	if !core.Is(core.IO, err) {
		t.Fatalf("a write that could not start: %v", err)
	}
	close(release)
	if err := b.Write(ctx, func(tx core.Tx) error { return tx.SetMeta("after", "b") }); err != nil {
		t.Fatal(err)
	}
	var v string
	b.Read(ctx, func(tx core.Tx) error { v, _ = tx.Meta("long"); return nil })
	if v != "a" {
		t.Fatalf("long = %q, want A's value only", v)
	}
}
