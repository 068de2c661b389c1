package main

import (
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// `duplicate OBJ...` copies objects and their subtree (spec §4.5); the
// copies belong to the user running it and are linked to no parent. It
// prints the copies of the named objects ("New: Dataset:12"); --report
// lists every original with its copy.

func init() {
	Register(&Command{Name: "duplicate", Args: "OBJ... [--ignore CLASS,...] [--reference CLASS,...] [--duplicate CLASS,...] [--dry-run] [--report]",
		Short: "duplicate objects with their contents; prints the new objects as CLASS:ID", Run: runDuplicate})
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

// targetCopies lists the duplicates of the objects the request named (for
// Class/SubClass:ID, of the SubClass objects below), the new objects a
// script wants to go on with, as OMERO's CLI prints them.
func targetCopies(targets []core.Target, pairs []core.DuplicatePair) []core.Ref {
	named := map[core.Ref]bool{}
	var sub []core.Class
	for _, t := range targets {
		if t.SubClass != "" {
			sub = append(sub, t.SubClass)
			continue
		}
		for _, id := range t.IDs {
			named[core.Ref{Class: t.Class, ID: id}] = true
		}
	}
	var out []core.Ref
	for _, p := range pairs {
		hit := false
		for r := range named {
			if r.ID == p.Original.ID && p.Original.Class.Matches(r.Class) {
				hit = true
			}
		}
		for _, c := range sub {
			hit = hit || p.Original.Class.Matches(c)
		}
		if hit {
			out = append(out, p.Copy)
		}
	}
	return out
}

// groupedRefs writes refs as OMERO does, one Class:ID,ID... per class in
// the order the classes first appear: "Dataset:12,13 Image:20".
func groupedRefs(rs []core.Ref) string {
	var order []core.Class
	ids := map[core.Class][]string{}
	for _, r := range rs {
		if _, ok := ids[r.Class]; !ok {
			order = append(order, r.Class)
		}
		ids[r.Class] = append(ids[r.Class], strconv.FormatInt(int64(r.ID), 10))
	}
	parts := make([]string, len(order))
	for i, c := range order {
		parts[i] = string(c) + ":" + strings.Join(ids[c], ",")
	}
	return strings.Join(parts, " ")
}
