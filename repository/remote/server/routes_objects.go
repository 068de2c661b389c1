package server

// core.Objects over the wire. Single objects live at
// /ocular/v1/objects/{Class}/{class}, one route per model class, so the ID
// wildcard is named after its class as every route's is (the security suite
// substitutes IDs by wildcard name); a class core does not model reaches
// core through the generic {class}/{id} route and is refused there with
// core's sentence, as in-process.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

func (s *Server) routesObjects() {
	s.handle("POST /ocular/v1/objects/{class}", s.createObject)
	s.handle("GET /ocular/v1/objects/{class}", s.listObjects)
	s.handle("GET /ocular/v1/browse", s.browse)
	s.handle("POST /ocular/v1/flags", s.flags)
	s.handle("POST /ocular/v1/delete", s.deleteObjects)

	one := func(method, suffix string, h func(http.ResponseWriter, *http.Request, core.Session, core.Ref)) {
		for _, c := range core.Classes() {
			name := idName(c)
			s.handle(fmt.Sprintf("%s /ocular/v1/objects/%s/{%s}%s", method, c, name, suffix), objectRoute(c, name, h))
		}
		s.handle(fmt.Sprintf("%s /ocular/v1/objects/{class}/{id}%s", method, suffix), objectRoute("", "id", h))
	}
	one("GET", "", s.getObject)
	one("PATCH", "", s.updateObject)
	one("GET", "/annotations", s.annotations)
	s.handle("GET /ocular/v1/objects/Image/{image}/details", objectRoute(core.Image, "image", s.imageDetails))
	s.handle("GET /ocular/v1/objects/{class}/{id}/details", objectRoute("", "id", s.imageDetails))
}

// objectRoute resolves the object a route names: class fixed by the route
// or read from {class}, ID from the wildcard idName.
func objectRoute(class core.Class, idName string, h func(http.ResponseWriter, *http.Request, core.Session, core.Ref)) sessionHandler {
	return func(w http.ResponseWriter, r *http.Request, sess core.Session) {
		c := class
		if c == "" {
			c = core.Class(r.PathValue("class"))
		}
		id, err := pathID(r, idName)
		if err != nil {
			writeError(w, err)
			return
		}
		h(w, r, sess, core.Ref{Class: c, ID: id})
	}
}

func (s *Server) createObject(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var fields map[string]string
	if err := s.decodeJSON(r, &fields); err != nil {
		writeError(w, err)
		return
	}
	v, err := sess.Create(r.Context(), core.Class(r.PathValue("class")), fields)
	answer(w, wire.FromView(v), err)
}

// queryID reads an ID parameter; absent is AnyID.
func queryID(r *http.Request, name string) (core.ID, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return core.AnyID, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, core.Errorf("", core.Invalid, "%s=%q is not an ID: give a number", name, v)
	}
	return core.ID(id), nil
}

func (s *Server) listObjects(w http.ResponseWriter, r *http.Request, sess core.Session) {
	owner, err := queryID(r, "owner")
	if err != nil {
		writeError(w, err)
		return
	}
	group, err := queryID(r, "group")
	if err != nil {
		writeError(w, err)
		return
	}
	vs, err := sess.List(r.Context(), core.Class(r.PathValue("class")), owner, group)
	answerViews(w, r, vs, err)
}

// browse is GET /ocular/v1/browse?group=&owner=&parent=Class:ID&fields=true.
func (s *Server) browse(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var req core.BrowseRequest
	var err error
	if req.Group, err = queryID(r, "group"); err != nil {
		writeError(w, err)
		return
	}
	if req.Owner, err = queryID(r, "owner"); err != nil {
		writeError(w, err)
		return
	}
	if p := r.URL.Query().Get("parent"); p != "" {
		if req.Parent, err = wire.ParseRef(p); err != nil {
			writeError(w, err)
			return
		}
	}
	req.Fields = r.URL.Query().Get("fields") == "true"
	vs, err := sess.Browse(r.Context(), req)
	answerViews(w, r, vs, err)
}

// answerViews answers a list of objects: in wire.ObjectsType when the
// client accepts it (Ocular's does: it is several times faster to write and
// read than JSON for a large dataset), else as JSON.
func answerViews(w http.ResponseWriter, r *http.Request, vs []core.ObjectView, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	if !strings.Contains(r.Header.Get("Accept"), wire.ObjectsType) {
		writeJSON(w, http.StatusOK, wire.FromViews(vs))
		return
	}
	b, err := wire.EncodeObjects(vs)
	if err != nil {
		writeError(w, core.E("encode", core.Internal, err))
		return
	}
	w.Header().Set("Content-Type", wire.ObjectsType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (s *Server) refs(r *http.Request) ([]core.Ref, error) {
	var in wire.Refs
	if err := s.decodeJSON(r, &in); err != nil {
		return nil, err
	}
	return wire.ParseRefs(in.Refs)
}

func (s *Server) flags(w http.ResponseWriter, r *http.Request, sess core.Session) {
	refs, err := s.refs(r)
	if err != nil {
		writeError(w, err)
		return
	}
	fs, err := sess.Flags(r.Context(), refs)
	var out []wire.ObjectFlags
	if fs != nil {
		out = make([]wire.ObjectFlags, len(fs))
		for i, f := range fs {
			out[i] = wire.ObjectFlags{ObjectFlags: f, Read: f.Read}
		}
	}
	answer(w, out, err)
}

func (s *Server) deleteObjects(w http.ResponseWriter, r *http.Request, sess core.Session) {
	refs, err := s.refs(r)
	if err != nil {
		writeError(w, err)
		return
	}
	done(w, sess.Delete(r.Context(), refs...))
}

func (s *Server) getObject(w http.ResponseWriter, r *http.Request, sess core.Session, ref core.Ref) {
	v, err := sess.Get(r.Context(), ref)
	answer(w, wire.FromView(v), err)
}

func (s *Server) updateObject(w http.ResponseWriter, r *http.Request, sess core.Session, ref core.Ref) {
	var fields map[string]string
	if err := s.decodeJSON(r, &fields); err != nil {
		writeError(w, err)
		return
	}
	v, err := sess.Update(r.Context(), ref, fields)
	answer(w, wire.FromView(v), err)
}

func (s *Server) imageDetails(w http.ResponseWriter, r *http.Request, sess core.Session, ref core.Ref) {
	p, chs, err := sess.ImageDetails(r.Context(), ref)
	answer(w, wire.ImageDetails{Pixels: p, Channels: chs}, err)
}

func (s *Server) annotations(w http.ResponseWriter, r *http.Request, sess core.Session, ref core.Ref) {
	as, err := sess.Annotations(r.Context(), ref)
	answer(w, wire.FromAnnotations(as), err)
}
