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
// before they begin read the same data. When the store counts commits
// itself (core.GenerationStore: several server instances over one
// database), writes by other processes change it too; a store that cannot
// answer makes it change, so nothing is taken as unchanged on a guess.
func (s *Service) Generation() uint64 {
	c, ok := s.store.(*countingStore)
	if !ok {
		return 0
	}
	gs, shared := c.Store.(core.GenerationStore)
	if !shared {
		return c.gen.Load()
	}
	// Both counts only grow, so their sum changes whenever either does.
	// Ours is read first: a write that ends between the two reads is then
	// seen by the store's count at the latest.
	local := c.gen.Load()
	db, err := gs.Generation(context.Background())
	if err != nil {
		return c.gen.Add(1) << 32
	}
	return local + db
}

// touched counts a change that is not a write (a session kept in memory
// logged out).
func (s *Service) touched() {
	if c, ok := s.store.(*countingStore); ok {
		c.gen.Add(1)
	}
}

// JobStore returns the repository's store as a core.JobStore when it
// keeps a server's jobs itself (a database server shared by several
// instances); a store that does not (SQLite) answers false.
func (s *Service) JobStore() (core.JobStore, bool) {
	st := s.store
	if c, ok := st.(*countingStore); ok {
		st = c.Store
	}
	js, ok := st.(core.JobStore)
	return js, ok
}
