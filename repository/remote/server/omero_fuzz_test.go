package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzOMEROSave posts arbitrary bodies to m/save/: the server answers
// 201 or a 4xx with a message, never a 5xx, and a refused body creates
// nothing.
func FuzzOMEROSave(f *testing.F) {
	for _, s := range []string{`{"@type":"Project","Name":"p"}`, `{"@type":"Dataset"}`, `{"@type":null}`, `{"@id":1e400,"@type":"Project"}`,
		`{"@type":"Screen","Name":"s","Description":["x"]}`, `{}`, `null`, `"x"`, `[[[[`, `{"@type":"` + string(make([]byte, 10)) + `"}`} {
		f.Add(s)
	}
	l := newLab(f)
	f.Fuzz(func(t *testing.T, body string) {
		l.t = t
		before := l.get("ada", "/api/v0/m/projects/")["meta"].(map[string]any)["totalCount"]
		st, m, _ := l.do("ada", "POST", "/api/v0/m/save/", body)
		if st >= 500 || (st != http.StatusCreated && (st < 400 || m["message"] == "")) {
			t.Fatalf("POST %q: %d %v", body, st, m)
		}
		after := l.get("ada", "/api/v0/m/projects/")["meta"].(map[string]any)["totalCount"]
		if st != http.StatusCreated && before != after {
			t.Fatalf("refused %q but projects went from %v to %v", body, before, after)
		}
	})
}

// FuzzOMEROListParams sends arbitrary query strings to a list route:
// 200 or 400 with a message, never more than maxLimit objects.
func FuzzOMEROListParams(f *testing.F) {
	for _, s := range []string{"limit=1", "offset=99999999999999999999", "limit=-5", "childCount=true&orphaned=1", "owner=-2", "group=%00", "dataset=1&project=2"} {
		f.Add(s)
	}
	l := newLab(f)
	f.Fuzz(func(t *testing.T, q string) {
		l.t = t
		v, err := url.ParseQuery(q)
		if err != nil {
			return // not a query string
		}
		q = v.Encode() // as a client sends it
		st, m, _ := l.do("ada", "GET", "/api/v0/m/datasets/?"+q, "")
		switch st {
		case http.StatusOK:
			if n := len(m["data"].([]any)); n > 500 {
				t.Fatalf("?%s: %d objects", q, n)
			}
		case http.StatusBadRequest:
			if m["message"] == "" {
				t.Fatalf("?%s: 400 without a message", q)
			}
		default:
			t.Fatalf("?%s: %d %v", q, st, m)
		}
	})
}
