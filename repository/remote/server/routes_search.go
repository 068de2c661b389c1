package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// routesSearch registers search (core.Searcher): POST with the request as
// JSON (what Ocular's client sends), or GET with query parameters for
// scripts and browsers.
func (s *Server) routesSearch() {
	s.handle("POST /ocular/v1/search", s.searchPost)
	s.handle("GET /ocular/v1/search", s.searchGet)
}

func (s *Server) searchPost(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var req core.SearchRequest
	if err := s.decodeJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	s.search(w, r, sess, req)
}

// searchGet reads ?query=&type=Image&type=Dataset&group=&owner=&from=&to=
// (YYYY-MM-DD or RFC 3339)&date=import|acquisition&offset=&limit=.
func (s *Server) searchGet(w http.ResponseWriter, r *http.Request, sess core.Session) {
	q := r.URL.Query()
	req := core.SearchRequest{Query: q.Get("query"), Group: core.AnyID, Owner: core.AnyID, DateField: q.Get("date")}
	for _, t := range q["type"] {
		req.Types = append(req.Types, core.Class(t))
	}
	ints := []struct {
		name string
		dst  *int
	}{{"offset", &req.Offset}, {"limit", &req.Limit}}
	for _, p := range ints {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				writeError(w, core.Errorf("search", core.Invalid, "%s must be a whole number, not %q", p.name, v))
				return
			}
			*p.dst = n
		}
	}
	ids := []struct {
		name string
		dst  *core.ID
	}{{"group", &req.Group}, {"owner", &req.Owner}}
	for _, p := range ids {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				writeError(w, core.Errorf("search", core.Invalid, "%s must be an ID, not %q", p.name, v))
				return
			}
			*p.dst = core.ID(n)
		}
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &req.From}, {"to", &req.To}} {
		if v := q.Get(p.name); v != "" {
			t, err := parseSearchDate(v)
			if err != nil {
				writeError(w, core.Errorf("search", core.Invalid, "%s: write the date as YYYY-MM-DD or in RFC 3339, not %q", p.name, v))
				return
			}
			*p.dst = t
		}
	}
	s.search(w, r, sess, req)
}

func parseSearchDate(v string) (time.Time, error) {
	if !strings.Contains(v, "T") {
		return time.Parse("2006-01-02", v)
	}
	return time.Parse(time.RFC3339, v)
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, sess core.Session, req core.SearchRequest) {
	res, err := sess.Search(r.Context(), req)
	if err != nil {
		writeError(w, err)
		return
	}
	if res.Hits == nil {
		res.Hits = []core.SearchHit{}
	}
	writeJSON(w, http.StatusOK, res)
}
