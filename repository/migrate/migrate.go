// Package migrate copies a local (SQLite) repository into a PostgreSQL one,
// for a lab moving its data onto a facility's server: users, groups,
// objects, links, annotations, rendering settings, filesets and the
// managed files. IDs are kept when the target holds no objects; otherwise
// every object ID is shifted by one offset above the target's, and users
// and groups are matched by name, which the report says.
//
// A migration is resumable: every chunk of rows is copied in one
// transaction together with the migration's record of how far it got
// (tables ocular_migration*), so a rerun after an interruption at any point
// (a cancelled command, a crash, a full disk) goes on from the last
// committed chunk. The managed files are placed before the rows that name
// them. At the end both sides are counted per class and every managed
// file's checksum is checked.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/postgres"
	"github.com/ocular-lab/ocular/repository/repofiles"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// Options name the two sides.
type Options struct {
	From string // the SQLite repository folder
	To   string // the PostgreSQL database (postgres://...)
	// FilesTo is the folder the server keeps its managed files in; the
	// files are hard-linked there (copied across file systems). Empty: the
	// files stay where they are and From becomes the server's folder.
	FilesTo string
	// ChunkRows is the rows per transaction (default 5,000).
	ChunkRows int
	// SizesOnly checks the files' sizes at the end, not their checksums
	// (for a quick rerun of a verified migration).
	SizesOnly bool
	// Progress hears about each step's advance (rows or files so far, of
	// total).
	Progress func(step string, done, total int64)

	afterChunk func(table string) // tests: interrupt after a chunk
}

// Report says what a migration did.
type Report struct {
	From    string `json:"from"`
	To      string `json:"to"` // without a password
	FilesTo string `json:"filesTo"`
	Resumed bool   `json:"resumed"`
	// PreservedIDs is true when object IDs are the source's; otherwise
	// ObjectOffset was added to each (Image:42 became Image:42+offset).
	PreservedIDs bool             `json:"preservedIds"`
	ObjectOffset int64            `json:"objectOffset"`
	Users        []Mapped         `json:"users"`
	Groups       []Mapped         `json:"groups"`
	Tables       map[string]int64 `json:"tables"` // rows written per table
	Files        int              `json:"files"`
	Bytes        int64            `json:"bytes"`
	Linked       int              `json:"linked"`
	Copied       int              `json:"copied"`
	Counts       repofiles.Counts `json:"counts"` // the source's, found again in the target
	Checksums    int              `json:"checksumsChecked"`
	Notes        []string         `json:"notes"`
	Took         time.Duration    `json:"tookNs"`
}

// migration is one run.
type migration struct {
	opts          Options
	chunk         int
	src           *sql.DB
	srcTx         *sql.Tx
	store         *postgres.Store
	pool          *pgxpool.Pool
	offset        int64
	users, groups map[int64]int64
	report        *Report
}

// Run migrates opts.From into opts.To, or resumes an interrupted
// migration of the same repository.
func Run(ctx context.Context, opts Options) (rep Report, err error) {
	const op = "migrate"
	start := time.Now()
	rep = Report{From: opts.From, To: redact(opts.To), Tables: map[string]int64{}, Notes: []string{}}
	if opts.FilesTo == "" {
		opts.FilesTo = opts.From
	}
	rep.FilesTo = opts.FilesTo
	m := &migration{opts: opts, chunk: opts.ChunkRows, report: &rep}
	if m.chunk <= 0 {
		m.chunk = 5000
	}
	if err := m.openSource(ctx); err != nil {
		return rep, err
	}
	defer m.src.Close()
	defer m.srcTx.Rollback()
	m.store, err = postgres.Open(ctx, opts.To, opts.FilesTo)
	if err != nil {
		return rep, err
	}
	defer m.store.Close()
	m.pool = m.store.Pool()
	if _, err := m.pool.Exec(ctx, stateSchema); err != nil {
		return rep, targetErr("preparing the target", err)
	}
	r, err := loadRun(ctx, m.pool)
	if err != nil {
		return rep, err
	}
	if r != nil && r.finished && (r.source != opts.From || r.sourceID != m.sourceID(ctx)) {
		// Another lab's repository, after one that arrived whole: a new
		// migration into a target in use (its record replaces the old).
		if _, err := m.pool.Exec(ctx, "DELETE FROM ocular_migration; DELETE FROM ocular_migration_step; DELETE FROM ocular_migration_idmap; DELETE FROM ocular_migration_fixup"); err != nil {
			return rep, targetErr("preparing the target", err)
		}
		r = nil
	}
	if err := m.checkFilesFolder(ctx); err != nil {
		return rep, err
	}
	if r == nil {
		r, err = m.begin(ctx)
	} else {
		err = m.resume(ctx, r)
	}
	if err != nil {
		return rep, err
	}
	m.offset = r.offset
	rep.ObjectOffset, rep.PreservedIDs = r.offset, r.offset == 0
	if r.offset != 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("the target already held objects: every object ID is shifted by %d (Image:42 is now Image:%d)", r.offset, 42+r.offset))
	}
	for _, u := range rep.Users {
		if u.Matched && u.Name != "root" && u.Name != "guest" {
			rep.Notes = append(rep.Notes, fmt.Sprintf("user %s matched the target's %s (ID %d): the target's account is kept, with its password, and owns the data", u.Name, u.Name, u.TargetID))
		}
	}
	if err := m.placeFiles(ctx); err != nil {
		return rep, err
	}
	for _, spec := range copiedTables {
		if err := m.copyTable(ctx, spec); err != nil {
			return rep, err
		}
	}
	if err := m.finish(ctx); err != nil {
		return rep, err
	}
	if err := m.verify(ctx, r); err != nil {
		return rep, err
	}
	if err := m.recordRepositoryID(ctx); err != nil {
		return rep, repofiles.DiskError(op, "the server's file folder", opts.FilesTo, err)
	}
	if _, err := m.pool.Exec(ctx, "UPDATE ocular_migration SET finished = $1 WHERE id = 1", time.Now().UnixMilli()); err != nil {
		return rep, targetErr("recording the end", err)
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// openSource checks the source and opens one read transaction on it, so
// the whole run copies one consistent state.
func (m *migration) openSource(ctx context.Context) error {
	const op = "migrate"
	dbPath := filepath.Join(m.opts.From, sqlite.DBName)
	if !sqlite.IsRepository(m.opts.From) {
		return core.Errorf(op, core.Invalid, "%s is not an Ocular repository (it has no %s)", m.opts.From, sqlite.DBName)
	}
	schema, err := sqlite.SchemaOf(ctx, dbPath)
	if err != nil {
		return err
	}
	switch {
	case !schema.Ocular:
		return core.Errorf(op, core.Invalid, "%s is not an Ocular repository (its database has none of Ocular's tables)", m.opts.From)
	case schema.Version > sqlite.SchemaVersion():
		return core.Errorf(op, core.Invalid, "%s was written by a newer version of Ocular (schema %d; this version knows up to %d); migrate it with that version", m.opts.From, schema.Version, sqlite.SchemaVersion())
	case schema.Version < sqlite.SchemaVersion():
		// Opening it upgrades it, as any Ocular command would.
		st, err := sqlite.Open(ctx, m.opts.From)
		if err != nil {
			return err
		}
		st.Close()
		m.report.Notes = append(m.report.Notes, fmt.Sprintf("the source's schema was upgraded from %d to %d first", schema.Version, sqlite.SchemaVersion()))
	}
	m.src, err = sqlite.ReadOnly(dbPath)
	if err != nil {
		return err
	}
	m.srcTx, err = m.src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		m.src.Close()
		return core.E(op, core.IO, "cannot read the source repository", err)
	}
	m.report.Counts, err = repofiles.CountRows(ctx, repofiles.SQL(m.srcTx))
	if err != nil {
		m.srcTx.Rollback()
		m.src.Close()
		return core.E(op, core.IO, "cannot read the source repository", err)
	}
	return nil
}

func (m *migration) sourceID(ctx context.Context) string {
	var v string
	m.srcTx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'initialized'").Scan(&v)
	return v
}

func (m *migration) progress(step string, done, total int64) {
	if m.opts.Progress != nil {
		m.opts.Progress(step, done, total)
	}
}

// targetErr explains a failure on the target's side.
func targetErr(doing string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*core.Error); ok {
		return err
	}
	var pe *pgconn.PgError
	msg := err.Error()
	switch {
	case errors.As(err, &pe) && (pe.Code == "53100" || pe.Code == "53200"), strings.Contains(msg, "No space left"):
		return core.E("migrate", core.IO, "the PostgreSQL server's disk (or memory) is full; free space there and run the same command again (what was copied is kept, the rest follows)", err)
	case ctxDone(err):
		return core.E("migrate", core.IO, "stopped before the end; run the same command again to go on from here", err)
	}
	return core.E("migrate", core.IO, fmt.Sprintf("%s failed; run the same command again to go on from the last chunk copied", doing), err)
}

func ctxDone(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		strings.Contains(err.Error(), "context canceled")
}

// redact drops the password from a database address for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
