package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/postgres"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// DatabaseFile, in a repository folder whose rows live in PostgreSQL, holds
// the database's address, so that `--repo DIR` alone (the desktop, later
// commands, a watch station) finds the database that `init --db` chose.
// It may hold a password, so it is as private as the repository's files.
const DatabaseFile = "database.url"

// IDFile, in the folder of a PostgreSQL repository's files, holds the
// repository's ID, which the database keeps too (metaRepositoryID): a
// folder and a database that do not belong together are refused, instead
// of writing files where the rows' other files are not, or reading files
// of another repository.
const IDFile = "repository.id"

const metaRepositoryID = "repositoryID"

// OpenPostgres opens a repository whose managed files are in dir and whose
// rows are in the PostgreSQL database at dsn (`ocular-cli --db URL`).
// The database must hold an initialised repository (`ocular-cli init --db`).
func OpenPostgres(ctx context.Context, dir, dsn string) (*inprocess.Service, error) {
	const op = "open repository"
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, core.Errorf(op, core.NotFound, "the folder of the managed files, %s, does not exist; create the repository with `ocular-cli init --repo DIR --db URL`, or give the folder it was created with", dir)
	}
	st, err := postgres.Open(ctx, dsn, dir)
	if err != nil {
		return nil, err
	}
	svc := inprocess.New(st)
	initialized, err := isInitialized(ctx, st)
	if err == nil && !initialized {
		err = core.Errorf(op, core.NotFound, "the database holds no Ocular repository yet; create one with `ocular-cli init --repo DIR --db URL`")
	}
	if err == nil {
		err = sameRepository(ctx, st, dir)
	}
	var g string
	if err == nil {
		g, err = unixGroupOf(ctx, svc)
	}
	if err != nil {
		svc.Close()
		return nil, err
	}
	usePolicy(g)
	tighten(dir, diskmode.Dir())
	tighten(filepath.Join(dir, DatabaseFile), diskmode.File())
	return svc, nil
}

// CreatePostgres makes a new repository with its root administrator: the
// schema and the rows in the PostgreSQL database at dsn (empty, or holding
// an Ocular schema with no repository yet), the managed files in dir
// (absent or empty), shared with unixGroup unless it is "". dir remembers
// the database (DatabaseFile).
func CreatePostgres(ctx context.Context, dir, dsn, rootPassword, unixGroup string) (*inprocess.Service, error) {
	const op = "create repository"
	if rootPassword == "" {
		return nil, core.Errorf("init", core.Invalid, "the root password must not be empty")
	}
	gid, err := prepareParents(dir, unixGroup)
	if err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		if Exists(dir) {
			return nil, core.Errorf(op, core.Conflict, "%s already holds an Ocular repository", dir)
		}
		return nil, core.Errorf(op, core.Conflict, "%s is not empty; choose an empty or new folder for the repository's files", dir)
	}
	_, statErr := os.Stat(dir)
	existed := statErr == nil
	usePolicy(unixGroup)
	undo := func() {
		if existed {
			os.Remove(filepath.Join(dir, DatabaseFile))
			os.Remove(filepath.Join(dir, IDFile))
		} else {
			os.RemoveAll(dir)
		}
	}
	if err := prepareFolder(dir, gid); err != nil {
		undo()
		return nil, err
	}
	st, err := postgres.Open(ctx, dsn, dir)
	if err != nil {
		undo()
		return nil, err
	}
	svc := inprocess.New(st)
	initialized, err := isInitialized(ctx, st)
	if err == nil && initialized {
		err = core.Errorf(op, core.Conflict, "the database already holds an Ocular repository; open it with `--db URL --repo DIR` (DIR: the folder of its files), or give an empty database")
	}
	var id [16]byte
	rand.Read(id[:])
	for _, f := range []struct{ name, text string }{{DatabaseFile, dsn}, {IDFile, hex.EncodeToString(id[:])}} {
		if err != nil {
			break
		}
		if err = os.WriteFile(filepath.Join(dir, f.name), []byte(f.text+"\n"), diskmode.File()); err != nil {
			err = core.E(op, core.IO, fmt.Sprintf("cannot write %s", filepath.Join(dir, f.name)), err)
		}
	}
	if err == nil {
		// The ID and the root account in one transaction: a database with
		// a root has its folder's ID.
		err = st.Write(ctx, func(tx core.Tx) error { return tx.SetMeta(metaRepositoryID, hex.EncodeToString(id[:])) })
	}
	if err == nil {
		err = svc.Initialize(ctx, rootPassword)
	}
	if err == nil && unixGroup != "" {
		err = st.Write(ctx, func(tx core.Tx) error { return tx.SetMeta(metaUnixGroup, unixGroup) })
	}
	if err != nil {
		svc.Close()
		undo()
		return nil, err
	}
	return svc, nil
}

// sameRepository checks that dir is the folder of the database's
// repository: both hold the same repository ID.
func sameRepository(ctx context.Context, st core.Store, dir string) error {
	const op = "open repository"
	var want string
	err := st.Read(ctx, func(tx core.Tx) (err error) { want, err = tx.Meta(metaRepositoryID); return err })
	if core.Is(core.NotFound, err) {
		return nil // made by another tool (a copy from SQLite); nothing to check against
	}
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(dir, IDFile))
	if errors.Is(err, fs.ErrNotExist) {
		return core.Errorf(op, core.Invalid, "%s is not the folder of this database's repository (it has no %s); give --repo the folder `ocular-cli init --db` created, as every server instance mounts it", dir, IDFile)
	}
	if err != nil {
		return core.E(op, core.IO, fmt.Sprintf("cannot read %s", filepath.Join(dir, IDFile)), err)
	}
	if strings.TrimSpace(string(b)) != want {
		return core.Errorf(op, core.Invalid, "%s holds the files of another repository than the database's; give --repo the folder `ocular-cli init --db` created for this database", dir)
	}
	return nil
}

// isInitialized reports whether the database holds a repository: its root
// administrator was created (Service.Initialize).
func isInitialized(ctx context.Context, st core.Store) (bool, error) {
	var ok bool
	err := st.Read(ctx, func(tx core.Tx) error {
		_, err := tx.Meta("initialized")
		if core.Is(core.NotFound, err) {
			return nil
		}
		ok = err == nil
		return err
	})
	return ok, err
}

// databaseOf reads the database address a repository folder remembers;
// ok is false for a folder without one (an SQLite repository, or none).
func databaseOf(dir string) (dsn string, ok bool, err error) {
	if _, err := os.Stat(filepath.Join(dir, sqlite.DBName)); err == nil {
		return "", false, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, DatabaseFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, core.E("open repository", core.IO, fmt.Sprintf("cannot read %s", filepath.Join(dir, DatabaseFile)), err)
	}
	dsn = strings.TrimSpace(string(b))
	if dsn == "" {
		return "", false, core.Errorf("open repository", core.Invalid, "%s is empty; write the repository's PostgreSQL address into it, or give it with --db URL", filepath.Join(dir, DatabaseFile))
	}
	return dsn, true, nil
}
