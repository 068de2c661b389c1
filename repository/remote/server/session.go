package server

import (
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// sessionHandler is a route that needs a logged-in caller.
type sessionHandler func(w http.ResponseWriter, r *http.Request, sess core.Session)

// errNotLoggedIn is OMERO.web's answer to a request without a valid session.
var errNotLoggedIn = core.Errorf("", core.Auth, "Not logged in")

// sessionKey is the caller's key: the header of a program, else the cookie
// of a browser (then unsafe methods must carry the CSRF token too).
func sessionKey(r *http.Request) (key string, cookie bool) {
	if k := r.Header.Get(wire.SessionHeader); k != "" {
		return k, false
	}
	if c, err := r.Cookie(wire.SessionCookie); err == nil && c.Value != "" {
		return c.Value, true
	}
	return "", false
}

// authed resolves the caller's session for h: its key must name a live
// session of the repository (core checks expiry and logout on every
// request), and X-Ocular-Group runs this one request in another group.
func (s *Server) authed(h sessionHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, cookie := sessionKey(r)
		if key == "" {
			writeError(w, errNotLoggedIn)
			return
		}
		if cookie && !safeMethod(r.Method) && !s.csrfOK(r) {
			writeError(w, core.Errorf("", core.Permission, "CSRF token missing or incorrect"))
			return
		}
		sess, err := s.cfg.Service.Resume(r.Context(), key)
		if err != nil {
			if core.Is(core.Auth, err) || core.Is(core.NotFound, err) {
				err = errNotLoggedIn
			}
			writeError(w, err)
			return
		}
		if g := r.Header.Get(wire.GroupHeader); g != "" {
			id, perr := strconv.ParseInt(g, 10, 64)
			if perr != nil {
				writeError(w, core.Errorf("", core.Invalid, "%s must be a group ID", wire.GroupHeader))
				return
			}
			if sess, err = sess.InGroup(r.Context(), core.ID(id)); err != nil {
				writeError(w, err)
				return
			}
		}
		h(w, r, sess)
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfOK checks a browser's double-submitted CSRF token: the header (or
// form field) must equal the csrftoken cookie.
func (s *Server) csrfOK(r *http.Request) bool {
	c, err := r.Cookie(wire.CSRFCookie)
	if err != nil || c.Value == "" {
		return false
	}
	t := r.Header.Get(wire.CSRFHeader)
	if t == "" {
		t = r.FormValue("csrfmiddlewaretoken")
	}
	return t != "" && t == c.Value
}
