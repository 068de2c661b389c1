package inprocess

import (
	"cmp"
	"slices"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/graph"
)

// Planning from the requested roots outward (issue 13): instead of reading
// every object of the groups concerned, grow the subgraph the planner
// looks at, frontier by frontier, and hand it to the same planner.
//
// The planner reaches objects only downward from the targets (children
// through links, structural parts, a field's image, an attachment's file,
// an image's fileset and the fileset's images). Those are the candidates:
// anything the plan may process or delete is one of them. For each
// candidate the planner also reads its other parents (is it an orphan?),
// its links at either end and the object at their other end (sever, the
// review's names), and what it points at (a moved object may not point at
// one that stays). Objects that merely refer to the candidates are loaded
// one step and no further: a dataset of another project holding a moved
// image is loaded, its other images are not.
//
// The exception is the fan-in of annotations: a tag on a million images
// is a candidate of every move of one of them, and its million links say
// only "it is used elsewhere", which decides nothing but that it stays.
// So an annotation is loaded downward only (the tags of a tag set, a file
// annotation's file), and the store counts the links naming it; when more
// links name it than were loaded, links from outside the candidates name
// it, those objects are never reached by the plan, so they stay, and the
// annotation is no orphan (graph.Beyond). An annotation the plan may take
// although it is used elsewhere (a target, one an include option names)
// is loaded with all its links: the plan severs them.
//
// The graph holds only objects of the groups concerned, as the whole-group
// load did. The counts are of links in every group, so the two agree as
// long as no link to an annotation lies in another group than the objects
// it joins, which graph operations never leave behind (a move takes no row
// naming an object that stays in another group).

// noGraphStepper, set by tests only, takes the steps as over a store
// without core.GraphStepper.
var noGraphStepper bool

// candidate steps, as bits of closure.done.
const (
	stepDown  uint8 = 1 << iota // whatever names it in parent or ref2
	stepUp                      // whatever names it in child
	stepCount                   // counts of what names it in child
	stepObj                     // the object itself
	isCand                      // a candidate; self has looked at it once loaded
)

// closure grows the planning graph of one request.
type closure struct {
	st      core.GraphStepper
	op      core.GraphOp
	opts    core.ChildOptions
	groups  map[core.ID]bool
	targets map[core.ID]bool
	// fullUp are annotations loaded with every link naming them.
	fullUp map[core.ID]bool
	objs   map[core.ID]*core.Object
	done   map[core.ID]uint8 // steps asked for, and isCand
	want   map[uint8][]core.ID
	counts []core.GraphCount
}

// loadClosure loads the objects planning req may read and the facts about
// annotations' links outside them, in rounds of bulk steps.
func loadClosure(tx core.Tx, groups map[core.ID]bool, req graph.Request) (*graph.Graph, error) {
	st, ok := tx.(core.GraphStepper)
	if !ok || noGraphStepper {
		st = neighbourStepper{tx}
	}
	c := &closure{st: st, op: req.Op, opts: req.Options, groups: groups, targets: map[core.ID]bool{},
		fullUp: map[core.ID]bool{}, objs: map[core.ID]*core.Object{},
		done: map[core.ID]uint8{}, want: map[uint8][]core.ID{}}
	for _, t := range req.Targets {
		for _, id := range t.IDs {
			c.targets[id] = true
			c.candidate(id)
		}
	}
	for c.pending() {
		for _, s := range []uint8{stepDown, stepUp, stepCount, stepObj} {
			ids := c.want[s]
			delete(c.want, s)
			slices.Sort(ids)
			if err := c.step(s, ids); err != nil {
				return nil, err
			}
		}
	}
	if req.Op == core.OpDuplicate {
		return c.full(tx)
	}
	objs := make([]*core.Object, 0, len(c.objs))
	named := map[core.ID]int{} // loaded objects naming a counted annotation in child
	for _, o := range c.objs {
		objs = append(objs, o)
		if o.Child != 0 && c.done[o.Child]&stepCount != 0 {
			named[o.Child]++
		}
	}
	slices.SortFunc(objs, func(a, b *core.Object) int { return cmp.Compare(a.ID, b.ID) }) // graph.New is fastest on sorted input
	g := graph.New(objs)
	total, inSet := map[core.ID]int{}, map[core.ID]bool{}
	for _, n := range c.counts {
		total[n.ID] += n.N
		if n.Class == core.AnnotationAnnotationLink {
			inSet[n.ID] = true
		}
	}
	for id, d := range c.done {
		if d&stepCount != 0 {
			g.Beyond(id, total[id] > named[id], inSet[id])
		}
	}
	return g, nil
}

// full reloads a duplicate's closure with every value: the copies take them.
func (c *closure) full(tx core.Tx) (*graph.Graph, error) {
	ids := make([]core.ID, 0, len(c.objs))
	for id := range c.objs {
		ids = append(ids, id)
	}
	byID, err := tx.Objects(sortedIDs(idSet(ids)))
	if err != nil {
		return nil, err
	}
	objs := make([]*core.Object, 0, len(byID))
	for _, o := range byID {
		objs = append(objs, o)
	}
	return graph.New(objs), nil
}

func (c *closure) pending() bool {
	for _, m := range c.want {
		if len(m) > 0 {
			return true
		}
	}
	return false
}

func (c *closure) ask(s uint8, id core.ID) {
	if id == 0 || c.done[id]&s != 0 {
		return
	}
	if s == stepObj && c.objs[id] != nil {
		return
	}
	c.done[id] |= s
	c.want[s] = append(c.want[s], id)
}

// candidate marks an object the plan may reach from its parents.
func (c *closure) candidate(id core.ID) {
	if id == 0 || c.done[id]&isCand != 0 {
		return
	}
	c.done[id] |= isCand
	c.ask(stepDown, id)
	if o := c.objs[id]; o != nil {
		c.self(o)
	} else {
		c.ask(stepObj, id)
	}
}

// store keeps an object of the groups concerned, and looks at a candidate
// once it is loaded.
func (c *closure) store(o *core.Object) bool {
	if !c.groups[o.Group] {
		return false // the whole-group graph holds only the groups concerned
	}
	if c.objs[o.ID] == nil {
		c.objs[o.ID] = o
		if c.done[o.ID]&isCand != 0 {
			c.self(o)
		}
	}
	return true
}

// step runs one bulk step and looks at what it brought.
func (c *closure) step(s uint8, ids []core.ID) error {
	if len(ids) == 0 {
		return nil
	}
	if s == stepCount {
		n, err := c.st.GraphChildCounts(ids)
		c.counts = append(c.counts, n...)
		return err
	}
	by := map[uint8]core.GraphColumns{stepDown: core.ByParent | core.ByRef2, stepUp: core.ByChild, stepObj: core.ByID}[s]
	objs, err := c.st.GraphStep(ids, by, planAttrs)
	if err != nil {
		return err
	}
	// Whether o names an ID of this step is read from the steps asked for:
	// an ID asked for in a later step gives the same answers again.
	for _, o := range objs {
		if !c.store(o) {
			continue
		}
		switch s {
		case stepDown:
			if o.Parent != 0 && c.done[o.Parent]&stepDown != 0 {
				c.namesInParent(o)
			}
			if o.Ref2 != 0 && c.done[o.Ref2]&stepDown != 0 {
				c.namesInRef2(o)
			}
		case stepUp:
			if o.Child != 0 && c.done[o.Child]&stepUp != 0 {
				c.namesInChild(o)
			}
		}
	}
	return nil
}

// self looks at a candidate once loaded: its other parents, what it points at.
func (c *closure) self(o *core.Object) {
	switch {
	case c.op == core.OpDuplicate:
		// A duplicate reads only downward.
	case o.Class.IsAnnotation() && !c.targets[o.ID] && !c.fullUp[o.ID] && !graph.Included(c.opts, o):
		c.ask(stepCount, o.ID)
	case namedAsChild[o.Class]:
		c.ask(stepUp, o.ID)
	}
	for _, id := range []core.ID{o.Parent, o.Child, o.Ref2} {
		c.ask(stepObj, id)
	}
	switch o.Class {
	case core.WellSample: // its image
		c.candidate(o.Child)
	case core.FileAnnotation: // its file
		c.candidate(o.Ref2)
	case core.Image: // its fileset goes with it only whole
		c.candidate(o.Parent)
	}
}

// namesInParent: o names a candidate in its parent column.
func (c *closure) namesInParent(o *core.Object) {
	switch ci := o.Class.Info(); {
	case o.Class.IsLink():
		c.candidate(o.Child)
	case ci != nil && ci.Kind == core.KindContained, o.Class == core.Image: // a part, or a fileset's image
		c.candidate(o.ID)
	default:
		c.ask(stepObj, o.Child)
		c.ask(stepObj, o.Ref2)
	}
}

// namesInRef2: o names a candidate in its ref2 column.
func (c *closure) namesInRef2(o *core.Object) {
	switch o.Class {
	case core.WellSample: // a run's field
		c.candidate(o.ID)
	case core.FileAnnotation:
		if c.op == core.OpDelete && c.targets[o.Ref2] {
			// Deleting a file deletes the annotations wrapping it: they
			// become targets, checked against every object they are on.
			c.targets[o.ID] = true
			c.fullUp[o.ID] = true
			if c.done[o.ID]&stepCount != 0 {
				c.ask(stepUp, o.ID)
			}
			c.candidate(o.ID)
		}
	}
}

// namesInChild: o names a candidate in its child column, so it is one of
// the candidate's parents (a link, a field showing an image).
func (c *closure) namesInChild(o *core.Object) {
	c.ask(stepObj, o.Parent)
	c.ask(stepObj, o.Ref2)
}

// namedAsChild are the classes a child column may name: the children of
// links and a field's image. Nothing else has parents to look for.
var namedAsChild = func() map[core.Class]bool {
	m := map[core.Class]bool{core.Image: true}
	for _, l := range core.Classes() {
		if ci := l.Info(); ci != nil && ci.Kind == core.KindLink {
			for _, c := range core.Classes() {
				if c.Matches(ci.Child) {
					m[c] = true
				}
			}
		}
	}
	return m
}()

func idSet(ids []core.ID) map[core.ID]bool {
	m := make(map[core.ID]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// neighbourStepper takes the steps with core.Tx alone, for stores without
// core.GraphStepper: every neighbour is read and the unwanted ones dropped.
type neighbourStepper struct{ tx core.Tx }

func (n neighbourStepper) GraphStep(ids []core.ID, by core.GraphColumns, withAttrs []core.Class) ([]*core.Object, error) {
	if by == core.ByID {
		m, err := n.tx.Objects(ids)
		out := make([]*core.Object, 0, len(m))
		for _, id := range sortedIDs(idSet(ids)) {
			if o := m[id]; o != nil {
				out = append(out, o)
			}
		}
		return out, err
	}
	all, err := n.tx.GraphNeighbours(ids, withAttrs)
	if err != nil {
		return nil, err
	}
	in := idSet(ids)
	out := all[:0]
	for _, o := range all {
		if by&core.ByID != 0 && in[o.ID] || by&core.ByParent != 0 && in[o.Parent] || by&core.ByChild != 0 && in[o.Child] || by&core.ByRef2 != 0 && in[o.Ref2] {
			out = append(out, o)
		}
	}
	return out, nil
}

func (n neighbourStepper) GraphChildCounts(ids []core.ID) ([]core.GraphCount, error) {
	all, err := n.tx.GraphNeighbours(ids, nil)
	if err != nil {
		return nil, err
	}
	in := idSet(ids)
	type key struct {
		id core.ID
		c  core.Class
	}
	counts := map[key]int{}
	for _, o := range all {
		if in[o.Child] {
			counts[key{o.Child, o.Class}]++
		}
	}
	out := make([]core.GraphCount, 0, len(counts))
	for k, v := range counts {
		out = append(out, core.GraphCount{ID: k.id, Class: k.c, N: v})
	}
	return out, nil
}

func sortedIDs(m map[core.ID]bool) []core.ID {
	out := make([]core.ID, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
