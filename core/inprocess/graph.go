package inprocess

import (
	"context"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/graph"
)

// Graph operations over the store (core.Graph): load what the request
// reaches from its targets (graph_closure.go; a downgrade loads its whole
// group), plan with core/graph, and for a real run apply the plan in the
// same write transaction (graph_apply.go), so that what was planned is
// exactly what happens, or nothing.

var _ core.Graph = (*session)(nil)

// graphRun is one planned request inside its transaction.
type graphRun struct {
	op    string
	req   core.GraphRequest
	d     *ctxData
	g     *graph.Graph
	env   *graph.Env
	plan  *graph.Plan
	keep  []keptAnn     // chgrp --keep-annotations
	into  *containerReq // chgrp --target / --target-new
	files *fileOps      // files to link or copy before the rows, and to remove after
}

func (s *session) PlanGraph(ctx context.Context, req core.GraphRequest) (core.GraphPlan, error) {
	var out core.GraphPlan
	var refused error
	err := s.read(ctx, func(d *ctxData) error {
		r, err := s.planGraph(d, req)
		if err != nil {
			return err
		}
		out = r.public()
		refused = r.plan.Err(r.op)
		return nil
	})
	if err != nil {
		return core.GraphPlan{}, err
	}
	return out, refused
}

func (s *session) RunGraph(ctx context.Context, req core.GraphRequest) (core.GraphResult, error) {
	if req.DryRun {
		p, err := s.PlanGraph(ctx, req)
		return core.GraphResult{GraphPlan: p}, err
	}
	var res core.GraphResult
	var files *fileOps
	err := s.write(ctx, func(d *ctxData) error {
		r, err := s.planGraph(d, req)
		if err != nil {
			return err
		}
		files = r.files
		if err := r.plan.Err(r.op); err != nil {
			return err
		}
		res.GraphPlan = r.public()
		if req.Expect != "" && req.Expect != res.Fingerprint {
			return core.Errorf(r.op, core.Conflict, "the data changed since the review; review the %s again", r.op)
		}
		return r.apply(&res)
	})
	if err != nil {
		if files != nil {
			files.undo() // the rows were not committed: remove the links and copies made for them
		}
		return core.GraphResult{}, err
	}
	res.FilesRemoved = files.removeAfterCommit()
	return res, nil
}

func (r *graphRun) public() core.GraphPlan {
	p := r.plan.Public()
	for _, k := range r.keep {
		p.Review.Kept = append(p.Review.Kept, k.review())
	}
	p.Total += r.extraRows()
	return p
}

// checkOptions refuses option classes that are not model classes.
func checkOptions(op string, lists ...[]core.Class) error {
	for _, l := range lists {
		for _, c := range l {
			if c.Info() == nil && !c.Abstract() {
				return core.Errorf(op, core.Invalid, "unknown class %q in an option (known classes include Image, Dataset, TagAnnotation, FileAnnotation, Roi, DatasetImageLink, Annotation)", c)
			}
		}
	}
	return nil
}

// planGraph checks the request, loads the objects it concerns and plans it.
func (s *session) planGraph(d *ctxData, req core.GraphRequest) (*graphRun, error) {
	op := string(req.Op)
	r := &graphRun{op: op, req: req, d: d, files: &fileOps{managed: s.ManagedDir(), repo: s.svc.store.Dir(), imagesDeleted: s.svc.imagesDeleted}}
	switch req.Op {
	case core.OpDelete, core.OpChgrp, core.OpChown, core.OpDuplicate, core.OpChmod:
	default:
		return nil, core.Errorf("graph", core.Invalid, "unknown graph operation %q (delete, chgrp, chown, duplicate, chmod)", req.Op)
	}
	if d.actor.Guest {
		return nil, core.Errorf(op, core.Permission, "the guest account cannot change anything")
	}
	if err := checkOptions(op, req.Include, req.Exclude, req.Ignore, req.Reference, req.Duplicate); err != nil {
		return nil, err
	}
	greq := graph.Request{Op: req.Op, Options: req.ChildOptions, Dup: req.DuplicateOptions, Dest: req.Group,
		Recipient: req.User, Level: req.Level, AddMissing: req.AddMissingFilesetImages}
	groups := map[core.ID]bool{}
	if req.Op == core.OpChmod {
		if err := r.checkChmod(); err != nil {
			return nil, err
		}
		groups[req.Group] = true
	} else {
		if len(req.Targets) == 0 {
			return nil, core.Errorf(op, core.Invalid, "name at least one object, e.g. Image:42 or Dataset:3,4")
		}
		targets, err := r.resolveTargets(groups)
		if err != nil {
			return nil, err
		}
		greq.Targets = targets
		if err := r.checkOpArgs(s, groups); err != nil {
			return nil, err
		}
	}
	env, err := r.loadEnv(groups)
	if err != nil {
		return nil, err
	}
	r.env = env
	// A group's downgrade concerns every object of the group; the other
	// operations concern what their targets reach.
	var g *graph.Graph
	if req.Op == core.OpChmod || planWholeGroups {
		g, err = loadGroups(d.tx, req.Op, groups)
	} else {
		g, err = loadClosure(d.tx, groups, greq)
	}
	if err != nil {
		return nil, err
	}
	if err := r.planOn(g, greq); err != nil {
		return nil, err
	}
	if crossCheckPlans != nil && req.Op != core.OpChmod && !planWholeGroups {
		if err := r.crossCheck(groups, greq); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// planOn plans the request over g.
func (r *graphRun) planOn(g *graph.Graph, greq graph.Request) error {
	r.g = g
	r.plan = graph.Make(r.g, r.env, greq)
	if r.req.Op == core.OpChgrp && len(r.plan.Blockers) == 0 {
		if err := r.planContainer(); err != nil {
			return err
		}
		if r.req.KeepAnnotations {
			if err := r.planKeep(); err != nil {
				return err
			}
		}
	}
	return nil
}

// crossCheckPlans, set by tests only, is given every plan made from the
// roots outward together with the plan of the same request over the whole
// groups, which must be the same.
var crossCheckPlans func(req core.GraphRequest, closure, whole planView)

// planWholeGroups, set by tests only, plans every operation over the whole
// groups concerned, as before issue 13 (the benchmarks' anchor).
var planWholeGroups bool

// planView is what the cross-check compares: the public plan and the
// objects the plan leaves where they are.
type planView struct {
	Plan core.GraphPlan
	Stay []core.Ref
}

func (r *graphRun) view() planView {
	v := planView{Plan: r.public()}
	for _, o := range r.plan.With(graph.Stay) {
		v.Stay = append(v.Stay, o.Ref)
	}
	return v
}

// crossCheck plans the request again over the whole groups.
func (r *graphRun) crossCheck(groups map[core.ID]bool, greq graph.Request) error {
	g, err := loadGroups(r.d.tx, r.req.Op, groups)
	if err != nil {
		return err
	}
	whole := &graphRun{op: r.op, req: r.req, d: r.d, env: r.env, files: &fileOps{}}
	if err := whole.planOn(g, greq); err != nil {
		return err
	}
	crossCheckPlans(r.req, r.view(), whole.view())
	return nil
}

// loadGroups loads every object of the groups (a downgrade's graph).
func loadGroups(tx core.Tx, op core.GraphOp, groups map[core.ID]bool) (*graph.Graph, error) {
	var objs []*core.Object
	for _, g := range sortedGroupIDs(groups) {
		os, err := loadGroup(tx, op, g)
		if err != nil {
			return nil, err
		}
		objs = append(objs, os...)
	}
	return graph.New(objs), nil
}

// resolveTargets checks that every target exists and is visible (one
// NotFound for both) and collects their groups. Experimenter:ID (chown)
// names every object of that user.
func (r *graphRun) resolveTargets(groups map[core.ID]bool) ([]core.Target, error) {
	d, op := r.d, r.op
	var out []core.Target
	for _, t := range r.req.Targets {
		if t.Class == core.ClassExperimenter {
			if r.req.Op != core.OpChown || t.SubClass != "" {
				return nil, core.Errorf(op, core.Invalid, "Experimenter:ID names all of a user's data only for chown")
			}
			for _, id := range t.IDs {
				if _, err := d.tx.Experimenter(id); err != nil {
					return nil, core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenter, ID: id})
				}
				q := core.NewQuery()
				q.Owner = id
				objs, err := d.tx.Find(q)
				if err != nil {
					return nil, err
				}
				all := core.Target{Class: t.Class}
				for _, o := range objs {
					if d.actor.CanRead(o.Owner, d.perm(o.Group)) {
						all.IDs = append(all.IDs, o.ID)
						groups[o.Group] = true
					}
				}
				if len(all.IDs) > 0 {
					out = append(out, all)
				}
			}
			continue
		}
		if t.Class.Info() == nil && !t.Class.Abstract() {
			return nil, core.Errorf(op, core.Invalid, "%s is not a class of objects that can be named here", t.Class)
		}
		if t.SubClass != "" && t.SubClass.Info() == nil && !t.SubClass.Abstract() {
			return nil, core.Errorf(op, core.Invalid, "%s is not a class of objects that can be named here", t.SubClass)
		}
		for _, id := range t.IDs {
			o, err := d.get(op, core.Ref{Class: t.Class, ID: id})
			if err != nil {
				return nil, err
			}
			groups[o.Group] = true
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, core.Errorf(op, core.Invalid, "there is nothing to %s", op)
	}
	return out, nil
}

// checkOpArgs checks the destination group, the recipient, and the
// duplicate's group.
func (r *graphRun) checkOpArgs(s *session, groups map[core.ID]bool) error {
	d, op, req := r.d, r.op, r.req
	switch req.Op {
	case core.OpChgrp:
		g, ok := d.groups[req.Group]
		if !ok || (!d.actor.IsMember(req.Group) && !d.actor.Admin) {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: req.Group})
		}
		if core.IsSpecialGroup(g.ID) {
			return core.Errorf(op, core.Invalid, "data cannot be moved into the built-in %q group; choose one of your groups", g.Name)
		}
		groups[req.Group] = true
	case core.OpChown:
		if _, err := d.tx.Experimenter(req.User); err != nil {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenter, ID: req.User})
		}
		if req.User == core.GuestUserID {
			return core.Errorf(op, core.Invalid, "data cannot be given to the guest account")
		}
	case core.OpDuplicate:
		for g := range groups {
			if g != s.group {
				return core.Errorf(op, core.Invalid, "the objects are in %q but you are working in %q; switch group (-g %s) to duplicate them there", d.groups[g].Name, d.groups[s.group].Name, d.groups[g].Name)
			}
		}
		if !d.actor.IsMember(s.group) && !d.actor.Admin {
			return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: s.group})
		}
	}
	return nil
}

// checkChmod: only an administrator with ModifyGroup or a PI of the group
// may change its level (spec §2).
func (r *graphRun) checkChmod() error {
	d, op := r.d, r.op
	g, ok := d.groups[r.req.Group]
	if !ok {
		return core.ErrNotFound(op, core.Ref{Class: core.ClassExperimenterGroup, ID: r.req.Group})
	}
	if core.IsSpecialGroup(g.ID) {
		return core.Errorf(op, core.Invalid, "the permissions of the built-in %q group cannot change", g.Name)
	}
	if !d.actor.Has(core.PrivModifyGroup) && !d.actor.IsOwnerOf(g.ID) {
		return core.Errorf(op, core.Permission, "only an owner of %q or an administrator with the ModifyGroup privilege can change its permissions", g.Name)
	}
	if r.req.Level > core.ReadWrite {
		return core.Errorf(op, core.Invalid, "unknown group type")
	}
	return nil
}

func (r *graphRun) loadEnv(groups map[core.ID]bool) (*graph.Env, error) {
	d := r.d
	env := &graph.Env{Actor: d.actor, Groups: d.groups, Members: map[core.ID]map[core.ID]bool{},
		UserName: d.ownerName}
	for g := range groups {
		ms, err := d.tx.GroupMembers(g)
		if err != nil {
			return nil, err
		}
		m := make(map[core.ID]bool, len(ms))
		for _, x := range ms {
			m[x.User] = x.Owner
		}
		env.Members[g] = m
	}
	return env, nil
}

// planAttrs are the classes whose attributes planning and applying read
// (a well's name is its row and column; an original file's path is removed
// with it). Other objects are planned without them, which halves loading a
// big group; what is copied (--keep-annotations) is read in full again.
var planAttrs = []core.Class{core.Well, core.OriginalFile}

// loadGroup loads a group's objects for planning. A duplicate copies every
// value of its objects, so it loads them in full.
func loadGroup(tx core.Tx, op core.GraphOp, g core.ID) ([]*core.Object, error) {
	if op == core.OpDuplicate {
		q := core.NewQuery()
		q.Group = g
		return tx.Find(q)
	}
	return tx.GraphObjects(g, planAttrs)
}

func sortedGroupIDs(m map[core.ID]bool) []core.ID {
	out := make([]core.ID, 0, len(m))
	for g := range m {
		out = append(out, g)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
