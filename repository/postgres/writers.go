package postgres

import "context"

// queuedWriters is how many of one instance's write transactions may hold a
// pool connection at once: those holding the repository's write lock (one,
// or a few shared writes, core.WriteHint.Shared) and the next, already
// waiting for it in PostgreSQL so that the lock passes on without a round
// trip. The others wait here, without a connection.
//
// Most writes are serial across all instances (Write), so more writers
// waiting inside PostgreSQL do not write any sooner; but each would hold one
// of the pool's connections while it waits. Under a write-heavy load every
// connection of the pool ended up waiting for the lock, and reads, which
// never need it, queued for a connection behind them: the instance's reads
// went no faster than the repository's writes, whatever CPU the instance
// had (measured with scripts/bench-instances.sh: 50 ms to get a connection
// for the one statement after a commit).
const queuedWriters = 4

// writerSlots bounds the writers holding connections (queuedWriters).
type writerSlots chan struct{}

func newWriterSlots() writerSlots { return make(writerSlots, queuedWriters) }

// acquire waits for a slot, or for ctx to end.
func (w writerSlots) acquire(ctx context.Context) error {
	select {
	case w <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w writerSlots) release() { <-w }
