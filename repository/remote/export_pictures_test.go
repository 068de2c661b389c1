package remote

// PicturesSession is a Session on key, for the tests of the rendering
// routes (which do not need the wire's login).
func PicturesSession(svc *Service, key string) *Session { return &Session{svc: svc, key: key} }
