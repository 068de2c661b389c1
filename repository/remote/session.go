package remote

import (
	"context"
	"sync"

	"github.com/ocular-lab/ocular/core"
)

// Session is a logged-in session on a server. Its key can be replaced
// (after the user typed the password again for an expired session, see
// Relogin) without the holders of the Session noticing: the window keeps its
// state. Sessions made by InGroup share the login, and so its new key.
type Session struct {
	svc   *Service
	login *login
	// group, when inGroup, is sent with every request (X-Ocular-Group): the
	// server runs the request in that group, stores nothing.
	group   core.ID
	inGroup bool
}

// login is what the sessions of one login share: the key and what it takes
// to log in again.
type login struct {
	mu   sync.RWMutex
	key  string
	user string // the username, or the user sudo logged in as
	// sudoer is the administrator of a Sudo session ("" otherwise): Relogin
	// asks for their password.
	sudoer string
	// group is the login's group on the server (SetGroup moves it), where
	// Relogin logs in again.
	group core.ID
}

func (s *Session) currentKey() string {
	s.login.mu.RLock()
	defer s.login.mu.RUnlock()
	return s.login.key
}

// call is one JSON request of this session.
func (s *Session) call(ctx context.Context, method, path string, in, out any) error {
	var g core.ID
	if s.inGroup {
		g = s.group
	}
	return s.svc.Call(ctx, method, path, s.currentKey(), g, in, out)
}

// Every use case of core is on the wire.
var (
	_ core.Service = (*Service)(nil)
	_ core.Session = (*Session)(nil)
)
