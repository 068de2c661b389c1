package migrate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/local"
)

// metaRepositoryID is the meta key repository/local keeps a PostgreSQL
// repository's ID under; the folder of its files holds the same ID in
// local.IDFile, so a folder and a database that do not belong together are
// refused when the server opens them.
const metaRepositoryID = "repositoryID"

// targetRepositoryID reads the target's repository ID ("" when it has none:
// an empty database, or one made by an earlier copy).
func (m *migration) targetRepositoryID(ctx context.Context) (string, error) {
	var id string
	err := m.pool.QueryRow(ctx, "SELECT coalesce((SELECT value FROM meta WHERE key = $1), '')", metaRepositoryID).Scan(&id)
	return id, err
}

// checkFilesFolder refuses a --files-to that is not the folder of the
// target's repository, when the target has one (a server in use): the
// lab's files must go where the server reads its files.
func (m *migration) checkFilesFolder(ctx context.Context) error {
	id, err := m.targetRepositoryID(ctx)
	if err != nil {
		return targetErr("reading the target's settings", err)
	}
	if id == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(m.opts.FilesTo, local.IDFile))
	if err != nil || strings.TrimSpace(string(b)) != id {
		return core.Errorf("migrate", core.Invalid, "%s is not the file folder of the target's repository (its %s does not hold the database's repository ID); give --files-to the folder the server uses (its --repo)", m.opts.FilesTo, local.IDFile)
	}
	return nil
}

// recordRepositoryID gives a target without a repository ID one, and
// writes it into the files folder, so that the server finds the two belong
// together (and refuses another folder).
func (m *migration) recordRepositoryID(ctx context.Context) error {
	var b [16]byte
	rand.Read(b[:])
	if _, err := m.pool.Exec(ctx, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", metaRepositoryID, hex.EncodeToString(b[:])); err != nil {
		return targetErr("recording the repository's ID", err)
	}
	id, err := m.targetRepositoryID(ctx)
	if err != nil {
		return targetErr("reading the repository's ID", err)
	}
	path := filepath.Join(m.opts.FilesTo, local.IDFile)
	have, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(m.opts.FilesTo, diskmode.Dir()); err != nil {
			return err
		}
		return os.WriteFile(path, []byte(id+"\n"), diskmode.File())
	case err != nil:
		return err
	case strings.TrimSpace(string(have)) != id:
		return core.Errorf("migrate", core.Invalid, "%s names another repository than the target database (%s); it is not this server's folder", m.opts.FilesTo, local.IDFile)
	}
	return nil
}
