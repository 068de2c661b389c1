package inprocess_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// Move-to-group scenarios, one per rule of spec §4.3 and the review of §4.6.

// noCrossGroupLinks asserts that every link joins two objects of one group
// (testIntergroupLinks) and that no row names an object of another group.
func (w *world) noCrossGroupLinks() {
	w.t.Helper()
	w.svc.Store().Read(w.ctx, func(tx core.Tx) error {
		all, err := tx.Find(core.NewQuery())
		if err != nil {
			w.t.Fatal(err)
		}
		byID := map[core.ID]*core.Object{}
		for _, o := range all {
			byID[o.ID] = o
		}
		for _, o := range all {
			for _, ref := range []core.ID{o.Parent, o.Child, o.Ref2} {
				if x := byID[ref]; ref != 0 && x != nil && x.Group != o.Group {
					w.t.Errorf("%s (group %d) names %s in group %d", o.Ref, o.Group, x.Ref, x.Group)
				}
			}
		}
		return nil
	})
}

func TestChgrp_UserMovesOnlyOwnDataIntoGroupsTheyAreMemberOf(t *testing.T) {
	w := newWorld(t)
	g1, g2, g3 := w.group("a", core.ReadWrite), w.group("b", core.ReadAnnotate), w.group("c", core.ReadAnnotate)
	alice, bob := w.user("alice", g1, g2), w.user("bob", g1, g2)
	d := alice.mk(core.Dataset)
	bobs := bob.mk(core.Dataset)
	_, err := alice.run(chgrp(g2, bobs))
	wantKind(t, err, core.Permission)
	_, err = alice.run(chgrp(g3, d))
	wantKind(t, err, core.NotFound)
	alice.mustRun(chgrp(g2, d))
	w.inGroup(g2, d)
	w.inGroup(g1, bobs)
}

func TestChgrp_PIsCannotMoveTheirMembersData(t *testing.T) {
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice, pi := w.user("alice", g1, g2), w.user("pi", g1, g2)
	w.pi(pi, g1)
	w.pi(pi, g2)
	d := alice.mk(core.Dataset)
	_, err := pi.run(chgrp(g2, d))
	wantKind(t, err, core.Permission)
	w.inGroup(g1, d)
}

func TestChgrp_AdminMovesAnyonesDataEvenToAGroupTheOwnerIsNotIn(t *testing.T) {
	// testMoveBasicImageByAdmin, testChgrpNonMember
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.Private)
	alice := w.user("alice", g1)
	d := alice.mk(core.Dataset)
	im := alice.image(d)
	w.admin(g1).mustRun(chgrp(g2, d))
	w.inGroup(g2, d, im)
	w.ownedBy(alice.id, d, im)
}

func TestChgrp_ProjectTakesDatasetsAndImagesThatBecomeOrphans(t *testing.T) {
	// testChgrpPDI*, testChgrpTwoDatasetsLinkedToSingleImage*
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	p, d, stays := alice.mk(core.Project), alice.mk(core.Dataset), alice.mk(core.Dataset, "name", "Elsewhere")
	alice.link(core.ProjectDatasetLink, p, d)
	moves := alice.image(d)
	shared := alice.image(d)
	alice.link(core.DatasetImageLink, stays, shared)
	plan, err := alice.plan(chgrp(g2, p))
	if err != nil {
		t.Fatal(err)
	}
	if plan.Review.Counts[core.Project] != 1 || plan.Review.Counts[core.Dataset] != 1 || plan.Review.Counts[core.Image] != 1 {
		t.Errorf("will be moved: %v", plan.Review.Counts)
	}
	if len(plan.Review.NotIncluded) != 1 || plan.Review.NotIncluded[0].Ref != shared {
		t.Errorf("not included: %+v", plan.Review.NotIncluded)
	}
	alice.mustRun(chgrp(g2, p))
	w.inGroup(g2, p, d, moves)
	w.inGroup(g1, stays, shared)
	if w.linkBetween(core.DatasetImageLink, d, shared) != nil {
		t.Error("the link from the moved dataset to the image that stays survived")
	}
	w.noCrossGroupLinks()
}

func TestChgrp_ToAPrivateGroupAContainerNeverTakesOthersContents(t *testing.T) {
	// testMoveDatasetImageGraphLinkDoneByImageOwnerRWRWtoRW and ...toRWRW
	for _, dest := range []core.Level{core.Private, core.ReadWrite} {
		t.Run(dest.String(), func(t *testing.T) {
			w := newWorld(t)
			g1, g2 := w.group("a", core.ReadWrite), w.group("b", dest)
			alice, bob := w.user("alice", g1, g2), w.user("bob", g1, g2)
			d := alice.mk(core.Dataset)
			bobs := bob.image(core.Ref{})
			bob.link(core.DatasetImageLink, d, bobs)
			alice.mustRun(chgrp(g2, d))
			w.inGroup(g2, d)
			if dest == core.Private {
				w.inGroup(g1, bobs) // the contents stay and the link is cut
			} else {
				w.inGroup(g2, bobs) // the mover may delete it in a read-write group: it comes along
				w.ownedBy(bob.id, bobs)
			}
			w.noCrossGroupLinks()
		})
	}
}

func TestChgrp_OneImageOfAFilesetFailsAndAddMissingMovesAll(t *testing.T) {
	// testChgrpOneImageFilesetErr, testChgrpAllImagesFilesetOK; the "Move All" of §4.6
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	fs, ims := alice.importImages(3, core.Ref{})
	plan, err := alice.plan(chgrp(g2, ims[0]))
	wantKind(t, err, core.Conflict)
	if !strings.Contains(err.Error(), "within "+fs.String()+" may not move "+ims[0].String()) {
		t.Errorf("error: %v", err)
	}
	if len(plan.Review.SplitFilesets) != 1 || len(plan.Review.SplitFilesets[0].Missing) != 2 {
		t.Errorf("split fileset review: %+v", plan.Review.SplitFilesets)
	}
	w.inGroup(g1, ims...)
	req := chgrp(g2, ims[0])
	req.AddMissingFilesetImages = true
	alice.mustRun(req)
	w.inGroup(g2, append(ims, fs)...)
}

func TestChgrp_DatasetHoldingPartOfAFilesetMovesWithoutItsImages(t *testing.T) {
	// testChgrpOneDatasetFilesetErr, testChgrpDatasetTwoFilesetsErr
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	d1, d2 := alice.mk(core.Dataset), alice.mk(core.Dataset)
	fs, ims := alice.importImages(2, core.Ref{})
	alice.link(core.DatasetImageLink, d1, ims[0])
	alice.link(core.DatasetImageLink, d2, ims[1])
	plan, err := alice.plan(chgrp(g2, d1))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Review.SplitFilesets) != 1 {
		t.Errorf("the review should show the split fileset: %+v", plan.Review)
	}
	alice.mustRun(chgrp(g2, d1))
	w.inGroup(g2, d1)
	w.inGroup(g1, fs, ims[0], ims[1], d2)
	w.noCrossGroupLinks()
	_, err = alice.run(chgrp(g2, d1))
	wantKind(t, err, core.Invalid) // already there
}

func TestChgrp_FilesetTargetMovesAllItsImages(t *testing.T) {
	// testChgrpFilesetOK
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	d := alice.mk(core.Dataset)
	fs, ims := alice.importImages(2, d)
	alice.mustRun(chgrp(g2, fs))
	w.inGroup(g2, append(ims, fs)...)
	w.inGroup(g1, d)
	w.noCrossGroupLinks()
}

func TestChgrp_PlateTakesWellsRunsFieldsAndImages(t *testing.T) {
	// HierarchyMoveTest testMovePlate, testChgrp11109
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	sc := alice.mk(core.Screen, "name", "Screen A")
	plate, ims, wells := alice.importPlate(sc)
	plan, err := alice.plan(chgrp(g2, plate))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Review.RemovedFrom) != 1 || plan.Review.RemovedFrom[0].Name != "Screen A" {
		t.Errorf("removed from: %+v", plan.Review.RemovedFrom)
	}
	alice.mustRun(chgrp(g2, plate))
	w.inGroup(g2, append(append([]core.Ref{plate}, ims...), wells...)...)
	w.inGroup(g1, sc)
	if w.linkBetween(core.ScreenPlateLink, sc, plate) != nil {
		t.Error("the screen-plate link survived the move")
	}
	w.noCrossGroupLinks()
	_, err = alice.run(chgrp(g1, ims[0]))
	wantKind(t, err, core.Conflict) // an image used by a field cannot move alone
}

func TestChgrp_OthersROIsAndRenderingSettingsMoveToSharedGroupsAndAreDeletedForPrivate(t *testing.T) {
	// HierarchyMoveImageWithRoiFromOtherUserTest, RenderingSettingsMoveTest
	for _, dest := range []core.Level{core.ReadOnly, core.Private} {
		t.Run(dest.String(), func(t *testing.T) {
			w := newWorld(t)
			g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", dest)
			alice, bob := w.user("alice", g1, g2), w.user("bob", g1)
			im := alice.image(core.Ref{})
			own := alice.mk(core.Roi, "image", im.String())
			ownR := alice.mk(core.RenderingDef, "image", im.String(), "settings", "{}")
			broi := bob.mk(core.Roi, "image", im.String())
			brdef := bob.mk(core.RenderingDef, "image", im.String(), "settings", "{}")
			alice.mustRun(chgrp(g2, im))
			w.inGroup(g2, im, own, ownR)
			if dest == core.Private {
				w.gone(broi, brdef)
			} else {
				w.inGroup(g2, broi, brdef) // moved, keeping their owner who is not a member
				w.ownedBy(bob.id, broi, brdef)
			}
		})
	}
}

func TestChgrp_OthersCommentsMoveOnlyFromReadWriteToSharedGroupsOtherwiseAreDeleted(t *testing.T) {
	// AnnotationMoveTest moveImageWithNonSharedAnnotation
	cases := []struct {
		src, dest core.Level
		moves     bool
	}{{core.ReadWrite, core.ReadAnnotate, true}, {core.ReadAnnotate, core.ReadAnnotate, false}, {core.ReadWrite, core.Private, false}}
	for _, c := range cases {
		t.Run(c.src.String()+"-to-"+c.dest.String(), func(t *testing.T) {
			w := newWorld(t)
			g1, g2 := w.group("a", c.src), w.group("b", c.dest)
			alice, bob := w.user("alice", g1, g2), w.user("bob", g1)
			im := alice.image(core.Ref{})
			com := bob.comment(im, "by bob")
			rating := bob.mk(core.LongAnnotation, "longValue", "3", "ns", core.RatingNamespace)
			bob.annotate(im, rating)
			mine := alice.comment(im, "by alice")
			alice.mustRun(chgrp(g2, im))
			w.inGroup(g2, im, mine)
			if c.moves {
				w.inGroup(g2, com, rating)
			} else {
				w.gone(com, rating)
			}
			w.noCrossGroupLinks()
		})
	}
}

func TestChgrp_TagsMoveOnlyIfOwnedByTheDataOwnerAndOrphaned(t *testing.T) {
	// testMoveTaggedImage, testIntergroupLinks
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice, bob := w.user("alice", g1, g2), w.user("bob", g1)
	im, other := alice.image(core.Ref{}), alice.image(core.Ref{})
	own := alice.tag("own", im)
	shared := alice.tag("shared", im, other)
	bobs := bob.tag("bob's", im)
	alice.mustRun(chgrp(g2, im))
	w.inGroup(g2, im, own)
	w.inGroup(g1, shared, bobs, other)
	if w.linkBetween(core.ImageAnnotationLink, im, shared) != nil {
		t.Error("the link to the tag that stays survived")
	}
	w.noCrossGroupLinks()
}

func TestChgrp_MapAnnotationsTheMoverMayNotDeleteStayUnlinked(t *testing.T) {
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice, bob := w.user("alice", g1, g2), w.user("bob", g1)
	im := alice.image(core.Ref{})
	bobs := bob.mk(core.MapAnnotation, "mapValue", "k=v")
	l := bob.annotate(im, bobs)
	mine := alice.mk(core.MapAnnotation, "mapValue", "a=b")
	alice.annotate(im, mine)
	alice.mustRun(chgrp(g2, im))
	w.inGroup(g1, bobs)
	w.gone(l)
	w.inGroup(g2, mine)
}

func TestChgrp_AttachmentsSharingOneFileCanOnlyMoveTogether(t *testing.T) {
	// testMoveAttachmentsSharingFile
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	im1, im2 := alice.image(core.Ref{}), alice.image(core.Ref{})
	fa1, file := alice.attach(im1, "shared.pdf")
	fa2 := alice.mk(core.FileAnnotation, "file", file.String())
	alice.annotate(im2, fa2)
	_, err := alice.run(chgrp(g2, fa1))
	wantKind(t, err, core.Conflict)
	w.inGroup(g1, fa1, file)
	alice.mustRun(chgrp(g2, im1, im2))
	w.inGroup(g2, fa1, fa2, file)
}

func TestChgrp_ExcludedAnnotationTypesStayAndTheirLinksAreCut(t *testing.T) {
	// testMoveImageWithSharableAnnotationToKeep
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	im := alice.image(core.Ref{})
	tag := alice.tag("keep me here", im)
	req := chgrp(g2, im)
	req.Exclude = []core.Class{core.TagAnnotation}
	alice.mustRun(req)
	w.inGroup(g1, tag)
	w.inGroup(g2, im)
	w.noCrossGroupLinks()
}

func TestChgrp_ReviewGroupsNotIncludedAnnotationsAsTagsFilesCommentsOthers(t *testing.T) {
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice, bob := w.user("alice", g1, g2), w.user("bob", g1)
	im, other := alice.image(core.Ref{}), alice.image(core.Ref{})
	alice.tag("Mitosis", im, other)
	fa, _ := alice.attach(im, "protocol.pdf")
	alice.annotate(other, fa)
	c := bob.comment(im, "shared comment")
	bob.annotate(other, c)
	m := bob.mk(core.MapAnnotation, "mapValue", "k=v")
	bob.annotate(im, m)
	plan, err := alice.plan(chgrp(g2, im))
	if err != nil {
		t.Fatal(err)
	}
	rv := plan.Review
	if !slices.Equal(rv.NotIncludedTags, []string{"Mitosis"}) || !slices.Equal(rv.NotIncludedFiles, []string{"protocol.pdf"}) ||
		rv.NotIncludedComments != 1 || rv.NotIncludedOthers != 1 {
		t.Errorf("not included: tags %v files %v comments %d others %d", rv.NotIncludedTags, rv.NotIncludedFiles, rv.NotIncludedComments, rv.NotIncludedOthers)
	}
	if rv.Counts[core.Image] != 1 || plan.Fingerprint == "" || plan.Total == 0 {
		t.Errorf("counts %v, fingerprint %q, total %d", rv.Counts, plan.Fingerprint, plan.Total)
	}
	// What the review shows is what happens: the reviewed plan's fingerprint is accepted...
	req := chgrp(g2, im)
	req.Expect = plan.Fingerprint
	alice.mustRun(req)
	w.inGroup(g2, im)
}

func TestChgrp_ARunWhosePlanChangedSinceTheReviewIsRefused(t *testing.T) {
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	d := alice.mk(core.Dataset)
	plan, err := alice.plan(chgrp(g2, d))
	if err != nil {
		t.Fatal(err)
	}
	im := alice.image(d) // the data changes between review and confirmation
	req := chgrp(g2, d)
	req.Expect = plan.Fingerprint
	_, err = alice.run(req)
	wantKind(t, err, core.Conflict)
	w.inGroup(g1, d, im)
}

func TestChgrp_IntoAnExistingContainerOfTheDestination(t *testing.T) {
	// TestChgrpTarget: image and multi-image fileset into a dataset; move and back leaves one link
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	fs, ims := alice.importImages(2, core.Ref{})
	alice.in(g2)
	target := alice.mk(core.Dataset, "name", "Arrivals")
	alice.in(g1)
	req := chgrp(g2, ims...)
	req.TargetContainer = target
	res := alice.mustRun(req)
	w.inGroup(g2, fs, ims[0], ims[1])
	for _, im := range ims {
		l := w.linkBetween(core.DatasetImageLink, target, im)
		if l == nil || l.Owner != alice.id {
			t.Errorf("%s should be in %s, linked by its owner: %+v", im, target, l)
		}
	}
	if len(res.Created) != 2 {
		t.Errorf("created: %v", res.Created)
	}
	alice.mustRun(chgrp(g1, ims...))
	req = chgrp(g2, ims...)
	req.TargetContainer = target
	alice.mustRun(req)
	n := 0
	for _, im := range ims {
		if w.linkBetween(core.DatasetImageLink, target, im) != nil {
			n++
		}
	}
	if n != 2 {
		t.Errorf("after moving back and forth, %d links", n)
	}
	// A container of another group than the destination is refused.
	req = chgrp(g1, ims...)
	req.TargetContainer = alice.in(g2).mk(core.Dataset)
	_, err := alice.run(req)
	wantKind(t, err, core.Invalid)
}

func TestChgrp_AdminMovingOnBehalfCreatesTheNewContainerAndLinksAsTheOwner(t *testing.T) {
	// OW test_chgrp_new_container, spec §3.4
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice := w.user("alice", g1, g2)
	d := alice.mk(core.Dataset)
	req := chgrp(g2, d)
	req.NewContainer, req.NewContainerName = core.Project, "Moved here"
	res := w.admin(g1).mustRun(req)
	if len(res.Created) != 2 {
		t.Fatalf("created: %v", res.Created)
	}
	p := res.Created[0]
	w.ownedBy(alice.id, p, res.Created[1])
	w.inGroup(g2, p, d, res.Created[1])
	if w.obj(p).Name != "Moved here" || w.linkBetween(core.ProjectDatasetLink, p, d) == nil {
		t.Error("the new project does not hold the moved dataset")
	}
}

func TestChgrp_KeepAnnotationsCarriesTagsFilesAndKeyValuePairs(t *testing.T) {
	// Beyond OMERO (issue §6): a move that loses nothing.
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.ReadAnnotate)
	alice, bob := w.user("alice", g1, g2), w.user("bob", g1)
	im, other := alice.image(core.Ref{}), alice.image(core.Ref{})
	reused := alice.tag("Mitosis", im, other)
	copied := alice.tag("Interphase", im, other)
	alice.in(g2)
	existing := alice.tag("Mitosis")
	alice.in(g1)
	fa, _ := alice.attach(im, "protocol.pdf")
	alice.annotate(other, fa)
	m := bob.mk(core.MapAnnotation, "mapValue", "strain=N2")
	bob.annotate(im, m)
	req := chgrp(g2, im)
	req.KeepAnnotations = true
	plan, err := alice.plan(req)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]string{}
	for _, k := range plan.Review.Kept {
		actions[k.Annotation.Name] = k.Action
		if k.Annotation.Ref == reused && k.Into != existing {
			t.Errorf("the Mitosis tag should be reused as %s, not %s", existing, k.Into)
		}
	}
	want := map[string]string{"Mitosis": "reuse", "Interphase": "copy", "protocol.pdf": "copy", m.String(): "copy"}
	for k, v := range want {
		if actions[k] != v {
			t.Errorf("kept %q: %q, want %q (all: %v)", k, actions[k], v, actions)
		}
	}
	filesBefore := len(w.files())
	res := alice.mustRun(req)
	w.inGroup(g2, im)
	w.inGroup(g1, reused, copied, fa, m)
	if w.linkBetween(core.ImageAnnotationLink, im, existing) == nil {
		t.Error("the moved image is not tagged with the destination's Mitosis tag")
	}
	// Every carried annotation is linked in the destination: count the image's links there.
	q := core.NewQuery(core.ImageAnnotationLink)
	q.Parent = im.ID
	if n := len(w.find(q)); n != 4 {
		t.Errorf("the moved image has %d annotation links, want 4 (reused tag, copied tag, file, key-value pairs)", n)
	}
	if len(w.files()) != filesBefore+1 || res.FilesCopied != 1 {
		t.Errorf("the attachment should be copied once: %d files before, %v after", filesBefore, w.files())
	}
	w.noCrossGroupLinks()
}
