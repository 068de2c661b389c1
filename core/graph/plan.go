package graph

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// State is what a plan does to one object.
type State uint8

const (
	Untouched State = iota
	Process         // moved, given, deleted or duplicated
	Delete          // deleted because it cannot come along
	Sever           // a link removed between a processed object and one that stays
	Stay            // reached from a processed parent but left where it is
)

// Env is what the planner knows about the people: who acts, the groups and
// their members.
type Env struct {
	Actor  *core.Actor
	Groups map[core.ID]core.Group
	// Members maps a group to its members (true for owners).
	Members map[core.ID]map[core.ID]bool
	// UserName names a user in messages.
	UserName func(core.ID) string
}

func (e *Env) perm(g core.ID) core.GroupPerm {
	return core.GroupPerm{ID: g, Level: e.Groups[g].Level}
}

func (e *Env) flags(o *core.Object) core.Flags {
	return e.Actor.FlagsFor(o.Class, o.Owner, e.perm(o.Group))
}

func (e *Env) name(u core.ID) string {
	if e.UserName != nil {
		if n := e.UserName(u); n != "" {
			return n
		}
	}
	return core.Ref{Class: core.ClassExperimenter, ID: u}.String()
}

// Request is a planning request; targets are already known to exist and to
// be visible to the actor (the caller checks, giving NotFound otherwise).
type Request struct {
	Op      core.GraphOp
	Targets []core.Target
	Options core.ChildOptions
	Dup     core.DuplicateOptions
	// Dest is the destination group (chgrp) or the group (chmod).
	Dest core.ID
	// Recipient is the new owner (chown).
	Recipient core.ID
	// Level is the new level (chmod).
	Level      core.Level
	AddMissing bool
}

// Blocker is one reason a request is refused.
type Blocker struct {
	Kind core.Kind
	Msg  string
}

// Plan is the planner's answer.
type Plan struct {
	Op    core.GraphOp
	State States
	// Targets are the objects the request named (after expanding
	// Class/SubClass targets and filesets).
	Targets  []core.ID
	Blockers []Blocker
	Review   core.GraphReview
	// Dup is the duplication plan (duplicate only).
	Dup *DupPlan
	g   *Graph
}

// Err is nil for an acceptable plan, otherwise one error naming every blocker.
func (p *Plan) Err(op string) error {
	if len(p.Blockers) == 0 {
		return nil
	}
	kind := p.Blockers[0].Kind
	msgs := make([]string, 0, len(p.Blockers))
	for i, b := range p.Blockers {
		if i == 8 {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(p.Blockers)-i))
			break
		}
		msgs = append(msgs, b.Msg)
	}
	return core.Errorf(op, kind, "%s; nothing was changed", strings.Join(msgs, "; "))
}

// With lists the objects in state s, ordered by ID.
func (p *Plan) With(s State) []*core.Object {
	var out []*core.Object
	for i, st := range p.State.s {
		if st == s {
			out = append(out, p.g.list[i])
		}
	}
	return out
}

// States is what a plan does to each object of its graph, by the object's
// position in the graph.
type States struct {
	g *Graph
	s []State
}

func newStates(g *Graph) States { return States{g: g, s: make([]State, g.Len())} }

// Get returns the state of id: Untouched for an object outside the graph.
func (st States) Get(id core.ID) State {
	if i := st.g.pos.of(id); i >= 0 {
		return st.s[i]
	}
	return Untouched
}

// Set records the state of id. An object outside the graph is part of no
// plan, so it is ignored.
func (st States) Set(id core.ID, s State) {
	if i := st.g.pos.of(id); i >= 0 {
		st.s[i] = s
	}
}

// each calls fn for every object a plan touches, in ID order. States set
// during the walk are seen when they are ahead of it.
func (st States) each(fn func(o *core.Object, s State)) {
	for i := range st.s {
		if s := st.s[i]; s != Untouched {
			fn(st.g.list[i], s)
		}
	}
}

// Graph is the graph the plan was made on.
func (p *Plan) Graph() *Graph { return p.g }

// Make plans a request over g.
func Make(g *Graph, env *Env, req Request) *Plan {
	switch req.Op {
	case core.OpChmod:
		return planChmod(g, env, req)
	case core.OpDuplicate:
		return planDuplicate(g, env, req)
	}
	p := newPlanner(g, env, req).run()
	if req.AddMissing && len(p.Review.SplitFilesets) > 0 {
		// "Move All": add the images the selection left out of its filesets.
		extra := core.Target{Class: core.Image}
		for _, s := range p.Review.SplitFilesets {
			for _, m := range s.Missing {
				extra.IDs = append(extra.IDs, m.ID)
			}
		}
		req.Targets = append(slices.Clone(req.Targets), extra)
		req.AddMissing = false
		p = newPlanner(g, env, req).run()
	}
	return p
}

// planner computes the closure of delete, chgrp and chown.
type planner struct {
	g       *Graph
	env     *Env
	req     Request
	rules   map[cat]rule
	plan    *Plan
	target  map[core.ID]bool
	pending [nRanks]map[core.ID]bool
	verb    string
	linkTgt []*core.Object
}

func newPlanner(g *Graph, env *Env, req Request) *planner {
	p := &planner{g: g, env: env, req: req, target: map[core.ID]bool{},
		plan: &Plan{Op: req.Op, State: newStates(g), g: g}}
	for i := range p.pending {
		p.pending[i] = map[core.ID]bool{}
	}
	switch req.Op {
	case core.OpDelete:
		p.rules, p.verb = deleteRules(), "delete"
	case core.OpChgrp:
		p.rules, p.verb = chgrpRules(), "move"
	case core.OpChown:
		p.verb = "give"
	}
	return p
}

func (p *planner) block(kind core.Kind, format string, args ...any) {
	p.plan.Blockers = append(p.plan.Blockers, Blocker{kind, fmt.Sprintf(format, args...)})
}

func (p *planner) run() *Plan {
	p.seed()
	for r := 0; r < nRanks; r++ {
		for len(p.pending[r]) > 0 {
			batch := sortedIDs(p.pending[r])
			clear(p.pending[r])
			for _, id := range batch {
				o := p.g.Get(id)
				switch {
				case r == rankFileset:
					p.fileset(o)
				case p.target[id]:
					if p.plan.State.Get(id) == Untouched {
						p.checkTarget(o)
						p.process(o)
					}
				case p.plan.State.Get(id) == Untouched:
					p.decide(o)
				}
			}
		}
	}
	for _, l := range p.linkTgt {
		p.checkTarget(l)
		p.plan.State.Set(l.ID, Process)
	}
	p.links()
	p.validate()
	p.review()
	return p.plan
}

func sortedIDs(m map[core.ID]bool) []core.ID {
	out := make([]core.ID, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// seed resolves the targets: Class/SubClass targets become the SubClass
// objects below each head (the head itself is not processed), and a
// fileset brings all its images.
func (p *planner) seed() {
	add := func(o *core.Object) {
		if p.target[o.ID] {
			return
		}
		p.target[o.ID] = true
		p.plan.Targets = append(p.plan.Targets, o.ID)
		if o.Class.IsLink() {
			p.linkTgt = append(p.linkTgt, o)
			return
		}
		if r := p.g.rank(o); r >= 0 {
			p.pending[r][o.ID] = true
		}
	}
	for _, t := range p.req.Targets {
		for _, id := range t.IDs {
			o := p.g.Get(id)
			if o == nil {
				continue
			}
			if t.SubClass != "" {
				for _, d := range p.g.descendants(o, t.SubClass) {
					add(d)
				}
				continue
			}
			add(o)
			switch o.Class {
			case core.Fileset:
				for _, im := range p.g.imagesOf(o) {
					add(im)
				}
			case core.OriginalFile:
				if p.req.Op == core.OpDelete { // deleting a file deletes the annotation wrapping it
					for _, x := range p.g.edges(p.g.byRef2, o.ID) {
						if x.Class == core.FileAnnotation {
							add(x)
						}
					}
				}
			}
		}
	}
}

// descendants lists the objects of class sub below o through containment.
func (g *Graph) descendants(o *core.Object, sub core.Class) []*core.Object {
	seen := map[core.ID]bool{o.ID: true}
	var out []*core.Object
	queue := []*core.Object{o}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, e := range g.children(x) {
			if e.kind != contains && e.kind != part || seen[e.child.ID] {
				continue
			}
			seen[e.child.ID] = true
			if e.child.Class.Matches(sub) {
				out = append(out, e.child)
			} else {
				queue = append(queue, e.child)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// process marks o processed and queues its children.
func (p *planner) process(o *core.Object) {
	p.plan.State.Set(o.ID, Process)
	for _, e := range p.g.children(o) {
		if p.plan.State.Get(e.child.ID) == Untouched {
			if r := p.g.rank(e.child); r >= 0 {
				p.pending[r][e.child.ID] = true
			}
		}
	}
	if o.Class == core.Image && o.Parent != 0 {
		if fs := p.g.Get(o.Parent); fs != nil && fs.Class == core.Fileset {
			p.pending[rankFileset][fs.ID] = true
		}
	}
}

// checkTarget applies the per-operation conditions on the objects a request names.
func (p *planner) checkTarget(o *core.Object) {
	a, env := p.env.Actor, p.env
	g := env.Groups[o.Group]
	switch p.req.Op {
	case core.OpDelete:
		if !env.flags(o).CanDelete {
			p.block(core.Permission, "you may not delete %s: it belongs to %s and %q is %s", o.Ref, env.name(o.Owner), g.Name, g.Level)
		}
		if o.Class == core.TagAnnotation || o.Class == core.FileAnnotation {
			p.checkUsers(o, "delete")
		}
	case core.OpChgrp:
		dest := env.Groups[p.req.Dest]
		switch {
		case o.Class.IsLink():
			p.block(core.Invalid, "%s is a link: links move with the objects they join", o.Ref)
			return
		case o.Group == p.req.Dest:
			p.block(core.Invalid, "%s is already in %q", o.Ref, dest.Name)
			return
		case o.Owner != a.UserID && !a.Has(core.PrivChgrp):
			p.block(core.Permission, "you may move only your own data to another group: %s belongs to %s", o.Ref, env.name(o.Owner))
			return
		}
		if !a.Has(core.PrivChgrp) {
			if _, ok := env.Members[p.req.Dest][a.UserID]; !ok {
				p.block(core.Permission, "you are not a member of %q, so you cannot move data there", dest.Name)
			}
		}
		if o.Class == core.TagAnnotation || o.Class == core.FileAnnotation {
			p.checkUsers(o, "move")
		}
	case core.OpChown:
		_, member := env.Members[o.Group][p.req.Recipient]
		switch {
		case a.Has(core.PrivChown):
		case a.IsOwnerOf(o.Group) && member:
		case a.IsOwnerOf(o.Group):
			p.block(core.Permission, "%s is not a member of %q: an owner of the group can give data only to its members", env.name(p.req.Recipient), g.Name)
		default:
			p.block(core.Permission, "only an owner of %q or an administrator with the Chown privilege can give %s to another user", g.Name, o.Ref)
		}
	}
}

// checkUsers refuses to delete or move a tag or file that is used on data
// the actor may not delete (spec §4.2, §4.3).
func (p *planner) checkUsers(o *core.Object, verb string) {
	for _, e := range p.g.parents(o) {
		if e.kind != annotates && e.kind != member || e.parent == nil {
			continue
		}
		if p.plan.State.Get(e.parent.ID) == Process || p.target[e.parent.ID] {
			continue
		}
		if !p.env.flags(e.parent).CanDelete {
			p.block(core.Permission, "you may not %s %s: it is used on %s, which belongs to %s and which you may not delete", verb, o.Ref, e.parent.Ref, p.env.name(e.parent.Owner))
			return
		}
	}
}

// decide applies the category's rule to a child reached from processed parents.
func (p *planner) decide(c *core.Object) {
	var via []edge
	var staying []edge
	for _, e := range p.g.parents(c) {
		if e.parent == nil {
			continue
		}
		switch p.plan.State.Get(e.parent.ID) {
		case Process:
			via = append(via, e)
		case Delete:
		default:
			staying = append(staying, e)
		}
	}
	if len(via) == 0 {
		return
	}
	ct := categoryOf(c, via)
	rules := p.rules
	if p.req.Op == core.OpChown {
		rules = chownRules(p.env.Groups[c.Group].Level)
	}
	r := rules[ct]
	inc, exc := false, false
	if optionCat(ct) {
		inc, exc = p.matches(c, p.req.Options.Include, p.req.Options.IncludeNs), p.matches(c, p.req.Options.Exclude, p.req.Options.ExcludeNs)
	}
	if exc && !inc {
		p.plan.State.Set(c.ID, Stay)
		return
	}
	if r.orphan && !inc {
		// Links from outside the loaded graph are annotation links, which
		// keep every annotation category attached (qualifies).
		attached := p.g.linkedOutside[c.ID]
		for _, e := range staying {
			attached = attached || qualifies(ct, e.kind)
		}
		if attached {
			p.outcome(c, ct, r.attached, via, staying)
			return
		}
	}
	have := p.conds(c, via, inc)
	for _, alt := range r.any {
		if have&alt == alt {
			p.process(c)
			return
		}
	}
	p.outcome(c, ct, r.otherwise, via, staying)
}

func (p *planner) outcome(c *core.Object, ct cat, o outcome, via, staying []edge) {
	switch o {
	case stay:
		p.plan.State.Set(c.ID, Stay)
	case remove:
		p.plan.State.Set(c.ID, Delete)
	case removeIfMay:
		if p.env.flags(c).CanDelete {
			p.plan.State.Set(c.ID, Delete)
		} else {
			p.plan.State.Set(c.ID, Stay)
		}
	case refuse:
		p.plan.State.Set(c.ID, Stay)
		var others []string
		for _, e := range staying {
			if qualifies(ct, e.kind) {
				others = append(others, e.parent.Ref.String())
			}
		}
		p.block(core.Conflict, "%s is shared by %s and %s: attachments sharing one file can only be %sd together", c.Ref, via[0].parent.Ref, strings.Join(others, ", "), p.verb)
	}
}

// conds computes which conditions hold for c.
func (p *planner) conds(c *core.Object, via []edge, inc bool) cond {
	var have cond
	for _, e := range via {
		if e.parent.Owner == c.Owner {
			have |= sameOwner
			break
		}
	}
	a := p.env.Actor
	if p.env.flags(c).CanDelete {
		have |= mayDelete
	}
	if c.Owner == a.UserID || a.Has(core.PrivChgrp) {
		have |= mayMove
	}
	if p.req.Op == core.OpChgrp && p.env.Groups[p.req.Dest].Level != core.Private {
		have |= sharedDest
	}
	if inc {
		have |= included
	}
	return have
}

// categoryOf decides how c hangs from its processed parents: structurally
// if any relation is structural, then as an annotation, a tag-set member,
// a file, or a container's content.
func categoryOf(c *core.Object, via []edge) cat {
	hasAnn := false
	for _, e := range via {
		switch e.kind {
		case part:
			switch c.Class {
			case core.Roi:
				return catRoi
			case core.RenderingDef:
				return catRdef
			}
			return catStructure
		case file:
			return catFile
		case annotates:
			hasAnn = true
		}
	}
	if c.Class.IsAnnotation() {
		if hasAnn {
			return annotationCat(c.Class)
		}
		return catMember
	}
	return catContent
}

// Included reports whether the include options name o: such a child
// comes along even when other objects still use it.
func Included(opts core.ChildOptions, o *core.Object) bool {
	return matches(o, opts.Include, opts.IncludeNs)
}

func (p *planner) matches(c *core.Object, classes []core.Class, nss []string) bool {
	return matches(c, classes, nss)
}

func matches(c *core.Object, classes []core.Class, nss []string) bool {
	for _, k := range classes {
		if c.Class.Matches(k) {
			return true
		}
	}
	return c.Class.IsAnnotation() && c.Ns != "" && slices.Contains(nss, c.Ns)
}

// fileset applies the fileset rule once every image is decided: a fileset
// goes only whole. A selection naming some of its images is refused; a
// container holding only some of them goes without any of them.
func (p *planner) fileset(fs *core.Object) {
	images := p.g.imagesOf(fs)
	var in, out, named []*core.Object
	for _, im := range images {
		if p.plan.State.Get(im.ID) == Process {
			in = append(in, im)
			if p.target[im.ID] {
				named = append(named, im)
			}
		} else {
			out = append(out, im)
		}
	}
	if len(in) == 0 {
		return
	}
	if len(out) == 0 {
		if p.req.Op == core.OpChown && fs.Owner != in[0].Owner {
			return
		}
		p.process(fs)
		return
	}
	split := core.SplitFileset{Fileset: fs.Ref}
	for _, im := range in {
		split.Selected = append(split.Selected, im.Ref)
	}
	for _, im := range out {
		split.Missing = append(split.Missing, im.Ref)
	}
	p.plan.Review.SplitFilesets = append(p.plan.Review.SplitFilesets, split)
	if len(named) > 0 {
		p.block(core.Conflict, "within %s may not %s %s while %s remains (a fileset goes only whole; add its other images)",
			fs.Ref, p.verb, refList(named), refList(out))
		return
	}
	for _, im := range in {
		p.plan.State.Set(im.ID, Stay)
	}
}

func refList(objs []*core.Object) string {
	parts := make([]string, 0, 4)
	for i, o := range objs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("%d more", len(objs)-i))
			break
		}
		parts = append(parts, o.Ref.String())
	}
	return strings.Join(parts, ", ")
}

// links decides every link touching a processed or deleted object.
func (p *planner) links() {
	st := p.plan.State
	touched := func(s State) bool { return s == Process || s == Delete }
	st.each(func(o *core.Object, s State) {
		if !touched(s) || o.Class.IsLink() {
			return
		}
		for _, l := range p.g.links(o) {
			if st.Get(l.ID) != Untouched {
				continue
			}
			par, chi := p.g.Get(l.Parent), p.g.Get(l.Child)
			ps, cs := State(0), State(0)
			if par != nil {
				ps = st.Get(par.ID)
			}
			if chi != nil {
				cs = st.Get(chi.ID)
			}
			switch {
			case ps == Process && cs == Process:
				if p.req.Op == core.OpChown && !(l.Owner == par.Owner && l.Owner == chi.Owner) {
					continue // a third party's link stays theirs
				}
				st.Set(l.ID, Process)
			case ps == Delete || cs == Delete || p.req.Op != core.OpChown:
				st.Set(l.ID, Sever)
			default:
				if p.chownSevers(l, par, chi, ps == Process) {
					st.Set(l.ID, Sever)
				}
			}
		}
	})
}

// chownSevers: links that would become cross-owner are deleted, except in
// read-write groups for container links; annotation links only in private
// groups (spec §4.4). A container link whose staying end belongs to a third
// user (neither the old owner nor the recipient) is cross-owner after the
// chown as well, so it goes too (blitz-chown-rules delete "any remaining
// cross-owner links" outside read-write groups).
func (p *planner) chownSevers(l, par, chi *core.Object, parentGiven bool) bool {
	if par == nil || chi == nil {
		return false
	}
	level := p.env.Groups[l.Group].Level
	if l.Class.IsAnnotationLink() {
		return level == core.Private && par.Owner == chi.Owner && par.Owner != p.req.Recipient
	}
	staying := par
	if !parentGiven {
		staying = chi
	}
	return level != core.ReadWrite && staying.Owner != p.req.Recipient
}

// validate is the safety net: no row may be left naming an object that
// moves away (chgrp) or disappears (delete, and chgrp's deletions), and a
// moved object may not name one that stays behind.
func (p *planner) validate() {
	if p.req.Op == core.OpChown {
		return
	}
	st := p.plan.State
	gone := func(s State) bool { return s == Process || s == Delete }
	st.each(func(o *core.Object, s State) {
		if o.Class.IsLink() || !gone(s) {
			return
		}
		for _, x := range p.g.referrers(o) {
			if gone(st.Get(x.ID)) {
				continue
			}
			if x.Class == core.Image && o.Class == core.Fileset {
				continue // reported by the fileset rule
			}
			verb := p.verb
			if s == Delete {
				verb = "delete"
			}
			p.block(core.Conflict, "may not %s %s while %s remains", verb, o.Ref, x.Ref)
		}
		if p.req.Op == core.OpChgrp && s == Process {
			for _, ref := range []core.ID{o.Parent, o.Child, o.Ref2} {
				if x := p.g.Get(ref); x != nil && !gone(st.Get(x.ID)) && !core.IsSpecialGroup(x.Group) {
					p.block(core.Conflict, "may not move %s without %s", o.Ref, x.Ref)
				}
			}
		}
	})
}
