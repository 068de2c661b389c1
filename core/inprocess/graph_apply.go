package inprocess

import (
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/graph"
)

// progress reports rows done of the total every few hundred rows.
type progress struct {
	fn          func(done, total int)
	done, total int
}

func (p *progress) step() {
	p.done++
	if p.fn != nil && (p.done%500 == 0 || p.done == p.total) {
		p.fn(p.done, max(p.total, p.done))
	}
}

func (p *progress) finish() {
	if p.fn != nil {
		p.fn(p.done, p.done)
	}
}

// apply carries out a plan inside the planning transaction. Files to
// remove are only collected here; they go after the commit.
func (r *graphRun) apply(res *core.GraphResult) error {
	pr := &progress{fn: r.req.Progress, total: res.Total}
	defer pr.finish()
	if r.req.Op == core.OpDuplicate {
		return r.applyDuplicate(res, pr)
	}
	tx, plan := r.d.tx, r.plan
	del := append(plan.With(graph.Sever), plan.With(graph.Delete)...)
	if r.req.Op == core.OpDelete {
		del = append(del, plan.With(graph.Process)...)
	}
	graph.Order(del)
	for _, o := range del {
		if err := r.collectFiles(o); err != nil {
			return err
		}
	}
	for _, o := range del {
		if err := tx.DeleteObject(o.ID); err != nil {
			return core.E(r.op, err)
		}
		pr.step()
	}
	switch r.req.Op {
	case core.OpChgrp:
		for _, o := range plan.With(graph.Process) {
			o.Group = r.req.Group
			if err := tx.UpdateObject(o); err != nil {
				return core.E(r.op, err)
			}
			pr.step()
		}
		if err := r.applyContainer(res, pr); err != nil {
			return err
		}
		return r.applyKeep(res, pr)
	case core.OpChown:
		for _, o := range plan.With(graph.Process) {
			if o.Owner == r.req.User {
				pr.step()
				continue
			}
			o.Owner = r.req.User
			if err := tx.UpdateObject(o); err != nil {
				return core.E(r.op, err)
			}
			pr.step()
		}
	case core.OpChmod:
		g := r.d.groups[r.req.Group]
		g.Level = r.req.Level
		if err := tx.UpdateGroup(g); err != nil {
			return core.E(r.op, err)
		}
		r.d.groups[g.ID] = g
	}
	return nil
}

// collectFiles notes the files a deleted fileset or original file names;
// they are removed after the commit, so that a crash in between leaves
// orphan files (cleaned by RepairFiles), never rows naming missing files.
func (r *graphRun) collectFiles(o *core.Object) error {
	switch o.Class {
	case core.Fileset:
		es, err := r.d.tx.FilesetEntries(o.ID)
		if err != nil {
			return err
		}
		for _, e := range es {
			if p, ok := r.files.managedPath(e.RepoPath); ok {
				r.files.remove = append(r.files.remove, p)
			}
		}
	case core.OriginalFile:
		if p, ok := r.files.repoPath(o.Attr("path")); ok {
			r.files.remove = append(r.files.remove, p)
		}
	}
	return nil
}

// extraRows counts the rows a run creates beyond the plan's own
// (containers, links, carried annotations).
func (r *graphRun) extraRows() int {
	n := 0
	if r.into != nil {
		n += len(r.into.links)
		if r.into.create {
			n++
		}
	}
	for _, k := range r.keep {
		n += len(k.on)
		if k.reuse == nil {
			n++
		}
	}
	return n
}
