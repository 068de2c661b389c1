// Package local opens the repository for the composition roots
// (cmd/ocular and cmd/ocular-cli): it knows where the default repository
// lives and wires the SQLite store, or the PostgreSQL one (postgres.go), to
// the in-process services.
package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// EnvRepo overrides the default repository folder.
const EnvRepo = "OCULAR_REPO"

// DefaultDir is the repository the desktop opens and the CLI uses without
// --repo: $OCULAR_REPO, else $XDG_DATA_HOME/ocular/repository
// (~/.local/share/ocular/repository).
func DefaultDir() string {
	if d := os.Getenv(EnvRepo); d != "" {
		return d
	}
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "ocular", "repository")
}

// Open opens an existing repository. It sets this process's file modes to
// the repository's (private, or shared with its Unix group: see
// core/diskmode) and tightens the folder and the database when they are
// wider.
func Open(ctx context.Context, dir string) (*inprocess.Service, error) {
	// A folder made by `init --db` keeps only the files; its rows are in
	// the PostgreSQL database it names.
	if dsn, ok, err := databaseOf(dir); err != nil {
		return nil, err
	} else if ok {
		return OpenPostgres(ctx, dir, dsn)
	}
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	svc := inprocess.New(st)
	g, err := unixGroupOf(ctx, svc)
	if err != nil {
		svc.Close()
		return nil, err
	}
	usePolicy(g)
	tightenTop(dir)
	return svc, nil
}

// Create makes a new private repository with its root administrator:
// folders 0700 and files 0600, for the account that runs it only.
func Create(ctx context.Context, dir, rootPassword string) (*inprocess.Service, error) {
	return create(ctx, dir, rootPassword, "")
}

// CreateShared makes a new repository shared with the Unix group
// unixGroup (`ocular-cli init --shared GROUP`): the group reads and writes
// it (folders 2770, files 0660, everything created later included), other
// accounts nothing. The caller must be a member of the group.
func CreateShared(ctx context.Context, dir, rootPassword, unixGroup string) (*inprocess.Service, error) {
	if unixGroup == "" {
		return nil, core.Errorf("init", core.Invalid, "name the Unix group to share the repository with")
	}
	return create(ctx, dir, rootPassword, unixGroup)
}

func create(ctx context.Context, dir, rootPassword, unixGroup string) (*inprocess.Service, error) {
	if rootPassword == "" {
		return nil, core.Errorf("init", core.Invalid, "the root password must not be empty")
	}
	_, statErr := os.Stat(dir)
	existed := statErr == nil
	gid, err := prepareParents(dir, unixGroup)
	if err != nil {
		return nil, err
	}
	usePolicy(unixGroup)
	if err := prepareFolder(dir, gid); err != nil {
		if !existed {
			os.Remove(dir)
		}
		return nil, err
	}
	st, err := sqlite.Create(ctx, dir)
	if err != nil {
		if !existed {
			os.Remove(dir)
		}
		return nil, err
	}
	svc := inprocess.New(st)
	// SQLite creates the database 0644 less the umask, and its WAL files
	// (kept from now on) with the database's mode at that moment.
	for _, name := range []string{sqlite.DBName, sqlite.DBName + "-wal", sqlite.DBName + "-shm"} {
		if err = os.Chmod(filepath.Join(dir, name), diskmode.File()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			break
		}
		err = nil
	}
	if err == nil {
		err = svc.Initialize(ctx, rootPassword)
	}
	if err == nil && unixGroup != "" {
		err = st.Write(ctx, func(tx core.Tx) error { return tx.SetMeta(metaUnixGroup, unixGroup) })
	}
	if err != nil {
		svc.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	return svc, nil
}

// prepareParents returns the Unix group's ID (-1 for a private repository)
// and, for a shared one, makes the folders above dir. Folders above a
// shared repository are not the repository's: the group's members must be
// able to pass through them, so they get the usual 0755 (before the
// repository's umask applies).
func prepareParents(dir, unixGroup string) (int, error) {
	if unixGroup == "" {
		return -1, nil
	}
	gid, err := lookupUnixGroup(unixGroup)
	if err != nil {
		return -1, err
	}
	setUmask(0o022)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return -1, core.E("create repository", core.IO, fmt.Sprintf("cannot create %s", filepath.Dir(dir)), err)
	}
	return gid, nil
}

// Exists reports whether dir holds a repository: an SQLite one, or the
// files of one in PostgreSQL.
func Exists(dir string) bool {
	if sqlite.IsRepository(dir) {
		return true
	}
	st, err := os.Stat(filepath.Join(dir, DatabaseFile))
	return err == nil && st.Mode().IsRegular()
}
