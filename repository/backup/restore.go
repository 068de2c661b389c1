package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/checksum"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/repofiles"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// RestoreOptions tune a restore.
type RestoreOptions struct {
	// Postgres is the empty database (postgres://...) a PostgreSQL backup
	// is restored into; unused for an SQLite backup.
	Postgres string
	// Force restores what is intact when some files of the backup are
	// missing or damaged (they are listed); without it such a backup is
	// refused and nothing is restored.
	Force    bool
	Progress Progress
}

// RestoreReport says what a restore did.
type RestoreReport struct {
	From     string           `json:"from"`
	To       string           `json:"to"`
	Engine   string           `json:"engine"`
	Schema   int              `json:"schema"`
	Files    int              `json:"files"`
	Bytes    int64            `json:"bytes"`
	Linked   int              `json:"linked"`
	Copied   int              `json:"copied"`
	Symlinks int              `json:"symlinks"`
	Counts   repofiles.Counts `json:"counts"`
	// Bad are the backup's files that were missing or damaged (restored
	// only with Force, and then without them); BadCount counts them all.
	Bad      []string `json:"bad"`
	BadCount int      `json:"badCount"`
}

// Restore makes the repository folder to (new or empty) from the backup in
// from, checking every file against the manifest. A restore that fails
// removes what it made.
func Restore(ctx context.Context, from, to string, opts RestoreOptions) (rep RestoreReport, err error) {
	const op = "restore"
	rep = RestoreReport{From: from, To: to, Bad: []string{}}
	m, err := openManifest(from)
	if err != nil {
		return rep, err
	}
	defer m.close()
	h := m.Header
	rep.Engine, rep.Schema = h.Engine, h.Schema
	switch {
	case h.Engine == "postgres" && opts.Postgres == "":
		return rep, core.Errorf(op, core.Invalid, "%s is a backup of a PostgreSQL-backed repository; name the empty database to restore it into with --db postgres://...", from)
	case h.Engine == "sqlite" && opts.Postgres != "":
		return rep, core.Errorf(op, core.Invalid, "%s is a backup of an SQLite repository; restore it without --db (then `ocular-cli migrate` moves it to PostgreSQL)", from)
	case h.Engine != "sqlite" && h.Engine != "postgres":
		return rep, core.Errorf(op, core.Invalid, "%s holds a backup of an unknown kind (%q)", from, h.Engine)
	case h.Engine == "sqlite" && h.Schema > sqlite.SchemaVersion():
		return rep, core.Errorf(op, core.Invalid, "the backup in %s was made by a newer version of Ocular (schema %d; this version knows up to %d); restore it with that version", from, h.Schema, sqlite.SchemaVersion())
	}
	dbSrc := filepath.Join(from, filepath.Base(h.Database))
	if size, sum, err := repofiles.HashFile(ctx, dbSrc); err != nil || size != h.DatabaseSize || sum != h.DatabaseSHA256 {
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return rep, core.E(op, core.IO, fmt.Sprintf("cannot read %s", dbSrc), err)
		}
		return rep, core.Errorf(op, core.Invalid, "the backup's database %s is missing or damaged (its size or checksum is not the manifest's); this backup cannot be restored", dbSrc)
	}
	if h.Engine == "postgres" {
		if err := postgresEmpty(ctx, opts.Postgres); err != nil {
			return rep, err
		}
	}
	if err := newFolder(op, to); err != nil {
		return rep, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(to)
		}
	}()
	for {
		e, err := m.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rep, err
		}
		if !repofiles.Valid(e.Path) {
			return rep, core.Errorf(op, core.Invalid, "the backup's manifest names %q, which is not a file of a repository; the backup is damaged", e.Path)
		}
		if err := restoreFile(ctx, from, to, e, &rep); err != nil {
			return rep, err
		}
		if opts.Progress != nil {
			opts.Progress(rep.Files, rep.Bytes)
		}
	}
	if rep.BadCount > 0 && !opts.Force {
		more := ""
		if rep.BadCount > len(rep.Bad) {
			more = fmt.Sprintf(" and %d more", rep.BadCount-len(rep.Bad))
		}
		return rep, core.Errorf(op, core.Invalid, "%d files of the backup are missing or damaged: %s%s; nothing was restored (--force restores the rest without them)",
			rep.BadCount, strings.Join(rep.Bad, ", "), more)
	}
	// The database last, once every file is checked: a refused restore
	// leaves an empty PostgreSQL database empty, ready for another try.
	if h.Engine == "sqlite" {
		// A copy, never a link: the restored repository is written to,
		// and the backup must stay as it was.
		if _, err := repofiles.Place(ctx, from, to, sqlite.DBName, repofiles.How{Hash: true}); err != nil {
			return rep, repofiles.DiskError(op, "the new repository", to, err)
		}
	} else {
		if err := restorePostgres(ctx, dbSrc, opts.Postgres); err != nil {
			return rep, err
		}
		if err := writeRepositoryID(ctx, opts.Postgres, to); err != nil {
			return rep, err
		}
	}
	if h.Engine == "sqlite" {
		if rep.Counts, err = countSQLite(ctx, filepath.Join(to, sqlite.DBName)); err != nil {
			return rep, err
		}
	} else if rep.Counts, err = countPostgres(ctx, opts.Postgres); err != nil {
		return rep, err
	}
	if diff := h.Counts.Diff(rep.Counts, "the backup", "the restored repository"); len(diff) > 0 {
		return rep, core.Errorf(op, core.Internal, "the restored database does not hold what the backup recorded (%s); the backup is damaged", strings.Join(diff, "; "))
	}
	return rep, nil
}

// restoreFile places one file of the manifest, checking its bytes; a file
// missing or damaged in the backup is counted in rep.Bad and left out.
func restoreFile(ctx context.Context, from, to string, e Entry, rep *RestoreReport) error {
	const op = "restore"
	bad := func() {
		rep.BadCount++
		if len(rep.Bad) < listLimit {
			rep.Bad = append(rep.Bad, e.Path)
		}
	}
	if e.Symlink != "" {
		// An in-place import: the link is restored; its bytes were never
		// in the backup (they are checked where the link points).
		dst := filepath.Join(to, filepath.FromSlash(e.Path))
		if err := os.MkdirAll(filepath.Dir(dst), diskmode.Dir()); err != nil {
			return repofiles.DiskError(op, "the new repository", to, err)
		}
		if err := os.Symlink(e.Symlink, dst); err != nil {
			return repofiles.DiskError(op, "the new repository", to, err)
		}
		rep.Symlinks++
		rep.Files++
		if size, sum, err := checksum.File(ctx, dst, checksum.AlgorithmOf(e.Sum())); err != nil || size != e.Size || !checksum.Same(sum, e.Sum()) {
			bad()
		}
		return nil
	}
	src := filepath.Join(from, filepath.FromSlash(e.Path))
	if st, err := os.Lstat(src); err != nil || !st.Mode().IsRegular() || st.Size() != e.Size {
		bad()
		return nil
	}
	p, err := repofiles.Place(ctx, from, to, e.Path, repofiles.How{Link: true, Hash: true, Algorithm: checksum.AlgorithmOf(e.Sum())})
	if errors.Is(err, repofiles.ErrMissing) {
		bad()
		return nil
	}
	if err != nil {
		return repofiles.DiskError(op, "the new repository", to, err)
	}
	if p.Size != e.Size || !checksum.Same(p.Checksum, e.Sum()) {
		// Damaged bytes are not restored: a missing file says so when
		// the image is opened, damaged ones would show wrong pixels.
		os.Remove(filepath.Join(to, filepath.FromSlash(e.Path)))
		bad()
		return nil
	}
	rep.Files++
	rep.Bytes += p.Size
	if p.Linked {
		rep.Linked++
	} else {
		rep.Copied++
	}
	return nil
}

func countSQLite(ctx context.Context, path string) (repofiles.Counts, error) {
	db, err := sqlite.ReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	c, err := repofiles.CountRows(ctx, repofiles.SQL(db))
	if err != nil {
		return nil, core.E("restore", core.IO, "cannot read the restored database", err)
	}
	return c, nil
}
