package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{Name: "tree", Args: "[GROUP] [--owner USER]",
		Short: "show a group's data: Projects > Datasets > Images, Screens > Plates > Wells, Orphaned Images", Run: runTree})
}

// treeNode is one node of `tree --json`: the object as the browser sees it,
// with its children.
type treeNode struct {
	core.ObjectView
	Children []treeNode `json:"children,omitempty"`
}

// expandable lists the classes whose children the tree shows.
var expandable = map[core.Class]bool{core.Project: true, core.Dataset: true, core.Screen: true,
	core.Plate: true, core.Well: true, core.OrphanedImages: true}

// maxTreeDepth bounds recursion; the model is at most five levels deep
// (Screen > Plate > Well > Image), so this only guards against a cycle.
const maxTreeDepth = 8

func runTree(env *Env, args []string) error {
	fs := env.Flags()
	owner := fs.String("owner", "", "only data owned by USER")
	pos, err := env.Parse(fs, args, 0, 1)
	if err != nil {
		return err
	}
	if len(pos) == 1 {
		if env.Group != "" && env.Group != pos[0] {
			return env.Usagef("give the group once, as GROUP or with -g")
		}
		env.Group = pos[0]
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	me, err := s.Me(env.Ctx)
	if err != nil {
		return err
	}
	group := me.Group
	if env.Group != "" {
		gi, err := s.Group(env.Ctx, env.Group)
		if err != nil {
			return err
		}
		group = gi.Group
	}
	req := core.BrowseRequest{Group: group.ID, Owner: core.AnyID}
	if *owner != "" {
		u, err := s.User(env.Ctx, *owner)
		if err != nil {
			return err
		}
		req.Owner = u.ID
	}
	nodes, err := browseTree(env, s, req, 0)
	if err != nil {
		return err
	}
	out := struct {
		Group core.Group `json:"group"`
		Nodes []treeNode `json:"nodes"`
	}{group, nodes}
	return env.Print(out, func(w io.Writer) {
		fmt.Fprintf(w, "%s (%s)\n", safe(group.Name), group.Level)
		writeTree(w, nodes, "")
	})
}

func browseTree(env *Env, s core.Session, req core.BrowseRequest, depth int) ([]treeNode, error) {
	if depth > maxTreeDepth {
		return nil, nil
	}
	vs, err := s.Browse(env.Ctx, req)
	if err != nil {
		return nil, err
	}
	nodes := make([]treeNode, len(vs))
	for i, v := range vs {
		nodes[i].ObjectView = v
		if expandable[v.Class] {
			sub := req
			sub.Parent = v.Ref
			if nodes[i].Children, err = browseTree(env, s, sub, depth+1); err != nil {
				return nil, err
			}
		}
	}
	return nodes, nil
}

// writeTree draws the tree with box-drawing branches:
//
//	├── Project:3 P1 [Ada Lovelace]
//	│   └── Dataset:4 D1 [Ada Lovelace]
func writeTree(w io.Writer, nodes []treeNode, indent string) {
	for i, n := range nodes {
		branch, next := "├── ", "│   "
		if i == len(nodes)-1 {
			branch, next = "└── ", "    "
		}
		fmt.Fprintf(w, "%s%s%s\n", indent, branch, nodeLabel(n))
		writeTree(w, n.Children, indent+next)
	}
}

func nodeLabel(n treeNode) string {
	if n.Class == core.OrphanedImages {
		return fmt.Sprintf("Orphaned Images (%d)", n.ChildCount)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", n.Ref, safe(n.DisplayName()))
	if n.OwnerName != "" {
		fmt.Fprintf(&b, " [%s]", safe(n.OwnerName))
	}
	return b.String()
}
