package graph

import (
	"github.com/ocular-lab/ocular/core"
)

// planChmod plans a group's downgrade to private (spec §2): in a private
// group nobody may hold links or annotations across owners, so the
// operation either fails (a field of one owner showing another owner's
// image) or deletes the cross-owner material: container and annotation
// links between different owners, the comments and basic annotations that
// this orphans (and key-value pairs the actor may delete), and other users'
// ROIs and rendering settings on each image. Tags and files survive.
// Instruments, experiments, stage labels and reagents are not modelled yet.
func planChmod(g *Graph, env *Env, req Request) *Plan {
	pl := &Plan{Op: core.OpChmod, State: newStates(g), g: g}
	from := env.Groups[req.Dest].Level
	if req.Level != core.Private || from == core.Private {
		pl.Review.Counts = map[core.Class]int{}
		return pl // upgrades and shared downgrades change no data
	}
	lost := map[core.ID]bool{} // annotations that lose a link
	g.Each(func(o *core.Object) {
		if o.Group != req.Dest {
			return
		}
		switch {
		case o.Class == core.WellSample:
			if im := g.Get(o.Child); im != nil && im.Owner != o.Owner {
				pl.Blockers = append(pl.Blockers, Blocker{core.Conflict, "field " + o.Ref.String() + " of " + env.name(o.Owner) +
					" shows " + im.Ref.String() + " of " + env.name(im.Owner) + "; give one of them to the other user first"})
			}
		case o.Class.IsLink():
			par, chi := g.Get(o.Parent), g.Get(o.Child)
			if par == nil || chi == nil || par.Owner == chi.Owner {
				return
			}
			pl.State.Set(o.ID, Sever)
			if o.Class.IsAnnotationLink() {
				lost[chi.ID] = true
			}
		case o.Class == core.Roi || o.Class == core.RenderingDef:
			if im := g.Get(o.Parent); im != nil && im.Owner != o.Owner {
				pl.State.Set(o.ID, Delete)
			}
		}
	})
	// Annotations orphaned by the removed links: comments and basic ones
	// go, key-value pairs if the actor may delete them; tags and files stay.
	for _, id := range sortedIDs(lost) {
		a := g.Get(id)
		orphan := true
		for _, l := range g.edges(g.byChild, id) {
			if l.Class.IsAnnotationLink() && pl.State.Get(l.ID) != Sever {
				orphan = false
				break
			}
		}
		if !orphan {
			continue
		}
		switch annotationCat(a.Class) {
		case catBasic:
			pl.State.Set(id, Delete)
		case catMap:
			if env.flags(a).CanDelete {
				pl.State.Set(id, Delete)
			}
		}
		if pl.State.Get(id) == Delete {
			for _, l := range g.edges(g.byParent, id) { // links from the deleted annotation (tag sets never are)
				if l.Class.IsLink() {
					pl.State.Set(l.ID, Sever)
				}
			}
		}
	}
	pl.Review.Counts = map[core.Class]int{}
	pl.Review.DeletedCounts = map[core.Class]int{}
	pl.State.each(func(o *core.Object, s State) {
		if s == Delete {
			pl.Review.DeletedCounts[o.Class]++
		}
	})
	return pl
}
