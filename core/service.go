package core

import (
	"context"
	"encoding/json"
	"slices"
)

// Service is the entry point of a repository, local or remote: it logs users
// in and hands out Sessions. repository-independent code (ui, app, cmd) uses
// only this interface and Session.
type Service interface {
	// Login checks a username and password. Wrong password and unknown user
	// give the same Auth error. group selects the session's group by name or
	// ID ("" = the user's default group).
	Login(ctx context.Context, username, password, group string) (Session, error)
	// Sudo opens a session as the user asUser on the authority of an
	// administrator (OMERO's `login --sudo`, spec §3.3): admin and password
	// are checked as by Login, and everything the session creates is the
	// user's. Only a full administrator or a restricted one with the Sudo
	// privilege may; nobody may sudo as a user holding administrator
	// privileges they lack (a full administrator only by a full
	// administrator), so sudo never escalates. Errors: Auth for a bad login
	// or a disabled account, Permission without the right, NotFound for an
	// unknown user or a group the user is not in.
	Sudo(ctx context.Context, admin, password, asUser, group string) (Session, error)
	// Resume continues a session created by an earlier Login (the CLI keeps
	// its key between commands).
	Resume(ctx context.Context, key string) (Session, error)
	Close() error
}

// Me describes the logged-in user.
type Me struct {
	User         Experimenter `json:"user"`
	Group        Group        `json:"group"` // the session's current group
	Groups       []GroupInfo  `json:"groups"`
	Admin        bool         `json:"admin"`
	FullAdmin    bool         `json:"fullAdmin"`
	Privileges   []Privilege  `json:"privileges,omitempty"`
	SessionKey   string       `json:"-"`
	Repository   string       `json:"repository"`
	IsGuest      bool         `json:"guest,omitempty"`
	OwnedGroups  []ID         `json:"ownedGroups,omitempty"`
	MemberGroups []ID         `json:"memberGroups,omitempty"`
}

// Has reports whether the user holds an administrator privilege (a full
// administrator holds them all): what a client may offer, decided again by
// the permission engine on every call.
func (m Me) Has(p Privilege) bool {
	return m.Admin && (m.FullAdmin || slices.Contains(m.Privileges, p))
}

// GroupInfo is a group with its members.
type GroupInfo struct {
	Group
	Members []MemberInfo `json:"members"`
}

// MarshalJSON writes the group's fields and its members. Without it, the
// MarshalJSON of the embedded Group would be promoted and drop the members.
func (g GroupInfo) MarshalJSON() ([]byte, error) {
	gb, err := json.Marshal(g.Group)
	if err != nil {
		return nil, err
	}
	members := g.Members
	if members == nil {
		members = []MemberInfo{}
	}
	mb, err := json.Marshal(members)
	if err != nil {
		return nil, err
	}
	out := append(gb[:len(gb)-1:len(gb)-1], `,"members":`...)
	out = append(out, mb...)
	return append(out, '}'), nil
}

// MemberInfo is one member of a group.
type MemberInfo struct {
	Experimenter
	Owner bool `json:"owner"`
}

// UserInfo is a user with memberships.
type UserInfo struct {
	Experimenter
	Admin       bool         `json:"admin"`
	Groups      []Membership `json:"groups"`
	GroupNames  []string     `json:"groupNames"`
	DefaultName string       `json:"defaultGroupName"`
}

// NewUser is the request to create a user.
type NewUser struct {
	Username, FirstName, LastName, Email, Institution string
	Password                                          string
	Groups                                            []ID // the first is the default group
	Admin                                             bool
	// Privileges makes a restricted admin when Admin is true and this is non-nil.
	Privileges []Privilege
}

// ObjectView is an object as a user sees it: with its permission flags and
// the names of its owner and group.
type ObjectView struct {
	Object
	Flags     Flags  `json:"permissions"`
	OwnerName string `json:"ownerName"`
	GroupName string `json:"groupName"`
	Level     Level  `json:"-"`
	// ChildCount is filled by Browse: datasets of a project, images of a dataset, plates of a screen.
	ChildCount int `json:"childCount"`
}

// BrowseRequest asks for one level of the data tree.
type BrowseRequest struct {
	Group ID // the group to browse
	Owner ID // AnyID for all members
	// Parent is the node to expand; the zero Ref asks for the top level
	// (projects, orphaned datasets, screens, orphaned plates and the
	// Orphaned Images folder).
	Parent Ref
	// Fields, with a Plate parent, lists everything the plate grid draws in
	// one read instead of the wells alone: the plate's runs
	// (PlateAcquisition), its wells, their fields (WellSample: the image in
	// Child, the run in Ref2, positionX/positionY in Attrs) and the fields'
	// images. Objects the caller may not see are left out.
	Fields bool
}

// ObjectFlags pairs a ref with its flags, for `perms`.
type ObjectFlags struct {
	Object string `json:"object"`
	Flags
}

// Session is everything a logged-in user can do. Each method checks
// permissions where the data is; an object the user may not see is NotFound.
type Session interface {
	Key() string
	Logout(ctx context.Context) error
	Me(ctx context.Context) (Me, error)
	// SetGroup switches the current group (new objects go there). The
	// repository remembers it: a later Resume of the same key starts there.
	SetGroup(ctx context.Context, group ID) error
	// InGroup returns a session on the same login that works in group for
	// its holder only: objects it creates go there and queries default to
	// it, while this session, the repository's record of the key and every
	// other holder of the key keep their group. Nothing is written, so two
	// commands sharing a saved login never see each other's group and no
	// interruption can leave the login switched. SetGroup on the returned
	// session changes only that session. Errors: NotFound when the user may
	// not work in the group, Invalid for the 'user' group.
	InGroup(ctx context.Context, group ID) (Session, error)

	Admin
	Objects
	Annotations
	WatchState
	Importer
	Rendering
	Graph
	Searcher
}

// Admin covers users, groups and memberships (spec §3). Errors: Permission
// when the caller lacks the role, NotFound for unknown users or groups,
// Conflict for duplicates, Invalid for broken invariants.
type Admin interface {
	CreateUser(ctx context.Context, u NewUser) (Experimenter, error)
	Users(ctx context.Context) ([]UserInfo, error)
	User(ctx context.Context, nameOrID string) (UserInfo, error)
	// SetPassword changes a password; users change their own (giving the old
	// one), admins with ModifyUser anyone's.
	SetPassword(ctx context.Context, user ID, oldPassword, newPassword string) error
	AddToGroup(ctx context.Context, group ID, users []ID, asOwner bool) error
	// RemoveFromGroup removes membership, or only ownership when ownerOnly.
	RemoveFromGroup(ctx context.Context, group ID, users []ID, ownerOnly bool) error
	SetDefaultGroup(ctx context.Context, user, group ID) error
	CreateGroup(ctx context.Context, name string, level Level, description string) (Group, error)
	Groups(ctx context.Context) ([]GroupInfo, error)
	Group(ctx context.Context, nameOrID string) (GroupInfo, error)
	SetGroupLevel(ctx context.Context, group ID, level Level) error
	SetPrivileges(ctx context.Context, user ID, privileges []Privilege) error
	// UpdateUser changes a user's names, email and institution (not the
	// username): users their own, administrators with ModifyUser anyone's
	// (a full administrator's only by a full administrator).
	UpdateUser(ctx context.Context, user ID, first, last, email, institution string) error
	// UpdateGroup renames a group and changes its description: an
	// administrator with ModifyGroup or an owner of the group. Conflict when
	// another group has the name; the built-in groups cannot change.
	UpdateGroup(ctx context.Context, group ID, name, description string) error
}

// Objects covers creating, reading, updating and deleting single objects and
// links, and browsing the tree.
type Objects interface {
	// Create makes an object of class in the current group from fields
	// (name=P1, parent=Dataset:1, child=Image:2, textValue=..., owner=USER
	// for admins creating on behalf of a user).
	Create(ctx context.Context, class Class, fields map[string]string) (ObjectView, error)
	Update(ctx context.Context, ref Ref, fields map[string]string) (ObjectView, error)
	Get(ctx context.Context, ref Ref) (ObjectView, error)
	// List lists visible objects of a class; owner and group may be AnyID.
	List(ctx context.Context, class Class, owner, group ID) ([]ObjectView, error)
	// Delete deletes one object or link (no graph: an object still linked
	// elsewhere or containing others gives Conflict).
	// Several refs are deleted in one transaction, in the order given (a
	// link before the object it held): all of them or, on error, none.
	Delete(ctx context.Context, refs ...Ref) error
	Flags(ctx context.Context, refs []Ref) ([]ObjectFlags, error)
	Browse(ctx context.Context, req BrowseRequest) ([]ObjectView, error)
	// ImageDetails returns the pixels and channels of an image.
	ImageDetails(ctx context.Context, ref Ref) (PixelsInfo, []ChannelInfo, error)
}
