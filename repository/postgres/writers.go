package postgres

import "context"

// exclusiveWriters is how many of one instance's exclusive write
// transactions may hold a pool connection at once: the one holding the
// repository's write lock and the next ones, already waiting for it in
// PostgreSQL so that the lock passes on without a round trip. The others
// wait here, without a connection.
//
// Exclusive writes are serial across all instances (Write), so more of them
// waiting inside PostgreSQL do not write any sooner; but each would hold one
// of the pool's connections while it waits. Under a write-heavy load every
// connection of the pool ended up waiting for the lock, and reads, which
// never need it, queued for a connection behind them: the instance's reads
// went no faster than the repository's writes, whatever CPU the instance
// had (measured with scripts/bench-instances.sh: 50 ms to get a connection
// for the one statement after a commit).
const exclusiveWriters = 4

// writerSlots bounds the write transactions holding connections: all of
// them to what leaves a quarter of the pool to reads, and the exclusive
// ones to exclusiveWriters among those.
//
// Shared writes (core.WriteHint.Shared: comments, links) run beside each
// other, and their commits share PostgreSQL's WAL flushes, so many at once
// do write sooner. When the shared writes were held to the exclusive ones'
// four slots, a comment or a link waited about a second for a slot and
// then 40 ms for the lock and its commit (bench-instances.sh, two
// instances, 200 clients): the slots, not the lock, set the pace.
type writerSlots struct {
	all, exclusive chan struct{}
}

// newWriterSlots sizes the slots for a pool of maxConns connections.
func newWriterSlots(maxConns int) writerSlots {
	all := max(exclusiveWriters, maxConns-max(2, maxConns/4))
	return writerSlots{all: make(chan struct{}, all), exclusive: make(chan struct{}, min(exclusiveWriters, all))}
}

// acquire waits for a slot, or for ctx to end. An exclusive writer takes
// its exclusive slot first, so that no shared slot waits behind it.
func (w writerSlots) acquire(ctx context.Context, shared bool) error {
	if !shared {
		if err := take(ctx, w.exclusive); err != nil {
			return err
		}
	}
	if err := take(ctx, w.all); err != nil {
		if !shared {
			<-w.exclusive
		}
		return err
	}
	return nil
}

func (w writerSlots) release(shared bool) {
	<-w.all
	if !shared {
		<-w.exclusive
	}
}

func take(ctx context.Context, slots chan struct{}) error {
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
