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

// add counts n rows done at once.
func (p *progress) add(n int) {
	if n == 0 {
		return
	}
	p.done += n
	if p.fn != nil {
		p.fn(p.done, max(p.total, p.done))
	}
}

func (p *progress) finish() {
	if p.fn != nil {
		p.fn(p.done, p.done)
	}
}

// applyChunk is how many rows one bulk call changes between progress
// reports: the store batches them further.
const applyChunk = 5000

// apply carries out a plan inside the planning transaction, in bulk (one
// statement per few hundred rows: a project of 10,000 images is 130,000
// rows). Files to remove are only collected here; they go after the
// commit.
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
	graph.Order(del) // whatever refers to an object is deleted before it
	if err := r.collectFiles(del); err != nil {
		return err
	}
	if err := inChunks(del, pr, tx.DeleteObjects); err != nil {
		return core.E(r.op, err)
	}
	switch r.req.Op {
	case core.OpChgrp:
		moved := plan.With(graph.Process)
		if err := inChunks(moved, pr, func(ids []core.ID) error { return tx.SetObjectsGroup(ids, r.req.Group) }); err != nil {
			return core.E(r.op, err)
		}
		for _, o := range moved {
			o.Group = r.req.Group
		}
		if err := r.applyContainer(res, pr); err != nil {
			return err
		}
		return r.applyKeep(res, pr)
	case core.OpChown:
		var given []*core.Object
		for _, o := range plan.With(graph.Process) {
			if o.Owner == r.req.User {
				pr.step() // already the recipient's
				continue
			}
			given = append(given, o)
		}
		if err := inChunks(given, pr, func(ids []core.ID) error { return tx.SetObjectsOwner(ids, r.req.User) }); err != nil {
			return core.E(r.op, err)
		}
		for _, o := range given {
			o.Owner = r.req.User
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

// inChunks calls fn with the IDs of objs, applyChunk at a time in order,
// and reports progress after each chunk.
func inChunks(objs []*core.Object, pr *progress, fn func([]core.ID) error) error {
	ids := make([]core.ID, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	for start := 0; start < len(ids); start += applyChunk {
		end := min(start+applyChunk, len(ids))
		if err := fn(ids[start:end]); err != nil {
			return err
		}
		pr.add(end - start)
	}
	return nil
}

// collectFiles notes the files that deleted filesets and original files
// name, and the deleted images whose cached thumbnails go. They are
// removed after the commit, so that a crash in between leaves orphan files
// (cleaned by RepairFiles), never rows naming missing files.
func (r *graphRun) collectFiles(del []*core.Object) error {
	var filesets []core.ID
	for _, o := range del {
		if o.Class == core.Fileset {
			filesets = append(filesets, o.ID)
		}
	}
	entries, err := r.d.tx.FilesetEntriesOf(filesets)
	if err != nil {
		return err
	}
	for _, o := range del {
		switch o.Class {
		case core.Fileset:
			for _, e := range entries[o.ID] {
				if p, ok := r.files.managedPath(e.RepoPath); ok {
					r.files.remove = append(r.files.remove, p)
				}
			}
		case core.OriginalFile:
			if p, ok := r.files.repoPath(o.Attr("path")); ok {
				r.files.remove = append(r.files.remove, p)
			}
		case core.Image:
			r.files.images = append(r.files.images, o.ID)
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
