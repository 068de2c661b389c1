package main

import (
	"io"

	"github.com/ocular-lab/ocular/core"
)

func init() {
	Register(&Command{Name: "perms", Args: "CLASS:ID...",
		Short: "show what you may do with objects: the six permission flags", Run: runPerms})
}

func runPerms(env *Env, args []string) error {
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
	flags, err := s.Flags(env.Ctx, refs)
	if err != nil {
		return err
	}
	if flags == nil {
		flags = []core.ObjectFlags{}
	}
	// core.ObjectFlags marshals as {"object":..., "canEdit":..., ...,
	// "canChown":...}, the shape scripts expect.
	return env.Print(flags, func(w io.Writer) {
		rows := make([][]string, len(flags))
		for i, f := range flags {
			rows[i] = []string{f.Object, yesNo(f.CanEdit), yesNo(f.CanAnnotate), yesNo(f.CanDelete),
				yesNo(f.CanLink), yesNo(f.CanChgrp), yesNo(f.CanChown)}
		}
		table(w, []string{"OBJECT", "EDIT", "ANNOTATE", "DELETE", "LINK", "CHGRP", "CHOWN"}, rows)
	})
}
