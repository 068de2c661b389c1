package remote

// SessionWithKey is a Session on svc for a key obtained elsewhere (a test
// logs in in-process): the tests of the graph and rendering routes need
// no wire login.
func SessionWithKey(svc *Service, key string) *Session { return &Session{svc: svc, key: key} }
