package inprocess

import (
	"sync"

	"github.com/ocular-lab/ocular/core"
)

// unsavedSessions holds the sessions a Login could not write to the
// repository (a full disk, a read-only copy) when the caller allowed it
// (AllowUnsavedSessions): they live in this process only, so the desktop
// app and one-command CLI logins (-u) still browse and read.
type unsavedSessions struct {
	allowed bool
	mu      sync.Mutex
	recs    map[string]core.SessionRecord
}

// AllowUnsavedSessions lets Login succeed, with a session valid in this
// process only, when the repository cannot store the session (the disk is
// full): the desktop app and one-command logins use it; `ocular-cli login`,
// whose key later processes resume, does not. Set it before the service is
// shared.
func (s *Service) AllowUnsavedSessions(on bool) { s.unsaved.allowed = on }

func (u *unsavedSessions) get(key string) (core.SessionRecord, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	rec, ok := u.recs[key]
	return rec, ok
}

func (u *unsavedSessions) put(rec core.SessionRecord) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.recs == nil {
		u.recs = map[string]core.SessionRecord{}
	}
	u.recs[rec.Key] = rec
}

// drop forgets key and reports whether it was an unsaved session.
func (u *unsavedSessions) drop(key string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	_, ok := u.recs[key]
	delete(u.recs, key)
	return ok
}

// sessionRecord is the record of key: an unsaved one of this process, or
// the repository's.
func (s *Service) sessionRecord(tx core.Tx, key string) (core.SessionRecord, error) {
	if rec, ok := s.unsaved.get(key); ok {
		return rec, nil
	}
	return tx.Session(key)
}
