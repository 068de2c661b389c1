// Package postgres is Ocular's repository on a PostgreSQL server: every
// row lives in the database, the managed files in a folder (a local disk or
// a shared file system that every server instance mounts). It implements
// core.Store with a pgx connection pool.
//
// Writes are serial, as in the SQLite repository: each write transaction
// takes one advisory lock first (see Write), so every use case keeps the
// isolation it was written and tested for; only inserting comments and
// links and deleting links share it (core.WriteHint.Shared). Reads run on a
// consistent snapshot in parallel.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ocular-lab/ocular/core"
)

// lockKey is an advisory lock's key: the write lock serialises write
// transactions, the migrate lock the schema upgrades of servers that start
// at the same time. Advisory locks belong to a database; the key includes
// the schema's name, so that repositories in different schemas of one
// database (search_path) do not wait for each other.
func lockKey(purpose, schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("ocular " + purpose + " " + schema))
	return int64(h.Sum64())
}

// defaultMaxConns bounds each store's connections: a few instances of a
// server stay well under PostgreSQL's default max_connections (100).
const defaultMaxConns = 16

// Store is an open repository in a PostgreSQL database.
type Store struct {
	dir  string
	pool *pgxpool.Pool
	// where names the database in messages: host, port and database name,
	// never the password a DSN may hold.
	where string
	// writeLock is the key of the lock every write transaction takes first.
	writeLock int64
	// writers are the write transactions of this process that may hold a
	// connection, waiting for writeLock or holding it (writers.go).
	writers writerSlots
}

var _ core.Store = (*Store)(nil)

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string), creates Ocular's schema in an empty database, upgrades
// one written by an older Ocular, and refuses a database that holds other
// tables or a newer schema. dir is the folder of the managed files.
func Open(ctx context.Context, dsn, dir string) (*Store, error) {
	const op = "open repository"
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parse error may quote the DSN, password included: say what is
		// wrong without it.
		return nil, core.Errorf(op, core.Invalid, "the database address is not a PostgreSQL connection string; write it as postgres://user@host:port/database")
	}
	where := Where(dsn)
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 15 * time.Second
	}
	// pgxpool's default (4 connections on a small machine) would queue a
	// server's readers behind one long listing; the address may set
	// pool_max_conns itself.
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, core.E(op, core.IO, fmt.Sprintf("cannot connect to the PostgreSQL database %s", where), err)
	}
	s := &Store{dir: dir, pool: pool, where: where, writers: newWriterSlots(int(cfg.MaxConns))}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Where names the database at dsn for messages and listings: host, port
// and database, never the password; "" when dsn is not an address.
func Where(dsn string) string {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return ""
	}
	c := cfg.ConnConfig
	return fmt.Sprintf("%s:%d/%s", c.Host, c.Port, c.Database)
}

// Dir is the folder of the managed files.
func (s *Store) Dir() string { return s.dir }

// Close closes the pool's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool is the connection pool, for the tools that work on the database as a
// whole (copying a repository in, bulk loading, search indexing).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Read runs fn in a REPEATABLE READ, READ ONLY transaction: every query of
// fn sees the same snapshot, as a reader of SQLite's WAL does, so a listing
// and the counts beside it agree even while writers commit.
func (s *Store) Read(ctx context.Context, fn func(core.Tx) error) error {
	tx, err := s.begin(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return dbErr("read", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// With a hint the session's first reads go in one batch (pipeline.go).
	var run pgx.Tx = tx
	if h, ok := core.WriteHintOf(ctx); ok {
		p := s.sendSessionReads(ctx, tx, h, nil)
		defer p.drain()
		run = p
	}
	return fn(&txn{ctx: ctx, tx: run})
}

// Write runs fn in one READ COMMITTED transaction that first takes the
// write lock, so write transactions run one after the other, like SQLite's
// single writer: each sees everything committed before it and nothing
// commits under it. The exception is the writes a core.WriteHint marks
// Shared (inserting comments, links and imports, deleting links), which
// take the lock in shared mode: they run beside each other, never beside
// any other write, and rely on what the database guards itself (the unique
// index on links, the statement-level reference checks). Graph operations
// plan and apply in one transaction and need exactly that; SERIALIZABLE
// would give it too but abort and retry whole 100,000-row operations on
// conflicts. Readers are never blocked. It commits when fn returns nil and
// rolls back otherwise.
func (s *Store) Write(ctx context.Context, fn func(core.Tx) error) error {
	h, hinted := core.WriteHintOf(ctx)
	shared := hinted && h.Shared
	if err := s.writers.acquire(ctx, shared); err != nil {
		return dbErr("write", err)
	}
	defer s.writers.release(shared)
	tx, err := s.begin(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return dbErr("write", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// With a hint the session's first reads go with the lock request
	// (pipeline.go): fewer round trips while the lock is held.
	var run pgx.Tx = tx
	if hinted {
		p, err := s.lockWithHint(ctx, tx, h)
		if err != nil {
			return dbErr("write", err)
		}
		defer p.drain()
		run = p
	} else if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", s.writeLock); err != nil {
		return dbErr("write", err)
	}
	if err := fn(&txn{ctx: ctx, tx: run, write: true}); err != nil {
		return err
	}
	if err := run.Commit(ctx); err != nil {
		if connectionLost(err) {
			// The server may have committed before the connection went:
			// trying again blindly could make the change twice.
			return core.E("write", core.IO, "the database connection was lost while the change was being saved; check whether it was saved before trying again", err)
		}
		return dbErr("write", err)
	}
	s.committed(ctx)
	return nil
}

// begin starts a transaction. A connection that died while idle in the
// pool (a restarted server, a dropped network) fails at BEGIN, before
// anything ran, so one more try on a fresh connection is safe: the request
// after a lost connection reconnects instead of failing too. The other idle
// connections most likely died the same way, so the pool drops them all.
func (s *Store) begin(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	tx, err := s.pool.BeginTx(ctx, opts)
	if err != nil && connectionLost(err) && ctx.Err() == nil {
		s.pool.Reset()
		tx, err = s.pool.BeginTx(ctx, opts)
	}
	return tx, err
}

// txn implements core.Tx over one pgx transaction.
type txn struct {
	ctx   context.Context
	tx    pgx.Tx
	write bool
}

// errNoRows tells a row that is not there from a failed query.
func errNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// now is the clock for created/updated stamps, truncated to what is stored.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
