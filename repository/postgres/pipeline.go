package postgres

import (
	"context"
	"reflect"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ocular-lab/ocular/core"
)

// Every write transaction takes the one write lock of the repository, which
// all server instances share, and holds it until it commits. While it is
// held every statement is a network round trip to the instance that holds
// it, and on a busy instance each round trip also waits for that
// instance's CPU: the lock's hold time, and so the write throughput of all
// instances together, grows with the number of statements run under it.
// Measured with two CPU-capped instances (scripts/bench-instances.sh), a
// session's write ran 8 statements under the lock, 4 of them the same reads
// of its session, user, memberships and groups.
//
// So when the context names the session (core.WriteHint), Write sends those
// reads in one batch behind the lock request: PostgreSQL runs them the
// moment the lock is granted, still after it, so they see exactly what
// they would have seen one by one. The results wait in the batch and are
// handed to the transaction's first statements when those are the same
// statements with the same arguments, in order; any other statement first
// discards what is left, and runs as usual.
//
// Read transactions (Read, with the same hint) send the same reads in one
// batch too: a read has no lock to wait for, but every request of every
// instance begins with those four reads, and on a machine where PostgreSQL
// and the instances share cores each round trip costs both sides a wake-up.

// queued is a statement whose result waits in the batch.
type queued struct {
	sql  string
	args []any
}

// pipelined is a transaction whose first reads were sent in one batch
// (with a write's lock).
type pipelined struct {
	pgx.Tx
	br   pgx.BatchResults
	next []queued
}

// lockWithHint takes the write lock in tx, sending the reads of the hinted
// session's load behind it; it returns the transaction to run fn on.
func (s *Store) lockWithHint(ctx context.Context, tx pgx.Tx, h core.WriteHint) (*pipelined, error) {
	lock := "SELECT pg_advisory_xact_lock($1)"
	if h.Shared {
		// Writes that only insert new rows and links or delete links share
		// the lock with each other; every other write still holds it alone.
		lock = "SELECT pg_advisory_xact_lock_shared($1)"
	}
	p := s.sendSessionReads(ctx, tx, h, func(b *pgx.Batch) { b.Queue(lock, s.writeLock) })
	if _, err := p.br.Exec(); err != nil {
		p.drain()
		return nil, err
	}
	return p, nil
}

// sendSessionReads sends, after what first queues (a write's lock; nil
// for a read), the reads every session's load starts with. A failed read
// shows when fn takes its result.
func (s *Store) sendSessionReads(ctx context.Context, tx pgx.Tx, h core.WriteHint, first func(*pgx.Batch)) *pipelined {
	p := &pipelined{Tx: tx, next: []queued{
		{sessionSQL, []any{hashKey(h.SessionKey)}},
		{experimenterSQL, []any{int64(h.User)}},
		{membershipsSQL("user_id = $1"), []any{int64(h.User)}},
		{groupsSQL, nil},
	}}
	b := &pgx.Batch{}
	if first != nil {
		first(b)
	}
	for _, q := range p.next {
		b.Queue(q.sql, q.args...)
	}
	p.br = tx.SendBatch(ctx, b)
	return p
}

// take reports whether the next waiting result is that of sql with args;
// when it is not, nothing more will be taken and the rest is discarded.
func (p *pipelined) take(sql string, args []any) bool {
	if p.br == nil {
		return false
	}
	if len(p.next) > 0 && p.next[0].sql == sql && sameArgs(p.next[0].args, args) {
		p.next = p.next[1:]
		return true
	}
	p.drain()
	return false
}

func sameArgs(a, b []any) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

// drain closes the batch, reading what was not taken. A failed read in it
// has aborted the transaction; the statement after says so.
func (p *pipelined) drain() error {
	if p.br == nil {
		return nil
	}
	err := p.br.Close()
	p.br, p.next = nil, nil
	return err
}

func (p *pipelined) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if p.take(sql, args) {
		return p.br.QueryRow()
	}
	return p.Tx.QueryRow(ctx, sql, args...)
}

func (p *pipelined) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if p.take(sql, args) {
		return p.br.Query()
	}
	return p.Tx.Query(ctx, sql, args...)
}

// Every other use of the connection needs the batch read to its end first.

func (p *pipelined) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	p.drain()
	return p.Tx.Exec(ctx, sql, args...)
}

func (p *pipelined) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	p.drain()
	return p.Tx.SendBatch(ctx, b)
}

func (p *pipelined) CopyFrom(ctx context.Context, t pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	p.drain()
	return p.Tx.CopyFrom(ctx, t, cols, src)
}

func (p *pipelined) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	p.drain()
	return p.Tx.Prepare(ctx, name, sql)
}

func (p *pipelined) LargeObjects() pgx.LargeObjects {
	p.drain()
	return p.Tx.LargeObjects()
}

func (p *pipelined) Begin(ctx context.Context) (pgx.Tx, error) {
	p.drain()
	return p.Tx.Begin(ctx)
}

func (p *pipelined) Commit(ctx context.Context) error {
	p.drain()
	return p.Tx.Commit(ctx)
}

func (p *pipelined) Rollback(ctx context.Context) error {
	p.drain()
	return p.Tx.Rollback(ctx)
}
