package remote

// Logging in, resuming, logging out and the session's group, over
// /ocular/v1/ (repository/remote/server/routes_auth.go).

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// Login implements core.Service.
func (s *Service) Login(ctx context.Context, username, password, group string) (core.Session, error) {
	var out wire.Session
	err := s.Call(ctx, http.MethodPost, "/ocular/v1/login", "", 0,
		wire.LoginRequest{Username: username, Password: password, Group: group}, &out)
	if err != nil {
		return nil, err
	}
	return &Session{svc: s, login: &login{key: out.Key, user: out.Me.User.Username, group: out.Me.Group.ID}}, nil
}

// Sudo implements core.Service.
func (s *Service) Sudo(ctx context.Context, admin, password, asUser, group string) (core.Session, error) {
	var out wire.Session
	err := s.Call(ctx, http.MethodPost, "/ocular/v1/sudo", "", 0,
		wire.SudoRequest{Admin: admin, Password: password, AsUser: asUser, Group: group}, &out)
	if err != nil {
		return nil, err
	}
	return &Session{svc: s, login: &login{key: out.Key, user: out.Me.User.Username, sudoer: admin, group: out.Me.Group.ID}}, nil
}

// Resume implements core.Service: the server checks the key (and its
// expiry) and says whose it is.
func (s *Service) Resume(ctx context.Context, key string) (core.Session, error) {
	var st wire.SessionState
	if err := s.Call(ctx, http.MethodGet, "/ocular/v1/session", key, 0, nil, &st); err != nil {
		return nil, err
	}
	return &Session{svc: s, login: &login{key: key, user: st.User, group: st.Group}}, nil
}

// Close releases idle connections. Sessions stay open on the server (the
// CLI resumes them later); Logout ends one.
func (s *Service) Close() error {
	s.hc.CloseIdleConnections()
	return nil
}

// Key implements core.Session.
func (s *Session) Key() string { return s.currentKey() }

// Logout implements core.Session: the server ends the session at once.
func (s *Session) Logout(ctx context.Context) error {
	return s.call(ctx, http.MethodPost, "/ocular/v1/logout", nil, nil)
}

// Relogin logs the session's user in again with password (for a Sudo
// session, the administrator's) in the session's group and swaps the key in
// place: every holder of this Session, and of Sessions InGroup made from it,
// goes on with the new key. The desktop calls it when a session expired, so
// its windows keep their state. The old key is not logged out: it has
// expired, or it is still another program's.
func (s *Session) Relogin(ctx context.Context, password string) error {
	l := s.login
	l.mu.RLock()
	user, sudoer, group := l.user, l.sudoer, l.group
	l.mu.RUnlock()
	g := strconv.FormatInt(int64(group), 10)
	var ns core.Session
	var err error
	if sudoer != "" {
		ns, err = s.svc.Sudo(ctx, sudoer, password, user, g)
	} else {
		ns, err = s.svc.Login(ctx, user, password, g)
	}
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.key = ns.(*Session).currentKey()
	l.mu.Unlock()
	return nil
}

// Me implements core.Session. Me.Repository is the server's address.
func (s *Session) Me(ctx context.Context) (core.Me, error) {
	var m wire.Me
	if err := s.call(ctx, http.MethodGet, "/ocular/v1/me", nil, &m); err != nil {
		return core.Me{}, err
	}
	return m.Core(s.currentKey(), s.svc.address), nil
}

// SetGroup implements core.Session. On a Session made by InGroup it changes
// that Session only (the server checks the group, stores nothing).
func (s *Session) SetGroup(ctx context.Context, group core.ID) error {
	if s.inGroup {
		c := &Session{svc: s.svc, login: s.login, group: group, inGroup: true}
		if err := c.check(ctx); err != nil {
			return err
		}
		s.group = group
		return nil
	}
	if err := s.call(ctx, http.MethodPut, "/ocular/v1/me/group", idBody{group}, nil); err != nil {
		return err
	}
	s.login.mu.Lock()
	s.login.group = group
	s.login.mu.Unlock()
	return nil
}

// InGroup implements core.Session: a copy of the Session whose requests
// carry X-Ocular-Group. The server checks the group now, as in-process.
func (s *Session) InGroup(ctx context.Context, group core.ID) (core.Session, error) {
	if group == 0 {
		// A header of 0 means none on this wire.
		return nil, core.Errorf("switch group", core.Unsupported, "working in the system group is not available through a server; switch to it with SetGroup")
	}
	c := &Session{svc: s.svc, login: s.login, group: group, inGroup: true}
	if err := c.check(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// check asks the server whether this session may work in its group (the
// server's middleware applies X-Ocular-Group through core's InGroup).
func (s *Session) check(ctx context.Context) error {
	return s.call(ctx, http.MethodGet, "/ocular/v1/session", nil, nil)
}

type idBody struct {
	ID core.ID `json:"id"`
}
