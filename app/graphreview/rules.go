package graphreview

import (
	"sort"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Who may move, give or duplicate the selection (spec §3, §4.3–4.5), and
// the reason to show when they may not. The server checks again: these
// only decide what the menus offer.

// movable are the classes a user selects to move, give or duplicate.
var movable = map[core.Class]bool{core.Project: true, core.Dataset: true, core.Image: true, core.Screen: true, core.Plate: true}

// selectionWhy says why the selection cannot be acted on at all, or "".
func selectionWhy(sel []core.ObjectView, verb string) string {
	if len(sel) == 0 {
		return "Select a project, dataset, image, screen or plate to " + verb + "."
	}
	for _, v := range sel {
		if !movable[v.Class] {
			return "Only projects, datasets, images, screens and plates can be " + pastOf(verb) + "; " + describe(v) + " cannot."
		}
		if v.Group != sel[0].Group {
			return "The selection spans several groups: select objects of one group to " + verb + " them together."
		}
	}
	return ""
}

func pastOf(verb string) string {
	switch verb {
	case "move":
		return "moved"
	case "give":
		return "given to another user"
	}
	return "duplicated"
}

func describe(v core.ObjectView) string {
	if v.Class == core.OrphanedImages {
		return "the Orphaned Images folder"
	}
	return strings.ToLower(string(v.Class)) + " “" + v.DisplayName() + "”"
}

func isOwnerOf(me core.Me, group core.ID) bool {
	for _, g := range me.OwnedGroups {
		if g == group {
			return true
		}
	}
	return false
}

// MoveWhy is "" when Move to Group may be offered for the selection, or the
// reason it is disabled: only the data's owner and administrators move
// data, never a group owner (PI) on others' data.
func MoveWhy(me core.Me, sel []core.ObjectView) string {
	if why := selectionWhy(sel, "move"); why != "" {
		return why
	}
	for _, v := range sel {
		if v.Flags.CanChgrp {
			continue
		}
		if isOwnerOf(me, v.Group) {
			return "Only the owner of " + describe(v) + " (" + v.OwnerName + ") or an administrator can move it to another group; as the group's owner you may change its owner instead."
		}
		return "Only the owner of " + describe(v) + " or an administrator can move it to another group."
	}
	if len(MoveDestinations(me, sel[0].Group)) == 0 {
		return "You are a member of no other group to move data to."
	}
	return ""
}

// ChownWhy is "" when Change Owner may be offered: administrators give
// anyone's data to anyone, group owners the data of their groups to their
// members; the data's owner alone cannot give it away (spec §4.4).
func ChownWhy(me core.Me, sel []core.ObjectView) string {
	if why := selectionWhy(sel, "give"); why != "" {
		return why
	}
	for _, v := range sel {
		if !v.Flags.CanChown {
			return "Only an administrator or the owner of the group can give " + describe(v) + " to another user."
		}
	}
	return ""
}

// DuplicateWhy is "" when Duplicate may be offered: anyone who can see the
// data may copy it (the copies are theirs).
func DuplicateWhy(me core.Me, sel []core.ObjectView) string {
	if why := selectionWhy(sel, "duplicate"); why != "" {
		return why
	}
	if me.IsGuest {
		return "A guest cannot make copies."
	}
	return ""
}

// Destination is a group a move may go to.
type Destination struct {
	Group core.Group
	Label string // "Lab B (read-annotate)"
}

// MoveDestinations lists the groups a move from group may go to:
// administrators any group, others the groups they are a member of (the
// session lists exactly those), never the source.
func MoveDestinations(me core.Me, from core.ID) []Destination {
	var out []Destination
	for _, g := range me.Groups {
		if g.ID == from {
			continue
		}
		out = append(out, Destination{Group: g.Group, Label: g.Name + " (" + g.Level.String() + ")"})
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Group.Name) < strings.ToLower(out[j].Group.Name) })
	return out
}

// Recipient is a user data may be given to.
type Recipient struct {
	User  core.Experimenter
	Label string // "Mike Member (mike)"
}

// Recipients lists who the selection may be given to: for an
// administrator every user of users; for a group owner the members of the
// data's group. The data's present owner is left out.
func Recipients(me core.Me, group core.ID, owner core.ID, users []core.UserInfo) []Recipient {
	var out []Recipient
	add := func(e core.Experimenter) {
		if e.ID != owner && e.Username != "guest" {
			out = append(out, Recipient{User: e, Label: e.FullName() + " (" + e.Username + ")"})
		}
	}
	if me.Admin {
		for _, u := range users {
			add(u.Experimenter)
		}
	} else {
		for _, g := range me.Groups {
			if g.ID == group && isOwnerOf(me, group) {
				for _, m := range g.Members {
					add(m.Experimenter)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Label) < strings.ToLower(out[j].Label) })
	return out
}

// FilterRecipients keeps those whose name or username contains q (any case).
func FilterRecipients(rs []Recipient, q string) []Recipient {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return rs
	}
	var out []Recipient
	for _, r := range rs {
		if strings.Contains(strings.ToLower(r.Label), q) {
			out = append(out, r)
		}
	}
	return out
}

// Targets groups refs into graph targets, one per class, in first-seen order.
func Targets(refs []core.Ref) []core.Target {
	var out []core.Target
	idx := map[core.Class]int{}
	for _, r := range refs {
		i, ok := idx[r.Class]
		if !ok {
			i = len(out)
			idx[r.Class] = i
			out = append(out, core.Target{Class: r.Class})
		}
		out[i].IDs = append(out[i].IDs, r.ID)
	}
	return out
}

// Refs are the refs of views.
func Refs(sel []core.ObjectView) []core.Ref {
	out := make([]core.Ref, len(sel))
	for i, v := range sel {
		out[i] = v.Ref
	}
	return out
}

// Phrase names a selection in a sentence: dataset “Cells”, or "3 images".
func Phrase(sel []core.ObjectView) string {
	if len(sel) == 1 {
		return describe(sel[0])
	}
	counts := map[core.Class]int{}
	for _, v := range sel {
		counts[v.Class]++
	}
	return CountList(counts, true)
}

// ContainerClass is the class of container the selection can be put into
// in a destination: datasets into a project, images into a dataset, plates
// into a screen; "" for projects and screens.
func ContainerClass(sel []core.ObjectView) core.Class {
	var c core.Class
	for i, v := range sel {
		var k core.Class
		switch v.Class {
		case core.Dataset:
			k = core.Project
		case core.Image:
			k = core.Dataset
		case core.Plate:
			k = core.Screen
		}
		if i > 0 && k != c {
			return ""
		}
		c = k
	}
	return c
}
