package graphreview

import (
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Outcome words what a finished job did, for the activities list: "Moved
// 3 datasets, 42 images to AG_1234", "Gave 1 project to Mike Member",
// "Duplicated 1 dataset, 2 images". dest names the destination group or
// the recipient.
func Outcome(res core.GraphResult, dest string) string {
	what := CountList(res.Review.Counts, false)
	switch res.Op {
	case core.OpChgrp:
		return "Moved " + what + " to " + dest
	case core.OpChown:
		return "Gave " + what + " to " + dest
	case core.OpDuplicate:
		s := "Duplicated " + what
		if dest != "" {
			s += " into " + dest
		}
		return s
	case core.OpDelete:
		return "Deleted " + what
	}
	return "Changed " + what
}

// ShowTarget is where the Show link of a finished job goes: the tree path
// of the object to select (the browser finds its group and owner).
type ShowTarget struct {
	Path string
}

// ShowPath is the tree path of obj (an object a job moved, gave or made)
// in its group: under container when it was put into one, at the top
// level, or under Orphaned Images for an image in no dataset.
func ShowPath(obj core.Ref, container core.Ref) string {
	if !container.IsZero() {
		return container.String() + "/" + obj.String()
	}
	if obj.Class == core.Image {
		return core.Ref{Class: core.OrphanedImages}.String() + "/" + obj.String()
	}
	return obj.String()
}

// TopObject picks the object a Show link selects among what a job
// changed: the first target-level object (project, screen, dataset, plate,
// image, in that order).
func TopObject(refs []core.Ref) (core.Ref, bool) {
	for _, c := range []core.Class{core.Project, core.Screen, core.Dataset, core.Plate, core.Image} {
		for _, r := range refs {
			if r.Class == c {
				return r, true
			}
		}
	}
	return core.Ref{}, false
}

// Failure words why a job failed for the activities list. The planner's
// refusal of a plan that no longer matches the review ("the data changed
// since the review; review the chgrp again") is said in the desktop's
// words, pointing at the Review again button.
func Failure(msg string) string {
	if strings.HasPrefix(msg, "the data changed since the review") {
		return "The data changed since you reviewed it (another window or the command line changed it), so nothing was done. Review again to see what it would do now."
	}
	return "Failed, nothing changed: " + msg
}
