package remote

// SessionFromKey is a Session of this server for a key obtained elsewhere:
// a login made in-process by a test that serves the same repository, or a
// key kept from an earlier login. Nothing is checked until its first
// request, which the server refuses ("Not logged in") for a key it does not
// know.
func (s *Service) SessionFromKey(key string) *Session {
	return &Session{svc: s, login: &login{key: key}}
}
