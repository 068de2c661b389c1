package server

// Ocular's own RPC under /ocular/v1/: the parts of core.Session OMERO.web
// has no route for. Each handler decodes, calls the caller's session (every
// rule is core's) and encodes core's answer in the wire's types, which carry
// what core's JSON leaves out. Objects are in routes_objects.go, files,
// annotations and watch records in routes_files.go.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// routesOcular registers the routes of routes_ocular.go, routes_objects.go
// and routes_files.go.
func (s *Server) routesOcular() {
	s.handle("GET /ocular/v1/me", s.me)
	s.handle("PUT /ocular/v1/me/group", s.setGroup)

	s.handle("GET /ocular/v1/users", s.users)
	s.handle("POST /ocular/v1/users", s.createUser)
	s.handle("GET /ocular/v1/users/{user}", s.user)
	s.handle("PATCH /ocular/v1/users/{user}", s.updateUser)
	s.handle("PUT /ocular/v1/users/{user}/password", s.setPassword)
	s.handle("PUT /ocular/v1/users/{user}/default-group", s.setDefaultGroup)
	s.handle("PUT /ocular/v1/users/{user}/privileges", s.setPrivileges)

	s.handle("GET /ocular/v1/groups", s.groups)
	s.handle("POST /ocular/v1/groups", s.createGroup)
	s.handle("GET /ocular/v1/groups/{group}", s.group)
	s.handle("PATCH /ocular/v1/groups/{group}", s.updateGroup)
	s.handle("PUT /ocular/v1/groups/{group}/level", s.setGroupLevel)
	s.handle("POST /ocular/v1/groups/{group}/members", s.addMembers)
	s.handle("POST /ocular/v1/groups/{group}/members/remove", s.removeMembers)

	s.routesObjects()
	s.routesFiles()

	// Anything else under the prefix: a client newer than this server asks
	// for something it does not have. Say so instead of a bare 404 page.
	s.handlePublic(wire.OcularPrefix, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, wire.ErrorBody{Kind: wire.KindName(core.Unsupported),
			Message: "this server has no " + r.Method + " " + r.URL.Path + "; it may be older than this Ocular: update the server"})
	})
}

// pathID reads the ID in wildcard name.
func pathID(r *http.Request, name string) (core.ID, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, core.Errorf("", core.Invalid, "%q is not an ID: give a number", v)
	}
	return core.ID(id), nil
}

// idAndBody reads the ID in wildcard name and decodes the body into a T.
func idAndBody[T any](s *Server, r *http.Request, name string) (core.ID, T, error) {
	var in T
	id, err := pathID(r, name)
	if err == nil {
		err = s.decodeJSON(r, &in)
	}
	return id, in, err
}

// answer writes v, or err.
func answer(w http.ResponseWriter, v any, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// done answers a call that returns nothing.
func done(w http.ResponseWriter, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, sess core.Session) {
	me, err := sess.Me(r.Context())
	answer(w, wire.FromMe(me), err)
}

// IDBody is a request naming one ID.
type IDBody struct {
	ID core.ID `json:"id"`
}

func (s *Server) setGroup(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var in IDBody
	if err := s.decodeJSON(r, &in); err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.SetGroup(r.Context(), in.ID))
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, sess core.Session) {
	us, err := sess.Users(r.Context())
	var out []wire.UserInfo
	if us != nil {
		out = make([]wire.UserInfo, len(us))
		for i, u := range us {
			out[i] = wire.FromUserInfo(u)
		}
	}
	answer(w, out, err)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var in core.NewUser
	if err := s.decodeJSON(r, &in); err != nil {
		writeError(w, err)
		return
	}
	e, err := sess.CreateUser(r.Context(), in)
	answer(w, wire.FromExperimenter(e), err)
}

func (s *Server) user(w http.ResponseWriter, r *http.Request, sess core.Session) {
	u, err := sess.User(r.Context(), r.PathValue("user"))
	answer(w, wire.FromUserInfo(u), err)
}

// UserUpdate is PATCH /ocular/v1/users/{user}'s body.
type UserUpdate struct {
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Email       string `json:"email"`
	Institution string `json:"institution"`
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, in, err := idAndBody[UserUpdate](s, r, "user")
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.UpdateUser(r.Context(), id, in.FirstName, in.LastName, in.Email, in.Institution))
}

// PasswordChange is PUT /ocular/v1/users/{user}/password's body.
type PasswordChange struct {
	Old string `json:"old"`
	New string `json:"new"`
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, in, err := idAndBody[PasswordChange](s, r, "user")
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.SetPassword(r.Context(), id, in.Old, in.New))
}

func (s *Server) setDefaultGroup(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, in, err := idAndBody[IDBody](s, r, "user")
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.SetDefaultGroup(r.Context(), id, in.ID))
}

// PrivilegesBody is PUT /ocular/v1/users/{user}/privileges's body.
type PrivilegesBody struct {
	Privileges []core.Privilege `json:"privileges"`
}

func (s *Server) setPrivileges(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, in, err := idAndBody[PrivilegesBody](s, r, "user")
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.SetPrivileges(r.Context(), id, in.Privileges))
}

func (s *Server) groups(w http.ResponseWriter, r *http.Request, sess core.Session) {
	gs, err := sess.Groups(r.Context())
	answer(w, wire.FromGroupInfos(gs), err)
}

// NewGroup is POST /ocular/v1/groups's body. The level travels as its
// number, so a level core does not know reaches core and is refused there
// with core's sentence.
type NewGroup struct {
	Name        string     `json:"name"`
	Level       core.Level `json:"level"`
	Description string     `json:"description"`
}

func (s *Server) createGroup(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var in NewGroup
	if err := s.decodeJSON(r, &in); err != nil {
		writeError(w, err)
		return
	}
	g, err := sess.CreateGroup(r.Context(), in.Name, in.Level, in.Description)
	answer(w, wire.FromGroup(g), err)
}

func (s *Server) group(w http.ResponseWriter, r *http.Request, sess core.Session) {
	g, err := sess.Group(r.Context(), r.PathValue("group"))
	answer(w, wire.FromGroupInfo(g), err)
}

// GroupUpdate is PATCH /ocular/v1/groups/{group}'s body.
type GroupUpdate struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (s *Server) updateGroup(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, in, err := idAndBody[GroupUpdate](s, r, "group")
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.UpdateGroup(r.Context(), id, in.Name, in.Description))
}

// LevelBody is PUT /ocular/v1/groups/{group}/level's body.
type LevelBody struct {
	Level core.Level `json:"level"`
}

func (s *Server) setGroupLevel(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, in, err := idAndBody[LevelBody](s, r, "group")
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.SetGroupLevel(r.Context(), id, in.Level))
}

// Members is the body of the membership routes: Owner adds as owners,
// OwnerOnly removes only ownership.
type Members struct {
	Users     []core.ID `json:"users"`
	Owner     bool      `json:"owner,omitempty"`
	OwnerOnly bool      `json:"ownerOnly,omitempty"`
}

func (s *Server) addMembers(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, in, err := idAndBody[Members](s, r, "group")
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.AddToGroup(r.Context(), id, in.Users, in.Owner))
}

func (s *Server) removeMembers(w http.ResponseWriter, r *http.Request, sess core.Session) {
	id, in, err := idAndBody[Members](s, r, "group")
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.RemoveFromGroup(r.Context(), id, in.Users, in.OwnerOnly))
}

// idName is the wildcard name of class's IDs: the class in lower case, but
// {annotation} for every annotation class and {file} for OriginalFile, the
// names the security suite substitutes.
func idName(c core.Class) string {
	switch {
	case c == core.OriginalFile:
		return "file"
	case strings.HasSuffix(string(c), "Annotation"):
		return "annotation"
	}
	return strings.ToLower(string(c))
}
