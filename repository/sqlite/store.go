// Package sqlite is Ocular's embedded repository: a folder holding an SQLite
// database (ocular.db, in WAL mode) beside the managed files. It implements
// core.Store. One writer connection serialises mutations (each one immediate
// transaction); a pool of read-only connections serves readers concurrently.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DBName is the database file inside a repository folder.
const DBName = "ocular.db"

// Store is an open repository.
type Store struct {
	dir    string
	writer *sql.DB
	reader *sql.DB
	gen    generation
	wlock  writeLock
}

var _ core.Store = (*Store)(nil)

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	// Each connection keeps its recent prepared statements: preparing an
	// INSERT or DELETE on object (with its foreign keys and cascades) cost
	// as much as running it.
	q.Set("_stmt_cache_size", "64")
	if readOnly {
		q.Set("_query_only", "true")
	} else {
		q.Set("_txlock", "immediate")
		// A graph operation changes 100,000+ rows in one transaction; with
		// SQLite's default 2 MB page cache its pages spilled to the WAL and
		// were read back. 64 MB holds such a transaction.
		q.Set("_cache_size", "-65536")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// IsRepository reports whether dir holds an Ocular repository.
func IsRepository(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, DBName))
	return err == nil && st.Mode().IsRegular()
}

// Create makes a new, empty repository in dir (which must be absent or
// empty) and applies every migration. Bootstrapping users is the caller's job.
func Create(ctx context.Context, dir string) (*Store, error) {
	const op = "create repository"
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		if IsRepository(dir) {
			return nil, core.Errorf(op, core.Conflict, "%s already holds an Ocular repository", dir)
		}
		return nil, core.Errorf(op, core.Conflict, "%s is not empty; choose an empty or new folder for a new repository", dir)
	}
	if err := os.MkdirAll(dir, diskmode.Dir()); err != nil {
		return nil, core.E(op, core.IO, fmt.Sprintf("cannot create %s", dir), err)
	}
	return open(ctx, dir, true)
}

// Open opens an existing repository, upgrading its schema if it was written
// by an older version of Ocular.
func Open(ctx context.Context, dir string) (*Store, error) {
	if !IsRepository(dir) {
		if _, err := os.Stat(dir); err != nil {
			return nil, core.Errorf("open repository", core.NotFound, "%s does not exist; create a repository there with `ocular-cli init` or choose another folder", dir)
		}
		return nil, core.Errorf("open repository", core.Invalid, "%s is not an Ocular repository (it has no %s); choose a repository folder or create one with `ocular-cli init`", dir, DBName)
	}
	return open(ctx, dir, false)
}

func open(ctx context.Context, dir string, create bool) (*Store, error) {
	const op = "open repository"
	path := filepath.Join(dir, DBName)
	w, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		return nil, core.E(op, core.IO, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{dir: dir, writer: w}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		if create {
			os.Remove(path)
		}
		return nil, err
	}
	r, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		w.Close()
		return nil, core.E(op, core.IO, err)
	}
	r.SetMaxOpenConns(4)
	s.reader = r
	return s, nil
}

// Dir is the repository folder.
func (s *Store) Dir() string { return s.dir }

func (s *Store) path() string { return filepath.Join(s.dir, DBName) }

// Close closes both pools.
func (s *Store) Close() error {
	err1 := s.reader.Close()
	err2 := s.writer.Close()
	s.wlock.close()
	return errors.Join(err1, err2, s.gen.close())
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, e.Name(), string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion is the newest schema this build knows.
func SchemaVersion() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies, each in its own transaction together with the version
// bump, every migration newer than the database's user_version. A database
// written by a newer Ocular is refused rather than guessed at.
func (s *Store) migrate(ctx context.Context) error {
	const op = "open repository"
	ms, err := migrations()
	if err != nil {
		return core.E(op, core.Internal, err)
	}
	var current int
	if err := s.writer.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return core.E(op, core.IO, "cannot read the repository database", err)
	}
	latest := ms[len(ms)-1].version
	if current > latest {
		return core.Errorf(op, core.Invalid, "this repository was written by a newer version of Ocular (schema %d; this version reads up to %d); upgrade Ocular to open it", current, latest)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		tx, err := s.writer.BeginTx(ctx, nil)
		if err != nil {
			return core.E(op, core.IO, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return core.E(op, core.Internal, fmt.Sprintf("migration %s failed", m.name), err)
		}
		if step := migrationSteps[m.version]; step != nil {
			if err := step(ctx, tx); err != nil {
				tx.Rollback()
				return core.E(op, core.Internal, fmt.Sprintf("migration %s failed", m.name), err)
			}
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return core.E(op, core.IO, err)
		}
		if err := tx.Commit(); err != nil {
			return core.E(op, core.IO, err)
		}
	}
	return nil
}

// Read runs fn in a read-only transaction on the reader pool.
func (s *Store) Read(ctx context.Context, fn func(core.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return core.E("read", core.IO, err)
	}
	defer tx.Rollback()
	return fn(&txn{ctx: ctx, tx: tx})
}

// Write runs fn in one immediate transaction on the writer connection; it
// commits when fn returns nil and rolls back otherwise.
func (s *Store) Write(ctx context.Context, fn func(core.Tx) error) error {
	conn, err := s.writer.Conn(ctx)
	if err != nil {
		return writeErr(err)
	}
	defer conn.Close()
	unlock, err := s.wlock.lock(ctx, s.dir)
	if err != nil {
		return core.E("write", core.IO, "another program has been changing the repository for a while; try again in a moment", err)
	}
	defer unlock()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return writeErr(err)
	}
	if err := fn(&txn{ctx: ctx, tx: tx, write: true}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return writeErr(err)
	}
	return nil
}

// writeErr says why a write transaction could not start or commit: a full
// disk or a read-only repository in words, anything else as a failed save.
func writeErr(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrFull || se.Code == sqlite3.ErrReadonly) {
		return dbErr("write", err)
	}
	return core.E("write", core.IO, "the repository database could not save the change", err)
}

// txn implements core.Tx over one *sql.Tx.
type txn struct {
	ctx   context.Context
	tx    *sql.Tx
	write bool
	stmts map[string]*sql.Stmt // prepared bulk statements (bulk.go)
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// dbErr turns driver errors into core errors with sentences users understand.
func dbErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return core.E(op, core.Conflict, "it already exists", err)
		case sqlite3.ErrConstraintForeignKey:
			return core.E(op, core.Conflict, "other objects still refer to it", err)
		}
		if se.Code == sqlite3.ErrFull {
			return core.E(op, core.IO, "the disk is full; free some space and try again", err)
		}
		if se.Code == sqlite3.ErrReadonly {
			return core.E(op, core.IO, "the repository is read-only", err)
		}
	}
	return core.E(op, core.IO, err)
}
