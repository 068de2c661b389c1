package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/ocular-lab/ocular/core"
)

// BackupDatabase writes a consistent copy of the repository database in
// repoDir to dest (a new file) with SQLite's online backup API, while other
// connections and processes keep reading and writing the repository. The
// copy is made in one step inside one read transaction: in WAL mode that
// blocks no writer, and a write that commits meanwhile cannot restart it
// (as it would between smaller steps).
//
// The live database is opened as it is, without applying migrations: a
// backup leaves the repository exactly as it found it. The caller checks the
// copy's schema (SchemaOf).
func BackupDatabase(ctx context.Context, repoDir, dest string) error {
	const op = "backup"
	if !IsRepository(repoDir) {
		return core.Errorf(op, core.NotFound, "%s is not an Ocular repository (it has no %s)", repoDir, DBName)
	}
	if _, err := os.Lstat(dest); err == nil {
		return core.Errorf(op, core.Conflict, "%s already exists; back up into a new folder", dest)
	}
	src, err := sql.Open(driverName, dsn(filepath.Join(repoDir, DBName), true))
	if err != nil {
		return core.E(op, core.IO, err)
	}
	defer src.Close()
	dst, err := sql.Open(driverName, "file:"+dest+"?_journal_mode=WAL")
	if err != nil {
		return core.E(op, core.IO, err)
	}
	defer dst.Close()
	srcConn, err := src.Conn(ctx)
	if err != nil {
		return dbErr(op, err)
	}
	defer srcConn.Close()
	dstConn, err := dst.Conn(ctx)
	if err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot create %s", dest), err)
	}
	defer dstConn.Close()
	err = dstConn.Raw(func(d any) error {
		return srcConn.Raw(func(s any) error {
			dc, ok1 := d.(*sqlite3.SQLiteConn)
			sc, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("the database driver is not mattn/go-sqlite3")
			}
			b, err := dc.Backup("main", sc, "main")
			if err != nil {
				return err
			}
			if _, err := b.Step(-1); err != nil {
				b.Finish()
				return err
			}
			return b.Finish()
		})
	})
	if err != nil {
		os.Remove(dest)
		return backupErr(op, err)
	}
	return nil
}

// backupErr names a full disk; anything else is a failed backup.
func backupErr(op string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrFull {
		return core.E(op, core.IO, "the disk holding the backup is full; free some space (or back up to another disk) and run the backup again", err)
	}
	return core.E(op, core.IO, "the database could not be copied", err)
}

// Schema describes the database file at path without changing it.
type Schema struct {
	Version int  // PRAGMA user_version: the number of the newest migration applied
	Ocular  bool // it has Ocular's tables
}

// SchemaOf reads the schema version of the SQLite database at path, opened
// read-only. A file that is not an SQLite database is an Invalid error.
func SchemaOf(ctx context.Context, path string) (Schema, error) {
	const op = "read repository"
	db, err := ReadOnly(path)
	if err != nil {
		return Schema{}, err
	}
	defer db.Close()
	var s Schema
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&s.Version); err != nil {
		return s, core.E(op, core.Invalid, fmt.Sprintf("%s is not an SQLite database", path), err)
	}
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table'
		AND name IN ('experimenter', 'experimenter_group', 'object', 'fileset_entry')`).Scan(&n)
	if err != nil {
		return s, core.E(op, core.Invalid, fmt.Sprintf("%s is not an SQLite database", path), err)
	}
	s.Ocular = n == 4
	return s, nil
}

// ReadOnly opens the SQLite database at path for reading only, applying no
// migration (backups, migrations to another engine).
func ReadOnly(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, core.E("read repository", core.NotFound, fmt.Sprintf("%s does not exist", path), err)
	}
	db, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		return nil, core.E("read repository", core.IO, err)
	}
	return db, nil
}
