package inprocess_test

import (
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// Change-owner scenarios, one per rule of spec §4.4 (with rulings 3 and 4 of §8).

func TestChown_AdminsGiveToAnyoneAndPIsOnlyToMembersOfTheirGroup(t *testing.T) {
	// testChownAnnotation* data provider: success = isAdmin or (isGroupOwner and isRecipientInGroup)
	w := newWorld(t)
	g, other := w.group("lab", core.ReadAnnotate), w.group("other", core.ReadAnnotate)
	alice, bob, pi, out := w.user("alice", g), w.user("bob", g), w.user("pi", g), w.user("out", other)
	w.pi(pi, g)
	d := alice.mk(core.Dataset)
	_, err := alice.run(chown(bob.id, d)) // the data owner alone cannot give data away
	wantKind(t, err, core.Permission)
	_, err = bob.run(chown(bob.id, d))
	wantKind(t, err, core.Permission)
	_, err = pi.run(chown(out.id, d)) // not a member of the PI's group
	wantKind(t, err, core.Permission)
	if !strings.Contains(err.Error(), "not a member") {
		t.Errorf("error: %v", err)
	}
	w.ownedBy(alice.id, d)
	pi.mustRun(chown(bob.id, d))
	w.ownedBy(bob.id, d)
	w.admin(g).mustRun(chown(out.id, d))
	w.ownedBy(out.id, d)
	_, err = pi.run(chown(core.ID(9999), d))
	wantKind(t, err, core.NotFound)
}

func TestChown_ExperimenterTargetGivesAllOfAUsersDataInAllGroups(t *testing.T) {
	// testChownAllBelongingToUserReadAnnotate
	w := newWorld(t)
	g1, g2 := w.group("a", core.ReadAnnotate), w.group("b", core.Private)
	alice, bob := w.user("alice", g1, g2), w.user("bob", g1, g2)
	d := alice.mk(core.Dataset)
	im := alice.image(d)
	tag := alice.tag("t", im)
	alice.in(g2)
	p := alice.mk(core.Project)
	bobs := bob.mk(core.Dataset)
	req := core.GraphRequest{Op: core.OpChown, User: bob.id, Targets: []core.Target{{Class: core.ClassExperimenter, IDs: []core.ID{alice.id}}}}
	w.admin(g1).mustRun(req)
	w.ownedBy(bob.id, d, im, tag, p, bobs)
}

func TestChown_ContainerContentsTransferOnlyWithTheSameOwnerAndNoOtherContainer(t *testing.T) {
	// testChownContainerWithImage
	w := newWorld(t)
	g := w.group("lab", core.ReadWrite)
	alice, bob, carol := w.user("alice", g), w.user("bob", g), w.user("carol", g)
	d, d2 := alice.mk(core.Dataset), alice.mk(core.Dataset)
	mine := alice.image(d)
	elsewhere := alice.image(d)
	alice.link(core.DatasetImageLink, d2, elsewhere)
	bobs := bob.image(core.Ref{})
	bl := bob.link(core.DatasetImageLink, d, bobs)
	w.admin(g).mustRun(chown(carol.id, d))
	w.ownedBy(carol.id, d, mine)
	w.ownedBy(alice.id, elsewhere, d2)
	w.ownedBy(bob.id, bobs, bl) // a third party's link stays theirs
	if l := w.linkBetween(core.DatasetImageLink, d, mine); l == nil || l.Owner != carol.id {
		t.Errorf("the link between two given objects owned by the old owner should be given: %+v", l)
	}
}

func TestChown_LinksThatWouldBecomeCrossOwnerAreDeletedExceptInReadWriteGroups(t *testing.T) {
	// testChownImageInContainer
	for _, level := range []core.Level{core.Private, core.ReadOnly, core.ReadAnnotate, core.ReadWrite} {
		t.Run(level.String(), func(t *testing.T) {
			w := newWorld(t)
			g := w.group("lab", level)
			alice, bob := w.user("alice", g), w.user("bob", g)
			d := alice.mk(core.Dataset, "name", "Alice's dataset")
			im := alice.image(d)
			plan, err := w.admin(g).plan(chown(bob.id, im))
			if err != nil {
				t.Fatal(err)
			}
			w.admin(g).mustRun(chown(bob.id, im))
			w.ownedBy(bob.id, im)
			l := w.linkBetween(core.DatasetImageLink, d, im)
			if level == core.ReadWrite {
				if l == nil || l.Owner != alice.id {
					t.Errorf("read-write: the link is kept with its original owner: %+v", l)
				}
				return
			}
			if l != nil {
				t.Error("the link that became cross-owner survived")
			}
			if len(plan.Review.RemovedFrom) != 1 || plan.Review.RemovedFrom[0].Name != "Alice's dataset" {
				t.Errorf("Will be removed from: %+v", plan.Review.RemovedFrom)
			}
		})
	}
}

func TestChown_AnnotationsDependOnTheGroupLevel(t *testing.T) {
	// testChownAnnotationPrivate / testChownAnnotationReadAnnotate; rulings 3 and 4
	for _, level := range []core.Level{core.Private, core.ReadOnly, core.ReadAnnotate, core.ReadWrite} {
		t.Run(level.String(), func(t *testing.T) {
			w := newWorld(t)
			g := w.group("lab", level)
			alice, bob := w.user("alice", g), w.user("bob", g)
			im, other := alice.image(core.Ref{}), alice.image(core.Ref{})
			only := alice.tag("only here", im)
			com := alice.comment(im, "c")
			shared := alice.tag("also elsewhere", im, other)
			roi := alice.mk(core.Roi, "image", im.String())
			rdef := alice.mk(core.RenderingDef, "image", im.String(), "settings", "{}")
			w.admin(g).mustRun(chown(bob.id, im))
			w.ownedBy(bob.id, im)
			w.ownedBy(alice.id, shared) // also linked elsewhere: stays with the old owner
			switch level {
			case core.Private, core.ReadOnly:
				w.ownedBy(bob.id, only, com, roi)
			default:
				w.ownedBy(alice.id, only, com, roi) // not given in read-annotate and read-write
			}
			if level == core.Private {
				w.ownedBy(bob.id, rdef)
			} else {
				w.ownedBy(alice.id, rdef) // rendering settings are given only in private groups
			}
			l := w.linkBetween(core.ImageAnnotationLink, im, shared)
			if level == core.Private && l != nil {
				t.Error("private: the given image's link to the old owner's shared tag should be deleted")
			}
			if level != core.Private && l == nil {
				t.Error("shared groups keep the link to the old owner's tag")
			}
		})
	}
}

func TestChown_TagSetMembersDependOnTheGroupLevelAndOptions(t *testing.T) {
	// testChownAnnotationPrivate and testChownAnnotationReadAnnotate, options
	// NONE / INCLUDE / EXCLUDE / BOTH: set 1 holds tags 0 and 1, set 2 holds
	// tags 1 and 2. In private and read-only groups a set gives the member
	// tags linked only to it; in read-annotate and read-write groups
	// annotations are not given, so a set goes alone unless its members are
	// included, and a later chown of the other set does not take tag 2 along.
	for _, level := range []core.Level{core.Private, core.ReadOnly, core.ReadAnnotate, core.ReadWrite} {
		for _, opt := range []string{"none", "include", "exclude", "both"} {
			t.Run(level.String()+"/"+opt, func(t *testing.T) {
				w := newWorld(t)
				g := w.group("lab", level)
				alice, bob := w.user("alice", g), w.user("bob", g)
				set1 := alice.mk(core.TagAnnotation, "textValue", "set 1", "ns", core.TagSetNamespace)
				set2 := alice.mk(core.TagAnnotation, "textValue", "set 2", "ns", core.TagSetNamespace)
				tag0, tag1, tag2 := alice.tag("tag 0"), alice.tag("tag 1"), alice.tag("tag 2")
				alice.link(core.AnnotationAnnotationLink, set1, tag0)
				alice.link(core.AnnotationAnnotationLink, set1, tag1)
				alice.link(core.AnnotationAnnotationLink, set2, tag1)
				alice.link(core.AnnotationAnnotationLink, set2, tag2)
				req := chown(bob.id, set1)
				switch opt {
				case "include":
					req.Include = []core.Class{core.Annotation}
				case "exclude":
					req.Exclude = []core.Class{core.Annotation}
				case "both": // include wins
					req.Include, req.Exclude = []core.Class{core.Annotation}, []core.Class{core.Annotation}
				}
				admin := w.admin(g)
				admin.mustRun(req)
				w.ownedBy(bob.id, set1)
				w.ownedBy(alice.id, set2, tag2)
				givesMembers := level == core.Private || level == core.ReadOnly
				switch {
				case opt == "include" || opt == "both":
					w.ownedBy(bob.id, tag0, tag1)
				case opt == "none" && givesMembers:
					w.ownedBy(bob.id, tag0)
					w.ownedBy(alice.id, tag1)
				default:
					w.ownedBy(alice.id, tag0, tag1)
				}
				if opt == "exclude" {
					admin.mustRun(chown(bob.id, tag0))
				}
				admin.mustRun(chown(bob.id, set2))
				w.ownedBy(bob.id, set1, set2)
				if givesMembers {
					w.ownedBy(bob.id, tag2) // linked only to the second set: given with it
				} else {
					w.ownedBy(alice.id, tag2) // not implicitly given in shared groups
				}
			})
		}
	}
}

func TestChown_ImageLeavesADatasetOfAThirdUserOutsideReadWriteGroups(t *testing.T) {
	// blitz-chown-rules: "If a project, dataset, folder, image or ROI is
	// given then delete any remaining cross-owner links regardless of
	// permissions outside read-write groups", whoever owns the dataset.
	for _, level := range []core.Level{core.ReadOnly, core.ReadAnnotate, core.ReadWrite} {
		t.Run(level.String(), func(t *testing.T) {
			w := newWorld(t)
			g := w.group("lab", level)
			alice, bob, carol := w.user("alice", g), w.user("bob", g), w.user("carol", g)
			admin := w.admin(g)
			d := carol.mk(core.Dataset, "name", "Carol's dataset")
			im := alice.image(core.Ref{})
			admin.link(core.DatasetImageLink, d, im) // an administrator put Alice's image into Carol's dataset
			plan, err := admin.plan(chown(bob.id, im))
			if err != nil {
				t.Fatal(err)
			}
			admin.mustRun(chown(bob.id, im))
			w.ownedBy(bob.id, im)
			w.ownedBy(carol.id, d)
			l := w.linkBetween(core.DatasetImageLink, d, im)
			if level == core.ReadWrite {
				if l == nil {
					t.Error("read-write: the link should be kept")
				}
				return
			}
			if l != nil {
				t.Errorf("the link from Carol's dataset to the given image survived: %+v", l)
			}
			if len(plan.Review.RemovedFrom) != 1 || plan.Review.RemovedFrom[0].Name != "Carol's dataset" {
				t.Errorf("Will be removed from: %+v", plan.Review.RemovedFrom)
			}
		})
	}
}

func TestChown_DatasetLeavesAThirdUsersImageOutsideReadWriteGroups(t *testing.T) {
	// The same rule from the container's side: giving Carol's dataset to
	// Bob leaves Alice's image behind, and the link would join Bob's
	// dataset to Alice's image, so it goes outside read-write groups.
	for _, level := range []core.Level{core.ReadOnly, core.ReadAnnotate, core.ReadWrite} {
		t.Run(level.String(), func(t *testing.T) {
			w := newWorld(t)
			g := w.group("lab", level)
			alice, bob, carol := w.user("alice", g), w.user("bob", g), w.user("carol", g)
			admin := w.admin(g)
			d := carol.mk(core.Dataset)
			im := alice.image(core.Ref{})
			admin.link(core.DatasetImageLink, d, im)
			admin.mustRun(chown(bob.id, d))
			w.ownedBy(bob.id, d)
			w.ownedBy(alice.id, im)
			if l := w.linkBetween(core.DatasetImageLink, d, im); (l != nil) != (level == core.ReadWrite) {
				t.Errorf("link kept = %v, want kept only in read-write groups", l != nil)
			}
		})
	}
}

func TestChown_FilesetSplitIsRefused(t *testing.T) {
	w := newWorld(t)
	g := w.group("lab", core.ReadAnnotate)
	alice, bob := w.user("alice", g), w.user("bob", g)
	fs, ims := alice.importImages(2, core.Ref{})
	_, err := w.admin(g).run(chown(bob.id, ims[0]))
	wantKind(t, err, core.Conflict)
	w.ownedBy(alice.id, ims...)
	w.admin(g).mustRun(chown(bob.id, ims...))
	w.ownedBy(bob.id, fs, ims[0], ims[1])
}
