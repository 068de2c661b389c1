package main

import (
	"fmt"
	"io"

	"github.com/ocular-lab/ocular/core"
)

// `group perms` changes a group's permission level. Upgrades, and
// downgrades between the shared levels, change no data. A downgrade to
// private is core's decision: it must remove other users' links and
// annotations (spec §2), which is the graph engine's work; --dry-run shows
// exactly what it would delete, or why it would fail.

func init() {
	Register(&Command{Name: "group perms", Args: "GROUP --type private|read-only|read-annotate|read-write [--dry-run]",
		Short: "change a group's permission level", Run: runGroupPerms})
}

func runGroupPerms(env *Env, args []string) error {
	fs := env.Flags()
	typ := levelFlag(fs, "")
	dry := fs.Bool("dry-run", false, "show what the change would delete (or why it would fail) without changing anything")
	pos, err := env.Parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *typ == "" {
		return env.Usagef("give the new level with --type LEVEL")
	}
	level, err := core.ParseLevel(*typ)
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
	before := g.Level
	if *dry {
		plan, err := s.PlanGraph(env.Ctx, core.GraphRequest{Op: core.OpChmod, Group: g.ID, Level: level, DryRun: true})
		if err != nil {
			return err
		}
		return env.Print(plan, func(w io.Writer) {
			if len(plan.Deleted)+len(plan.Severed) == 0 {
				fmt.Fprintf(w, "Changing group %s from %s to %s changes no data.\n", safe(g.Name), before, level)
				return
			}
			fmt.Fprintf(w, "Changing group %s from %s to %s would delete %d objects and %d links of different owners:\n",
				safe(g.Name), before, level, len(plan.Deleted), len(plan.Severed))
			for _, r := range append(plan.Deleted, plan.Severed...) {
				fmt.Fprintf(w, "  %s\n", r)
			}
		})
	}
	if err := s.SetGroupLevel(env.Ctx, g.ID, level); err != nil {
		return err
	}
	after, err := s.Group(env.Ctx, fmt.Sprint(g.ID))
	if err != nil {
		return err
	}
	return env.Print(after.Group, func(w io.Writer) {
		if before == after.Level {
			fmt.Fprintf(w, "Group %s is already %s.\n", safe(after.Name), after.Level)
			return
		}
		fmt.Fprintf(w, "Changed group %s from %s to %s.\n", safe(after.Name), before, after.Level)
	})
}
