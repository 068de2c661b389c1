package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// FuzzRequest sends arbitrary bodies and query strings to every route as a
// logged-in user. No input may panic the server or make it answer 5xx: a
// malformed request is the client's mistake (4xx with a sentence).
func FuzzRequest(f *testing.F) {
	f.Add(uint16(0), "", []byte("{}"))
	f.Add(uint16(1), "limit=500&offset=-1", []byte(`{"@type":"Project","Name":"x"}`))
	f.Add(uint16(2), "c=1|0:255$FF0000,-2&m=c&p=intmax|0:3", []byte(`[[[[[[[[[[[[[[]]]]]]]]]]]]]]`))
	f.Add(uint16(3), "region=0,0,99999999,99999999&tile=9,9,9", []byte(`{"targets":[{"ref":"Image:1"}],"op":"chgrp"}`))
	f.Add(uint16(4), "id=1&id=2&id=x", []byte("\xff\xfe{"))
	w := newSecWorld(f)
	routes := w.srv.Routes()
	h := w.srv.Handler()
	f.Fuzz(func(t *testing.T, which uint16, query string, body []byte) {
		if len(routes) == 0 {
			return
		}
		r := routes[int(which)%len(routes)]
		method, pattern := split(r.Pattern)
		path, _ := fill(pattern, func(n string) (core.ID, bool) {
			id, ok := w.hidden[strings.ToLower(n)]
			if !ok && classNames[strings.ToLower(n)] {
				return missingID, true
			}
			return id, ok
		})
		if _, err := url.ParseQuery(query); err == nil && query != "" {
			path += "?" + query
		}
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(wire.SessionHeader, w.bobKey)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s %s with body %q: %d %.300s", method, path, body, rec.Code, rec.Body.String())
		}
	})
}
