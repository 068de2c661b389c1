package core

import (
	"fmt"
	"strings"
)

// Level is a group's permission level.
type Level uint8

const (
	Private      Level = iota // rw----
	ReadOnly                  // rwr---
	ReadAnnotate              // rwra--
	ReadWrite                 // rwrw--
)

var levelNames = [...]string{"private", "read-only", "read-annotate", "read-write"}
var levelPerms = [...]string{"rw----", "rwr---", "rwra--", "rwrw--"}

func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "unknown"
}

// Perms returns OMERO's six-character permission string ("rwra--").
func (l Level) Perms() string {
	if int(l) < len(levelPerms) {
		return levelPerms[l]
	}
	return "rw----"
}

// ParseLevel accepts the level names used by OMERO's CLI (private, read-only,
// read-annotate, read-write) and the permission strings (rwra--).
func ParseLevel(s string) (Level, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i := range levelNames {
		if s == levelNames[i] || s == levelPerms[i] || s == strings.ReplaceAll(levelNames[i], "-", "") {
			return Level(i), nil
		}
	}
	return 0, Errorf("", Invalid, "unknown group type %q: use private, read-only, read-annotate or read-write", s)
}

// Well-known groups and users, numbered as OMERO numbers them.
const (
	SystemGroupID ID = 0 // administrators
	UserGroupID   ID = 1 // every active user
	GuestGroupID  ID = 2
	RootUserID    ID = 0
	GuestUserID   ID = 1
)

// IsSpecialGroup reports whether g is one of the built-in groups.
func IsSpecialGroup(g ID) bool { return g == SystemGroupID || g == UserGroupID || g == GuestGroupID }

// Privilege is a restricted-administrator privilege (spec §3.3).
type Privilege string

const (
	PrivChgrp                 Privilege = "Chgrp"
	PrivChown                 Privilege = "Chown"
	PrivWriteOwned            Privilege = "WriteOwned"
	PrivWriteFile             Privilege = "WriteFile"
	PrivWriteManagedRepo      Privilege = "WriteManagedRepo"
	PrivWriteScriptRepo       Privilege = "WriteScriptRepo"
	PrivDeleteOwned           Privilege = "DeleteOwned"
	PrivDeleteFile            Privilege = "DeleteFile"
	PrivDeleteManagedRepo     Privilege = "DeleteManagedRepo"
	PrivDeleteScriptRepo      Privilege = "DeleteScriptRepo"
	PrivModifyGroup           Privilege = "ModifyGroup"
	PrivModifyGroupMembership Privilege = "ModifyGroupMembership"
	PrivModifyUser            Privilege = "ModifyUser"
	PrivSudo                  Privilege = "Sudo"
	PrivReadSession           Privilege = "ReadSession"
)

// AllPrivileges lists every privilege; a full administrator holds them all.
var AllPrivileges = []Privilege{PrivChgrp, PrivChown, PrivWriteOwned, PrivWriteFile, PrivWriteManagedRepo,
	PrivWriteScriptRepo, PrivDeleteOwned, PrivDeleteFile, PrivDeleteManagedRepo, PrivDeleteScriptRepo,
	PrivModifyGroup, PrivModifyGroupMembership, PrivModifyUser, PrivSudo, PrivReadSession}

// ParsePrivilege resolves a privilege name case-insensitively.
func ParsePrivilege(s string) (Privilege, error) {
	for _, p := range AllPrivileges {
		if strings.EqualFold(string(p), strings.TrimSpace(s)) {
			return p, nil
		}
	}
	names := make([]string, len(AllPrivileges))
	for i, p := range AllPrivileges {
		names[i] = string(p)
	}
	return "", Errorf("", Invalid, "unknown privilege %q (known: %s)", s, strings.Join(names, ", "))
}

// Flags are the per-object permission flags shown to clients (spec §1.2),
// plus Read, which decides visibility.
type Flags struct {
	Read        bool `json:"-"`
	CanEdit     bool `json:"canEdit"`
	CanAnnotate bool `json:"canAnnotate"`
	CanDelete   bool `json:"canDelete"`
	CanLink     bool `json:"canLink"`
	CanChgrp    bool `json:"canChgrp"`
	CanChown    bool `json:"canChown"`
}

func (f Flags) String() string {
	b := func(name string, v bool) string {
		if v {
			return name
		}
		return "-"
	}
	return strings.Join([]string{b("edit", f.CanEdit), b("annotate", f.CanAnnotate), b("delete", f.CanDelete),
		b("link", f.CanLink), b("chgrp", f.CanChgrp), b("chown", f.CanChown)}, " ")
}

// GroupPerm is what the permission engine needs to know about a group.
type GroupPerm struct {
	ID    ID
	Level Level
}

// Actor is the security context of the user performing a request: who they
// are, their memberships, and their administrative powers. It is computed once
// per session (or request) and then answers every permission question from
// memory, so flags for thousands of objects cost microseconds.
type Actor struct {
	UserID ID
	Guest  bool
	// Admin is true for members of the system group. Privileges then lists
	// what they hold; a full administrator holds AllPrivileges.
	Admin      bool
	Privileges map[Privilege]bool
	// Member maps each group the user belongs to to whether they own it (PI).
	Member map[ID]bool
}

// Has reports whether the actor is an administrator holding privilege p.
func (a *Actor) Has(p Privilege) bool { return a.Admin && a.Privileges[p] }

// FullAdmin reports whether the actor holds every privilege.
func (a *Actor) FullAdmin() bool {
	if !a.Admin {
		return false
	}
	for _, p := range AllPrivileges {
		if !a.Privileges[p] {
			return false
		}
	}
	return true
}

// IsMember reports whether the actor belongs to group g.
func (a *Actor) IsMember(g ID) bool { _, ok := a.Member[g]; return ok }

// IsOwnerOf reports whether the actor is a PI (owner) of group g.
func (a *Actor) IsOwnerOf(g ID) bool { return a.Member[g] }

// scope is an action an object permission check is about.
type scope uint8

const (
	scopeAnnotate scope = iota
	scopeEdit
	scopeDelete
	scopeLink
)

// fileClass reports whether privileges for files (WriteFile, DeleteFile...) apply instead of *Owned.
func fileClass(c Class) bool { return c == OriginalFile }

// CanRead is step 1 of spec §1.2.
func (a *Actor) CanRead(owner ID, g GroupPerm) bool {
	if g.ID == SystemGroupID || g.ID == UserGroupID {
		return true
	}
	if a.Admin { // full or restricted, even without privileges and as a non-member
		return true
	}
	member := a.IsMember(g.ID)
	if !member {
		return false
	}
	return g.Level != Private || owner == a.UserID || a.IsOwnerOf(g.ID)
}

// allowed applies steps 2 to 9 of spec §1.2 for one scope on an object the
// actor can read.
func (a *Actor) allowed(s scope, class Class, owner ID, g GroupPerm) bool {
	if a.Guest {
		return false // step 8
	}
	own := owner == a.UserID
	// Step 9: objects in the user group are treated as private for update and delete.
	if g.ID == UserGroupID || g.ID == SystemGroupID {
		return own || (a.Admin && a.adminScope(s, class))
	}
	// Step 2: the private-group cut.
	if g.Level == Private && !own && (s == scopeAnnotate || s == scopeLink) {
		return false
	}
	if a.Admin && a.adminScope(s, class) { // steps 3 and 4
		return true
	}
	if a.IsOwnerOf(g.ID) { // step 5
		return true
	}
	if own && a.IsMember(g.ID) { // step 6
		return true
	}
	if own && a.Admin { // an admin's own data in a group they left
		return true
	}
	if !a.IsMember(g.ID) {
		return false
	}
	switch s { // step 7
	case scopeAnnotate:
		return g.Level == ReadAnnotate || g.Level == ReadWrite
	default:
		return g.Level == ReadWrite
	}
}

// adminScope says whether an administrator counts as admin for scope s:
// full admins always, restricted admins when they hold the matching privilege.
func (a *Actor) adminScope(s scope, class Class) bool {
	if s == scopeDelete {
		if fileClass(class) {
			return a.Privileges[PrivDeleteFile] || a.Privileges[PrivDeleteManagedRepo]
		}
		return a.Privileges[PrivDeleteOwned]
	}
	if fileClass(class) {
		return a.Privileges[PrivWriteFile] || a.Privileges[PrivWriteManagedRepo]
	}
	return a.Privileges[PrivWriteOwned]
}

// FlagsFor computes the six flags (and Read) of an object of class c owned by
// owner in group g, for this actor. It is the decision procedure of spec §1.2.
func (a *Actor) FlagsFor(c Class, owner ID, g GroupPerm) Flags {
	if !a.CanRead(owner, g) {
		return Flags{}
	}
	f := Flags{
		Read:        true,
		CanAnnotate: a.allowed(scopeAnnotate, c, owner, g),
		CanEdit:     a.allowed(scopeEdit, c, owner, g),
		CanDelete:   a.allowed(scopeDelete, c, owner, g),
		CanLink:     a.allowed(scopeLink, c, owner, g),
	}
	if !a.Guest {
		// canChgrp: the owner, or the Chgrp privilege; a PI gets false on members' data.
		f.CanChgrp = owner == a.UserID || a.Has(PrivChgrp)
		// canChown: a PI of the group, or the Chown privilege; never the plain owner.
		f.CanChown = a.IsOwnerOf(g.ID) || a.Has(PrivChown)
	}
	return f
}

// ObjectPerm is what the engine needs to know about one end of a link.
type ObjectPerm struct {
	Ref   Ref
	Owner ID
	Group GroupPerm
}

// CheckLink applies the linking rules of spec §1.5 to a new object owned by
// newOwner (a link, a ROI, an annotation link) that references parent and
// child. It returns nil when allowed, otherwise an error naming the cause.
func (a *Actor) CheckLink(op string, linkClass Class, newOwner ID, ends ...ObjectPerm) error {
	if a.Guest {
		return Errorf(op, Permission, "the guest account cannot create anything")
	}
	if len(ends) == 0 {
		return nil
	}
	// Rule 1: no cross-group references (except to system/user group objects).
	home := ends[0].Group.ID
	for _, e := range ends[1:] {
		if e.Group.ID != home && e.Group.ID != SystemGroupID && e.Group.ID != UserGroupID &&
			home != SystemGroupID && home != UserGroupID {
			return Errorf(op, Invalid, "%s and %s are in different groups; objects can only be linked within one group (move one of them first)", ends[0].Ref, e.Ref)
		}
	}
	annotationLink := linkClass.IsAnnotationLink() || linkClass == Roi
	for _, e := range ends {
		if e.Group.ID == SystemGroupID || e.Group.ID == UserGroupID {
			continue // linking to system/user group objects is always allowed
		}
		if !a.CanRead(e.Owner, e.Group) {
			return ErrNotFound(op, e.Ref)
		}
		// Rule 2: the private-group cut. In a private group the new object
		// and what it references must belong to one user: an administrator
		// or PI may work on behalf of a user (the new object is then that
		// user's), but never join two users' data, even through their own
		// end (spec §1.4: admins and PIs cannot link in private groups).
		if e.Group.Level == Private {
			if e.Owner == newOwner {
				continue
			}
			if e.Owner == a.UserID {
				return Errorf(op, Permission, "the new %s would belong to another user while %s is yours; in a private group links and annotations can only join one user's own data", linkClass, e.Ref)
			}
			return Errorf(op, Permission, "%s belongs to another user in a private group; nobody, not even an administrator, can link or annotate another user's data there", e.Ref)
		}
		if e.Owner == a.UserID {
			continue
		}
		// Rule 3: the right needed on each end not owned by the actor. Own
		// rendering settings on a readable image need only READ.
		if linkClass == RenderingDef {
			continue
		}
		need := scopeLink
		if annotationLink {
			need = scopeAnnotate
		}
		if a.IsOwnerOf(e.Group.ID) || (a.Admin && a.adminScope(need, e.Ref.Class)) {
			continue
		}
		if !a.allowed(need, e.Ref.Class, e.Owner, e.Group) {
			what := "link"
			if need == scopeAnnotate {
				what = "annotate"
			}
			return Errorf(op, Permission, "you may not %s %s: it belongs to another user and the group is %s", what, e.Ref, e.Group.Level)
		}
	}
	return nil
}

// String describes the actor for logs.
func (a *Actor) String() string {
	role := "user"
	switch {
	case a.Guest:
		role = "guest"
	case a.FullAdmin():
		role = "admin"
	case a.Admin:
		role = "restricted admin"
	}
	return fmt.Sprintf("Experimenter:%d (%s)", a.UserID, role)
}
