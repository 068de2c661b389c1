package inprocess

import (
	"context"
	"sync/atomic"

	"github.com/ocular-lab/ocular/core"
)

// countingStore counts the writes made through it (committed or not), so
// that Generation tells a caller holding an answer whether anything may
// have changed since: a server may then answer a repeated read (a grid's
// thumbnails) from memory without reading the repository again, and
// still never answer differently from a fresh read.
type countingStore struct {
	core.Store
	gen *atomic.Uint64
}

func countWrites(st core.Store) core.Store {
	return &countingStore{Store: st, gen: new(atomic.Uint64)}
}

// Write counts after the transaction ends, so a reader that took the
// generation before it began sees it change.
func (c *countingStore) Write(ctx context.Context, fn func(core.Tx) error) error {
	defer c.gen.Add(1)
	return c.Store.Write(ctx, fn)
}

// Generation changes after every write to the repository through this
// Service (and every logout): two reads that see the same Generation
// before they begin read the same data. Writes by another process to the
// same repository folder are not counted.
func (s *Service) Generation() uint64 {
	if c, ok := s.store.(*countingStore); ok {
		return c.gen.Load()
	}
	return 0
}

// touched counts a change that is not a write (a session kept in memory
// logged out).
func (s *Service) touched() {
	if c, ok := s.store.(*countingStore); ok {
		c.gen.Add(1)
	}
}
