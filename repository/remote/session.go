package remote

import (
	"context"
	"sync"

	"github.com/ocular-lab/ocular/core"
)

// Session is a logged-in session on a server. Its key can be replaced
// (after the user typed the password again for an expired session) without
// the holders of the Session noticing: the window keeps its state.
type Session struct {
	svc   *Service
	mu    sync.RWMutex
	key   string
	group core.ID // not zero for a session made by InGroup: sent with every request
}

func (s *Session) currentKey() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.key
}

// call is one JSON request of this session.
func (s *Session) call(ctx context.Context, method, path string, in, out any) error {
	return s.svc.Call(ctx, method, path, s.currentKey(), s.group, in, out)
}
