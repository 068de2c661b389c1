package browse

import (
	"strconv"

	"github.com/ocular-lab/ocular/core"
)

// Item is one selected object, as the organising actions need it: the
// object, and the container it is shown in (the parent whose link a cut or
// a "Remove from container" removes). Parent is zero at the top level;
// Orphaned Images, a plate or a well are shown as the parent but hold no
// link to remove.
type Item struct {
	View   core.ObjectView
	Parent core.ObjectView
	// UID is the tree node's UID ("" for a thumbnail of the grid).
	UID string
}

// Refs are the items' refs, in order: what other panels (annotations,
// batch actions) take as their targets.
func Refs(items []Item) []core.Ref {
	out := make([]core.Ref, len(items))
	for i, it := range items {
		out[i] = it.View.Ref
	}
	return out
}

// SelectionPhrase names a selection for headings and the status bar: the
// object's class and name for one, "3 images" or "2 datasets and 1 image"
// for several.
func SelectionPhrase(items []Item) string {
	switch len(items) {
	case 0:
		return "nothing"
	case 1:
		return phrase(items[0].View)
	}
	var order []core.Class
	counts := map[core.Class]int{}
	for _, it := range items {
		if counts[it.View.Class] == 0 {
			order = append(order, it.View.Class)
		}
		counts[it.View.Class]++
	}
	out := ""
	for i, c := range order {
		if i > 0 {
			if i == len(order)-1 {
				out += " and "
			} else {
				out += ", "
			}
		}
		out += countNoun(counts[c], c)
	}
	return out
}

// countNoun is "1 image", "3 datasets", "2 orphaned image folders".
func countNoun(n int, c core.Class) string {
	noun := classNoun(c)
	if n != 1 {
		noun += "s"
	}
	return strconv.Itoa(n) + " " + noun
}

func classNoun(c core.Class) string {
	switch c {
	case core.Project:
		return "project"
	case core.Dataset:
		return "dataset"
	case core.Image:
		return "image"
	case core.Screen:
		return "screen"
	case core.Plate:
		return "plate"
	case core.Well:
		return "well"
	case core.PlateAcquisition:
		return "run"
	case core.ClassExperimenter:
		return "user"
	case core.OrphanedImages:
		return "Orphaned Images folder"
	}
	return string(c)
}
