package remote

// core.Admin over /ocular/v1/users and /ocular/v1/groups.

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

func userPath(id core.ID) string { return "/ocular/v1/users/" + strconv.FormatInt(int64(id), 10) }

func groupPath(id core.ID) string { return "/ocular/v1/groups/" + strconv.FormatInt(int64(id), 10) }

// CreateUser implements core.Admin.
func (s *Session) CreateUser(ctx context.Context, u core.NewUser) (core.Experimenter, error) {
	var out wire.Experimenter
	err := s.call(ctx, http.MethodPost, "/ocular/v1/users", u, &out)
	return out.Core(), err
}

// Users implements core.Admin.
func (s *Session) Users(ctx context.Context) ([]core.UserInfo, error) {
	var out []wire.UserInfo
	if err := s.call(ctx, http.MethodGet, "/ocular/v1/users", nil, &out); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, nil
	}
	us := make([]core.UserInfo, len(out))
	for i, u := range out {
		us[i] = u.Core()
	}
	return us, nil
}

// User implements core.Admin.
func (s *Session) User(ctx context.Context, nameOrID string) (core.UserInfo, error) {
	if nameOrID == "" {
		// An empty path segment would name the list.
		return core.UserInfo{}, core.Errorf("user", core.Invalid, "give a username or a user ID")
	}
	var out wire.UserInfo
	err := s.call(ctx, http.MethodGet, "/ocular/v1/users/"+url.PathEscape(nameOrID), nil, &out)
	return out.Core(), err
}

// SetPassword implements core.Admin.
func (s *Session) SetPassword(ctx context.Context, user core.ID, oldPassword, newPassword string) error {
	return s.call(ctx, http.MethodPut, userPath(user)+"/password", map[string]string{"old": oldPassword, "new": newPassword}, nil)
}

type members struct {
	Users     []core.ID `json:"users"`
	Owner     bool      `json:"owner,omitempty"`
	OwnerOnly bool      `json:"ownerOnly,omitempty"`
}

// AddToGroup implements core.Admin.
func (s *Session) AddToGroup(ctx context.Context, group core.ID, users []core.ID, asOwner bool) error {
	return s.call(ctx, http.MethodPost, groupPath(group)+"/members", members{Users: users, Owner: asOwner}, nil)
}

// RemoveFromGroup implements core.Admin.
func (s *Session) RemoveFromGroup(ctx context.Context, group core.ID, users []core.ID, ownerOnly bool) error {
	return s.call(ctx, http.MethodPost, groupPath(group)+"/members/remove", members{Users: users, OwnerOnly: ownerOnly}, nil)
}

// SetDefaultGroup implements core.Admin.
func (s *Session) SetDefaultGroup(ctx context.Context, user, group core.ID) error {
	return s.call(ctx, http.MethodPut, userPath(user)+"/default-group", idBody{group}, nil)
}

// CreateGroup implements core.Admin. The level travels as its number: a
// level core does not know is refused by the server's core.
func (s *Session) CreateGroup(ctx context.Context, name string, level core.Level, description string) (core.Group, error) {
	var out wire.Group
	in := struct {
		Name        string     `json:"name"`
		Level       core.Level `json:"level"`
		Description string     `json:"description"`
	}{name, level, description}
	err := s.call(ctx, http.MethodPost, "/ocular/v1/groups", in, &out)
	if err != nil {
		return core.Group{}, err
	}
	return out.Core(), nil
}

// Groups implements core.Admin.
func (s *Session) Groups(ctx context.Context) ([]core.GroupInfo, error) {
	var out []wire.GroupInfo
	if err := s.call(ctx, http.MethodGet, "/ocular/v1/groups", nil, &out); err != nil {
		return nil, err
	}
	return wire.GroupInfos(out), nil
}

// Group implements core.Admin.
func (s *Session) Group(ctx context.Context, nameOrID string) (core.GroupInfo, error) {
	if nameOrID == "" {
		return core.GroupInfo{}, core.Errorf("group", core.Invalid, "give a group name or ID")
	}
	var out wire.GroupInfo
	if err := s.call(ctx, http.MethodGet, "/ocular/v1/groups/"+url.PathEscape(nameOrID), nil, &out); err != nil {
		return core.GroupInfo{}, err
	}
	return out.Core(), nil
}

// SetGroupLevel implements core.Admin.
func (s *Session) SetGroupLevel(ctx context.Context, group core.ID, level core.Level) error {
	return s.call(ctx, http.MethodPut, groupPath(group)+"/level", map[string]core.Level{"level": level}, nil)
}

// SetPrivileges implements core.Admin.
func (s *Session) SetPrivileges(ctx context.Context, user core.ID, privileges []core.Privilege) error {
	return s.call(ctx, http.MethodPut, userPath(user)+"/privileges", map[string][]core.Privilege{"privileges": privileges}, nil)
}

// UpdateUser implements core.Admin.
func (s *Session) UpdateUser(ctx context.Context, user core.ID, first, last, email, institution string) error {
	return s.call(ctx, http.MethodPatch, userPath(user), map[string]string{"firstName": first, "lastName": last,
		"email": email, "institution": institution}, nil)
}

// UpdateGroup implements core.Admin.
func (s *Session) UpdateGroup(ctx context.Context, group core.ID, name, description string) error {
	return s.call(ctx, http.MethodPatch, groupPath(group), map[string]string{"name": name, "description": description}, nil)
}
