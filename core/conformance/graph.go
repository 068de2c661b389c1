package conformance

import (
	"slices"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testGraph: the graph operations of spec §4 as a user notices them: a dry
// run changes nothing and says what a run would do; a run does exactly
// that or, refused, nothing; delete follows the orphan principle (§4.2),
// chgrp and chown their "who may" rules (§4.3, §4.4), duplicate makes new
// objects of the duplicator's (§4.5).
func testGraph(t *testing.T, newService NewService) {
	w := newWorld(t, newService)

	t.Run("delete: the dry run changes nothing and lists what a run deletes", func(t *testing.T) {
		w := w.on(t)
		d, im := w.datasetWithImage("alice", core.ReadWrite)
		before := w.snapshot()
		p, err := w.as("alice").PlanGraph(w.ctx, graphReq(core.OpDelete, d))
		ok(t, "plan the delete of a dataset", err)
		if after := w.snapshot(); after != before {
			t.Errorf("a dry run changed the repository:\n%s", diff(before, after))
		}
		for _, r := range []core.Ref{d, im} {
			if !slices.Contains(p.Processed, r) {
				t.Errorf("the plan does not list %s as deleted: %v", r, p.Processed)
			}
		}
		if p.Fingerprint == "" || p.Total == 0 {
			t.Errorf("the plan has no fingerprint or no total: %+v", p)
		}
		var done, total int
		req := graphReq(core.OpDelete, d)
		req.Progress = func(d, t int) { done, total = d, t }
		res, err := w.as("alice").RunGraph(w.ctx, req)
		ok(t, "delete the dataset", err)
		if !slices.Contains(res.Processed, d) {
			t.Errorf("the result does not list %s: %v", d, res.Processed)
		}
		if total == 0 || done != total {
			t.Errorf("progress ended at %d of %d, want all of a non-zero total", done, total)
		}
		w.gone(t, d, im)
	})

	t.Run("delete: an image in another dataset too survives its dataset", func(t *testing.T) {
		w := w.on(t)
		d, im := w.datasetWithImage("alice", core.ReadWrite)
		d2 := w.create("alice", core.ReadWrite, core.Dataset, named("second home"))
		w.create("alice", core.ReadWrite, core.DatasetImageLink, link(d2.Ref, im))
		_, err := w.as("alice").RunGraph(w.ctx, graphReq(core.OpDelete, d))
		ok(t, "delete the dataset", err)
		w.gone(t, d)
		w.there(t, im, d2.Ref)
	})

	t.Run("delete: another member's image only in a read-write group", func(t *testing.T) {
		w := w.on(t)
		_, im := w.datasetWithImage("alice", core.ReadAnnotate)
		w.refused(t, "bob deletes alice's image in a read-annotate group", func() error {
			_, err := w.as("bob").RunGraph(w.ctx, graphReq(core.OpDelete, im))
			return err
		}, core.Permission)
		_, im = w.datasetWithImage("alice", core.ReadWrite)
		_, err := w.as("bob").RunGraph(w.ctx, graphReq(core.OpDelete, im))
		ok(t, "bob deletes alice's image in a read-write group", err)
		w.gone(t, im)
	})

	t.Run("delete: part of a multi-image fileset is refused", func(t *testing.T) {
		w := w.on(t)
		res := w.importImages("alice", core.ReadWrite, core.Ref{}, imageSpec{name: "A", channels: 1}, imageSpec{name: "B", channels: 1})
		err := w.refused(t, "delete one image of a two-image fileset", func() error {
			_, err := w.as("alice").RunGraph(w.ctx, graphReq(core.OpDelete, res.Images[0]))
			return err
		}, core.Conflict, core.Permission, core.Invalid)
		p, perr := w.as("alice").PlanGraph(w.ctx, graphReq(core.OpDelete, res.Images[0]))
		if perr == nil || len(p.Blockers) == 0 {
			t.Errorf("the dry run of a refused delete gives no blockers (error %v, plan %+v)", perr, p)
		} else if core.KindOf(perr) != core.KindOf(err) {
			t.Errorf("the dry run is refused as %s, the run as %s", core.KindOf(perr), core.KindOf(err))
		}
		_, err = w.as("alice").RunGraph(w.ctx, graphReq(core.OpDelete, res.Images...))
		ok(t, "delete both images of the fileset", err)
		w.gone(t, res.Images...)
	})

	t.Run("chgrp: the dry run changes nothing; the run moves the tree", func(t *testing.T) {
		w := w.on(t)
		p, d, im := w.projectTree("alice", core.ReadAnnotate)
		req := graphReq(core.OpChgrp, p)
		req.Group = w.gid(labName(core.ReadWrite))
		before := w.snapshot()
		plan, err := w.as("alice").PlanGraph(w.ctx, req)
		ok(t, "plan the move", err)
		if after := w.snapshot(); after != before {
			t.Errorf("a dry run changed the repository:\n%s", diff(before, after))
		}
		for _, r := range []core.Ref{p, d, im} {
			if !slices.Contains(plan.Processed, r) {
				t.Errorf("the plan does not move %s: %v", r, plan.Processed)
			}
		}
		req.Expect = plan.Fingerprint
		_, err = w.as("alice").RunGraph(w.ctx, req)
		ok(t, "move the project", err)
		for _, r := range []core.Ref{p, d, im} {
			if v, err := w.root.Get(w.ctx, r); err != nil || v.Group != req.Group {
				t.Errorf("%s after the move: group %d, error %v; want group %d", r, v.Group, err, req.Group)
			}
		}
	})

	t.Run("chgrp: a run whose data changed since the review is refused", func(t *testing.T) {
		w := w.on(t)
		d, _ := w.datasetWithImage("alice", core.ReadAnnotate)
		req := graphReq(core.OpChgrp, d)
		req.Group = w.gid(labName(core.ReadWrite))
		plan, err := w.as("alice").PlanGraph(w.ctx, req)
		ok(t, "plan the move", err)
		w.create("alice", core.ReadAnnotate, core.DatasetImageLink, link(d, w.create("alice", core.ReadAnnotate, core.Image, named("late")).Ref))
		req.Expect = plan.Fingerprint
		w.refused(t, "move after the dataset changed", func() error {
			_, err := w.as("alice").RunGraph(w.ctx, req)
			return err
		}, core.Conflict)
	})

	t.Run("chgrp: not others' data, not into a group one is not in", func(t *testing.T) {
		w := w.on(t)
		d, _ := w.datasetWithImage("alice", core.ReadWrite)
		req := graphReq(core.OpChgrp, d)
		req.Group = w.gid(labName(core.ReadAnnotate))
		w.refused(t, "bob moves alice's dataset", func() error {
			_, err := w.as("bob").RunGraph(w.ctx, req)
			return err
		}, core.Permission)
		req.Group = w.gid(otherLab)
		w.refused(t, "alice moves her dataset into a group she is not in", func() error {
			_, err := w.as("alice").RunGraph(w.ctx, req)
			return err
		}, core.Permission, core.NotFound)
		req.Group = missing
		w.refused(t, "alice moves her dataset into a group that does not exist", func() error {
			_, err := w.as("alice").RunGraph(w.ctx, req)
			return err
		}, core.NotFound)
	})

	t.Run("chown: an administrator gives data; its owner cannot", func(t *testing.T) {
		w := w.on(t)
		d, im := w.datasetWithImage("alice", core.ReadAnnotate)
		req := graphReq(core.OpChown, d)
		req.User = w.uid("bob")
		w.refused(t, "alice gives her dataset to bob", func() error {
			_, err := w.as("alice").RunGraph(w.ctx, req)
			return err
		}, core.Permission)
		_, err := w.root.RunGraph(w.ctx, req)
		ok(t, "root gives alice's dataset to bob", err)
		for _, r := range []core.Ref{d, im} {
			if v, err := w.root.Get(w.ctx, r); err != nil || v.Owner != req.User {
				t.Errorf("%s after chown: owner %d, error %v; want bob (%d)", r, v.Owner, err, req.User)
			}
		}
	})

	t.Run("chown: a PI gives within their group", func(t *testing.T) {
		w := w.on(t)
		d, _ := w.datasetWithImage("alice", core.ReadOnly)
		req := graphReq(core.OpChown, d)
		req.User = w.uid("bob")
		_, err := w.as("pi").RunGraph(w.ctx, req)
		ok(t, "pi gives alice's dataset to bob", err)
		if v, err := w.root.Get(w.ctx, d); err != nil || v.Owner != req.User {
			t.Errorf("%s after chown: owner %d, error %v; want bob", d, v.Owner, err)
		}
		req.User = w.uid("carol")
		w.refused(t, "pi gives a dataset to a user outside the group", func() error {
			_, err := w.as("pi").RunGraph(w.ctx, req)
			return err
		}, core.Permission, core.NotFound, core.Invalid)
	})

	t.Run("duplicate: new objects of the duplicator's, outside the original's parents", func(t *testing.T) {
		w := w.on(t)
		p, d, im := w.projectTree("alice", core.ReadOnly)
		// Duplicates go into the session's group: bob works in the data's.
		res, err := w.in("bob", core.ReadOnly).RunGraph(w.ctx, graphReq(core.OpDuplicate, d))
		ok(t, "bob duplicates alice's dataset in a read-only group", err)
		copies := map[core.Class]core.Ref{}
		for _, pair := range res.Duplicates {
			copies[pair.Original.Class] = pair.Copy
		}
		dc, ic := copies[core.Dataset], copies[core.Image]
		if dc.IsZero() || ic.IsZero() {
			t.Fatalf("the duplicate made no dataset or no image: %+v", res.Duplicates)
		}
		for _, r := range []core.Ref{dc, ic} {
			v, err := w.root.Get(w.ctx, r)
			if err != nil || v.Owner != w.uid("bob") {
				t.Errorf("the copy %s: owner %d, error %v; want bob", r, v.Owner, err)
			}
		}
		links, err := w.root.List(w.ctx, core.ProjectDatasetLink, core.AnyID, core.AnyID)
		ok(t, "list project links", err)
		for _, l := range links {
			if l.Child == dc.ID {
				t.Errorf("the copy of the dataset is in Project:%d; a duplicate is in none of the original's parents", l.Parent)
			}
		}
		w.there(t, im, d)
		w.there(t, d, p)
		if v, err := w.root.Get(w.ctx, d); err != nil || v.Owner != w.uid("alice") {
			t.Errorf("the original changed owner: %d, %v", v.Owner, err)
		}
	})

	t.Run("duplicate: the dry run makes nothing", func(t *testing.T) {
		w := w.on(t)
		d, _ := w.datasetWithImage("alice", core.ReadWrite)
		req := graphReq(core.OpDuplicate, d)
		before := w.snapshot()
		res, err := w.in("alice", core.ReadWrite).RunGraph(w.ctx, withDryRun(req))
		ok(t, "dry run of a duplicate", err)
		if after := w.snapshot(); after != before {
			t.Errorf("a dry run changed the repository:\n%s", diff(before, after))
		}
		if !slices.Contains(res.Processed, d) || len(res.Duplicates) != 0 {
			t.Errorf("dry run: processed %v, duplicates %v; want the dataset and no copies", res.Processed, res.Duplicates)
		}
	})

	t.Run("graph: a hidden target answers like a missing one", func(t *testing.T) {
		w := w.on(t)
		d, _ := w.datasetWithImage("alice", core.Private)
		for _, op := range []core.GraphOp{core.OpDelete, core.OpChgrp, core.OpDuplicate} {
			req := graphReq(op, d)
			req.Group = w.gid(labName(core.ReadWrite))
			hidden := w.refused(t, "bob "+string(op)+" of alice's private dataset", func() error {
				_, err := w.as("bob").RunGraph(w.ctx, req)
				return err
			}, core.NotFound)
			absent := w.refused(t, "bob "+string(op)+" of a missing dataset", func() error {
				_, err := w.as("bob").RunGraph(w.ctx, graphReqGroup(op, core.Ref{Class: core.Dataset, ID: missing}, req.Group))
				return err
			}, core.NotFound)
			if normalise(hidden) != normalise(absent) {
				t.Errorf("%s: a hidden dataset answers %q, a missing one %q", op, hidden, absent)
			}
		}
	})
}

// in returns user's session working in the group of level l.
func (w *world) in(user string, l core.Level) core.Session {
	w.t.Helper()
	s, err := w.as(user).InGroup(w.ctx, w.gid(labName(l)))
	if err != nil {
		w.t.Fatalf("%s works in %s: %v", user, labName(l), err)
	}
	return s
}

func graphReq(op core.GraphOp, refs ...core.Ref) core.GraphRequest {
	req := core.GraphRequest{Op: op}
	for _, r := range refs {
		req.Targets = append(req.Targets, core.Target{Class: r.Class, IDs: []core.ID{r.ID}})
	}
	return req
}

func graphReqGroup(op core.GraphOp, r core.Ref, group core.ID) core.GraphRequest {
	req := graphReq(op, r)
	req.Group = group
	return req
}

func withDryRun(req core.GraphRequest) core.GraphRequest {
	req.DryRun = true
	return req
}

// datasetWithImage gives user a new dataset holding a new image in the
// group of level l.
func (w *world) datasetWithImage(user string, l core.Level) (dataset, image core.Ref) {
	w.t.Helper()
	d := w.create(user, l, core.Dataset, named("D"))
	im := w.create(user, l, core.Image, named("I"))
	w.create(user, l, core.DatasetImageLink, link(d.Ref, im.Ref))
	return d.Ref, im.Ref
}

// projectTree gives user a new project > dataset > image.
func (w *world) projectTree(user string, l core.Level) (project, dataset, image core.Ref) {
	w.t.Helper()
	p := w.create(user, l, core.Project, named("P"))
	d, im := w.datasetWithImage(user, l)
	w.create(user, l, core.ProjectDatasetLink, link(p.Ref, d))
	return p.Ref, d, im
}

// gone checks that root no longer finds refs.
func (w *world) gone(t *testing.T, refs ...core.Ref) {
	t.Helper()
	for _, r := range refs {
		if _, err := w.root.Get(w.ctx, r); !core.Is(core.NotFound, err) {
			t.Errorf("%s should be gone; Get answers %v", r, err)
		}
	}
}

// there checks that child still exists and is still linked into parent.
func (w *world) there(t *testing.T, child, parent core.Ref) {
	t.Helper()
	if _, err := w.root.Get(w.ctx, child); err != nil {
		t.Errorf("%s should still be there: %v", child, err)
		return
	}
	linkClass := core.DatasetImageLink
	if parent.Class == core.Project {
		linkClass = core.ProjectDatasetLink
	}
	links, err := w.root.List(w.ctx, linkClass, core.AnyID, core.AnyID)
	if err != nil {
		t.Errorf("list %s: %v", linkClass, err)
		return
	}
	for _, l := range links {
		if l.Parent == parent.ID && l.Child == child.ID {
			return
		}
	}
	t.Errorf("%s should still be in %s", child, parent)
}
