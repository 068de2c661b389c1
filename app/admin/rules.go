// Package admin holds the rules of Ocular's user and group administration
// as the desktop shows it (user settings, the group panel, the
// administrators' users and groups pages): which controls a role allows,
// and the sentence saying why not when it does not. The core enforces the
// same rules where the data is; these only decide what to offer, so that a
// control the user may not use is disabled with its reason rather than
// failing after a click. No Fyne here.
package admin

import (
	"slices"

	"github.com/ocular-lab/ocular/core"
)

// Decision says whether a control is enabled and, when not, why.
type Decision struct {
	Allowed bool
	Reason  string // empty when Allowed
}

func allow() Decision             { return Decision{Allowed: true} }
func deny(reason string) Decision { return Decision{Reason: reason} }

func has(me core.Me, p core.Privilege) bool { return me.Has(p) }

func owns(me core.Me, g core.ID) bool { return slices.Contains(me.OwnedGroups, g) }

// groupRule is the shape every decision about one group takes: never a
// built-in group; allowed to the group's owners and to administrators with
// priv; otherwise the reason for an administrator lacking priv, or for
// anyone else.
func groupRule(me core.Me, g core.Group, priv core.Privilege, builtIn, adminLacks, notOwner string) Decision {
	switch {
	case core.IsSpecialGroup(g.ID):
		return deny(builtIn)
	case owns(me, g.ID) || has(me, priv):
		return allow()
	case me.Admin:
		return deny(adminLacks)
	}
	return deny(notOwner)
}

// ManageMembers decides adding and removing members and owners of group g
// (an owner of the group, or an administrator with ModifyGroupMembership).
func ManageMembers(me core.Me, g core.Group) Decision {
	return groupRule(me, g, core.PrivModifyGroupMembership,
		"The members of the built-in group \""+g.Name+"\" are managed from the users page.",
		"Adding users to groups needs the \"Add Users to Groups\" privilege (ModifyGroupMembership).",
		"Only the group's owners and administrators can add members.")
}

// ChangeLevel decides changing group g's permission level (an owner of the
// group, or an administrator with ModifyGroup; spec §2).
func ChangeLevel(me core.Me, g core.Group) Decision {
	return groupRule(me, g, core.PrivModifyGroup,
		"The permissions of the built-in group \""+g.Name+"\" cannot change.",
		"Changing a group's permissions needs the \"Create and Edit Groups\" privilege (ModifyGroup).",
		"Only the group's owners and administrators can change its permissions.")
}

// EditGroup decides renaming group g and changing its description (an
// owner of the group, or an administrator with ModifyGroup).
func EditGroup(me core.Me, g core.Group) Decision {
	return groupRule(me, g, core.PrivModifyGroup,
		"The built-in group \""+g.Name+"\" cannot change.",
		"Editing a group needs the \"Create and Edit Groups\" privilege (ModifyGroup).",
		"Only the group's owners and administrators can edit it.")
}

// CreateGroup decides the New Group page (ModifyGroup).
func CreateGroup(me core.Me) Decision {
	switch {
	case has(me, core.PrivModifyGroup):
		return allow()
	case me.Admin:
		return deny("Creating groups needs the \"Create and Edit Groups\" privilege (ModifyGroup).")
	}
	return deny("Only administrators can create groups.")
}

// EditUsers decides creating users, editing their groups and resetting
// their passwords (ModifyUser).
func EditUsers(me core.Me) Decision {
	switch {
	case has(me, core.PrivModifyUser):
		return allow()
	case me.Admin:
		return deny("Creating and editing users needs the \"Create and Edit Users\" privilege (ModifyUser).")
	}
	return deny("Only administrators can create and edit users.")
}

// ResetPassword decides resetting target's password: ModifyUser, and only
// a full administrator may reset a full administrator's.
func ResetPassword(me core.Me, target core.UserInfo) Decision {
	if d := EditUsers(me); !d.Allowed {
		return d
	}
	if IsFullAdmin(target) && !me.FullAdmin {
		return deny("Only a full administrator can reset a full administrator's password.")
	}
	return allow()
}

// EditRole decides making target an administrator or changing their
// privileges: ModifyUser, never a full administrator by a restricted one,
// and never root.
func EditRole(me core.Me, target core.UserInfo) Decision {
	if d := EditUsers(me); !d.Allowed {
		return d
	}
	switch {
	case target.ID == core.RootUserID:
		return deny("root is always a full administrator.")
	case IsFullAdmin(target) && !me.FullAdmin:
		return deny("Only a full administrator can restrict a full administrator.")
	}
	return allow()
}

// Grantable are the privileges me may hand out: nobody grants what they
// lack (spec §3.3). ReadSession is never offered, as in OMERO.web.
func Grantable(me core.Me) []core.Privilege {
	var out []core.Privilege
	for _, p := range core.AllPrivileges {
		if p != core.PrivReadSession && has(me, p) {
			out = append(out, p)
		}
	}
	return out
}

// CanMakeFullAdmin: only a full administrator creates another.
func CanMakeFullAdmin(me core.Me) Decision {
	if me.FullAdmin {
		return allow()
	}
	return deny("Only a full administrator can make a full administrator; choose the privileges instead.")
}

// IsFullAdmin reports whether u is an administrator without restrictions.
func IsFullAdmin(u core.UserInfo) bool { return u.Admin && u.Privileges == nil }

// Role describes u in a few words: "Full administrator", "Restricted
// administrator (Chgrp, Sudo)" or "User".
func Role(u core.UserInfo) string {
	switch {
	case IsFullAdmin(u):
		return "Full administrator"
	case u.Admin && len(u.Privileges) == 0:
		return "Restricted administrator (no privileges)"
	case u.Admin:
		s := "Restricted administrator ("
		for i, p := range u.Privileges {
			if i > 0 {
				s += ", "
			}
			s += string(p)
		}
		return s + ")"
	}
	return "User"
}

// DefaultGroupChoices are the groups u may make their default: their own
// groups, never the built-in user, system or guest groups.
func DefaultGroupChoices(u core.UserInfo, groups []core.GroupInfo) []core.Group {
	var out []core.Group
	for _, g := range groups {
		if core.IsSpecialGroup(g.ID) {
			continue
		}
		for _, m := range u.Groups {
			if m.Group == g.ID {
				out = append(out, g.Group)
				break
			}
		}
	}
	return out
}
