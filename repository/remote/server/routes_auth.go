package server

// Sessions: logging in (OMERO.web's /api/v0/login/ for browsers and
// OMERO-style scripts, /ocular/v1/login for Ocular's own clients), sudo,
// resuming and logging out. Keys are core's: stored hashed in the
// repository, their idle expiry checked by core on every request.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// routesAuth registers the routes of routes_auth.go.
func (s *Server) routesAuth() {
	s.handlePublic("GET /api/v0/token/", s.token)
	s.handlePublic("POST /api/v0/login/", s.omeroLogin)
	// OMERO.web answers GET on login with 405; registered so that a broader
	// GET pattern of the JSON API cannot take it.
	s.handlePublic("GET /api/v0/login/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, wire.ErrorBody{Message: "log in with POST (username, password)"})
	})
	s.handlePublic("POST /ocular/v1/login", s.ocularLogin)
	s.handlePublic("POST /ocular/v1/sudo", s.ocularSudo)
	s.handle("GET /ocular/v1/session", s.sessionState)
	s.handle("POST /ocular/v1/logout", s.logout)
	s.handle("POST /webclient/logout/", s.logout)
}

// newToken is a random token (CSRF).
func newToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// csrfToken returns the caller's CSRF token, setting the cookie when it
// has none yet (Django's get_token).
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(wire.CSRFCookie); err == nil && len(c.Value) >= 16 && len(c.Value) <= 64 {
		return c.Value
	}
	t := newToken()
	// Readable by the page's scripts, which send it back in X-CSRFToken.
	http.SetCookie(w, &http.Cookie{Name: wire.CSRFCookie, Value: t, Path: "/", Secure: r.TLS != nil,
		SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	return t
}

// token is GET /api/v0/token/: {"data": token}.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"data": csrfToken(w, r)})
}

// clientAddress is the caller's IP (the peer's: forwarded headers are
// anyone's to write).
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limited runs login, counting its authentication failures against the
// user and the caller's address; while either has failed too often it
// answers 429 without trying.
func (s *Server) limited(w http.ResponseWriter, r *http.Request, username string, login func() (core.Session, error)) (core.Session, bool) {
	keys := []string{"user:" + strings.ToLower(strings.TrimSpace(username)), "addr:" + clientAddress(r)}
	if d := s.logins.wait(keys...); d > 0 {
		secs := int(math.Ceil(d.Seconds()))
		w.Header().Set("Retry-After", itoa(secs))
		writeJSON(w, http.StatusTooManyRequests, wire.ErrorBody{Op: "login", Kind: wire.KindName(core.Auth),
			Message: fmt.Sprintf("too many failed logins; wait %d seconds", secs)})
		return nil, false
	}
	sess, err := login()
	if err != nil {
		if core.Is(core.Auth, err) {
			s.logins.failed(keys...)
		}
		writeError(w, err)
		return nil, false
	}
	return sess, true
}

// omeroLogin is POST /api/v0/login/ as OMERO.web answers it: username and
// password form-encoded or as JSON (server is accepted and ignored: one
// server), the CSRF token required as for every POST of a browser. On
// success the session is set as the sessionid cookie.
func (s *Server) omeroLogin(w http.ResponseWriter, r *http.Request) {
	// Bound the form before the CSRF check parses it.
	r.Body = http.MaxBytesReader(w, r.Body, s.limits.MaxBody)
	if !s.csrfOK(r) {
		writeError(w, core.Errorf("login", core.Permission, "CSRF token missing or incorrect: GET /api/v0/token/ first and send it as X-CSRFToken"))
		return
	}
	var in struct {
		Username string          `json:"username"`
		Password string          `json:"password"`
		Server   json.RawMessage `json:"server"`
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		// Lenient, unlike Ocular's own routes: OMERO clients may send more
		// than these fields.
		b, err := io.ReadAll(r.Body) // bounded by MaxBytesReader above
		if err != nil {
			err = errBodyTooLarge
		} else {
			err = checkDepth(b, s.limits.MaxJSONDepth)
		}
		if err == nil && json.Unmarshal(b, &in) != nil {
			err = core.Errorf("login", core.Invalid, "send username and password form-encoded or as a JSON object")
		}
		if err != nil {
			writeError(w, err)
			return
		}
	} else {
		if err := r.ParseForm(); err != nil {
			writeError(w, core.Errorf("login", core.Invalid, "send username and password form-encoded or as JSON"))
			return
		}
		in.Username, in.Password = r.PostForm.Get("username"), r.PostForm.Get("password")
	}
	if in.Username == "" {
		writeError(w, core.Errorf("login", core.Invalid, "give a username and a password"))
		return
	}
	sess, ok := s.limited(w, r, in.Username, func() (core.Session, error) {
		return s.cfg.Service.Login(r.Context(), in.Username, in.Password, "")
	})
	if !ok {
		return
	}
	me, err := sess.Me(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: wire.SessionCookie, Value: sess.Key(), Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	csrfToken(w, r)
	leader := me.OwnedGroups
	if leader == nil {
		leader = []core.ID{}
	}
	member := me.MemberGroups
	if member == nil {
		member = []core.ID{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "eventContext": map[string]any{
		"sessionId": 0, "sessionUuid": sess.Key(), "userId": me.User.ID, "userName": me.User.Username,
		"groupId": me.Group.ID, "groupName": me.Group.Name, "isAdmin": me.Admin, "eventId": -1,
		"eventType": "User", "memberOfGroups": member, "leaderOfGroups": leader}})
}

// ocularLogin is POST /ocular/v1/login: wire.LoginRequest -> wire.Session.
func (s *Server) ocularLogin(w http.ResponseWriter, r *http.Request) {
	var in wire.LoginRequest
	if err := s.decodeJSON(r, &in); err != nil {
		writeError(w, err)
		return
	}
	sess, ok := s.limited(w, r, in.Username, func() (core.Session, error) {
		return s.cfg.Service.Login(r.Context(), in.Username, in.Password, in.Group)
	})
	if ok {
		s.answerSession(w, r, sess)
	}
}

// ocularSudo is POST /ocular/v1/sudo: wire.SudoRequest -> wire.Session.
// The failures counted are the administrator's.
func (s *Server) ocularSudo(w http.ResponseWriter, r *http.Request) {
	var in wire.SudoRequest
	if err := s.decodeJSON(r, &in); err != nil {
		writeError(w, err)
		return
	}
	sess, ok := s.limited(w, r, in.Admin, func() (core.Session, error) {
		return s.cfg.Service.Sudo(r.Context(), in.Admin, in.Password, in.AsUser, in.Group)
	})
	if ok {
		s.answerSession(w, r, sess)
	}
}

func (s *Server) answerSession(w http.ResponseWriter, r *http.Request, sess core.Session) {
	me, err := sess.Me(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, wire.Session{Key: sess.Key(), Me: wire.FromMe(me)})
}

// sessionState is GET /ocular/v1/session: the key is live (the middleware
// checked it); who it is and its group.
func (s *Server) sessionState(w http.ResponseWriter, r *http.Request, sess core.Session) {
	me, err := sess.Me(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, wire.SessionState{User: me.User.Username, Group: me.Group.ID})
}

// logout ends the session at once (POST /ocular/v1/logout, and OMERO's
// POST /webclient/logout/) and clears a browser's cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, sess core.Session) {
	if err := sess.Logout(r.Context()); err != nil {
		writeError(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: wire.SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: -1, Expires: time.Unix(0, 0)})
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}
