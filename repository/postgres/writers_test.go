package postgres

import (
	"context"
	"testing"
	"time"
)

// Exclusive writers wait for their turn without a connection, four at most
// holding one; shared writers, which do not wait for each other, may take
// more, up to three quarters of the pool, so reads keep a quarter.
func TestWriterSlots_ExclusiveFourSharedUpToThreeQuartersOfThePool(t *testing.T) {
	w := newWriterSlots(16)
	ctx := context.Background()
	blocked := func(shared bool) bool {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		if err := w.acquire(ctx, shared); err != nil {
			return true
		}
		w.release(shared)
		return false
	}
	for i := range exclusiveWriters {
		if err := w.acquire(ctx, false); err != nil {
			t.Fatalf("exclusive writer %d: %v", i+1, err)
		}
	}
	if !blocked(false) {
		t.Fatal("a fifth exclusive writer got a connection")
	}
	for i := range 8 {
		if err := w.acquire(ctx, true); err != nil {
			t.Fatalf("shared writer %d beside four exclusive ones: %v", i+1, err)
		}
	}
	if !blocked(true) {
		t.Fatal("writers took more than 12 of 16 connections")
	}
	w.release(false)
	if blocked(true) {
		t.Fatal("a shared writer did not get the slot an exclusive one left")
	}
	// A pool smaller than four writers still lets four exclusive ones wait.
	if small := newWriterSlots(2); cap(small.all) != exclusiveWriters || cap(small.exclusive) != exclusiveWriters {
		t.Errorf("a pool of 2: %d writers, %d exclusive; want %d and %d", cap(small.all), cap(small.exclusive), exclusiveWriters, exclusiveWriters)
	}
}
