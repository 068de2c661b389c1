// Package graphreview turns the planner's dry run (core.GraphPlan) into what
// the desktop's Move to Group, Change Owner and Duplicate dialogs show:
// sections of lines, each line a count that expands to names, worded as
// OMERO.web words its chgrp/chown reviews. It also words a finished job's
// outcome and says who may do what, so the dialogs hold no rules. No Fyne.
package graphreview

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Line is one line of a review: a sentence, and the names it stands for
// (shown when the line is expanded; empty when there is nothing to expand).
type Line struct {
	Text  string
	Names []string
}

// Section is a headed list of lines ("Move", "Not included", …).
type Section struct {
	Title string
	Lines []Line
}

// MaxNames bounds the names a line lists (and LoadNames fetches per class):
// a 10,000-image project reviews as fast as a small one.
const MaxNames = 50

// principal are the classes users think in, listed first and named.
var principal = []core.Class{core.Project, core.Dataset, core.Screen, core.Plate, core.PlateAcquisition, core.Well, core.Image,
	core.Roi, core.TagAnnotation, core.FileAnnotation, core.MapAnnotation, core.CommentAnnotation, core.LongAnnotation}

var nouns = map[core.Class][2]string{
	core.Project: {"project", "projects"}, core.Dataset: {"dataset", "datasets"}, core.Image: {"image", "images"},
	core.Screen: {"screen", "screens"}, core.Plate: {"plate", "plates"}, core.Well: {"well", "wells"},
	core.WellSample: {"field", "fields"}, core.PlateAcquisition: {"run", "runs"}, core.Fileset: {"fileset", "filesets"},
	core.OriginalFile: {"file", "files"}, core.Roi: {"ROI", "ROIs"},
	core.TagAnnotation: {"tag", "tags"}, core.CommentAnnotation: {"comment", "comments"},
	core.LongAnnotation: {"rating", "ratings"}, core.DoubleAnnotation: {"number", "numbers"},
	core.BooleanAnnotation: {"yes/no annotation", "yes/no annotations"}, core.MapAnnotation: {"key-value list", "key-value lists"},
	core.FileAnnotation: {"attached file", "attached files"}, core.Pixels: {"pixel set", "pixel sets"},
	core.RenderingDef: {"rendering setting", "rendering settings"},
}

// Count words n objects of a class: "1 dataset", "42 images", "3 DatasetImageLinks".
func Count(n int, c core.Class) string {
	w, ok := nouns[c]
	if !ok {
		w = [2]string{string(c), string(c) + "s"}
	}
	if n == 1 {
		return "1 " + w[0]
	}
	return strconv.Itoa(n) + " " + w[1]
}

// CountList words counts in a stable order, the principal classes first:
// "3 datasets, 42 images". Links and other parts follow when all is true.
func CountList(counts map[core.Class]int, all bool) string {
	var parts []string
	for _, c := range orderedClasses(counts, all) {
		parts = append(parts, Count(counts[c], c))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

func orderedClasses(counts map[core.Class]int, all bool) []core.Class {
	var out []core.Class
	seen := map[core.Class]bool{}
	for _, c := range principal {
		if counts[c] > 0 {
			out = append(out, c)
			seen[c] = true
		}
	}
	if !all && len(out) > 0 {
		return out
	}
	var rest []string
	for c, n := range counts {
		if !seen[c] && n > 0 {
			rest = append(rest, string(c))
		}
	}
	sort.Strings(rest)
	for _, c := range rest {
		out = append(out, core.Class(c))
	}
	return out
}

// LoadNames fetches the names of up to MaxNames processed objects of each
// principal class, for the lines' expansions. Objects the caller cannot
// read are left out (their line shows the ref).
func LoadNames(ctx context.Context, s core.Objects, refs []core.Ref) map[core.Ref]string {
	names := map[core.Ref]string{}
	per := map[core.Class]int{}
	isPrincipal := map[core.Class]bool{}
	for _, c := range principal[:7] {
		isPrincipal[c] = true
	}
	for _, r := range refs {
		if !isPrincipal[r.Class] || per[r.Class] >= MaxNames {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		per[r.Class]++
		if v, err := s.Get(ctx, r); err == nil {
			names[r] = v.DisplayName()
		}
	}
	return names
}

// namesOf lists the names of the refs of class c (at most MaxNames, then
// "and N more").
func namesOf(refs []core.Ref, c core.Class, names map[core.Ref]string) []string {
	var out []string
	n := 0
	for _, r := range refs {
		if r.Class != c {
			continue
		}
		n++
		if len(out) < MaxNames {
			if name, ok := names[r]; ok {
				out = append(out, name+" ("+r.String()+")")
			} else {
				out = append(out, r.String())
			}
		}
	}
	if n > len(out) {
		out = append(out, fmt.Sprintf("and %d more", n-len(out)))
	}
	return out
}

// heads are each operation's title of the processed objects.
var heads = map[core.GraphOp]string{
	core.OpChgrp: "Move", core.OpChown: "Change owner of", core.OpDuplicate: "Will be duplicated",
	core.OpDelete: "Delete", core.OpChmod: "Will change",
}

// Sections is the review of a plan, in the order the dialogs show it:
// what is processed (counts by type, expandable to names), what is deleted
// because it cannot come along, what is not included (children left
// behind; tags and files by name, comments and others counted), the
// containers the objects will be removed from, and, for a move keeping
// annotations, what is reused and what copied.
func Sections(p core.GraphPlan, names map[core.Ref]string) []Section {
	rv := p.Review
	main := Section{Title: heads[p.Op]}
	for _, c := range orderedClasses(rv.Counts, false) {
		main.Lines = append(main.Lines, Line{Text: Count(rv.Counts[c], c), Names: namesOf(p.Processed, c, names)})
	}
	if len(main.Lines) == 0 {
		main.Lines = []Line{{Text: "Nothing"}}
	}
	out := []Section{main}
	if len(rv.DeletedCounts) > 0 {
		s := Section{Title: "Deleted because they cannot come along"}
		for _, c := range orderedClasses(rv.DeletedCounts, true) {
			s.Lines = append(s.Lines, Line{Text: Count(rv.DeletedCounts[c], c), Names: namesOf(p.Deleted, c, names)})
		}
		out = append(out, s)
	}
	ni := Section{Title: "Not included"}
	if len(rv.NotIncluded) > 0 {
		ni.Lines = append(ni.Lines, Line{Text: plural(len(rv.NotIncluded), "child stays", "children stay") + " behind", Names: namedList(rv.NotIncluded)})
	}
	if len(rv.NotIncludedTags) > 0 {
		ni.Lines = append(ni.Lines, Line{Text: "Tags: " + strings.Join(bounded(rv.NotIncludedTags), ", ")})
	}
	if len(rv.NotIncludedFiles) > 0 {
		ni.Lines = append(ni.Lines, Line{Text: "Files: " + strings.Join(bounded(rv.NotIncludedFiles), ", ")})
	}
	if rv.NotIncludedComments > 0 {
		ni.Lines = append(ni.Lines, Line{Text: "Comments: " + strconv.Itoa(rv.NotIncludedComments)})
	}
	if rv.NotIncludedOthers > 0 {
		ni.Lines = append(ni.Lines, Line{Text: "Others: " + strconv.Itoa(rv.NotIncludedOthers)})
	}
	if len(ni.Lines) > 0 {
		out = append(out, ni)
	}
	if n := len(rv.RemovedFrom); n > 0 && n <= 5 {
		// A few containers are named at once, as OMERO.web does.
		s := Section{Title: "Will be removed from"}
		for _, name := range namedList(rv.RemovedFrom) {
			s.Lines = append(s.Lines, Line{Text: name})
		}
		out = append(out, s)
	} else if n > 5 {
		out = append(out, Section{Title: "Will be removed from", Lines: []Line{{
			Text: plural(n, "container", "containers"), Names: namedList(rv.RemovedFrom)}}})
	}
	if len(rv.Kept) > 0 {
		s := Section{Title: "Kept in the destination"}
		for _, k := range rv.Kept {
			what := Count(1, k.Class)[2:] + " “" + k.Annotation.Name + "”"
			if k.Action == "reuse" {
				s.Lines = append(s.Lines, Line{Text: "Reused: " + what + " (already there as " + k.Into.String() + ")"})
			} else {
				s.Lines = append(s.Lines, Line{Text: "Copied: " + what})
			}
		}
		out = append(out, s)
	}
	return out
}

// Split words the split-fileset check: which filesets the selection
// splits, and that "Move all images of the fileset" resolves it.
func Split(p core.GraphPlan, verb string) []string {
	var out []string
	for _, s := range p.Review.SplitFilesets {
		out = append(out, fmt.Sprintf("%s holds %s that %s not selected; images of one fileset %s together.",
			s.Fileset, plural(len(s.Missing), "other image", "other images"), isAre(len(s.Missing)), verb))
	}
	return out
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func namedList(ns []core.Named) []string {
	var out []string
	for i, n := range ns {
		if i == MaxNames {
			out = append(out, fmt.Sprintf("and %d more", len(ns)-MaxNames))
			break
		}
		name := n.Name
		if name == "" {
			name = n.Ref.String()
		}
		out = append(out, strings.ToLower(string(n.Ref.Class))+" “"+name+"”")
	}
	return out
}

func bounded(ss []string) []string {
	if len(ss) <= MaxNames {
		return ss
	}
	return append(append([]string(nil), ss[:MaxNames]...), fmt.Sprintf("and %d more", len(ss)-MaxNames))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
