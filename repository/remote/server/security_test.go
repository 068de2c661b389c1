package server_test

// The security suite: every registered route is probed as a user who may not
// see the objects it names. The answer must equal the answer for an ID that
// does not exist (status and body), so a server never tells a user that an
// object exists in a group they are not in. Routes are also called with no
// session, a logged-out session, an expired session and, for browsers, a
// forged CSRF token; each must be refused the same way as OMERO.web does
// ("Not logged in", 403) and change nothing.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// secWorld is the fixture: carol owns one object of every class in her
// private group; bob, in another group, probes with his own session.
type secWorld struct {
	svc    core.Service
	dir    string
	srv    *server.Server
	ts     *httptest.Server
	bobKey string
	hidden map[string]core.ID // wildcard name -> an ID bob may not see
}

// missingID is an ID no object has in the fixture.
const missingID = 987654

func newSecWorld(t testing.TB) *secWorld {
	t.Helper()
	ctx := context.Background()
	svc, dir := testrepo.New(t)
	root := testrepo.Root(t, svc)
	carolLab, err := root.CreateGroup(ctx, "carol-lab", core.Private, "")
	if err != nil {
		t.Fatal(err)
	}
	bobLab, err := root.CreateGroup(ctx, "bob-lab", core.ReadWrite, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		g    core.ID
	}{{"carol", carolLab.ID}, {"bob", bobLab.ID}} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u.name, FirstName: u.name, LastName: "Lab",
			Password: "pw-" + u.name, Groups: []core.ID{u.g}}); err != nil {
			t.Fatal(err)
		}
	}
	carol := testrepo.Login(t, svc, "carol", "pw-carol")
	bob := testrepo.Login(t, svc, "bob", "pw-bob")
	w := &secWorld{svc: svc, dir: dir, bobKey: bob.Key(), hidden: map[string]core.ID{}}
	mk := func(class core.Class, fields map[string]string) core.ObjectView {
		t.Helper()
		v, err := carol.Create(ctx, class, fields)
		if err != nil {
			t.Fatalf("carol creates %s: %v", class, err)
		}
		return v
	}
	p := mk(core.Project, map[string]string{"name": "secret project"})
	d := mk(core.Dataset, map[string]string{"name": "secret dataset"})
	img := mk(core.Image, map[string]string{"name": "secret image"})
	mk(core.DatasetImageLink, map[string]string{"parent": d.Ref.String(), "child": img.Ref.String()})
	mk(core.ProjectDatasetLink, map[string]string{"parent": p.Ref.String(), "child": d.Ref.String()})
	s := mk(core.Screen, map[string]string{"name": "secret screen"})
	tag := mk(core.TagAnnotation, map[string]string{"textValue": "secret tag"})
	w.hidden["project"], w.hidden["dataset"], w.hidden["image"] = p.Ref.ID, d.Ref.ID, img.Ref.ID
	w.hidden["screen"], w.hidden["annotation"] = s.Ref.ID, tag.Ref.ID
	if pl, err := carol.Create(ctx, core.Plate, map[string]string{"name": "secret plate"}); err == nil {
		w.hidden["plate"] = pl.Ref.ID
	}
	f, err := carol.Upload(ctx, "secret.txt", strings.NewReader("secret"))
	if err != nil {
		t.Fatal(err)
	}
	w.hidden["file"] = f.Ref.ID
	w.srv = server.New(server.Config{Service: svc, UploadDir: filepath.Join(dir, "uploads")})
	w.ts = httptest.NewTLSServer(w.srv.Handler())
	t.Cleanup(w.ts.Close)
	return w
}

var wildcard = regexp.MustCompile(`\{([a-zA-Z]+)(\.\.\.)?\}`)

// split turns "GET /api/v0/m/images/{image}/" into its method and path.
func split(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return http.MethodGet, pattern
	}
	return method, path
}

// fill substitutes the route's wildcards: class-named ones by id(name),
// others by a harmless value.
func fill(path string, id func(name string) (core.ID, bool)) (string, bool) {
	classed := false
	path = strings.ReplaceAll(path, "{$}", "") // the end of a path, as ServeMux writes it
	out := wildcard.ReplaceAllStringFunc(path, func(m string) string {
		name := wildcard.FindStringSubmatch(m)[1]
		if v, ok := id(name); ok {
			classed = true
			return fmt.Sprint(v)
		}
		return "1"
	})
	return out, classed
}

type answer struct {
	status int
	body   string
}

func (w *secWorld) do(t *testing.T, method, path string, header map[string]string, cookies ...*http.Cookie) answer {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost || method == http.MethodPut {
		body = strings.NewReader("{}")
	}
	req, err := http.NewRequest(method, w.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := w.ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return answer{resp.StatusCode, string(b)}
}

// classNames are the wildcard names that stand for object IDs.
var classNames = map[string]bool{"image": true, "dataset": true, "project": true, "screen": true,
	"plate": true, "well": true, "annotation": true, "file": true}

// TestHiddenEqualsMissing: on every route naming an object, an object in a
// group the caller is not in answers exactly like one that does not exist.
func TestHiddenEqualsMissing(t *testing.T) {
	w := newSecWorld(t)
	probed := 0
	for _, r := range w.srv.Routes() {
		if !r.Authed {
			continue
		}
		method, pattern := split(r.Pattern)
		if !wildcard.MatchString(pattern) {
			continue
		}
		hiddenPath, classed := fill(pattern, func(n string) (core.ID, bool) {
			id, ok := w.hidden[strings.ToLower(n)]
			return id, ok
		})
		if !classed {
			continue // no class wildcard, or no fixture object of that class
		}
		missingPath, _ := fill(pattern, func(n string) (core.ID, bool) {
			return missingID, classNames[strings.ToLower(n)]
		})
		hdr := map[string]string{wire.SessionHeader: w.bobKey}
		hid := w.do(t, method, hiddenPath, hdr)
		mis := w.do(t, method, missingPath, hdr)
		// A message may name the ID asked for; compare with the IDs blanked.
		norm := func(a answer, path string) answer {
			for _, m := range regexp.MustCompile(`\d+`).FindAllString(path, -1) {
				a.body = regexp.MustCompile(`\b`+m+`\b`).ReplaceAllString(a.body, "N")
			}
			return a
		}
		if h, m := norm(hid, hiddenPath), norm(mis, missingPath); h != m {
			t.Errorf("%s: a hidden object answers %d %q, a missing one %d %q", r.Pattern, h.status, h.body, m.status, m.body)
		}
		// A list filtered by a parent is empty for a hidden parent, as for
		// a missing one (OMERO's answer); nothing of the object may show.
		if strings.Contains(hid.body, "secret") {
			t.Errorf("%s: bob sees carol's private data (%s): %d %.200s", r.Pattern, hiddenPath, hid.status, hid.body)
		}
		probed++
	}
	t.Logf("%d routes naming objects probed", probed)
}

// TestNoSessionIsRefused: every route needing a session refuses a request
// with none, with an unknown key, with a logged-out key and with an expired
// one, as OMERO.web's "Not logged in".
func TestNoSessionIsRefused(t *testing.T) {
	w := newSecWorld(t)
	ctx := context.Background()
	gone := testrepo.Login(t, w.svc, "bob", "pw-bob")
	if err := gone.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	expired := testrepo.Login(t, w.svc, "bob", "pw-bob")
	expire(t, w.svc, expired.Key())
	keys := map[string]string{"no session": "", "an unknown key": strings.Repeat("ab", 24),
		"a logged-out key": gone.Key(), "an expired key": expired.Key()}
	for _, r := range w.srv.Routes() {
		if !r.Authed {
			continue
		}
		method, pattern := split(r.Pattern)
		path, _ := fill(pattern, func(n string) (core.ID, bool) { return 1, classNames[strings.ToLower(n)] })
		for what, key := range keys {
			hdr := map[string]string{}
			if key != "" {
				hdr[wire.SessionHeader] = key
			}
			a := w.do(t, method, path, hdr)
			if a.status != http.StatusForbidden || !strings.Contains(a.body, "Not logged in") {
				t.Errorf("%s with %s: %d %.200s, want 403 Not logged in", r.Pattern, what, a.status, a.body)
			}
		}
	}
}

// expire moves a session's expiry into the past in the repository, as time
// passing would.
func expire(t *testing.T, svc core.Service, key string) {
	t.Helper()
	// Through the store, so that the test runs on either engine.
	err := svc.(*inprocess.Service).Store().Write(context.Background(), func(tx core.Tx) error {
		s, err := tx.Session(key)
		if err != nil {
			return err
		}
		s.Expires = time.UnixMilli(946684800000) // 2000-01-01
		return tx.UpdateSession(s)
	})
	if err != nil {
		t.Fatalf("expire: %v", err)
	}
}

// TestForgedCSRFIsRefused: a browser's session cookie alone cannot change
// anything: every unsafe route needs the CSRF token that matches the
// csrftoken cookie.
func TestForgedCSRFIsRefused(t *testing.T) {
	w := newSecWorld(t)
	session := &http.Cookie{Name: wire.SessionCookie, Value: w.bobKey}
	csrf := &http.Cookie{Name: wire.CSRFCookie, Value: "the-real-token"}
	for _, r := range w.srv.Routes() {
		method, pattern := split(r.Pattern)
		if !r.Authed || method == http.MethodGet || method == http.MethodHead {
			continue
		}
		path, _ := fill(pattern, func(n string) (core.ID, bool) { return 1, classNames[strings.ToLower(n)] })
		for what, hdr := range map[string]map[string]string{
			"no token":     {},
			"forged token": {wire.CSRFHeader: "forged"},
		} {
			a := w.do(t, method, path, hdr, session, csrf)
			if a.status != http.StatusForbidden || !strings.Contains(a.body, "CSRF") {
				t.Errorf("%s with a cookie and %s: %d %.200s, want 403 CSRF", r.Pattern, what, a.status, a.body)
			}
		}
	}
}
