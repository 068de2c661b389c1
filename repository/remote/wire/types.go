package wire

// The JSON of core's types is the wire's, with one exception: fields core
// keeps out of its JSON (json:"-", because OMERO's shapes have no place for
// them or because they are computed) would be lost between server and
// client. The types here carry them explicitly, so a value read through the
// client equals the value read in-process.

import (
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// Object is a core.ObjectView with the level of its group and its Read flag.
type Object struct {
	core.ObjectView
	Level core.Level `json:"ocular:level"`
	Read  bool       `json:"ocular:read"`
}

// FromView is v for the wire.
func FromView(v core.ObjectView) Object {
	return Object{ObjectView: v, Level: v.Level, Read: v.Flags.Read}
}

// View is o as core has it.
func (o Object) View() core.ObjectView {
	v := o.ObjectView
	v.Level = o.Level
	v.Flags.Read = o.Read
	return v
}

// FromViews converts a list for the wire; nil stays nil.
func FromViews(vs []core.ObjectView) []Object {
	if vs == nil {
		return nil
	}
	out := make([]Object, len(vs))
	for i, v := range vs {
		out[i] = FromView(v)
	}
	return out
}

// Views converts a list back; nil stays nil, so an empty answer reads the
// same as in-process.
func Views(os []Object) []core.ObjectView {
	if os == nil {
		return nil
	}
	out := make([]core.ObjectView, len(os))
	for i, o := range os {
		out[i] = o.View()
	}
	return out
}

// Group is core.Group as core writes it (level as "type"), read back with
// its level; ocular:level carries it too, should the name ever be unknown.
type Group struct {
	ID          core.ID    `json:"id"`
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	Created     time.Time  `json:"created"`
	Level       core.Level `json:"ocular:level"`
}

// FromGroup is g for the wire.
func FromGroup(g core.Group) Group {
	return Group{ID: g.ID, Name: g.Name, Description: g.Description, Created: g.Created, Level: g.Level}
}

// Core is g as core has it.
func (g Group) Core() core.Group {
	return core.Group{ID: g.ID, Name: g.Name, Description: g.Description, Created: g.Created, Level: g.Level}
}

// GroupInfo is core.GroupInfo with the group's level.
type GroupInfo struct {
	Group
	Members []MemberInfo `json:"members"`
}

// MemberInfo is core.MemberInfo with the member's privileges whole.
type MemberInfo struct {
	Experimenter
	Owner bool `json:"owner"`
}

// FromGroupInfo is gi for the wire.
func FromGroupInfo(gi core.GroupInfo) GroupInfo {
	out := GroupInfo{Group: FromGroup(gi.Group)}
	if gi.Members != nil {
		out.Members = make([]MemberInfo, len(gi.Members))
		for i, m := range gi.Members {
			out.Members[i] = MemberInfo{Experimenter: FromExperimenter(m.Experimenter), Owner: m.Owner}
		}
	}
	return out
}

// Core is gi as core has it.
func (gi GroupInfo) Core() core.GroupInfo {
	out := core.GroupInfo{Group: gi.Group.Core()}
	if gi.Members != nil {
		out.Members = make([]core.MemberInfo, len(gi.Members))
		for i, m := range gi.Members {
			out.Members[i] = core.MemberInfo{Experimenter: m.Experimenter.Core(), Owner: m.Owner}
		}
	}
	return out
}

// FromGroupInfos converts a list for the wire.
func FromGroupInfos(gs []core.GroupInfo) []GroupInfo {
	if gs == nil {
		return nil
	}
	out := make([]GroupInfo, len(gs))
	for i, g := range gs {
		out[i] = FromGroupInfo(g)
	}
	return out
}

// GroupInfos converts a list back.
func GroupInfos(gs []GroupInfo) []core.GroupInfo {
	if gs == nil {
		return nil
	}
	out := make([]core.GroupInfo, len(gs))
	for i, g := range gs {
		out[i] = g.Core()
	}
	return out
}

// Me is core.Me with the groups' levels. The session key never travels in
// it (the client knows its key) and the repository's folder stays on the
// server: the client names the server's address instead.
type Me struct {
	User         Experimenter     `json:"user"`
	Group        Group            `json:"group"`
	Groups       []GroupInfo      `json:"groups"`
	Admin        bool             `json:"admin"`
	FullAdmin    bool             `json:"fullAdmin"`
	Privileges   []core.Privilege `json:"privileges,omitempty"`
	IsGuest      bool             `json:"guest,omitempty"`
	OwnedGroups  []core.ID        `json:"ownedGroups,omitempty"`
	MemberGroups []core.ID        `json:"memberGroups,omitempty"`
}

// FromMe is m for the wire.
func FromMe(m core.Me) Me {
	return Me{User: FromExperimenter(m.User), Group: FromGroup(m.Group), Groups: FromGroupInfos(m.Groups), Admin: m.Admin,
		FullAdmin: m.FullAdmin, Privileges: m.Privileges, IsGuest: m.IsGuest, OwnedGroups: m.OwnedGroups,
		MemberGroups: m.MemberGroups}
}

// Core is m as core has it, for the session with key on the server at
// repository.
func (m Me) Core(key, repository string) core.Me {
	return core.Me{User: m.User.Core(), Group: m.Group.Core(), Groups: GroupInfos(m.Groups), Admin: m.Admin,
		FullAdmin: m.FullAdmin, Privileges: m.Privileges, SessionKey: key, Repository: repository,
		IsGuest: m.IsGuest, OwnedGroups: m.OwnedGroups, MemberGroups: m.MemberGroups}
}

// AnnotationOn is core.AnnotationOn with its objects' hidden fields.
type AnnotationOn struct {
	Link       Object   `json:"link"`
	Annotation Object   `json:"annotation"`
	TagSets    []string `json:"tagSets,omitempty"`
	File       *Object  `json:"file,omitempty"`
}

// FromAnnotations converts a list for the wire.
func FromAnnotations(as []core.AnnotationOn) []AnnotationOn {
	if as == nil {
		return nil
	}
	out := make([]AnnotationOn, len(as))
	for i, a := range as {
		out[i] = AnnotationOn{Link: FromView(a.Link), Annotation: FromView(a.Annotation), TagSets: a.TagSets}
		if a.File != nil {
			f := FromView(*a.File)
			out[i].File = &f
		}
	}
	return out
}

// Annotations converts a list back.
func Annotations(as []AnnotationOn) []core.AnnotationOn {
	if as == nil {
		return nil
	}
	out := make([]core.AnnotationOn, len(as))
	for i, a := range as {
		out[i] = core.AnnotationOn{Link: a.Link.View(), Annotation: a.Annotation.View(), TagSets: a.TagSets}
		if a.File != nil {
			f := a.File.View()
			out[i].File = &f
		}
	}
	return out
}

// WatchRecord is core.WatchRecord with its fileset mark.
type WatchRecord struct {
	core.WatchRecord
	FilesetMark core.ID `json:"ocular:filesetMark,omitempty"`
}

// FromWatchRecord is r for the wire.
func FromWatchRecord(r core.WatchRecord) WatchRecord {
	return WatchRecord{WatchRecord: r, FilesetMark: r.FilesetMark}
}

// Core is r as core has it.
func (r WatchRecord) Core() core.WatchRecord {
	c := r.WatchRecord
	c.FilesetMark = r.FilesetMark
	return c
}

// Session is what a login answers a program: the key and who it is.
type Session struct {
	Key string `json:"key"`
	Me  Me     `json:"me"`
}

// SessionState is what GET /ocular/v1/session answers: enough for a
// resumed session to log in again (Relogin) after it expired.
type SessionState struct {
	User  string  `json:"user"`
	Group core.ID `json:"group"`
}

// LoginRequest is POST /ocular/v1/login's body.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Group    string `json:"group,omitempty"`
}

// SudoRequest is POST /ocular/v1/sudo's body.
type SudoRequest struct {
	Admin    string `json:"admin"`
	Password string `json:"password"`
	AsUser   string `json:"asUser"`
	Group    string `json:"group,omitempty"`
}

// Experimenter is core.Experimenter telling a restricted administrator
// without privileges (an empty, non-nil list) from a full administrator
// (nil): core's JSON omits both.
type Experimenter struct {
	core.Experimenter
	NoPrivileges bool `json:"ocular:noPrivileges,omitempty"`
}

// FromExperimenter is e for the wire.
func FromExperimenter(e core.Experimenter) Experimenter {
	return Experimenter{Experimenter: e, NoPrivileges: e.Privileges != nil && len(e.Privileges) == 0}
}

// Core is e as core has it.
func (e Experimenter) Core() core.Experimenter {
	c := e.Experimenter
	if e.NoPrivileges {
		c.Privileges = []core.Privilege{}
	}
	return c
}

// UserInfo is core.UserInfo with the same care for an empty privilege list.
type UserInfo struct {
	core.UserInfo
	NoPrivileges bool `json:"ocular:noPrivileges,omitempty"`
}

// FromUserInfo is u for the wire.
func FromUserInfo(u core.UserInfo) UserInfo {
	return UserInfo{UserInfo: u, NoPrivileges: u.Privileges != nil && len(u.Privileges) == 0}
}

// Core is u as core has it.
func (u UserInfo) Core() core.UserInfo {
	c := u.UserInfo
	if u.NoPrivileges {
		c.Privileges = []core.Privilege{}
	}
	return c
}

// ObjectFlags is core.ObjectFlags with its Read flag.
type ObjectFlags struct {
	core.ObjectFlags
	Read bool `json:"ocular:read"`
}

// FormatRef is r on the wire: "Image:3".
func FormatRef(r core.Ref) string { return string(r.Class) + ":" + strconv.FormatInt(int64(r.ID), 10) }

// ParseRef reads FormatRef's form. Unlike core.ParseRef it does not judge
// the class: the server's core does, with the same sentence as in-process.
func ParseRef(s string) (core.Ref, error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return core.Ref{}, core.Errorf("", core.Invalid, "%q is not Class:ID; give one such as Image:42", s)
	}
	id, err := strconv.ParseInt(s[i+1:], 10, 64)
	if err != nil {
		return core.Ref{}, core.Errorf("", core.Invalid, "%q is not Class:ID; give one such as Image:42", s)
	}
	return core.Ref{Class: core.Class(s[:i]), ID: core.ID(id)}, nil
}

// FormatRefs is FormatRef of each.
func FormatRefs(rs []core.Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = FormatRef(r)
	}
	return out
}

// ParseRefs is ParseRef of each; nil stays nil.
func ParseRefs(ss []string) ([]core.Ref, error) {
	if ss == nil {
		return nil, nil
	}
	out := make([]core.Ref, len(ss))
	for i, s := range ss {
		r, err := ParseRef(s)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// Refs is the body of the routes taking several objects.
type Refs struct {
	Refs []string `json:"refs"`
}

// ImageDetails is what GET .../Image/{image}/details answers.
type ImageDetails struct {
	Pixels   core.PixelsInfo    `json:"pixels"`
	Channels []core.ChannelInfo `json:"channels"`
}
