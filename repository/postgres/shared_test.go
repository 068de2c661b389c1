package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// Shared writes (core.WriteHint.Shared) run beside each other and never
// beside any other write: a plain write waits until they have committed.
func TestWrite_SharedWritesRunTogetherAndAPlainWriteWaitsForThem(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	// A session that does not exist: its pipelined reads find nothing,
	// which is no error until something reads them.
	shared := core.WithWriteHint(ctx, core.WriteHint{SessionKey: "none", User: 1, Shared: true})

	inside := make(chan string, 4)
	release := make(chan struct{})
	done := make(chan error, 4)
	hold := func(name string, ctx context.Context) {
		done <- st.Write(ctx, func(core.Tx) error {
			inside <- name
			<-release
			return nil
		})
	}
	go hold("shared 1", shared)
	go hold("shared 2", shared)
	for range 2 {
		select {
		case <-inside:
		case <-time.After(10 * time.Second):
			t.Fatal("two shared writes did not hold the write lock together")
		}
	}
	go hold("plain", ctx)
	select {
	case name := <-inside:
		t.Fatalf("%s ran beside two shared writes", name)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	select {
	case name := <-inside:
		if name != "plain" {
			t.Fatalf("%s ran, want the plain write", name)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the plain write did not run after the shared ones")
	}
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// Two shared writes making the same link at once make it once: the unique
// index on links decides, and the other is told it exists (core.Conflict),
// as it would be one after the other.
func TestWrite_TwoSharedWritesOfTheSameLinkMakeItOnce(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	ds := seed(t, st)
	var img core.ID
	if err := st.Write(ctx, func(tx core.Tx) error {
		o := &core.Object{Ref: core.Ref{Class: core.Image}, Name: "i"}
		err := tx.CreateObject(o)
		img = o.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	shared := core.WithWriteHint(ctx, core.WriteHint{SessionKey: "none", User: 0, Shared: true})
	in, goOn := make(chan struct{}), make(chan struct{})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			errs <- st.Write(shared, func(tx core.Tx) error {
				in <- struct{}{} // both inside before either inserts
				<-goOn
				return tx.CreateObject(&core.Object{Ref: core.Ref{Class: core.DatasetImageLink}, Parent: ds, Child: img})
			})
		}()
	}
	for range 2 {
		select {
		case <-in:
		case <-time.After(10 * time.Second):
			t.Fatal("two shared writes did not hold the write lock together")
		}
	}
	close(goOn)
	ok, conflict := 0, 0
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case core.Is(core.Conflict, err):
			conflict++
		default:
			t.Fatal(err)
		}
	}
	q := core.NewQuery(core.DatasetImageLink)
	if n := countObjects(t, st, q); ok != 1 || conflict != 1 || n != 1 {
		t.Fatalf("%d made, %d conflicts, %d links; want 1, 1, 1", ok, conflict, n)
	}
}
