package bigrepo

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/repository/sqlite"
)

// SQLiteSink writes into a repository folder's ocular.db with prepared
// INSERTs, the search triggers firing as they do for every change. The
// store must be closed while it writes (SQLite has one writer).
type SQLiteSink struct {
	db   *sql.DB
	path string
}

// NewSQLiteSink opens the database of the repository in dir.
func NewSQLiteSink(dir string) (*SQLiteSink, error) {
	path := filepath.Join(dir, sqlite.DBName)
	// Bulk settings: the data are thrown away if the generation fails, so
	// the journal need not survive a crash of the machine.
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=OFF&_foreign_keys=on&_busy_timeout=10000&_cache_size=-262144")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &SQLiteSink{db: db, path: path}, nil
}

func (s *SQLiteSink) Empty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM object LIMIT 1)").Scan(&n)
	return n == 0, err
}

func (s *SQLiteSink) NextObjectID(ctx context.Context) (int64, error) {
	var next int64
	err := s.db.QueryRowContext(ctx, "SELECT next FROM id_sequence WHERE name = 'object'").Scan(&next)
	return next, err
}

func (s *SQLiteSink) Write(ctx context.Context, tables []Table) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range tables {
		q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (?%s)", t.Name, strings.Join(t.Cols, ", "), strings.Repeat(", ?", len(t.Cols)-1))
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		for row := range t.Rows {
			for i, v := range row {
				switch v := v.(type) {
				case Millis:
					row[i] = int64(v)
				case JSON:
					row[i] = string(v)
				}
			}
			if _, err = st.ExecContext(ctx, row...); err != nil {
				break
			}
		}
		st.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
	}
	return tx.Commit()
}

// Finish runs no ANALYZE: the SQLite store never does, and the numbers
// should be those of a repository as users have it. The search triggers
// have kept the index up to date row by row.
func (s *SQLiteSink) Finish(ctx context.Context, next int64) error {
	for _, q := range []string{"UPDATE id_sequence SET next = max(next, ?) WHERE name = 'object'", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, next)
		}
		if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}

func (s *SQLiteSink) Size(ctx context.Context) (int64, error) {
	st, err := os.Stat(s.path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func (s *SQLiteSink) Close() error { return s.db.Close() }
