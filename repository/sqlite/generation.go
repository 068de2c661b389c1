package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

var _ interface {
	Generation(context.Context) (uint64, error)
} = (*Store)(nil)

// generation asks SQLite's data_version, which changes on a connection
// whenever another connection (of this process or another) committed to
// the database since it last asked. It must be the same connection every
// time, so it has one of its own.
type generation struct {
	mu   sync.Mutex
	db   *sql.DB
	last int64
	n    uint64
}

// Generation changes after every write committed to the repository by
// any process (core.GenerationStore).
func (s *Store) Generation(ctx context.Context) (uint64, error) {
	g := &s.gen
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.db == nil {
		db, err := sql.Open(driverName, dsn(s.path(), true))
		if err != nil {
			return 0, dbErr("read", err)
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		g.db = db
	}
	var v int64
	if err := g.db.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		// A new connection would count from another base: make sure the
		// next answer differs from every earlier one.
		g.db.Close()
		g.db = nil
		g.n += 2
		return 0, dbErr("read", err)
	}
	if v != g.last {
		g.last = v
		g.n++
	}
	return g.n, nil
}

func (g *generation) close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.db == nil {
		return nil
	}
	return g.db.Close()
}
