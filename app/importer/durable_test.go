package importer_test

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
)

// durableSession checks, at every registration, that each file the
// fileset names was on disk when a sync of the repository ran.
type durableSession struct {
	core.Session
	t      *testing.T
	mu     *sync.Mutex
	synced map[string]bool
}

func (s durableSession) RegisterFileset(ctx context.Context, req core.FilesetImport) (core.ImportResult, error) {
	s.mu.Lock()
	for _, f := range req.Files {
		if !s.synced[f.RepoPath] {
			s.t.Errorf("%s is registered before a sync made it durable", f.RepoPath)
		}
	}
	s.mu.Unlock()
	return s.Session.RegisterFileset(ctx, req)
}

// The copies are made durable before the rows naming them commit, by
// syncs of the repository's file system (one per batch, not one per file).
func TestCopiesAreSyncedBeforeTheirRowsCommit(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	for i := 0; i < 6; i++ {
		writeOME(t, filepath.Join(dir, fmt.Sprintf("f%d.ome.tiff", i)), 1, 2)
	}
	var mu sync.Mutex
	synced := map[string]bool{}
	syncs := 0
	managed := f.sess.ManagedDir()
	batch, undo := importer.SetSyncFSHook(func(root string) error {
		mu.Lock()
		defer mu.Unlock()
		syncs++
		return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(managed, p)
				synced[filepath.ToSlash(rel)] = true
			}
			return err
		})
	})
	defer undo()
	if !batch {
		t.Skip("each copy is fsynced as it is written on this system")
	}
	cfg := f.config()
	cfg.Session = durableSession{Session: f.sess, t: t, mu: &mu, synced: synced}
	sum, err := importer.Run(context.Background(), cfg, []string{dir}, importer.Options{}, nil)
	if err != nil || sum.Imported != 6 {
		t.Fatalf("imported %d: %v %+v", sum.Imported, err, sum.Results)
	}
	if syncs == 0 || syncs > 6 {
		t.Errorf("%d syncs for 6 files", syncs)
	}
}
