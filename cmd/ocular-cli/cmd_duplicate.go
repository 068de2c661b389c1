package main

import (
	"github.com/ocular-lab/ocular/core"
)

// `duplicate OBJ...` copies objects and their subtree (spec §4.5); the
// copies belong to the user running it and are linked to no parent.

func init() {
	Register(&Command{Name: "duplicate", Args: "OBJ... [--ignore CLASS,...] [--reference CLASS,...] [--duplicate CLASS,...] [--dry-run] [--report]",
		Short: "duplicate objects with their contents", Run: runDuplicate})
}

func runDuplicate(env *Env, args []string) error {
	fs := env.Flags()
	ignore := fs.StringSlice("ignore", nil, "neither duplicate nor link objects of these classes")
	reference := fs.StringSlice("reference", nil, "link the duplicates to the originals of these classes instead of copying them")
	duplicate := fs.StringSlice("duplicate", nil, "duplicate these classes even when a broader class is ignored or referenced")
	gf := addGraphFlags(fs)
	pos, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	req := core.GraphRequest{Op: core.OpDuplicate}
	if req.Targets, err = parseGraphTargets(pos); err != nil {
		return err
	}
	if req.Ignore, err = parseClasses(*ignore); err != nil {
		return err
	}
	if req.Reference, err = parseClasses(*reference); err != nil {
		return err
	}
	if req.Duplicate, err = parseClasses(*duplicate); err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	return runGraph(env, s, req, gf)
}
