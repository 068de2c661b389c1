package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/ocular-lab/ocular/core"
)

// Shared by the graph verbs (delete, chgrp, chown, duplicate, group perms):
// parsing OBJ arguments and class options, running the operation with a
// progress bar, and printing the review (spec §4.6) or the result.

// graphFlags are the options every graph verb has.
type graphFlags struct {
	dryRun, report *bool
}

func addGraphFlags(fs *pflag.FlagSet) graphFlags {
	return graphFlags{
		dryRun: fs.Bool("dry-run", false, "show what would happen without changing anything"),
		report: fs.Bool("report", false, "list every object concerned"),
	}
}

// parseTargets reads OBJ arguments: Class:ID[,ID...] or Class/SubClass:ID.
func parseGraphTargets(args []string) ([]core.Target, error) {
	out := make([]core.Target, 0, len(args))
	for _, a := range args {
		t, err := core.ParseTarget(a)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// parseClasses reads class options given as CLASS,CLASS (and repeated).
func parseClasses(lists []string) ([]core.Class, error) {
	var out []core.Class
	for _, l := range lists {
		for _, s := range strings.Split(l, ",") {
			if strings.TrimSpace(s) == "" {
				continue
			}
			c, err := core.ParseClass(s)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// runGraph plans (dry run) or runs req with a progress bar on a terminal,
// then prints the review or the result.
func runGraph(env *Env, s core.Session, req core.GraphRequest, gf graphFlags) error {
	req.DryRun = *gf.dryRun
	if req.DryRun {
		plan, err := s.PlanGraph(env.Ctx, req)
		if err != nil {
			if len(plan.Review.SplitFilesets) > 0 && !env.JSON {
				printSplit(env.Stderr, plan.Review.SplitFilesets)
			}
			return err
		}
		return env.Print(plan, func(w io.Writer) { printPlan(w, plan, true, *gf.report) })
	}
	bar := newProgressBar(env.Stderr, string(req.Op))
	req.Progress = func(done, total int) {
		bar.mu.Lock()
		bar.done, bar.total = done, total
		bar.mu.Unlock()
		bar.draw(done == total)
	}
	res, err := s.RunGraph(env.Ctx, req)
	bar.clear()
	recordGraph(env, s, req, res, err) // the desktop's activities list it
	if err != nil {
		return err
	}
	return env.Print(res, func(w io.Writer) {
		printPlan(w, res.GraphPlan, false, *gf.report)
		if copies := targetCopies(req.Targets, res.Duplicates); len(copies) > 0 {
			fmt.Fprintf(w, "New: %s\n", groupedRefs(copies))
		}
		if len(res.Created) > 0 {
			fmt.Fprintf(w, "Created: %s\n", refs(res.Created))
		}
		if len(res.Duplicates) > 0 && *gf.report {
			fmt.Fprintln(w, "Duplicates:")
			for _, d := range res.Duplicates {
				fmt.Fprintf(w, "  %s -> %s\n", d.Original, d.Copy)
			}
		}
		if res.FilesLinked+res.FilesCopied+res.FilesRemoved > 0 {
			fmt.Fprintf(w, "Files: %d hard-linked, %d copied, %d removed.\n", res.FilesLinked, res.FilesCopied, res.FilesRemoved)
		}
	})
}

var opWords = map[core.GraphOp][2]string{
	core.OpDelete:    {"Will be deleted", "Deleted"},
	core.OpChgrp:     {"Will be moved", "Moved"},
	core.OpChown:     {"Will be transferred", "Transferred"},
	core.OpDuplicate: {"Will be duplicated", "Duplicated"},
	core.OpChmod:     {"Will change", "Changed"},
}

// printPlan writes the review of spec §4.6 for a plan.
func printPlan(w io.Writer, p core.GraphPlan, dry, report bool) {
	words := opWords[p.Op]
	head := words[1]
	if dry {
		head = words[0]
	}
	fmt.Fprintf(w, "%s: %s\n", head, core.CountsText(p.Review.Counts))
	rv := p.Review
	if len(rv.DeletedCounts) > 0 {
		fmt.Fprintf(w, "Deleted because they cannot come along: %s\n", core.CountsText(rv.DeletedCounts))
	}
	if len(p.Severed) > 0 {
		fmt.Fprintf(w, "Links removed: %d\n", len(p.Severed))
	}
	if len(rv.NotIncluded)+len(rv.NotIncludedTags)+len(rv.NotIncludedFiles)+rv.NotIncludedComments+rv.NotIncludedOthers > 0 {
		fmt.Fprintln(w, "Not included:")
		if len(rv.NotIncluded) > 0 {
			fmt.Fprintf(w, "  Children: %s\n", named(rv.NotIncluded))
		}
		if len(rv.NotIncludedTags) > 0 {
			fmt.Fprintf(w, "  Tags: %s\n", strings.Join(safeAll(rv.NotIncludedTags), ", "))
		}
		if len(rv.NotIncludedFiles) > 0 {
			fmt.Fprintf(w, "  Files: %s\n", strings.Join(safeAll(rv.NotIncludedFiles), ", "))
		}
		if rv.NotIncludedComments > 0 {
			fmt.Fprintf(w, "  Comments: %d\n", rv.NotIncludedComments)
		}
		if rv.NotIncludedOthers > 0 {
			fmt.Fprintf(w, "  Others: %d\n", rv.NotIncludedOthers)
		}
	}
	if len(rv.RemovedFrom) > 0 {
		fmt.Fprintf(w, "Will be removed from: %s\n", named(rv.RemovedFrom))
	}
	for _, d := range rv.DoublyLinked {
		fmt.Fprintf(w, "Warning: %s is in several datasets (%s); deleting it removes it from all of them.\n", d.Image.Ref, named(d.Datasets))
	}
	if len(rv.SplitFilesets) > 0 {
		printSplit(w, rv.SplitFilesets)
	}
	for _, k := range rv.Kept {
		if k.Action == "reuse" {
			fmt.Fprintf(w, "Kept: %s %q reuses %s in the destination\n", k.Class, k.Annotation.Name, k.Into)
		} else {
			fmt.Fprintf(w, "Kept: %s %q is copied into the destination\n", k.Class, k.Annotation.Name)
		}
	}
	if report {
		for _, l := range []struct {
			name string
			refs []core.Ref
		}{{"Objects", p.Processed}, {"Deleted", p.Deleted}, {"Links removed", p.Severed}} {
			if len(l.refs) > 0 {
				fmt.Fprintf(w, "%s:\n", l.name)
				for _, r := range l.refs {
					fmt.Fprintf(w, "  %s\n", r)
				}
			}
		}
	}
}

func printSplit(w io.Writer, splits []core.SplitFileset) {
	for _, s := range splits {
		fmt.Fprintf(w, "%s is split: selected %s, not selected %s (add them, or use --move-all)\n", s.Fileset, refs(s.Selected), refs(s.Missing))
	}
}

func named(ns []core.Named) string {
	parts := make([]string, 0, len(ns))
	for _, n := range ns {
		parts = append(parts, fmt.Sprintf("%s %q", n.Ref, n.Name))
	}
	return strings.Join(parts, ", ")
}

func refs(rs []core.Ref) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		parts = append(parts, r.String())
	}
	return strings.Join(parts, " ")
}

// resolveGroup accepts a group name, an ID or ExperimenterGroup:ID.
func resolveGroupArg(env *Env, s core.Session, arg string) (core.GroupInfo, error) {
	if r, err := core.ParseRef(arg); err == nil && r.Class == core.ClassExperimenterGroup {
		arg = fmt.Sprint(r.ID)
	}
	return s.Group(env.Ctx, arg)
}
