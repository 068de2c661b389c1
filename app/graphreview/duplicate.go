package graphreview

import "github.com/ocular-lab/ocular/core"

// The Duplicate dialog's presets read like the training guide's examples
// (spec §4.5); the advanced table sets ignore/reference/duplicate per
// class, the more specific class winning as in the CLI.

// Preset is a named set of duplicate options.
type Preset struct {
	Name string
	Opts core.DuplicateOptions
}

// Presets, "Everything" first (the default).
var Presets = []Preset{
	{Name: "Everything"},
	{Name: "Without ROIs", Opts: core.DuplicateOptions{Ignore: []core.Class{core.Roi}}},
	{Name: "Link the annotations, copy comments and ratings", Opts: core.DuplicateOptions{
		Reference: []core.Class{core.Annotation}, Duplicate: []core.Class{core.CommentAnnotation, core.LongAnnotation}}},
	{Name: "Without annotations and ROIs", Opts: core.DuplicateOptions{Ignore: []core.Class{core.IAnnotationLink, core.Roi}}},
}

// Choice is what happens to one class in the advanced table.
type Choice string

const (
	Default   Choice = "default"
	Ignore    Choice = "ignore"
	Reference Choice = "reference"
	Duplicate Choice = "duplicate"
)

// Choices are the table's options for a class, in the order shown.
var Choices = []Choice{Default, Duplicate, Reference, Ignore}

// TableClasses are the classes of the advanced table, general before specific.
var TableClasses = []core.Class{core.Annotation, core.TagAnnotation, core.FileAnnotation, core.MapAnnotation,
	core.CommentAnnotation, core.LongAnnotation, core.IAnnotationLink, core.Roi, core.DatasetImageLink}

// Table is the advanced table's state: a choice per class.
type Table map[core.Class]Choice

// TableOf fills the table from options (a preset).
func TableOf(o core.DuplicateOptions) Table {
	t := Table{}
	for _, c := range o.Ignore {
		t[c] = Ignore
	}
	for _, c := range o.Reference {
		t[c] = Reference
	}
	for _, c := range o.Duplicate {
		t[c] = Duplicate
	}
	return t
}

// Options are the duplicate options the table stands for.
func (t Table) Options() core.DuplicateOptions {
	var o core.DuplicateOptions
	for _, c := range TableClasses {
		switch t[c] {
		case Ignore:
			o.Ignore = append(o.Ignore, c)
		case Reference:
			o.Reference = append(o.Reference, c)
		case Duplicate:
			o.Duplicate = append(o.Duplicate, c)
		}
	}
	return o
}

// PresetOf names the preset options match, or "Custom".
func PresetOf(o core.DuplicateOptions) string {
	same := func(a, b []core.Class) bool {
		if len(a) != len(b) {
			return false
		}
		m := map[core.Class]bool{}
		for _, c := range a {
			m[c] = true
		}
		for _, c := range b {
			if !m[c] {
				return false
			}
		}
		return true
	}
	for _, p := range Presets {
		if same(p.Opts.Ignore, o.Ignore) && same(p.Opts.Reference, o.Reference) && same(p.Opts.Duplicate, o.Duplicate) {
			return p.Name
		}
	}
	return "Custom"
}

// DuplicateNote explains the limits of the group level (spec §4.5) for a
// user who is neither an administrator nor the group's owner.
func DuplicateNote(me core.Me, level core.Level, group core.ID) string {
	if me.Admin || isOwnerOf(me, group) {
		return "The copies are yours, in this group, and in no container unless you choose one."
	}
	switch level {
	case core.ReadOnly:
		return "In a read-only group you may not link your copies to other users' annotations or containers: choose “Without annotations and ROIs” when copying others' data."
	case core.ReadAnnotate:
		return "In a read-annotate group your copies may not be put into other users' containers."
	}
	return "The copies are yours, in this group, and in no container unless you choose one."
}
