// Package graph is the planner of Ocular's graph operations (spec §2, §4):
// delete, move to group (chgrp), change owner (chown), duplicate and a
// group's downgrade to private (chmod). It works on an in-memory graph
// loaded in bulk by the caller: the objects a request reaches from its
// targets and their neighbours (core/inprocess/graph_closure.go), or for
// a downgrade every object of the group. It returns a Plan: what is
// processed (moved, given, deleted, duplicated), which links are severed,
// what is deleted because it cannot come along, the review users see
// before they confirm, and the blockers that refuse the whole request. It
// changes nothing; core/inprocess applies plans.
//
// The per-type decisions are data (rules.go), one table per operation, so
// that they can be read side by side with the spec.
package graph

import (
	"cmp"
	"slices"
	"sort"

	"github.com/ocular-lab/ocular/core"
)

// Graph indexes objects by ID and by the three reference columns of the
// object table (parent, child, ref2), so that both directions of every
// edge are a lookup. Planning a project of 10,000 images looks objects up
// millions of times, so the index is dense: objects in ID order, a table
// from ID to position, and the edges by position (hash maps of 130,000
// entries made half of the planning time).
type Graph struct {
	list     []*core.Object // in ID order
	pos      idIndex
	byParent [][]*core.Object // by the position of the object named
	byChild  [][]*core.Object
	byRef2   [][]*core.Object
	inSet    map[core.ID]bool // annotations that are in a tag set
	// linkedOutside are annotations that links from objects outside the
	// graph name (see Beyond).
	linkedOutside map[core.ID]bool
}

// New indexes objects (the closure of a request, or every object of a group).
func New(objs []*core.Object) *Graph {
	list := slices.Clone(objs)
	slices.SortStableFunc(list, func(a, b *core.Object) int { return cmp.Compare(a.ID, b.ID) })
	// Of objects with the same ID the last one counts, as in a map.
	out := list[:0]
	for i, o := range list {
		if i+1 < len(list) && list[i+1].ID == o.ID {
			continue
		}
		out = append(out, o)
	}
	list = out
	g := &Graph{list: list, pos: newIDIndex(list), inSet: map[core.ID]bool{},
		byParent: make([][]*core.Object, len(list)), byChild: make([][]*core.Object, len(list)), byRef2: make([][]*core.Object, len(list))}
	for _, o := range list {
		if i := g.pos.of(o.Parent); o.Parent != 0 && i >= 0 {
			g.byParent[i] = append(g.byParent[i], o)
		}
		if i := g.pos.of(o.Child); o.Child != 0 && i >= 0 {
			g.byChild[i] = append(g.byChild[i], o)
		}
		if i := g.pos.of(o.Ref2); o.Ref2 != 0 && i >= 0 {
			g.byRef2[i] = append(g.byRef2[i], o)
		}
		if o.Class == core.AnnotationAnnotationLink {
			g.inSet[o.Child] = true
		}
	}
	return g
}

// Beyond records what planning from the requested roots outward learnt
// about annotation id without loading its every link (a tag may be on a
// million images): that objects outside the graph link to it, so it is not
// an orphan of the request's objects (those objects are never reached by
// the plan, so they stay), and that a tag set holds it. The plan is then
// the one a graph holding every object of the groups would give.
func (g *Graph) Beyond(id core.ID, linkedOutside, inTagSet bool) {
	if linkedOutside {
		if g.linkedOutside == nil {
			g.linkedOutside = map[core.ID]bool{}
		}
		g.linkedOutside[id] = true
	}
	if inTagSet {
		g.inSet[id] = true
	}
}

// idIndex maps IDs to positions in the ID-ordered list: a table indexed
// by ID when the IDs are dense enough (one ID space is shared by every
// group, so a group's IDs have gaps), a map otherwise.
type idIndex struct {
	base   core.ID
	table  []int32 // position+1, 0 for absent
	sparse map[core.ID]int32
}

func newIDIndex(list []*core.Object) idIndex {
	if len(list) == 0 {
		return idIndex{}
	}
	lo, hi := list[0].ID, list[len(list)-1].ID
	if span := int64(hi - lo + 1); span <= 8*int64(len(list))+4096 {
		x := idIndex{base: lo, table: make([]int32, span)}
		for i, o := range list {
			x.table[o.ID-lo] = int32(i + 1)
		}
		return x
	}
	x := idIndex{sparse: make(map[core.ID]int32, len(list))}
	for i, o := range list {
		x.sparse[o.ID] = int32(i)
	}
	return x
}

// of returns the position of id, or -1.
func (x *idIndex) of(id core.ID) int {
	if x.sparse != nil {
		if i, ok := x.sparse[id]; ok {
			return int(i)
		}
		return -1
	}
	if id < x.base || int64(id-x.base) >= int64(len(x.table)) {
		return -1
	}
	return int(x.table[id-x.base]) - 1
}

// Get returns the object with id, or nil.
func (g *Graph) Get(id core.ID) *core.Object {
	if i := g.pos.of(id); i >= 0 {
		return g.list[i]
	}
	return nil
}

// Len is the number of objects.
func (g *Graph) Len() int { return len(g.list) }

// Each calls fn for every object in ID order.
func (g *Graph) Each(fn func(*core.Object)) {
	for _, o := range g.list {
		fn(o)
	}
}

// edges returns the objects whose column (byParent, byChild or byRef2)
// names the object id.
func (g *Graph) edges(by [][]*core.Object, id core.ID) []*core.Object {
	if i := g.pos.of(id); i >= 0 {
		return by[i]
	}
	return nil
}

// edgeKind says how a child hangs from its parent.
type edgeKind uint8

const (
	contains  edgeKind = iota // container link: Project-Dataset, Dataset-Image, Screen-Plate
	part                      // structural: Plate-Well, Plate-Run, Well-Field, Run-Field, Field-Image, Image-Roi, Image-RenderingDef
	annotates                 // an annotation link from any annotatable object
	member                    // AnnotationAnnotationLink: a tag in a tag set
	file                      // a FileAnnotation's OriginalFile
)

// edge is one parent-child relation; via is the link object, nil for
// structural relations.
type edge struct {
	parent, child *core.Object
	via           *core.Object
	kind          edgeKind
}

func isContained(c core.Class) bool {
	ci := c.Info()
	return ci != nil && ci.Kind == core.KindContained
}

func linkKind(c core.Class) edgeKind {
	switch {
	case c == core.AnnotationAnnotationLink:
		return member
	case c.IsAnnotationLink():
		return annotates
	}
	return contains
}

// parents lists the relations in which o is the child.
func (g *Graph) parents(o *core.Object) []edge {
	var out []edge
	for _, x := range g.edges(g.byChild, o.ID) {
		switch {
		case x.Class.IsLink():
			out = append(out, edge{parent: g.Get(x.Parent), child: o, via: x, kind: linkKind(x.Class)})
		case x.Class == core.WellSample: // the field showing this image
			out = append(out, edge{parent: x, child: o, kind: part})
		}
	}
	if isContained(o.Class) && o.Parent != 0 {
		out = append(out, edge{parent: g.Get(o.Parent), child: o, kind: part})
	}
	if o.Class == core.WellSample && o.Ref2 != 0 { // the run
		out = append(out, edge{parent: g.Get(o.Ref2), child: o, kind: part})
	}
	if o.Class == core.OriginalFile {
		for _, x := range g.edges(g.byRef2, o.ID) {
			if x.Class == core.FileAnnotation {
				out = append(out, edge{parent: x, child: o, kind: file})
			}
		}
	}
	return out
}

// children lists the relations in which o is the parent. The images of a
// fileset are not its children: filesets go with their images (fileset rule).
func (g *Graph) children(o *core.Object) []edge {
	var out []edge
	for _, x := range g.edges(g.byParent, o.ID) {
		switch {
		case x.Class.IsLink():
			if c := g.Get(x.Child); c != nil {
				out = append(out, edge{parent: o, child: c, via: x, kind: linkKind(x.Class)})
			}
		case isContained(x.Class):
			out = append(out, edge{parent: o, child: x, kind: part})
		}
	}
	switch o.Class {
	case core.PlateAcquisition:
		for _, x := range g.edges(g.byRef2, o.ID) {
			if x.Class == core.WellSample {
				out = append(out, edge{parent: o, child: x, kind: part})
			}
		}
	case core.WellSample:
		if c := g.Get(o.Child); c != nil {
			out = append(out, edge{parent: o, child: c, kind: part})
		}
	case core.FileAnnotation:
		if c := g.Get(o.Ref2); c != nil {
			out = append(out, edge{parent: o, child: c, kind: file})
		}
	}
	return out
}

// links lists the link objects touching o at either end.
func (g *Graph) links(o *core.Object) []*core.Object {
	var out []*core.Object
	for _, x := range g.edges(g.byParent, o.ID) {
		if x.Class.IsLink() {
			out = append(out, x)
		}
	}
	for _, x := range g.edges(g.byChild, o.ID) {
		if x.Class.IsLink() {
			out = append(out, x)
		}
	}
	return out
}

// referrers lists the non-link objects whose parent, child or ref2 column
// names o (a fileset's images, an image's fields, ROIs and settings, a
// file's annotations).
func (g *Graph) referrers(o *core.Object) []*core.Object {
	var out []*core.Object
	for _, l := range [][]*core.Object{g.edges(g.byParent, o.ID), g.edges(g.byChild, o.ID), g.edges(g.byRef2, o.ID)} {
		for _, x := range l {
			if !x.Class.IsLink() {
				out = append(out, x)
			}
		}
	}
	return out
}

// imagesOf lists the images of a fileset in ID order.
func (g *Graph) imagesOf(fs *core.Object) []*core.Object {
	var out []*core.Object
	for _, x := range g.edges(g.byParent, fs.ID) {
		if x.Class == core.Image {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Ranks order the closure so that every parent is decided before its
// children: containers, plate parts, images, filesets, image parts,
// annotations, tag-set members, files.
const (
	rankFileset = 5
	nRanks      = 10
)

func (g *Graph) rank(o *core.Object) int {
	switch o.Class {
	case core.Project, core.Screen:
		return 0
	case core.Dataset, core.Plate:
		return 1
	case core.Well, core.PlateAcquisition:
		return 2
	case core.WellSample:
		return 3
	case core.Image:
		return 4
	case core.Fileset:
		return rankFileset
	case core.Roi, core.RenderingDef:
		return 6
	case core.OriginalFile:
		return 9
	}
	if o.Class.IsAnnotation() {
		if g.inSet[o.ID] {
			return 8
		}
		return 7
	}
	return -1 // links: decided after the closure
}

// DeleteRank orders deletions so that nothing is deleted while a row that
// references it remains: links first, then fields, ROIs and settings,
// images, plate parts and file annotations, containers, filesets and
// annotations, files last.
func DeleteRank(c core.Class) int {
	switch {
	case c.IsLink():
		return 0
	case c == core.WellSample, c == core.Roi, c == core.RenderingDef:
		return 1
	case c == core.Image:
		return 2
	case c == core.Well, c == core.PlateAcquisition, c == core.FileAnnotation:
		return 3
	case c == core.OriginalFile:
		return 5
	}
	return 4
}
