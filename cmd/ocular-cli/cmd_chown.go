package main

import (
	"github.com/ocular-lab/ocular/core"
)

// `chown USER OBJ...` gives objects to another user with the rules of spec
// §4.4; `chown USER Experimenter:ID` gives all of that user's data.

func init() {
	Register(&Command{Name: "chown", Args: "USER OBJ... [--include CLASS,...] [--exclude CLASS,...] [--dry-run] [--report]",
		Short: "give objects (or all of a user's data) to another user", Run: runChown})
}

func runChown(env *Env, args []string) error {
	fs := env.Flags()
	include := fs.StringSlice("include", nil, "also give children of these classes even when linked elsewhere")
	exclude := fs.StringSlice("exclude", nil, "never give children of these classes")
	gf := addGraphFlags(fs)
	pos, err := env.Parse(fs, args, 2, -1)
	if err != nil {
		return err
	}
	req := core.GraphRequest{Op: core.OpChown}
	if req.Targets, err = parseGraphTargets(pos[1:]); err != nil {
		return err
	}
	if req.Include, err = parseClasses(*include); err != nil {
		return err
	}
	if req.Exclude, err = parseClasses(*exclude); err != nil {
		return err
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	u, err := s.User(env.Ctx, pos[0])
	if err != nil {
		return err
	}
	req.User = u.ID
	return runGraph(env, s, req, gf)
}
