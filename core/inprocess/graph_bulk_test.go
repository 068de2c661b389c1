package inprocess_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// What the bulk apply path (graph_apply.go, graph_remove.go) must keep
// doing: deleted images are reported for their caches to go, and what a move
// copies keeps every value although planning reads objects without them.

func TestDelete_ReportsTheDeletedImagesAfterTheCommit(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	d := alice.mk(core.Dataset)
	_, ims := alice.importImages(2, d)
	kept := alice.image(core.Ref{})
	var reported []core.ID
	w.svc.OnImagesDeleted(func(ids []core.ID) {
		// The rows are gone by now: the caches may be dropped safely.
		if got, err := w.svc.ExistingImages(context.Background(), ids); err != nil || len(got) != 0 {
			t.Errorf("when reported, the deleted images still exist: %v %v", got, err)
		}
		reported = append(reported, ids...)
	})

	alice.mustRun(del(d))
	w.gone(ims[0], ims[1])
	slices.Sort(reported)
	if want := []core.ID{ims[0].ID, ims[1].ID}; !reflect.DeepEqual(reported, want) {
		t.Errorf("the hook was told about images %v, want %v", reported, want)
	}
	got, err := w.svc.ExistingImages(context.Background(), []core.ID{ims[0].ID, kept.ID, 999999})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[core.ID]bool{kept.ID: true}; !reflect.DeepEqual(got, want) {
		t.Errorf("ExistingImages = %v, want only the kept image %v", got, want)
	}
}

func TestDelete_ManyImagesInBatchesRemovesRowsFilesAndFolders(t *testing.T) {
	// More rows than one bulk statement takes (500) and more files than
	// one worker removes: everything goes, in the right order.
	bp := buildBigProject(t, 120)
	if len(bp.w.files()) == 0 {
		t.Fatal("the project has no files")
	}
	res := bp.alice.mustRun(del(bp.project))
	if res.FilesRemoved != 120 {
		t.Errorf("%d files removed, want 120", res.FilesRemoved)
	}
	bp.w.gone(bp.images...)
	bp.w.gone(bp.datasets...)
	if got := bp.w.files(); len(got) != 0 {
		t.Errorf("files left: %v", got[:min(5, len(got))])
	}
	left, _ := filepath.Glob(filepath.Join(bp.alice.s.ManagedDir(), "*"))
	if len(left) != 0 {
		t.Errorf("emptied folders left in the managed repository: %v", left)
	}
}

func TestChgrp_BigMoveChangesEveryRowOnce(t *testing.T) {
	bp := buildBigProject(t, 120)
	res := bp.alice.mustRun(chgrp(bp.g2, bp.project))
	bp.w.inGroup(bp.g2, bp.images...)
	bp.w.inGroup(bp.g2, bp.datasets...)
	bp.w.inGroup(bp.g2, bp.project)
	for _, r := range res.Processed {
		if o := bp.w.obj(r); o == nil || o.Group != bp.g2 {
			t.Fatalf("%s was not moved", r)
		}
	}
	for _, r := range append(res.Severed, res.Deleted...) {
		if bp.w.obj(r) != nil {
			t.Fatalf("%s should be gone", r)
		}
	}
	if res.Review.Counts[core.Image] != 120 || res.Review.Counts[core.Roi] != 120 {
		t.Errorf("moved %v, want 120 images and their 120 ROIs", res.Review.Counts)
	}
}

func TestChgrp_KeepAnnotationsCopiesEveryValue(t *testing.T) {
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice, bob := w.user("alice", g1, g2), w.user("bob", g1)
	im := alice.image(core.Ref{})
	m := bob.mk(core.MapAnnotation, "mapValue", "strain=N2", "ns", "openmicroscopy.org/x")
	bob.annotate(im, m)
	req := chgrp(g2, im)
	req.KeepAnnotations = true
	res := alice.mustRun(req)
	orig := w.obj(m)
	var cp *core.Object
	for _, r := range res.Created {
		if r.Class == core.MapAnnotation {
			cp = w.obj(r)
		}
	}
	if cp == nil {
		t.Fatalf("no copy of the key-value pairs was made: created %v", res.Created)
	}
	if !reflect.DeepEqual(cp.Attrs, orig.Attrs) || cp.Ns != orig.Ns || cp.Group != g2 {
		t.Errorf("the copy has %v ns %q in group %d; the original %v ns %q", cp.Attrs, cp.Ns, cp.Group, orig.Attrs, orig.Ns)
	}
}
