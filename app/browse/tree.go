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
	generation   int
	nodes        map[string]*Node
	branches     map[string]*branch
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
	req := core.BrowseRequest{Group: t.group, Owner: t.owner}
	if uid != Root {
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
	for _, v := range views {
		uid := childUID(r.UID, v.Ref)
		t.nodes[uid] = &Node{UID: uid, View: v}
		b.children = append(b.children, uid)
	}
	return true
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
	if hasChildren(n.View.Class) {
		return name + " (" + strconv.Itoa(n.View.ChildCount) + ")"
	}
	return name
}
