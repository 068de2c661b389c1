package inprocess_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// TestRepairFiles_RemovesOnlyUnreferencedOldFiles: a crash between a
// delete's commit and its file removal leaves files no row names; the
// repair sweep removes them and nothing else, and leaves files younger than
// the minimum age alone (an import in progress places its files before
// registering them).
func TestRepairFiles_RemovesOnlyUnreferencedOldFiles(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	_, keep := alice.importImages(1, core.Ref{})
	fs, _ := alice.importImages(2, core.Ref{})
	// The crash: the rows are gone, the files not yet.
	err := w.svc.Store().Write(w.ctx, func(tx core.Tx) error {
		q := core.NewQuery(core.Image)
		q.Parent = fs.ID
		ims, _ := tx.Find(q)
		for _, im := range ims {
			if err := tx.DeleteObject(im.ID); err != nil {
				return err
			}
		}
		return tx.DeleteObject(fs.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	stray := filepath.Join(alice.s.ManagedDir(), "stray", "half-copied.tif")
	os.MkdirAll(filepath.Dir(stray), 0o755)
	os.WriteFile(stray, []byte("x"), 0o644)
	before := w.files()

	_, err = alice.s.RepairFiles(w.ctx, 0)
	wantKind(t, err, core.Permission)
	rep, err := w.root.RepairFiles(w.ctx, 3600)
	if err != nil || len(rep.Removed) != 0 {
		t.Fatalf("young files must be left alone: %+v %v", rep, err)
	}
	rep, err = w.root.RepairFiles(w.ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Removed) != 3 {
		t.Errorf("removed %v, want the 2 files of the deleted fileset and the stray file", rep.Removed)
	}
	after := w.files()
	if len(after) != len(before)-3 || !slices.ContainsFunc(after, func(f string) bool { return filepath.Base(f) == "img0.tif" }) {
		t.Errorf("files after the sweep: %v", after)
	}
	if _, err := os.Stat(filepath.Dir(stray)); !os.IsNotExist(err) {
		t.Error("the emptied folder should be removed")
	}
	w.there(keep...)
	if _, _, err := alice.s.ImageDetails(w.ctx, keep[0]); err != nil {
		t.Error(err)
	}
}
