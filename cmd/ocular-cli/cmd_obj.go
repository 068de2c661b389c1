package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{Name: "obj new", Args: "CLASS field=value...",
		Short: "create an object, annotation or link; prints CLASS:ID", Run: runObjNew})
	Register(&Command{Name: "obj update", Args: "CLASS:ID field=value...",
		Short: "change fields of an object", Run: runObjUpdate})
	Register(&Command{Name: "obj list", Args: "CLASS [--owner USER] [--all-groups]",
		Short: "list the objects of a class you can see in the current group (-g GROUP: that group; --all-groups: every group)", Run: runObjList})
	Register(&Command{Name: "obj delete", Args: "CLASS:ID...",
		Short: "delete single objects or links (all or none; graph deletes are `delete`)", Run: runObjDelete})
}

func runObjNew(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	class, err := core.ParseClass(pos[0])
	if err != nil {
		return err
	}
	fields, err := parseFields(pos[1:])
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	v, err := s.Create(env.Ctx, class, fields)
	if err != nil {
		return err
	}
	return env.Print(v, func(w io.Writer) { fmt.Fprintln(w, v.Ref) })
}

func runObjUpdate(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 2, -1)
	if err != nil {
		return err
	}
	ref, err := core.ParseRef(pos[0])
	if err != nil {
		return err
	}
	fields, err := parseFields(pos[1:])
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	v, err := s.Update(env.Ctx, ref, fields)
	if err != nil {
		return err
	}
	return env.Print(v, func(w io.Writer) { fmt.Fprintln(w, v.Ref) })
}

func runObjList(env *Env, args []string) error {
	fs := env.Flags()
	owner := fs.String("owner", "", "only objects owned by USER")
	allGroups := fs.Bool("all-groups", false, "list every group you can read, not only the current one (OMERO's group -1)")
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *allGroups && env.Group != "" {
		return env.Usagef("give either -g GROUP or --all-groups, not both")
	}
	class, err := core.ParseClass(pos[0])
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	ownerID, groupID := core.AnyID, core.AnyID
	if *owner != "" {
		u, err := s.User(env.Ctx, *owner)
		if err != nil {
			return err
		}
		ownerID = u.ID
	}
	// Like OMERO's queries, the list is of the session's current group (the
	// one -g names, if given) unless --all-groups asks for group -1.
	switch {
	case env.Group != "":
		g, err := s.Group(env.Ctx, env.Group)
		if err != nil {
			return err
		}
		groupID = g.ID
	case !*allGroups:
		me, err := s.Me(env.Ctx)
		if err != nil {
			return err
		}
		groupID = me.Group.ID
	}
	vs, err := s.List(env.Ctx, class, ownerID, groupID)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []core.ObjectView{}
	}
	return env.Print(vs, func(w io.Writer) {
		rows := make([][]string, len(vs))
		for i, v := range vs {
			rows[i] = []string{v.Ref.String(), v.DisplayName(), v.OwnerName, v.GroupName}
		}
		table(w, []string{"ID", "NAME", "OWNER", "GROUP"}, rows)
	})
}

func runObjDelete(env *Env, args []string) error {
	fs := env.Flags()
	pos, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	refs, err := parseRefs(pos)
	if err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	if err := s.Delete(env.Ctx, refs...); err != nil {
		return err
	}
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.String()
	}
	return env.Print(struct {
		Deleted []string `json:"deleted"`
	}{names}, func(w io.Writer) { fmt.Fprintf(w, "Deleted %s.\n", strings.Join(names, ", ")) })
}
