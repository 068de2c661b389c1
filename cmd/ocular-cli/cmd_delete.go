package main

import (
	"slices"

	"github.com/ocular-lab/ocular/core"
)

// `delete OBJ...` deletes objects with the graph rules of spec §4.2. As
// OMERO's CLI does, tags and file attachments linked to what is deleted are
// kept unless --include names them; comments, ratings and key-value pairs
// that become orphans go.

func init() {
	Register(&Command{Name: "delete", Args: "OBJ... [--include CLASS,...] [--exclude CLASS,...] [--dry-run] [--report]",
		Short: "delete objects and what only they hold", Run: runDelete})
}

// cliDeleteExcludes are OMERO CLI's defaults (TermAnnotation is not modelled).
var cliDeleteExcludes = []core.Class{core.TagAnnotation, core.FileAnnotation}

func runDelete(env *Env, args []string) error {
	fs := env.Flags()
	include := fs.StringSlice("include", nil, "also delete children of these classes even when linked elsewhere")
	exclude := fs.StringSlice("exclude", nil, "never delete children of these classes")
	gf := addGraphFlags(fs)
	pos, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	req := core.GraphRequest{Op: core.OpDelete}
	if req.Targets, err = parseGraphTargets(pos); err != nil {
		return err
	}
	if req.Include, err = parseClasses(*include); err != nil {
		return err
	}
	if req.Exclude, err = parseClasses(*exclude); err != nil {
		return err
	}
	for _, c := range cliDeleteExcludes {
		if !slices.ContainsFunc(req.Include, func(i core.Class) bool { return c.Matches(i) }) {
			req.Exclude = append(req.Exclude, c)
		}
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	return runGraph(env, s, req, gf)
}
