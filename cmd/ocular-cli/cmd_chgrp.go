package main

import (
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// `chgrp GROUP OBJ...` moves objects to another group with the rules of
// spec §4.3; --target/--target-new put them into a container of the
// destination, --keep-annotations carries the tags, files and key-value
// pairs whose links the move would remove.

func init() {
	Register(&Command{Name: "chgrp",
		Args:  "GROUP OBJ... [--dry-run] [--report] [--include CLASS,...] [--exclude CLASS,...] [--target Dataset:ID | --target-new Dataset:NAME] [--keep-annotations] [--move-all]",
		Short: "move objects to another group", Run: runChgrp})
}

func runChgrp(env *Env, args []string) error {
	fs := env.Flags()
	include := fs.StringSlice("include", nil, "also move children of these classes even when linked elsewhere")
	exclude := fs.StringSlice("exclude", nil, "leave children of these classes behind")
	target := fs.String("target", "", "link the moved objects into this container of the destination (Dataset:ID)")
	targetNew := fs.String("target-new", "", "create this container in the destination and link the moved objects into it (Dataset:NAME)")
	keep := fs.Bool("keep-annotations", false, "carry tags, files and key-value pairs whose links would be removed into the destination")
	moveAll := fs.Bool("move-all", false, "add the images a selection leaves out of its filesets")
	gf := addGraphFlags(fs)
	pos, err := env.Parse(fs, args, 2, -1)
	if err != nil {
		return err
	}
	if *target != "" && *targetNew != "" {
		return env.Usagef("give either --target or --target-new")
	}
	req := core.GraphRequest{Op: core.OpChgrp, KeepAnnotations: *keep, AddMissingFilesetImages: *moveAll}
	if req.Targets, err = parseGraphTargets(pos[1:]); err != nil {
		return err
	}
	if req.Include, err = parseClasses(*include); err != nil {
		return err
	}
	if req.Exclude, err = parseClasses(*exclude); err != nil {
		return err
	}
	if *target != "" {
		if req.TargetContainer, err = core.ParseRef(*target); err != nil {
			return err
		}
	}
	if *targetNew != "" {
		cls, name, ok := strings.Cut(*targetNew, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return env.Usagef("--target-new wants Class:NAME, for example Dataset:Arrivals")
		}
		if req.NewContainer, err = core.ParseClass(cls); err != nil {
			return err
		}
		req.NewContainerName = name
	}
	s, err := env.Session()
	if err != nil {
		return err
	}
	g, err := resolveGroupArg(env, s, pos[0])
	if err != nil {
		return err
	}
	req.Group = g.ID
	return runGraph(env, s, req, gf)
}
