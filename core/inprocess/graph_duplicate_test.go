package inprocess_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// Duplicate scenarios, one per rule of spec §4.5.

func dup(refs ...core.Ref) core.GraphRequest {
	return core.GraphRequest{Op: core.OpDuplicate, Targets: targets(refs...)}
}

// copyOf returns the duplicate of orig in a result.
func copyOf(t *testing.T, res core.GraphResult, orig core.Ref) core.Ref {
	t.Helper()
	for _, p := range res.Duplicates {
		if p.Original == orig {
			return p.Copy
		}
	}
	t.Fatalf("%s was not duplicated (duplicates: %v)", orig, res.Duplicates)
	return core.Ref{}
}

func notCopied(t *testing.T, res core.GraphResult, orig core.Ref) {
	t.Helper()
	for _, p := range res.Duplicates {
		if p.Original == orig {
			t.Errorf("%s should not be duplicated", orig)
		}
	}
}

func TestDuplicate_WholeSubtreeOwnedByTheDuplicatorWithTheImageOwnersSettingsOnly(t *testing.T) {
	// testDuplicateImageProperties, testDuplicateImageWithAnnotation
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice, bob := w.user("alice", g), w.user("bob", g)
	p, d := alice.mk(core.Project, "name", "P"), alice.mk(core.Dataset, "name", "D")
	alice.link(core.ProjectDatasetLink, p, d)
	fs, ims := alice.importImages(1, d)
	im := ims[0]
	roi := alice.mk(core.Roi, "image", im.String())
	tag := alice.tag("t", im)
	com := alice.comment(im, "c")
	rdef := alice.mk(core.RenderingDef, "image", im.String(), "settings", `{"z":1}`)
	brdef := bob.mk(core.RenderingDef, "image", im.String(), "settings", "{}")
	res := bob.mustRun(dup(p))
	for _, o := range []core.Ref{p, d, im, fs, roi, tag, com, rdef} {
		c := copyOf(t, res, o)
		w.ownedBy(bob.id, c)
		if w.obj(c).Name != w.obj(o).Name {
			t.Errorf("%s is named %q, the original %q", c, w.obj(c).Name, w.obj(o).Name)
		}
	}
	notCopied(t, res, brdef)
	w.ownedBy(alice.id, p, d, im, roi, tag, com, rdef) // originals untouched
	np, nd, nim := copyOf(t, res, p), copyOf(t, res, d), copyOf(t, res, im)
	if w.linkBetween(core.ProjectDatasetLink, np, nd) == nil || w.linkBetween(core.DatasetImageLink, nd, nim) == nil {
		t.Error("inside the duplicated tree, links connect the duplicates")
	}
	if w.linkBetween(core.DatasetImageLink, d, nim) != nil {
		t.Error("a duplicate is linked to an original container")
	}
	if px, chs, err := bob.s.ImageDetails(w.ctx, nim); err != nil || px.SizeX != 4 || len(chs) != 1 {
		t.Errorf("the duplicate's pixels: %+v %v %v", px, chs, err)
	}
	// Image files are hard-linked where the file system allows.
	if res.FilesLinked != 1 {
		t.Errorf("files linked: %d (copied %d)", res.FilesLinked, res.FilesCopied)
	}
	var a, b string
	for _, f := range w.files() {
		if filepath.Ext(f) == ".tif" {
			if a == "" {
				a = f
			} else {
				b = f
			}
		}
	}
	sa, _ := os.Stat(filepath.Join(w.dir, a))
	sb, _ := os.Stat(filepath.Join(w.dir, b))
	if sa == nil || sb == nil || !os.SameFile(sa, sb) {
		t.Errorf("the duplicate's file should be a hard link of the original: %s, %s", a, b)
	}
}

func TestDuplicate_TopLevelDuplicateIsLinkedToNoParent(t *testing.T) {
	// DUP test_basic_hierarchy_duplication, test_skiphead_duplication
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	p, d := alice.mk(core.Project), alice.mk(core.Dataset)
	alice.link(core.ProjectDatasetLink, p, d)
	im := alice.image(d)
	res := alice.mustRun(dup(d))
	nd := copyOf(t, res, d)
	q := core.NewQuery(core.ProjectDatasetLink)
	q.Child = nd.ID
	if len(w.find(q)) != 0 {
		t.Error("the duplicated dataset is in a project")
	}
	res = alice.mustRun(core.GraphRequest{Op: core.OpDuplicate, Targets: []core.Target{{Class: core.Project, SubClass: core.Image, IDs: []core.ID{p.ID}}}})
	nim := copyOf(t, res, im)
	notCopied(t, res, p)
	notCopied(t, res, d)
	q = core.NewQuery(core.DatasetImageLink)
	q.Child = nim.ID
	if len(w.find(q)) != 0 {
		t.Error("the duplicated image should be an orphan")
	}
}

func TestDuplicate_SomeImagesOfAFilesetFail(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	_, ims := alice.importImages(2, core.Ref{})
	before := len(w.files())
	_, err := alice.run(dup(ims[0]))
	wantKind(t, err, core.Conflict)
	if len(w.files()) != before {
		t.Errorf("a refused duplicate left files: %v", w.files())
	}
	res := alice.mustRun(dup(ims...))
	copyOf(t, res, ims[1])
}

func TestDuplicate_ReferenceIgnoreAndDuplicateOptionsMoreSpecificClassWins(t *testing.T) {
	// --reference Annotation --duplicate CommentAnnotation; --ignore Roi; --ignore DatasetImageLink
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	p, d := alice.mk(core.Project), alice.mk(core.Dataset)
	alice.link(core.ProjectDatasetLink, p, d)
	im := alice.image(d)
	tag := alice.tag("t", im)
	com := alice.comment(im, "c")
	roi := alice.mk(core.Roi, "image", im.String())
	req := dup(im)
	req.Reference = []core.Class{core.Annotation}
	req.Duplicate = []core.Class{core.CommentAnnotation}
	req.Ignore = []core.Class{core.Roi}
	res := alice.mustRun(req)
	nim := copyOf(t, res, im)
	notCopied(t, res, tag)
	notCopied(t, res, roi)
	nc := copyOf(t, res, com)
	if w.linkBetween(core.ImageAnnotationLink, nim, tag) == nil {
		t.Error("the duplicate should be linked to the original (referenced) tag")
	}
	if w.linkBetween(core.ImageAnnotationLink, nim, nc) == nil {
		t.Error("the duplicate should have its own comment")
	}
	req = dup(p)
	req.Ignore = []core.Class{core.DatasetImageLink}
	res = alice.mustRun(req)
	copyOf(t, res, d)
	notCopied(t, res, im)
}

func TestDuplicate_ReadOnlyGroupLimitsLinksToOthersObjects(t *testing.T) {
	// read-only: a member cannot link a duplicate to another user's annotation
	w := newWorld(t)
	g := w.group("lab", core.ReadOnly)
	alice, bob := w.user("alice", g), w.user("bob", g)
	im := alice.image(core.Ref{})
	tag := alice.tag("t", im)
	req := dup(im)
	req.Reference = []core.Class{core.TagAnnotation}
	_, err := bob.run(req)
	wantKind(t, err, core.Permission)
	req.Ignore = []core.Class{core.IAnnotationLink}
	res := bob.mustRun(req) // the documented way: ignore the link class
	w.ownedBy(bob.id, copyOf(t, res, im))
	res = bob.mustRun(dup(im)) // a duplicate of another user's image can always be made
	w.ownedBy(bob.id, copyOf(t, res, tag))
}

func TestDuplicate_AttachmentsAreCopiedNotLinked(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	im := alice.image(core.Ref{})
	fa, file := alice.attach(im, "notes.txt")
	res := alice.mustRun(dup(im))
	nf := copyOf(t, res, file)
	copyOf(t, res, fa)
	a := filepath.Join(w.dir, w.obj(file).Attr("path"))
	b := filepath.Join(w.dir, w.obj(nf).Attr("path"))
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	if err1 != nil || err2 != nil || os.SameFile(sa, sb) {
		t.Fatalf("the attachment should be a separate copy: %v %v", err1, err2)
	}
	ca, _ := os.ReadFile(a)
	cb, _ := os.ReadFile(b)
	if string(ca) != string(cb) {
		t.Error("the copy differs from the original")
	}
}

func TestDuplicate_PlateWithWellsFieldsRunsAndImages(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	plate, ims, wells := alice.importPlate(core.Ref{})
	res := alice.mustRun(dup(plate))
	np := copyOf(t, res, plate)
	for _, r := range append(ims, wells...) {
		copyOf(t, res, r)
	}
	q := core.NewQuery(core.Well)
	q.Parent = np.ID
	nws := w.find(q)
	if len(nws) != 2 {
		t.Fatalf("the duplicate plate has %d wells", len(nws))
	}
	q = core.NewQuery(core.WellSample)
	q.Parent = nws[0].ID
	fields := w.find(q)
	if len(fields) != 1 || w.obj(fields[0]).Child != copyOf(t, res, ims[0]).ID {
		t.Error("the duplicate field should show the duplicate image")
	}
}

func TestDuplicate_NeedsTheDataGroupAndDryRunCreatesNothing(t *testing.T) {
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	d := alice.mk(core.Dataset)
	alice.image(d)
	before := len(w.files())
	req := dup(d)
	req.DryRun = true
	res := alice.mustRun(req)
	if len(res.Duplicates) != 0 || res.Review.Counts[core.Image] != 1 || len(w.files()) != before {
		t.Errorf("dry run: %+v, files %v", res, w.files())
	}
	alice.in(g2)
	_, err := alice.run(dup(d))
	wantKind(t, err, core.Invalid)
}
