// Package browse is the view model of the data browser: the lazily loaded
// tree of Projects → Datasets → Images, Screens → Plates → Wells → images and
// Orphaned Images, the group and user switchers, and the details of a node,
// all as plain data. It holds no Fyne types, so the desktop UI stays thin and
// the rules (what is a branch, how a node is labelled, which owner a group
// starts with) are tested without a window.
//
// Threading: a Tree is owned by one goroutine (the UI goroutine). Only Load
// may run elsewhere: it reads the repository and touches no Tree state. Its
// result comes back through Fill on the owning goroutine.
package browse

import (
	"context"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Root is the UID of the invisible root node; its children are the top level.
const Root = ""

// Node is one loaded node of the tree.
type Node struct {
	UID  string
	View core.ObjectView
	// Placeholder is "Loading…" or an error sentence shown as a leaf while a
	// branch's children are not (yet) available; View is empty then.
	Placeholder string
	// SameName is set when a sibling has the same name: the label then adds
	// the ID, so that no two rows read alike.
	SameName bool
}

// state of a branch's children.
type branch struct {
	children []string
	loaded   bool
	loading  bool
	err      string
}

// Tree caches what the repository returned, keyed by UID. A UID is the path
// of refs from the top ("Project:3/Dataset:5/Image:9") because one image may
// sit in several datasets, and the tree needs one node per place.
type Tree struct {
	group, owner core.ID
	// grouped is set when the top level lists owners (GroupByOwner).
	grouped    bool
	generation int
	nodes      map[string]*Node
	branches   map[string]*branch
}

// NewTree returns an empty tree browsing group, showing owner's data (or
// everyone's with core.AnyID).
func NewTree(group, owner core.ID) *Tree {
	t := &Tree{}
	t.Reset(group, owner)
	return t
}

// Reset forgets everything loaded and starts over on another group or owner.
// Loads still in flight for the old view are ignored when they come back.
func (t *Tree) Reset(group, owner core.ID) {
	t.group, t.owner = group, owner
	t.grouped = false
	t.generation++
	t.nodes = map[string]*Node{Root: {UID: Root}}
	t.branches = map[string]*branch{}
}

// Group and Owner are what the tree shows.
func (t *Tree) Group() core.ID { return t.group }
func (t *Tree) Owner() core.ID { return t.owner }

// Node returns a node by UID.
func (t *Tree) Node(uid string) (*Node, bool) {
	n, ok := t.nodes[uid]
	return n, ok
}

// placeholderUID names the single leaf shown under a branch that is loading
// or failed. It contains no ':' so it can never collide with a ref path.
func placeholderUID(uid string) string { return uid + "/…" }

// Children answers from memory: the loaded children, a placeholder while
// loading or after an error, or nothing if the branch was never opened.
func (t *Tree) Children(uid string) []string {
	b, ok := t.branches[uid]
	if !ok {
		return nil
	}
	if b.loaded {
		return b.children
	}
	if b.loading || b.err != "" {
		return []string{placeholderUID(uid)}
	}
	return nil
}

// IsBranch reports whether uid can be opened: the root, and containers that
// have children.
func (t *Tree) IsBranch(uid string) bool {
	if uid == Root {
		return true
	}
	n, ok := t.nodes[uid]
	if !ok || n.Placeholder != "" {
		return false
	}
	if n.View.Class == core.ClassExperimenter {
		return true // an owner's node opens on their data, whatever it holds
	}
	return hasChildren(n.View.Class) && n.View.ChildCount > 0
}

func hasChildren(c core.Class) bool {
	switch c {
	case core.Project, core.Dataset, core.Screen, core.Plate, core.Well, core.OrphanedImages:
		return true
	}
	return false
}

// Loaded reports whether uid's children are in memory.
func (t *Tree) Loaded(uid string) bool {
	b, ok := t.branches[uid]
	return ok && b.loaded
}

// Request is one pending load: run it with Load off the UI goroutine and
// hand the result to Fill.
type Request struct {
	UID        string
	Browse     core.BrowseRequest
	generation int
}

// Begin marks uid as loading and returns the request to run, or false when
// it is loaded or already loading.
func (t *Tree) Begin(uid string) (Request, bool) {
	if _, known := t.nodes[uid]; !known {
		return Request{}, false // not (or no longer) in the tree
	}
	b, ok := t.branches[uid]
	if ok && (b.loaded || b.loading) {
		return Request{}, false
	}
	if !ok {
		b = &branch{}
		t.branches[uid] = b
	}
	b.loading, b.err = true, ""
	t.nodes[placeholderUID(uid)] = &Node{UID: placeholderUID(uid), Placeholder: "Loading…"}
	req := core.BrowseRequest{Group: t.group, Owner: t.OwnerOf(uid)}
	if uid != Root && t.nodes[uid].View.Class != core.ClassExperimenter {
		req.Parent = t.nodes[uid].View.Ref
	}
	return Request{UID: uid, Browse: req, generation: t.generation}, true
}

// Load runs a request against the repository. It is the one method that may
// run on any goroutine.
func Load(ctx context.Context, s core.Session, r Request) ([]core.ObjectView, error) {
	return s.Browse(ctx, r.Browse)
}

// Fill stores the result of a load. It returns false when the result is stale
// (the tree was reset meanwhile) and was dropped.
func (t *Tree) Fill(r Request, views []core.ObjectView, err error) bool {
	if r.generation != t.generation {
		return false
	}
	b := t.branches[r.UID]
	if b == nil {
		return false
	}
	b.loading = false
	if err != nil {
		b.err = core.UserMessage(err)
		t.nodes[placeholderUID(r.UID)] = &Node{UID: placeholderUID(r.UID), Placeholder: "Could not load: " + b.err}
		return true
	}
	delete(t.nodes, placeholderUID(r.UID))
	b.loaded = true
	b.children = make([]string, 0, len(views))
	names := make(map[string]int, len(views))
	for _, v := range views {
		names[string(v.Class)+"\x00"+v.DisplayName()]++
	}
	for _, v := range views {
		uid := childUID(r.UID, v.Ref)
		t.nodes[uid] = &Node{UID: uid, View: v, SameName: names[string(v.Class)+"\x00"+v.DisplayName()] > 1}
		b.children = append(b.children, uid)
	}
	return true
}

// GroupByOwner shows the tree of "All members" as OMERO.insight does: one
// node per member at the top ("Firstname Lastname"), each opening on that
// member's data, instead of everyone's containers side by side where two
// users' "Training project (3)" cannot be told apart. The top level is then
// loaded: nothing needs to be read for it.
func (t *Tree) GroupByOwner(owners []Choice) {
	b := &branch{loaded: true, children: make([]string, 0, len(owners))}
	for _, o := range owners {
		ref := core.Ref{Class: core.ClassExperimenter, ID: o.ID}
		uid := ref.String()
		t.nodes[uid] = &Node{UID: uid, View: core.ObjectView{Object: core.Object{Ref: ref, Name: o.Label}}}
		b.children = append(b.children, uid)
	}
	t.branches[Root] = b
	t.grouped = true
}

// Grouped reports whether the top level lists owners (see GroupByOwner).
func (t *Tree) Grouped() bool { return t.grouped }

// OwnerOf is whose data a node shows: the owner node it sits under when
// the tree is grouped by owner, else the tree's owner.
func (t *Tree) OwnerOf(uid string) core.ID {
	if t.grouped && uid != Root {
		first := uid
		if i := strings.IndexByte(uid, '/'); i >= 0 {
			first = uid[:i]
		}
		if n, ok := t.nodes[first]; ok && n.View.Class == core.ClassExperimenter {
			return n.View.Ref.ID
		}
	}
	return t.owner
}

func childUID(parent string, ref core.Ref) string {
	if parent == Root {
		return ref.String()
	}
	return parent + "/" + ref.String()
}

// Path splits a UID (or a path given on the command line, such as
// "Project:3/Dataset:5") into the UIDs of each ancestor and itself, top first.
func Path(uid string) []string {
	if uid == Root {
		return nil
	}
	parts := strings.Split(uid, "/")
	out := make([]string, len(parts))
	for i := range parts {
		out[i] = strings.Join(parts[:i+1], "/")
	}
	return out
}

// Ref returns the ref of a node's UID (its last path element).
func Ref(uid string) (core.Ref, error) {
	last := uid[strings.LastIndex(uid, "/")+1:]
	if strings.HasPrefix(last, string(core.OrphanedImages)+":") {
		return core.Ref{Class: core.OrphanedImages}, nil
	}
	return core.ParseRef(last)
}

// Label is what the tree shows for a node: the name, and for containers the
// number of children, as OMERO.insight does ("Training project (3)").
func Label(n *Node) string {
	if n.Placeholder != "" {
		return n.Placeholder
	}
	name := n.View.DisplayName()
	if n.SameName {
		name += " · ID " + strconv.FormatInt(int64(n.View.Ref.ID), 10)
	}
	if n.View.Class == core.ClassExperimenter {
		return name // an owner's node: the full name, no count
	}
	if hasChildren(n.View.Class) {
		return name + " (" + strconv.Itoa(n.View.ChildCount) + ")"
	}
	return name
}
