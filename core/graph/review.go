package graph

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sort"

	"github.com/ocular-lab/ocular/core"
)

// review builds what users see before they confirm (spec §4.6) from the
// decided states, so that the review is exactly what the run does.
func (p *planner) review() {
	rv := &p.plan.Review
	rv.Counts, rv.DeletedCounts = map[core.Class]int{}, map[core.Class]int{}
	p.plan.State.each(func(o *core.Object, s State) {
		if o.Class.IsLink() {
			return
		}
		switch s {
		case Process:
			rv.Counts[o.Class]++
		case Delete:
			rv.DeletedCounts[o.Class]++
		}
	})
	seenChild, seenParent, seenAnn := map[core.ID]bool{}, map[core.ID]bool{}, map[core.ID]bool{}
	for _, l := range p.plan.With(Sever) {
		par, chi := p.g.Get(l.Parent), p.g.Get(l.Child)
		if par == nil || chi == nil {
			continue
		}
		ps, cs := p.plan.State.Get(par.ID), p.plan.State.Get(chi.ID)
		if ps == Process && cs != Process && cs != Delete {
			switch {
			case chi.Class.IsAnnotation():
				if !seenAnn[chi.ID] {
					seenAnn[chi.ID] = true
					p.notIncludedAnnotation(chi)
				}
			case !seenChild[chi.ID]:
				seenChild[chi.ID] = true
				rv.NotIncluded = append(rv.NotIncluded, p.named(chi))
			}
		}
		if cs == Process && ps != Process && ps != Delete && !l.Class.IsAnnotationLink() && !seenParent[par.ID] {
			seenParent[par.ID] = true
			rv.RemovedFrom = append(rv.RemovedFrom, p.named(par))
		}
	}
	if p.req.Op == core.OpDelete {
		p.doublyLinked()
	}
}

func (p *planner) notIncludedAnnotation(a *core.Object) {
	rv := &p.plan.Review
	switch a.Class {
	case core.TagAnnotation:
		rv.NotIncludedTags = append(rv.NotIncludedTags, a.TextValue)
	case core.FileAnnotation:
		rv.NotIncludedFiles = append(rv.NotIncludedFiles, p.g.fileName(a))
	case core.CommentAnnotation:
		rv.NotIncludedComments++
	default:
		rv.NotIncludedOthers++
	}
}

// fileName is the name of a file annotation: its file's name.
func (g *Graph) fileName(a *core.Object) string {
	if f := g.Get(a.Ref2); f != nil && f.Name != "" {
		return f.Name
	}
	return a.DisplayName()
}

func (p *planner) named(o *core.Object) core.Named { return Named(p.g, o) }

// Named describes o as users know it.
func Named(g *Graph, o *core.Object) core.Named {
	if o.Class == core.FileAnnotation {
		return core.Named{Ref: o.Ref, Name: g.fileName(o)}
	}
	return core.Named{Ref: o.Ref, Name: o.DisplayName()}
}

// doublyLinked warns, for every image deleted directly, about the other
// datasets it disappears from.
func (p *planner) doublyLinked() {
	for _, id := range p.plan.Targets {
		o := p.g.Get(id)
		if o == nil || o.Class != core.Image || p.plan.State.Get(id) != Process {
			continue
		}
		var ds []core.Named
		for _, e := range p.g.parents(o) {
			if e.via != nil && e.via.Class == core.DatasetImageLink && e.parent != nil {
				ds = append(ds, p.named(e.parent))
			}
		}
		if len(ds) > 1 {
			p.plan.Review.DoublyLinked = append(p.plan.Review.DoublyLinked, core.DoublyLinked{Image: p.named(o), Datasets: ds})
		}
	}
}

// Public turns the plan into the use-case answer: refs in ID order, the
// total of changes for progress, and a fingerprint of every decision.
func (p *Plan) Public() core.GraphPlan {
	out := core.GraphPlan{Op: p.Op, Review: p.Review}
	h := sha256.New()
	h.Write([]byte(p.Op))
	var buf [9]byte
	p.State.each(func(o *core.Object, s State) {
		if s == Stay {
			return
		}
		binary.LittleEndian.PutUint64(buf[:8], uint64(o.ID))
		buf[8] = byte(s)
		h.Write(buf[:])
		switch s {
		case Process:
			out.Processed = append(out.Processed, o.Ref)
		case Delete:
			out.Deleted = append(out.Deleted, o.Ref)
		case Sever:
			out.Severed = append(out.Severed, o.Ref)
		}
	})
	if p.Dup != nil {
		p.Dup.hash(h)
		out.Total = p.Dup.Total()
	} else {
		out.Total = len(out.Processed) + len(out.Deleted) + len(out.Severed)
	}
	for _, b := range p.Blockers {
		out.Blockers = append(out.Blockers, b.Msg)
	}
	out.Fingerprint = hex.EncodeToString(h.Sum(nil)[:12])
	return out
}

// Order sorts objects for deletion (DeleteRank, then ID).
func Order(objs []*core.Object) {
	sort.SliceStable(objs, func(i, j int) bool {
		ri, rj := DeleteRank(objs[i].Class), DeleteRank(objs[j].Class)
		if ri != rj {
			return ri < rj
		}
		return objs[i].ID < objs[j].ID
	})
}
