package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{Name: "group add", Args: "NAME [--type private|read-only|read-annotate|read-write] [--description D]",
		Short: "create a group (private unless --type says otherwise)", Run: runGroupAdd})
	Register(&Command{Name: "group list", Short: "list the groups", Run: runGroupList})
	Register(&Command{Name: "group info", Args: "GROUP", Short: "show a group and its members", Run: runGroupInfo})
}

// levelFlag declares --type and its OMERO alias --perms on fs.
func levelFlag(fs interface {
	StringVar(p *string, name, value, usage string)
}, def string) *string {
	v := new(string)
	fs.StringVar(v, "type", def, "the permission level: private, read-only, read-annotate or read-write")
	fs.StringVar(v, "perms", def, "the level as OMERO's permission string (rw----, rwr---, rwra--, rwrw--)")
	return v
}

func runGroupAdd(env *Env, args []string) error {
	fs := env.Flags()
	typ := levelFlag(fs, "private")
	desc := fs.String("description", "", "what the group is for")
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	level, err := core.ParseLevel(*typ)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	g, err := s.CreateGroup(env.Ctx, pos[0], level, *desc)
	if err != nil {
		return err
	}
	return env.Print(g, func(w io.Writer) {
		fmt.Fprintf(w, "Added group %s (ExperimenterGroup:%d, %s).\n", safe(g.Name), g.ID, g.Level)
	})
}

func runGroupList(env *Env, args []string) error {
	fs := env.Flags()
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	groups, err := s.Groups(env.Ctx)
	if err != nil {
		return err
	}
	for i := range groups {
		if groups[i].Members == nil {
			groups[i].Members = []core.MemberInfo{}
		}
	}
	if groups == nil {
		groups = []core.GroupInfo{}
	}
	return env.Print(groups, func(w io.Writer) {
		rows := make([][]string, len(groups))
		for i, g := range groups {
			var owners []string
			for _, m := range g.Members {
				if m.Owner {
					owners = append(owners, m.Username)
				}
			}
			rows[i] = []string{fmt.Sprint(g.ID), g.Name, g.Level.String(), g.Level.Perms(),
				fmt.Sprint(len(g.Members)), strings.Join(owners, ",")}
		}
		table(w, []string{"ID", "NAME", "TYPE", "PERMS", "MEMBERS", "OWNERS"}, rows)
	})
}

func runGroupInfo(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	g, err := s.Group(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	if g.Members == nil {
		g.Members = []core.MemberInfo{}
	}
	return env.Print(g, func(w io.Writer) { writeGroupInfo(w, g) })
}

func writeGroupInfo(w io.Writer, g core.GroupInfo) {
	fmt.Fprintf(w, "id=%d\nname=%s\ntype=%s\nperms=%s\n", g.ID, safe(g.Name), g.Level, g.Level.Perms())
	if g.Description != "" {
		fmt.Fprintf(w, "description=%s\n", safe(g.Description))
	}
	fmt.Fprintln(w)
	rows := make([][]string, len(g.Members))
	for i, m := range g.Members {
		rows[i] = []string{fmt.Sprint(m.ID), m.Username, m.FullName(), yesNo(m.Owner)}
	}
	table(w, []string{"ID", "USERNAME", "NAME", "OWNER"}, rows)
}
