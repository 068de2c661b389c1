package inprocess_test

import (
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// Delete scenarios, one per rule of spec §4.2, through the Session API on a
// real repository.

func TestDelete_ContainerDeletesOrphanedContentsAndTheirFiles(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	p := alice.mk(core.Project)
	d := alice.mk(core.Dataset)
	pdl := alice.link(core.ProjectDatasetLink, p, d)
	fs, ims := alice.importImages(2, d)
	if len(w.files()) != 2 {
		t.Fatalf("files before: %v", w.files())
	}
	res := alice.mustRun(del(p))
	w.gone(p, d, pdl, fs, ims[0], ims[1])
	if got := w.files(); len(got) != 0 {
		t.Errorf("files left on disk after the delete: %v", got)
	}
	if res.FilesRemoved != 2 || res.Review.Counts[core.Image] != 2 || res.Review.Counts[core.Dataset] != 1 {
		t.Errorf("result: removed %d files, counts %v", res.FilesRemoved, res.Review.Counts)
	}
}

func TestDelete_ChildStillInAnotherContainerOnlyLosesTheLink(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	d1, d2 := alice.mk(core.Dataset), alice.mk(core.Dataset)
	im := alice.image(d1)
	l2 := alice.link(core.DatasetImageLink, d2, im)
	p1, p2 := alice.mk(core.Project), alice.mk(core.Project)
	alice.link(core.ProjectDatasetLink, p1, d1)
	alice.link(core.ProjectDatasetLink, p2, d1)

	alice.mustRun(del(d2))
	w.gone(d2, l2)
	w.there(im, d1)

	alice.mustRun(del(p1))
	w.gone(p1)
	w.there(d1, im, p2) // d1 is still in p2
}

func TestDelete_ChildTheUserMayNotDeleteSurvivesAndOnlyLosesTheLink(t *testing.T) {
	// testDeleteDatasetImagesGraphRWRA
	w := newWorld(t)
	g := w.group("lab", core.ReadWrite)
	alice, bob := w.user("alice", g), w.user("bob", g)
	d := alice.mk(core.Dataset)
	bobs := bob.image(core.Ref{})
	l := bob.link(core.DatasetImageLink, d, bobs) // read-write: bob may link into alice's dataset
	own := alice.image(d)
	if err := w.root.SetGroupLevel(w.ctx, g, core.ReadAnnotate); err != nil {
		t.Fatal(err)
	}
	alice.mustRun(del(d))
	w.gone(d, l, own)
	w.there(bobs)
}

func TestDelete_IncludeForcesDeletionOfMultiplyLinkedChildren(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	d1, d2 := alice.mk(core.Dataset), alice.mk(core.Dataset)
	im := alice.image(d1)
	alice.link(core.DatasetImageLink, d2, im)
	req := del(d1)
	req.Include = []core.Class{core.Image}
	alice.mustRun(req)
	w.gone(d1, im)
	w.there(d2)
}

func TestDelete_ExcludeKeepsAllChildren(t *testing.T) {
	// testDeleteProjectWithoutContent
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	p, d := alice.mk(core.Project), alice.mk(core.Dataset)
	alice.link(core.ProjectDatasetLink, p, d)
	im := alice.image(d)
	req := del(p)
	req.Exclude = []core.Class{core.Dataset}
	alice.mustRun(req)
	w.gone(p)
	w.there(d, im)
}

func TestDelete_ImageDeletedDirectlyGoesFromEveryDatasetWithDoublyLinkedWarning(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	d1 := alice.mk(core.Dataset, "name", "Controls")
	d2 := alice.mk(core.Dataset, "name", "Treated")
	im := alice.image(d1)
	alice.link(core.DatasetImageLink, d2, im)
	plan, err := alice.plan(del(im))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Review.DoublyLinked) != 1 {
		t.Fatalf("doubly-linked warning: %+v", plan.Review)
	}
	var names []string
	for _, d := range plan.Review.DoublyLinked[0].Datasets {
		names = append(names, d.Name)
	}
	if strings.Join(names, ",") != "Controls,Treated" {
		t.Errorf("the warning names %v, want Controls and Treated", names)
	}
	w.there(im) // a dry run changes nothing
	alice.mustRun(del(im))
	w.gone(im)
	w.there(d1, d2)
	if w.linkBetween(core.DatasetImageLink, d1, im) != nil || w.linkBetween(core.DatasetImageLink, d2, im) != nil {
		t.Error("links to the deleted image remain")
	}
}

func TestDelete_ImageSubgraphIncludesAllUsersRenderingSettingsAndROIs(t *testing.T) {
	// testDeleteImageViewedByOtherRenderingSettingsOnlyRWRW
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice, bob := w.user("alice", g), w.user("bob", g)
	im := alice.image(core.Ref{})
	mine := alice.mk(core.RenderingDef, "image", im.String(), "settings", "{}")
	theirs := bob.mk(core.RenderingDef, "image", im.String(), "settings", "{}")
	roi := alice.mk(core.Roi, "image", im.String())
	broi := bob.mk(core.Roi, "image", im.String())
	alice.mustRun(del(im))
	w.gone(im, mine, theirs, roi, broi)
}

func TestDelete_OneImageOfAFilesetFailsAndDeletesNothing(t *testing.T) {
	// testDeleteOneImageFilesetErr
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	fs, ims := alice.importImages(2, core.Ref{})
	plan, err := alice.plan(del(ims[0]))
	wantKind(t, err, core.Conflict)
	if !strings.Contains(err.Error(), "within "+fs.String()) || !strings.Contains(err.Error(), ims[1].String()) {
		t.Errorf("error should name the fileset and the image that remains: %v", err)
	}
	if len(plan.Review.SplitFilesets) != 1 || plan.Review.SplitFilesets[0].Missing[0] != ims[1] {
		t.Errorf("split-fileset review: %+v", plan.Review.SplitFilesets)
	}
	_, err = alice.run(del(ims[0]))
	wantKind(t, err, core.Conflict)
	w.there(fs, ims[0], ims[1])
	if len(w.files()) != 2 {
		t.Errorf("files: %v", w.files())
	}
}

func TestDelete_DatasetWithPartOfAFilesetDeletesNoneOfItsImages(t *testing.T) {
	// testDeleteOneDatasetFilesetErr
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	d1, d2 := alice.mk(core.Dataset), alice.mk(core.Dataset)
	fs, ims := alice.importImages(2, core.Ref{})
	alice.link(core.DatasetImageLink, d1, ims[0])
	alice.link(core.DatasetImageLink, d2, ims[1])
	alice.mustRun(del(d1))
	w.gone(d1)
	w.there(fs, ims[0], ims[1])
}

func TestDelete_AllImagesAllDatasetsOrTheFilesetDeleteTheWholeFileset(t *testing.T) {
	// testDeleteAllImagesFilesetOK, testDeleteAllDatasetsFilesetOK, testDeleteFilesetOK
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	fs1, ims1 := alice.importImages(2, core.Ref{})
	alice.mustRun(del(ims1...))
	w.gone(fs1, ims1[0], ims1[1])

	d1, d2 := alice.mk(core.Dataset), alice.mk(core.Dataset)
	fs2, ims2 := alice.importImages(2, core.Ref{})
	alice.link(core.DatasetImageLink, d1, ims2[0])
	alice.link(core.DatasetImageLink, d2, ims2[1])
	alice.mustRun(del(d1, d2))
	w.gone(fs2, ims2[0], ims2[1])

	fs3, ims3 := alice.importImages(3, core.Ref{})
	alice.mustRun(del(fs3))
	w.gone(fs3, ims3[0], ims3[1], ims3[2])
	if len(w.files()) != 0 {
		t.Errorf("files left: %v", w.files())
	}
}

func TestDelete_PlateDeletesWellsRunsFieldsAndImages(t *testing.T) {
	// SpwDeleteTest testScreen
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	sc := alice.mk(core.Screen)
	plate, ims, wells := alice.importPlate(sc)
	q := core.NewQuery(core.PlateAcquisition)
	q.Parent = plate.ID
	runs := w.find(q)
	q = core.NewQuery(core.WellSample)
	q.Parent = wells[0].ID
	fields := w.find(q)
	alice.mustRun(del(sc))
	w.gone(append(append(append(append([]core.Ref{sc, plate}, ims...), wells...), runs...), fields...)...)
}

func TestDelete_ImageUsedByAFieldCannotBeDeletedByTargetingTheImage(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	_, ims, _ := alice.importPlate(core.Ref{})
	_, err := alice.run(del(ims...))
	wantKind(t, err, core.Conflict)
	if !strings.Contains(err.Error(), "may not delete "+ims[0].String()+" while WellSample") {
		t.Errorf("error: %v", err)
	}
	w.there(ims...)
}

func TestDelete_ScreenDeletesPlatesOnlyInNoOtherScreenAndExcludeKeepsThem(t *testing.T) {
	// testScreenKeepPlates
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	s1, s2 := alice.mk(core.Screen), alice.mk(core.Screen)
	shared, _, _ := alice.importPlate(s1)
	alice.link(core.ScreenPlateLink, s2, shared)
	only, _, _ := alice.importPlate(s1)
	s3 := alice.mk(core.Screen)
	kept, _, _ := alice.importPlate(s3)
	alice.mustRun(del(s1))
	w.gone(s1, only)
	w.there(shared, s2)
	req := del(s3)
	req.Exclude = []core.Class{core.Plate}
	alice.mustRun(req)
	w.gone(s3)
	w.there(kept)
}

func TestDelete_OrphanedCommentsGoWhoeverOwnsThemMultiLinkedOnesStay(t *testing.T) {
	// testDeleteImageAnnotatedByOtherOrphan / ...Multilinked
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice, bob := w.user("alice", g), w.user("bob", g)
	im, other := alice.image(core.Ref{}), alice.image(core.Ref{})
	orphan := bob.comment(im, "nice")
	multi := bob.comment(im, "both")
	bob.annotate(other, multi)
	rating := bob.mk(core.LongAnnotation, "longValue", "4", "ns", core.RatingNamespace)
	bob.annotate(im, rating)
	alice.mustRun(del(im))
	w.gone(im, orphan, rating)
	w.there(multi, other)
}

func TestDelete_MapAnnotationsGoIfOrphanedAndDeletable(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice, bob := w.user("alice", g), w.user("bob", g)
	im := alice.image(core.Ref{})
	mine := alice.mk(core.MapAnnotation, "mapValue", "a=1")
	alice.annotate(im, mine)
	theirs := bob.mk(core.MapAnnotation, "mapValue", "b=2")
	bob.annotate(im, theirs)
	alice.mustRun(del(im))
	w.gone(mine)
	w.there(theirs) // alice may not delete bob's key-value pairs
}

func TestDelete_TagsAndFilesGoOnlyIfOrphanedAndOwnedByTheDataOwner(t *testing.T) {
	// testDeleteTaggedImageTagOwnedByOther
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice, bob := w.user("alice", g), w.user("bob", g)
	im, other := alice.image(core.Ref{}), alice.image(core.Ref{})
	own := alice.tag("own", im)
	shared := alice.tag("shared", im, other)
	bobs := bob.tag("bob's", im)
	fa, file := alice.attach(im, "notes.txt")
	alice.mustRun(del(im))
	w.gone(im, own, fa, file)
	w.there(shared, bobs)
	for _, f := range w.files() {
		if strings.HasSuffix(f, "notes.txt") {
			t.Errorf("the attachment's file is still on disk: %s", f)
		}
	}
}

func TestDelete_CLIDefaultsKeepTagsAndFilesButDeleteCommentsAndKeyValuePairs(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	im := alice.image(core.Ref{})
	tag := alice.tag("t", im)
	fa, _ := alice.attach(im, "a.txt")
	c := alice.comment(im, "c")
	m := alice.mk(core.MapAnnotation, "mapValue", "k=v")
	alice.annotate(im, m)
	req := del(im)
	req.Exclude = []core.Class{core.TagAnnotation, core.FileAnnotation}
	alice.mustRun(req)
	w.gone(im, c, m)
	w.there(tag, fa)
}

func TestDelete_TagUsedOnDataTheUserMayNotDeleteIsRefusedButAPICanDeleteIt(t *testing.T) {
	// testDeleteTagUsedByOther (read-annotate), testDeleteTagOwnedByGroupOwnerUsedByOther
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice, bob, carol := w.user("alice", g), w.user("bob", g), w.user("carol", g)
	w.pi(carol, g)
	tag := alice.tag("t")
	im := bob.image(core.Ref{})
	l := bob.annotate(im, tag)
	_, err := alice.run(del(tag))
	wantKind(t, err, core.Permission)
	if !strings.Contains(err.Error(), im.String()) {
		t.Errorf("the error should name the image: %v", err)
	}
	w.there(tag, l, im)
	ptag := carol.tag("pi's")
	pl := bob.annotate(im, ptag)
	carol.mustRun(del(ptag))
	w.gone(ptag, pl)
	w.there(im)
}

func TestDelete_TagSetDoesNotDeleteTheTagsInIt(t *testing.T) {
	// test5793
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	set := alice.mk(core.TagAnnotation, "textValue", "set", "ns", core.TagSetNamespace)
	t1 := alice.tag("t1")
	l := alice.link(core.AnnotationAnnotationLink, set, t1)
	alice.mustRun(del(set))
	w.gone(set, l)
	w.there(t1)
}

func TestDelete_OriginalFileDeletesTheFileAnnotationWrappingIt(t *testing.T) {
	// test7314
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice := w.user("alice", g)
	im := alice.image(core.Ref{})
	fa, file := alice.attach(im, "x.csv")
	alice.mustRun(del(file))
	w.gone(fa, file)
	w.there(im)
}

func TestDelete_OthersDataOnlyInReadWriteGroupsOrByPIsAndAdmins(t *testing.T) {
	// testDeleteImageOwnedByOtherRWR, testDeleteObjectByGroupOwnerRW, testDeleteObjectByAdmin
	for _, level := range []core.Level{core.Private, core.ReadOnly, core.ReadAnnotate, core.ReadWrite} {
		t.Run(level.String(), func(t *testing.T) {
			w := newWorld(t)
			g := w.group("lab", level)
			alice, bob, pi := w.user("alice", g), w.user("bob", g), w.user("pi", g)
			w.pi(pi, g)
			d := alice.mk(core.Dataset)
			_, err := bob.run(del(d))
			switch level {
			case core.Private:
				wantKind(t, err, core.NotFound) // invisible: the same answer as a missing object
			case core.ReadWrite:
				if err != nil {
					t.Fatal(err)
				}
				w.gone(d)
				return
			default:
				wantKind(t, err, core.Permission)
			}
			w.there(d)
			pi.mustRun(del(d))
			w.gone(d)
			d2 := alice.mk(core.Dataset)
			w.admin(g).mustRun(del(d2))
			w.gone(d2)
		})
	}
}

func TestDelete_MissingAndInvisibleObjectsGiveTheSameNotFound(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.Private)
	alice, bob := w.user("alice", g), w.user("bob", g)
	im := alice.image(core.Ref{})
	_, err1 := bob.run(del(im))
	_, err2 := bob.run(del(core.Ref{Class: core.Image, ID: 99999}))
	wantKind(t, err1, core.NotFound)
	wantKind(t, err2, core.NotFound)
	if strings.Replace(err1.Error(), im.String(), "X", 1) != strings.Replace(err2.Error(), "Image:99999", "X", 1) {
		t.Errorf("messages differ: %q vs %q", err1, err2)
	}
	_, err := alice.run(core.GraphRequest{Op: core.OpDelete, Targets: targets(im), ChildOptions: core.ChildOptions{Include: []core.Class{"Imagee"}}})
	wantKind(t, err, core.Invalid)
	w.there(im)
}
