package inprocess

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
)

// fileOps are the file-system side of a graph operation. The order keeps
// the repository consistent at every instant: files are made before the
// rows that name them are committed (undone if the transaction fails) and
// removed only after the rows naming them are gone. A crash in between
// leaves unreferenced files, which RepairFiles removes.
type fileOps struct {
	managed, repo string
	created       []string  // made for rows not yet committed
	remove        []string  // to remove once the commit succeeded
	images        []core.ID // deleted images, reported to imagesDeleted after the commit
	imagesDeleted func([]core.ID)
	linked        int
	copied        int
}

// managedPath resolves a fileset entry's path inside the managed repository.
func (f *fileOps) managedPath(rel string) (string, bool) {
	if checkRepoPath(rel) != nil {
		return "", false
	}
	return filepath.Join(f.managed, filepath.FromSlash(rel)), true
}

// repoPath resolves an attachment's path inside the repository folder.
func (f *fileOps) repoPath(rel string) (string, bool) {
	if rel == "" || checkRepoPath(rel) != nil {
		return "", false
	}
	return filepath.Join(f.repo, filepath.FromSlash(rel)), true
}

// undo removes what was made for an uncommitted transaction.
func (f *fileOps) undo() {
	for i := len(f.created) - 1; i >= 0; i-- {
		os.Remove(f.created[i])
		f.pruneDirs(filepath.Dir(f.created[i]))
	}
	f.created = nil
}

// pruneDirs removes empty folders from dir up to (not including) the
// managed repository or the repository folder.
func (f *fileOps) pruneDirs(dir string) {
	for dir != f.managed && dir != f.repo && len(dir) > len(f.repo) {
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// uniqueSuffix names the folder of a duplicate's files.
func uniqueSuffix() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// linkOrCopy makes dst a hard link of src where the file system allows,
// otherwise a copy; dst must not exist.
func (f *fileOps) linkOrCopy(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), diskmode.Dir()); err != nil {
		return err
	}
	if err := os.Link(src, dst); err == nil {
		f.created = append(f.created, dst)
		f.linked++
		return nil
	}
	return f.copyFile(src, dst)
}

// copyFile copies src to dst (a new file), syncing it before the rows
// naming it can commit.
func (f *fileOps) copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), diskmode.Dir()); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, diskmode.File())
	if err != nil {
		return err
	}
	f.created = append(f.created, dst)
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		f.copied++
	}
	return err
}

// dupPath places a copy of rel in a new sibling folder: a/b/c.tif becomes
// a/b/dup-1f2e3d4c/c.tif, so that copies never collide with originals.
func dupPath(rel, suffix string) string {
	return path.Join(path.Dir(rel), "dup-"+suffix, path.Base(rel))
}

// RepairFiles implements core.Graph: administrators only.
func (s *session) RepairFiles(ctx context.Context, minAgeSeconds int) (core.RepairReport, error) {
	err := s.read(ctx, func(d *ctxData) error {
		if !d.actor.Admin {
			return core.Errorf("repair", core.Permission, "only an administrator can repair the repository")
		}
		return nil
	})
	if err != nil {
		return core.RepairReport{}, err
	}
	return s.svc.RepairFiles(ctx, time.Duration(minAgeSeconds)*time.Second)
}

// RepairFiles removes files of the managed repository that no fileset entry
// (nor attachment) names and that were last changed more than minAge ago:
// what a crash between a delete's commit and its file removal, or during a
// duplicate, leaves behind. minAge protects imports in progress, whose
// files are placed before their rows are registered. The desktop app and
// `ocular-cli repair` run it at startup.
func (s *Service) RepairFiles(ctx context.Context, minAge time.Duration) (core.RepairReport, error) {
	const op = "repair"
	var rep core.RepairReport
	managed := filepath.Join(s.store.Dir(), ManagedDirName)
	known := map[string]bool{}
	err := s.store.Read(ctx, func(tx core.Tx) error {
		sets, err := tx.Find(core.NewQuery(core.Fileset))
		if err != nil {
			return err
		}
		ids := make([]core.ID, len(sets))
		for i, fs := range sets {
			ids[i] = fs.ID
		}
		entries, err := tx.FilesetEntriesOf(ids)
		if err != nil {
			return err
		}
		for _, es := range entries {
			for _, e := range es {
				known[filepath.Join(managed, filepath.FromSlash(e.RepoPath))] = true
			}
		}
		files, err := tx.Find(core.NewQuery(core.OriginalFile))
		if err != nil {
			return err
		}
		for _, f := range files {
			if p := f.Attr("path"); p != "" {
				known[filepath.Join(s.store.Dir(), filepath.FromSlash(p))] = true
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	cutoff := time.Now().Add(-minAge)
	emptied := map[string]bool{}
	err = filepath.WalkDir(managed, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if de.IsDir() {
			return nil
		}
		if known[p] {
			return nil
		}
		info, err := de.Info()
		if err != nil {
			return nil
		}
		if changedAt(info).After(cutoff) {
			return nil
		}
		if err := os.Remove(p); err == nil {
			rep.Removed = append(rep.Removed, filepath.ToSlash(mustRel(managed, p)))
			rep.Bytes += info.Size()
			emptied[filepath.Dir(p)] = true
		}
		return nil
	})
	if err != nil {
		return rep, core.E(op, core.IO, "cannot scan the managed repository", err)
	}
	// Remove the folders this emptied (never the folders of imports in progress).
	f := &fileOps{managed: managed, repo: s.store.Dir()}
	for d := range emptied {
		f.pruneDirs(d)
	}
	sort.Strings(rep.Removed)
	return rep, nil
}

func mustRel(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil {
		return p
	}
	return r
}

// ExistingImages reports which of ids are images that still exist, whoever
// may see them: the cache sweep (app/housekeeping) removes the cached
// thumbnails and pyramids of the others. It is maintenance, not a read on
// behalf of a user, so no permission applies and nothing leaves the process.
func (s *Service) ExistingImages(ctx context.Context, ids []core.ID) (map[core.ID]bool, error) {
	out := make(map[core.ID]bool, len(ids))
	const batch = 500 // bound the statement's parameters
	err := s.store.Read(ctx, func(tx core.Tx) error {
		for start := 0; start < len(ids); start += batch {
			q := core.NewQuery(core.Image)
			q.IDs = ids[start:min(start+batch, len(ids))]
			found, err := tx.Find(q)
			if err != nil {
				return err
			}
			for _, o := range found {
				out[o.ID] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, core.E("cache sweep", core.IO, "cannot read the repository's images", err)
	}
	return out, nil
}
