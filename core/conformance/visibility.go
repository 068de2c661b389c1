package conformance

import (
	"fmt"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testVisibility: spec §1.2 step 1 and design.md "Errors": an object the
// user may not see is NotFound, indistinguishable from one that does not
// exist, whatever the request.
func testVisibility(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	hidden := w.data["alice"][core.Private].image.Ref // bob is a member, but the group is private
	absent := core.Ref{Class: core.Image, ID: missing}
	otherClass := core.Ref{Class: core.Dataset, ID: hidden.ID} // the right ID under the wrong class
	for _, c := range []struct {
		who  string
		name string
		do   func(s core.Session, r core.Ref) error
	}{
		{"bob", "Get", func(s core.Session, r core.Ref) error { _, err := s.Get(w.ctx, r); return err }},
		{"bob", "Update", func(s core.Session, r core.Ref) error { _, err := s.Update(w.ctx, r, named("x")); return err }},
		{"bob", "Delete", func(s core.Session, r core.Ref) error { return s.Delete(w.ctx, r) }},
		{"bob", "Flags", func(s core.Session, r core.Ref) error { _, err := s.Flags(w.ctx, []core.Ref{r}); return err }},
		{"bob", "ImageDetails", func(s core.Session, r core.Ref) error { _, _, err := s.ImageDetails(w.ctx, r); return err }},
		{"bob", "tag", func(s core.Session, r core.Ref) error {
			_, err := s.Create(w.ctx, core.ImageAnnotationLink, link(r, w.data["bob"][core.Private].tag.Ref))
			return err
		}},
		{"bob", "link", func(s core.Session, r core.Ref) error {
			_, err := s.Create(w.ctx, core.DatasetImageLink, link(w.data["bob"][core.Private].dataset.Ref, r))
			return err
		}},
		{"bob", "ROI", func(s core.Session, r core.Ref) error {
			_, err := s.Create(w.ctx, core.Roi, map[string]string{"image": r.String(), "group": labName(core.Private)})
			return err
		}},
		{"carol", "Get", func(s core.Session, r core.Ref) error { _, err := s.Get(w.ctx, r); return err }},
	} {
		t.Run(fmt.Sprintf("%s: %s of an invisible image = not found, as for a missing ID", c.who, c.name), func(t *testing.T) {
			w := w.on(t)
			s := w.as(c.who)
			errHidden := w.refused(t, c.name+" invisible", func() error { return c.do(s, hidden) }, core.NotFound)
			errAbsent := w.refused(t, c.name+" missing", func() error { return c.do(s, absent) }, core.NotFound)
			if normalise(errHidden) != normalise(errAbsent) {
				t.Errorf("the messages tell invisible from missing:\n invisible: %q\n missing:   %q", errHidden, errAbsent)
			}
			if c.name == "Get" {
				errClass := w.refused(t, "Get under another class", func() error { return c.do(s, otherClass) }, core.NotFound)
				errAbsentDataset := c.do(s, core.Ref{Class: core.Dataset, ID: missing})
				if normalise(errClass) != normalise(errAbsentDataset) {
					t.Errorf("an ID under the wrong class says %q, a missing dataset %q", errClass, errAbsentDataset)
				}
			}
		})
	}

	t.Run("a member of a private group lists only their own images", func(t *testing.T) {
		vs, err := w.as("bob").List(w.ctx, core.Image, core.AnyID, w.gid(labName(core.Private)))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Owner != w.uid("bob") {
				t.Errorf("bob sees %s (%q) of Experimenter:%d", v.Ref, v.Name, v.Owner)
			}
		}
		if len(vs) != 2 {
			t.Errorf("bob sees %d images, want his 2", len(vs))
		}
	})

	t.Run("a member of a read-only group lists everyone's images", func(t *testing.T) {
		vs, err := w.as("bob").List(w.ctx, core.Image, core.AnyID, w.gid(labName(core.ReadOnly)))
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 4 {
			t.Errorf("bob sees %d images, want 4 (his and alice's)", len(vs))
		}
	})

	t.Run("an owner filter lists one member's data", func(t *testing.T) {
		vs, err := w.as("bob").List(w.ctx, core.Project, w.uid("alice"), w.gid(labName(core.ReadAnnotate)))
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 1 || vs[0].Name != "P-alice" || vs[0].OwnerName == "" || vs[0].GroupName != labName(core.ReadAnnotate) {
			t.Errorf("got %+v, want alice's project with owner and group names", vs)
		}
	})
}

// testBrowse: what the tree shows (issue 2 §6): a member of a private group
// sees only their own data; in shared groups everyone's, with the flags of
// spec §1.3; PIs and admins see everything in private groups.
func testBrowse(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	type node struct {
		name  string
		flags core.Flags
		count int
	}
	top := func(t *testing.T, user string, lv core.Level, owner core.ID) map[string]node {
		t.Helper()
		vs, err := w.as(user).Browse(w.ctx, core.BrowseRequest{Group: w.gid(labName(lv)), Owner: owner})
		if err != nil {
			t.Fatalf("%s browses %s: %v", user, labName(lv), err)
		}
		out := map[string]node{}
		for _, v := range vs {
			out[v.DisplayName()] = node{v.DisplayName(), sixFlags(v.Flags), v.ChildCount}
		}
		return out
	}
	own := core.Flags{CanEdit: true, CanAnnotate: true, CanDelete: true, CanLink: true, CanChgrp: true}
	for _, c := range []struct {
		user       string
		lv         core.Level
		seesAlice  bool
		aliceFlags core.Flags
		orphans    int
	}{
		{"bob", core.Private, false, core.Flags{}, 1},
		{"bob", core.ReadOnly, true, core.Flags{}, 2},
		{"bob", core.ReadAnnotate, true, core.Flags{CanAnnotate: true}, 2},
		{"bob", core.ReadWrite, true, core.Flags{CanAnnotate: true, CanEdit: true, CanDelete: true, CanLink: true}, 2},
		{"pi", core.Private, true, core.Flags{CanEdit: true, CanDelete: true, CanChown: true}, 2},
		{"root", core.Private, true, core.Flags{CanEdit: true, CanDelete: true, CanChgrp: true, CanChown: true}, 2},
		{"viewer", core.Private, true, core.Flags{}, 2},
	} {
		t.Run(fmt.Sprintf("%s/%s/the top level", c.lv, roleNames[c.user]), func(t *testing.T) {
			nodes := top(t, c.user, c.lv, core.AnyID)
			p, ok := nodes["P-alice"]
			if ok != c.seesAlice {
				t.Fatalf("alice's project shown: %v, want %v (tree: %v)", ok, c.seesAlice, nodes)
			}
			if ok && (p.flags != c.aliceFlags || p.count != 1) {
				t.Errorf("alice's project: flags %s, %d datasets; want %s, 1", p.flags, p.count, c.aliceFlags)
			}
			if c.user == "bob" {
				if b := nodes["P-bob"]; b.flags != own || b.count != 1 {
					t.Errorf("bob's own project: flags %s, %d datasets; want %s, 1", b.flags, b.count, own)
				}
			}
			if _, ok := nodes["D-alice"]; ok {
				t.Errorf("a dataset inside a project is shown at the top level")
			}
			if o := nodes["Orphaned Images"]; o.count != c.orphans {
				t.Errorf("Orphaned Images holds %d, want %d", o.count, c.orphans)
			}
		})
	}

	t.Run("read-only/member/expand other's project and dataset", func(t *testing.T) {
		d := w.data["alice"][core.ReadOnly]
		bob := w.as("bob")
		g := w.gid(labName(core.ReadOnly))
		ds, err := bob.Browse(w.ctx, core.BrowseRequest{Group: g, Owner: core.AnyID, Parent: d.project.Ref})
		if err != nil || len(ds) != 1 || ds[0].ID != d.dataset.ID || ds[0].ChildCount != 1 {
			t.Fatalf("project children = %+v, %v; want D-alice with 1 image", ds, err)
		}
		imgs, err := bob.Browse(w.ctx, core.BrowseRequest{Group: g, Owner: core.AnyID, Parent: d.dataset.Ref})
		if err != nil || len(imgs) != 1 || imgs[0].ID != d.image.ID || sixFlags(imgs[0].Flags) != (core.Flags{}) {
			t.Fatalf("dataset children = %+v, %v; want I-alice without rights", imgs, err)
		}
		orphans, err := bob.Browse(w.ctx, core.BrowseRequest{Group: g, Owner: w.uid("alice"), Parent: core.Ref{Class: core.OrphanedImages}})
		if err != nil || len(orphans) != 1 || orphans[0].ID != d.orphan.ID {
			t.Fatalf("alice's orphaned images = %+v, %v; want O-alice", orphans, err)
		}
	})

	t.Run("private/member/expand other's project = not found", func(t *testing.T) {
		w := w.on(t)
		w.refused(t, "browse", func() error {
			_, err := w.as("bob").Browse(w.ctx, core.BrowseRequest{Group: w.gid(labName(core.Private)), Owner: core.AnyID,
				Parent: w.data["alice"][core.Private].project.Ref})
			return err
		}, core.NotFound)
	})

	t.Run("non-member/browse the group = not found", func(t *testing.T) {
		w := w.on(t)
		w.refused(t, "browse", func() error {
			_, err := w.as("carol").Browse(w.ctx, core.BrowseRequest{Group: w.gid(labName(core.ReadWrite)), Owner: core.AnyID})
			return err
		}, core.NotFound)
	})

	t.Run("read-annotate/member/one member's data", func(t *testing.T) {
		nodes := top(t, "bob", core.ReadAnnotate, w.uid("alice"))
		if _, ok := nodes["P-bob"]; ok || len(nodes) != 2 {
			t.Errorf("tree filtered on alice = %v, want P-alice and Orphaned Images", nodes)
		}
	})
}
