package browse

import (
	"sort"
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Choice is one entry of a switcher: what the select shows and what it means.
type Choice struct {
	ID    core.ID
	Label string
}

// AllMembers is the user switcher's entry that shows every member's data.
var AllMembers = Choice{ID: core.AnyID, Label: "All members"}

// GroupChoices lists the groups the user may browse (their own; every group
// for administrators, as core.Me already decides), labelled with the level
// so users see at a glance what others can do there.
func GroupChoices(me core.Me) []Choice {
	out := make([]Choice, 0, len(me.Groups))
	for _, g := range me.Groups {
		out = append(out, Choice{ID: g.ID, Label: GroupLabel(g.Group)})
	}
	return out
}

// GroupLabel is "Lab (read-annotate)", or just the name when it already
// says the level ("training-read-annotate").
func GroupLabel(g core.Group) string {
	if strings.Contains(strings.ToLower(g.Name), g.Level.String()) {
		return g.Name
	}
	return g.Name + " (" + g.Level.String() + ")"
}

// MemberChoices lists "All members" and then each member of the group by
// full name, the user first.
func MemberChoices(me core.Me, group core.ID) []Choice {
	g, ok := findGroup(me, group)
	if !ok {
		return []Choice{AllMembers}
	}
	members := append([]core.MemberInfo(nil), g.Members...)
	sort.SliceStable(members, func(i, j int) bool {
		if (members[i].ID == me.User.ID) != (members[j].ID == me.User.ID) {
			return members[i].ID == me.User.ID
		}
		return members[i].FullName() < members[j].FullName()
	})
	out := []Choice{AllMembers}
	for _, m := range members {
		label := m.FullName()
		if m.Owner {
			label += " (owner)"
		}
		out = append(out, Choice{ID: m.ID, Label: label})
	}
	return out
}

// OwnerNodes are the owners the "All members" tree is grouped by: every
// member of the group by full name ("Firstname Lastname"), the user first.
func OwnerNodes(me core.Me, group core.ID) []Choice {
	g, ok := findGroup(me, group)
	if !ok {
		return nil
	}
	members := append([]core.MemberInfo(nil), g.Members...)
	sort.SliceStable(members, func(i, j int) bool {
		if (members[i].ID == me.User.ID) != (members[j].ID == me.User.ID) {
			return members[i].ID == me.User.ID
		}
		return members[i].FullName() < members[j].FullName()
	})
	out := make([]Choice, 0, len(members))
	for _, m := range members {
		out = append(out, Choice{ID: m.ID, Label: m.FullName()})
	}
	return out
}

// DefaultOwner is whose data a group opens on: the user's own when they are
// a member (as OMERO.insight does), everyone's otherwise (an administrator
// looking into another group).
func DefaultOwner(me core.Me, group core.ID) core.ID {
	if g, ok := findGroup(me, group); ok {
		for _, m := range g.Members {
			if m.ID == me.User.ID {
				return me.User.ID
			}
		}
	}
	return core.AnyID
}

// DefaultGroup is the group the browser opens on: the session's group when
// it can be browsed, else the first one listed.
func DefaultGroup(me core.Me) (core.ID, bool) {
	if _, ok := findGroup(me, me.Group.ID); ok {
		return me.Group.ID, true
	}
	if len(me.Groups) > 0 {
		return me.Groups[0].ID, true
	}
	return 0, false
}

func findGroup(me core.Me, id core.ID) (core.GroupInfo, bool) {
	for _, g := range me.Groups {
		if g.ID == id {
			return g, true
		}
	}
	return core.GroupInfo{}, false
}
