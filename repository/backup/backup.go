// Package backup makes and restores backups of a repository while it is in
// use: a consistent copy of the database (SQLite's online backup API, or
// pg_dump for a PostgreSQL-backed repository) and the managed files it
// names, hard-linked where the backup is on the same file system and copied
// otherwise, with a manifest of every file's size and checksum written last.
//
// A backup folder looks like a repository folder (ocular.db or
// database.pgdump, ManagedRepository/, Files/) plus manifest.jsonl. The
// cache of thumbnails and pyramids is left out: it is made again on demand.
package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/checksum"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/repofiles"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// Source is the repository to back up.
type Source struct {
	// Dir is the repository folder: its managed files (and, for an SQLite
	// repository, ocular.db) are there.
	Dir string
	// Postgres is the database address (postgres://...) of a
	// PostgreSQL-backed repository; empty for an SQLite one.
	Postgres string
}

// Progress is told about every file placed (files and bytes so far).
type Progress func(files int, bytes int64)

// Report says what a backup holds.
type Report struct {
	To            string           `json:"to"`
	Engine        string           `json:"engine"`
	Schema        int              `json:"schema"`
	DatabaseBytes int64            `json:"databaseBytes"`
	Files         int              `json:"files"`
	Bytes         int64            `json:"bytes"`
	Linked        int              `json:"linked"`   // hard links: no bytes copied
	Copied        int              `json:"copied"`   // copied (another file system)
	Symlinks      int              `json:"symlinks"` // in-place imports, kept as links
	Counts        repofiles.Counts `json:"counts"`
	// Missing are files the database names that the repository lacks (it
	// was damaged before the backup; `ocular-cli repair` does not bring
	// them back). Damaged are files whose bytes differ from the checksum
	// recorded at import. Both are backed up as they are and reported.
	Missing []string      `json:"missing"`
	Damaged []string      `json:"damaged"`
	Took    time.Duration `json:"tookNs"`
}

// listLimit bounds the names a report lists (the count is always given).
const listLimit = 50

// Backup copies the repository src into the new or empty folder to. The
// repository may be in use meanwhile. A backup that fails is removed; one
// that is killed leaves a folder without a manifest, which restore refuses.
func Backup(ctx context.Context, src Source, to string, progress Progress) (rep Report, err error) {
	const op = "backup"
	start := time.Now()
	if err := newFolder(op, to); err != nil {
		return rep, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(to)
		}
	}()
	// A file deleted from the repository between the database copy and
	// its link is missing from the live folder although the copy names
	// it: take a new copy (which no longer names it) and go again.
	for attempt := 0; ; attempt++ {
		last := attempt == 2
		rep, err = backupOnce(ctx, src, to, progress, last)
		if err != nil || len(rep.Missing) == 0 || last {
			break
		}
	}
	rep.Took = time.Since(start)
	return rep, err
}

// backupOnce copies the database and the files it names. Unless it is the
// last attempt, files missing from the repository make it stop short of
// the manifest, for another attempt.
func backupOnce(ctx context.Context, src Source, to string, progress Progress, last bool) (Report, error) {
	const op = "backup"
	rep := Report{To: to, Missing: []string{}, Damaged: []string{}}
	var snap *snapshot
	var err error
	if src.Postgres != "" {
		snap, err = snapshotPostgres(ctx, src, to)
	} else {
		snap, err = snapshotSQLite(ctx, src, to)
	}
	if err != nil {
		return rep, err
	}
	defer snap.close()
	rep.Engine, rep.Schema, rep.DatabaseBytes, rep.Counts = snap.header.Engine, snap.header.Schema, snap.header.DatabaseSize, snap.header.Counts
	m, err := newManifest(to, snap.header)
	if err != nil {
		return rep, repofiles.DiskError(op, "the backup", to, err)
	}
	ok := false
	defer func() {
		if !ok {
			m.abandon()
		}
	}()
	err = repofiles.Each(ctx, snap.files, func(f repofiles.File) error {
		p, err := repofiles.Place(ctx, src.Dir, to, f.Path, repofiles.How{Link: true, Hash: true, Algorithm: checksum.AlgorithmOf(f.Checksum)})
		if errors.Is(err, repofiles.ErrMissing) {
			rep.Missing = appendLimited(rep.Missing, f.Path)
			return nil
		}
		if err != nil {
			return repofiles.DiskError(op, "the backup", to, fmt.Errorf("%s: %w", f.Path, err))
		}
		if f.Checksum != "" && !checksum.Same(p.Checksum, f.Checksum) {
			rep.Damaged = appendLimited(rep.Damaged, f.Path)
		}
		switch {
		case p.Symlink != "":
			rep.Symlinks++
		case p.Linked:
			rep.Linked++
		case p.Copied:
			rep.Copied++
		}
		rep.Files++
		rep.Bytes += p.Size
		if progress != nil {
			progress(rep.Files, rep.Bytes)
		}
		return m.add(Entry{Path: f.Path, Size: p.Size, Checksum: p.Checksum, Symlink: p.Symlink})
	})
	if err != nil {
		return rep, repofiles.DiskError(op, "the backup", to, err)
	}
	if len(rep.Missing) > 0 && !last {
		return rep, nil // the deferred abandon drops this manifest
	}
	if err := m.commit(to); err != nil {
		return rep, repofiles.DiskError(op, "the backup", to, err)
	}
	ok = true
	return rep, nil
}

func appendLimited(list []string, s string) []string {
	if len(list) < listLimit {
		list = append(list, s)
	}
	return list
}

// newFolder makes dir, which must be absent or empty.
func newFolder(op, dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return core.Errorf(op, core.Conflict, "%s is not empty; choose a new or empty folder", dir)
	}
	if err := os.MkdirAll(dir, diskmode.Dir()); err != nil {
		return repofiles.DiskError(op, "the folder", dir, err)
	}
	return nil
}

// snapshot is a consistent copy of the database inside the backup folder,
// and a way to list the files it names.
type snapshot struct {
	header Header
	files  repofiles.Querier
	close  func()
}

func snapshotSQLite(ctx context.Context, src Source, to string) (*snapshot, error) {
	const op = "backup"
	dbPath := filepath.Join(to, sqlite.DBName)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(dbPath + suffix) // an earlier attempt's
	}
	if err := sqlite.BackupDatabase(ctx, src.Dir, dbPath); err != nil {
		return nil, err
	}
	schema, err := sqlite.SchemaOf(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	if !schema.Ocular {
		return nil, core.Errorf(op, core.Invalid, "%s is not an Ocular repository (its database has none of Ocular's tables)", src.Dir)
	}
	if schema.Version > sqlite.SchemaVersion() {
		return nil, core.Errorf(op, core.Invalid, "%s was written by a newer version of Ocular (schema %d; this version knows up to %d); back it up with that version", src.Dir, schema.Version, sqlite.SchemaVersion())
	}
	size, sum, err := repofiles.HashFile(ctx, dbPath)
	if err != nil {
		return nil, repofiles.DiskError(op, "the backup", to, err)
	}
	db, err := sqlite.ReadOnly(dbPath)
	if err != nil {
		return nil, err
	}
	q := repofiles.SQL(db)
	counts, err := repofiles.CountRows(ctx, q)
	if err != nil {
		db.Close()
		return nil, core.E(op, core.IO, "cannot read the database copy", err)
	}
	closeDB := func() { db.Close() }
	return &snapshot{
		header: Header{OcularBackup: formatVersion, Created: time.Now().UTC(), Engine: "sqlite", Schema: schema.Version,
			Database: sqlite.DBName, DatabaseSize: size, DatabaseSHA256: sum, Counts: counts},
		files: q, close: closeDB,
	}, nil
}
