package inprocess_test

import (
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// Group permission changes, one test per rule of spec §2.

func (w *world) level(g core.ID) core.Level {
	w.t.Helper()
	gi, err := w.root.Group(w.ctx, w.groupName(g))
	if err != nil {
		w.t.Fatal(err)
	}
	return gi.Level
}

func (w *world) groupName(g core.ID) string {
	gs, _ := w.root.Groups(w.ctx)
	for _, x := range gs {
		if x.ID == g {
			return x.Name
		}
	}
	return ""
}

func TestChmod_OnlyAdminsAndPIsMayChangeTheLevel(t *testing.T) {
	// testChmodAnnotation: success = isAdmin or isGroupOwner
	w := newWorld(t)
	g := w.group("lab", core.ReadOnly)
	alice, pi := w.user("alice", g), w.user("pi", g)
	w.pi(pi, g)
	wantKind(t, alice.s.SetGroupLevel(w.ctx, g, core.ReadAnnotate), core.Permission)
	_, err := alice.plan(core.GraphRequest{Op: core.OpChmod, Group: g, Level: core.Private})
	wantKind(t, err, core.Permission)
	if err := pi.s.SetGroupLevel(w.ctx, g, core.ReadWrite); err != nil { // ruling 1: a PI may promote to read-write
		t.Fatal(err)
	}
	if w.level(g) != core.ReadWrite {
		t.Errorf("level %s", w.level(g))
	}
}

// crossOwnerGroup builds alice's image in alice's dataset, bob's image in
// alice's dataset (linked by alice), and bob's comment, tag, ROI and
// settings on alice's image, in a read-write group.
type crossOwner struct {
	g                                    core.ID
	alice, bob                           *actor
	d, im, bobsIm, ownLink, crossLink    core.Ref
	comment, commentLink, tag, tagLink   core.Ref
	roi, rdef, ownRdef, sharedC, sharedL core.Ref
}

func newCrossOwner(w *world) *crossOwner {
	c := &crossOwner{g: w.group("lab", core.ReadWrite)}
	c.alice, c.bob = w.user("alice", c.g), w.user("bob", c.g)
	c.d = c.alice.mk(core.Dataset)
	c.im = c.alice.image(core.Ref{})
	c.ownLink = c.bob.link(core.DatasetImageLink, c.d, c.im) // same owners at both ends, whoever linked
	c.bobsIm = c.bob.image(core.Ref{})
	c.crossLink = c.alice.link(core.DatasetImageLink, c.d, c.bobsIm)
	c.comment = c.bob.mk(core.CommentAnnotation, "textValue", "bob was here")
	c.commentLink = c.bob.annotate(c.im, c.comment)
	c.tag = c.bob.mk(core.TagAnnotation, "textValue", "bob's tag")
	c.tagLink = c.bob.annotate(c.im, c.tag)
	c.sharedC = c.bob.mk(core.CommentAnnotation, "textValue", "on both")
	c.sharedL = c.bob.annotate(c.im, c.sharedC)
	c.bob.annotate(c.bobsIm, c.sharedC)
	c.roi = c.bob.mk(core.Roi, "image", c.im.String())
	c.rdef = c.bob.mk(core.RenderingDef, "image", c.im.String(), "settings", "{}")
	c.ownRdef = c.alice.mk(core.RenderingDef, "image", c.im.String(), "settings", "{}")
	return c
}

func TestChmod_UpgradesAndSharedDowngradesChangeNoData(t *testing.T) {
	// test_permissions.py testCreatGroupAndchangePermissions; chmod/PermissionsTest rwr/rwra targets
	w := newWorld(t)
	c := newCrossOwner(w)
	all := []core.Ref{c.d, c.im, c.bobsIm, c.ownLink, c.crossLink, c.comment, c.commentLink, c.tag, c.tagLink, c.roi, c.rdef}
	for _, l := range []core.Level{core.ReadAnnotate, core.ReadOnly, core.ReadAnnotate, core.ReadWrite} {
		if err := w.root.SetGroupLevel(w.ctx, c.g, l); err != nil {
			t.Fatal(err)
		}
		w.there(all...)
	}
}

func TestChmod_DowngradeToPrivateDeletesCrossOwnerMaterialAndKeepsTags(t *testing.T) {
	// testChmodAnnotation, testChmodContainerReadWriteToPrivate
	w := newWorld(t)
	c := newCrossOwner(w)
	plan, err := w.root.PlanGraph(w.ctx, core.GraphRequest{Op: core.OpChmod, Group: c.g, Level: core.Private})
	if err != nil {
		t.Fatal(err)
	}
	wantDeleted := refsOf(append(plan.Deleted, plan.Severed...))
	for _, r := range []core.Ref{c.crossLink, c.comment, c.commentLink, c.tagLink, c.roi, c.rdef, c.sharedL} {
		if !wantDeleted[r] {
			t.Errorf("the review should list %s as deleted: %v", r, plan)
		}
	}
	if len(wantDeleted) != 7 {
		t.Errorf("the review lists %d deletions, want exactly 7: %v %v", len(wantDeleted), plan.Deleted, plan.Severed)
	}
	if w.level(c.g) != core.ReadWrite {
		t.Fatal("the dry run changed the group")
	}
	w.there(c.comment)
	if err := w.root.SetGroupLevel(w.ctx, c.g, core.Private); err != nil {
		t.Fatal(err)
	}
	if w.level(c.g) != core.Private {
		t.Fatalf("level: %s", w.level(c.g))
	}
	w.gone(c.crossLink, c.comment, c.commentLink, c.tagLink, c.roi, c.rdef, c.sharedL)
	// The D-I link survives iff dataset owner == image owner, whoever created it;
	// tags survive; a comment still linked to its owner's image survives.
	w.there(c.ownLink, c.tag, c.d, c.im, c.bobsIm, c.ownRdef, c.sharedC)
}

func TestChmod_DowngradeToPrivateFailsWhenAFieldShowsAnotherOwnersImage(t *testing.T) {
	// testDatasetToPlate with toPerms rw----
	w := newWorld(t)
	g := w.group("lab", core.ReadWrite)
	alice, bob := w.user("alice", g), w.user("bob", g)
	plate, _, wells := alice.importPlate(core.Ref{})
	bobsIm := bob.image(core.Ref{})
	field := alice.mk(core.WellSample, "well", wells[0].String(), "image", bobsIm.String())
	err := w.root.SetGroupLevel(w.ctx, g, core.Private)
	wantKind(t, err, core.Conflict)
	if !strings.Contains(err.Error(), field.String()) || !strings.Contains(err.Error(), bobsIm.String()) {
		t.Errorf("the error should name the field and the image: %v", err)
	}
	if w.level(g) != core.ReadWrite {
		t.Error("a refused downgrade changed the group")
	}
	w.there(plate, field, bobsIm)
}
