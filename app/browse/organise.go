package browse

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ocular-lab/ocular/core"
)

// The organising menu of the tree and the grid (OMERO.web's tree menu and
// OMERO.insight's): create containers, rename, copy, cut and paste links,
// remove from a container, delete. OrganiseMenu decides which items apply
// to a selection and, for those that do not, says why in one sentence;
// organise_run.go performs them.

// OrganiseAction names an item of the menu.
type OrganiseAction string

const (
	NewProject              OrganiseAction = "New Project…"
	NewDataset              OrganiseAction = "New Dataset…"
	NewScreen               OrganiseAction = "New Screen…"
	NewDatasetFromSelection OrganiseAction = "New Dataset from Selected Images…"
	Rename                  OrganiseAction = "Rename…"
	EditDescription         OrganiseAction = "Edit Description…"
	CopyLink                OrganiseAction = "Copy Link"
	CutLink                 OrganiseAction = "Cut Link"
	PasteLink               OrganiseAction = "Paste Link"
	RemoveFromContainer     OrganiseAction = "Remove from Container"
	DeleteObjects           OrganiseAction = "Delete…"
)

// OrganiseItem is one menu entry: enabled, or disabled with the reason.
type OrganiseItem struct {
	Action  OrganiseAction
	Enabled bool
	Why     string
}

// Clipboard holds the objects of a Copy Link or Cut Link, with the
// containers they were shown in (a cut removes those links on paste).
type Clipboard struct {
	Items []Item
	Cut   bool
}

// Empty reports whether nothing was copied.
func (c Clipboard) Empty() bool { return len(c.Items) == 0 }

// linkParentClass is the container class an object is linked into, and
// linkClass the link between them.
var linkParentClass = map[core.Class]core.Class{
	core.Image:   core.Dataset,
	core.Dataset: core.Project,
	core.Plate:   core.Screen,
}

var linkClass = map[core.Class]core.Class{
	core.Image:   core.DatasetImageLink,
	core.Dataset: core.ProjectDatasetLink,
	core.Plate:   core.ScreenPlateLink,
}

// OrganiseMenu lists the menu's items for a selection and the clipboard.
func OrganiseMenu(sel []Item, clip Clipboard) []OrganiseItem {
	items := []OrganiseItem{
		{Action: NewProject, Enabled: true},
		{Action: NewDataset, Enabled: true},
		{Action: NewScreen, Enabled: true},
	}
	add := func(a OrganiseAction, why string) {
		items = append(items, OrganiseItem{Action: a, Enabled: why == "", Why: why})
	}
	add(NewDatasetFromSelection, datasetFromWhy(sel))
	add(Rename, editWhy(sel, "rename"))
	add(EditDescription, editWhy(sel, "describe"))
	add(CopyLink, copyWhy(sel))
	cut := copyWhy(sel)
	if cut == "" {
		cut = unlinkWhy(sel)
	}
	add(CutLink, cut)
	add(PasteLink, PasteWhy(clip, sel))
	add(RemoveFromContainer, unlinkWhy(sel))
	add(DeleteObjects, deleteWhy(sel))
	return items
}

// OrganiseWhy is the first reason among disabled items, for the status bar.
func OrganiseWhy(items []OrganiseItem, a OrganiseAction) string {
	for _, it := range items {
		if it.Action == a {
			return it.Why
		}
	}
	return ""
}

// ShortName bounds a name for menu headings and dialog titles, so that a
// long name does not stretch a menu past the window's edge.
func ShortName(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

func phrase(v core.ObjectView) string {
	if v.Class == core.ClassExperimenter {
		return "user “" + ShortName(v.DisplayName()) + "”"
	}
	if v.Class == core.OrphanedImages {
		return "Orphaned Images"
	}
	return classNoun(v.Class) + " “" + ShortName(v.DisplayName()) + "”"
}

// denied words a refusal by the permission engine: who owns the object
// and what the group's level allows.
func denied(verb string, v core.ObjectView) string {
	return fmt.Sprintf("You may not %s %s: it belongs to %s and the group is %s.", verb, phrase(v), ownerOf(v), v.Level)
}

func isData(c core.Class) bool {
	switch c {
	case core.Project, core.Dataset, core.Image, core.Screen, core.Plate:
		return true
	}
	return false
}

func datasetFromWhy(sel []Item) string {
	if len(sel) == 0 {
		return "Select images first (Ctrl-click or Shift-click adds more)."
	}
	for _, it := range sel {
		if it.View.Class != core.Image {
			return "A new dataset is made from images; the selection holds " + phrase(it.View) + "."
		}
		if !it.View.Flags.CanLink {
			return denied("link", it.View)
		}
	}
	return ""
}

func editWhy(sel []Item, verb string) string {
	if len(sel) != 1 {
		return "Select one object to " + verb + "."
	}
	v := sel[0].View
	if !isData(v.Class) && v.Class != core.Well && v.Class != core.PlateAcquisition {
		return "Select a project, dataset, image, screen or plate to " + verb + "."
	}
	if !v.Flags.CanEdit {
		return denied("edit", v)
	}
	return ""
}

func copyWhy(sel []Item) string {
	if len(sel) == 0 {
		return "Select images, datasets or plates to link elsewhere."
	}
	class := sel[0].View.Class
	for _, it := range sel {
		if _, ok := linkParentClass[it.View.Class]; !ok {
			return "Only images, datasets and plates can be linked into a container; the selection holds " + phrase(it.View) + "."
		}
		if it.View.Class != class {
			return "Select objects of one kind (images, datasets or plates) to link them together."
		}
		if !it.View.Flags.CanLink {
			return denied("link", it.View)
		}
	}
	return ""
}

// unlinkWhy: each item must sit in the container class it is linked to,
// and the user must be allowed to change both ends.
func unlinkWhy(sel []Item) string {
	if len(sel) == 0 {
		return "Select images, datasets or plates shown inside a container."
	}
	for _, it := range sel {
		want, ok := linkParentClass[it.View.Class]
		if !ok || it.Parent.Class != want {
			return capitalize(phrase(it.View)) + " is not shown inside a " + classNoun(orDefault(want, core.Dataset)) + " here: there is no link to remove."
		}
		if !it.Parent.Flags.CanLink {
			return denied("change", it.Parent)
		}
		if !it.View.Flags.CanLink {
			return denied("unlink", it.View)
		}
	}
	return ""
}

func orDefault(c, d core.Class) core.Class {
	if c == "" {
		return d
	}
	return c
}

// PasteWhy says why the clipboard cannot be pasted into the selection
// (spec §1.5), or "" when it can.
func PasteWhy(clip Clipboard, sel []Item) string {
	if clip.Empty() {
		return "Nothing to paste: Copy Link or Cut Link images, datasets or plates first."
	}
	child := clip.Items[0].View.Class
	want := linkParentClass[child]
	if len(sel) != 1 || sel[0].View.Class != want {
		return fmt.Sprintf("Select one %s to paste the %s into.", classNoun(want), classNoun(child)+"s")
	}
	return LinkWhy(sel[0].View, clip.Items)
}

// DropWhy says why dragged items cannot be dropped on target, or "" when
// they can (the same rules as a paste).
func DropWhy(items []Item, target core.ObjectView) string {
	if len(items) == 0 {
		return "Nothing is dragged."
	}
	want := linkParentClass[items[0].View.Class]
	if want == "" {
		return "Only images, datasets and plates can be dropped into a container."
	}
	if target.Class != want {
		return fmt.Sprintf("%ss can only be dropped on a %s, not on %s.", capitalize(classNoun(items[0].View.Class)), classNoun(want), phrase(target))
	}
	if why := copyWhy(items); why != "" {
		return why
	}
	return LinkWhy(target, items)
}

// LinkWhy applies the linking rules (spec §1.5) the desktop can check from
// what it shows: the right class, one group, the right to link both ends.
// The repository checks them again.
func LinkWhy(target core.ObjectView, children []Item) string {
	for _, it := range children {
		if linkParentClass[it.View.Class] != target.Class {
			return capitalize(phrase(it.View)) + " cannot go into " + phrase(target) + "."
		}
		if it.View.Ref == target.Ref {
			return "An object cannot be linked into itself."
		}
		if it.View.Group != target.Group {
			return capitalize(phrase(it.View)) + " and " + phrase(target) + " are in different groups; objects can only be linked within one group."
		}
	}
	if !target.Flags.CanLink {
		return denied("link into", target)
	}
	for _, it := range children {
		if !it.View.Flags.CanLink {
			return denied("link", it.View)
		}
	}
	return ""
}

func deleteWhy(sel []Item) string {
	if len(sel) == 0 {
		return "Select what to delete."
	}
	for _, it := range sel {
		if !isData(it.View.Class) {
			return capitalize(phrase(it.View)) + " cannot be deleted from here."
		}
		if !it.View.Flags.CanDelete {
			return denied("delete", it.View)
		}
	}
	return ""
}

// CleanName checks a name typed for a new or renamed object: an empty name
// or one of spaces only is refused.
func CleanName(s string) (string, error) {
	name := strings.TrimSpace(s)
	if name == "" {
		return "", core.Errorf("name", core.Invalid, "a name is needed: type at least one letter or digit")
	}
	if utf8.RuneCountInString(name) > 255 {
		return "", core.Errorf("name", core.Invalid, "the name is too long: use at most 255 characters")
	}
	return name, nil
}
