package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// clock is a test clock moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// browser is a TLS test server and a client with a cookie jar, as a page of
// OMERO.web's would use it.
type browser struct {
	t   *testing.T
	ts  *httptest.Server
	hc  *http.Client
	clk *clock
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	svc, _ := testrepo.New(t)
	ctx := context.Background()
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"ada", "bob"} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw-" + u, Groups: []core.ID{g.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	clk := &clock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	ts := httptest.NewTLSServer(server.New(server.Config{Service: svc, Now: clk.now}).Handler())
	t.Cleanup(ts.Close)
	hc := ts.Client()
	hc.Jar, _ = cookiejar.New(nil)
	return &browser{t: t, ts: ts, hc: hc, clk: clk}
}

// do sends a request and returns the status and the body.
func (b *browser) do(method, path, contentType, body string, header map[string]string) (int, string, http.Header) {
	b.t.Helper()
	req, err := http.NewRequest(method, b.ts.URL+path, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out), resp.Header
}

func (b *browser) token() string {
	b.t.Helper()
	code, body, _ := b.do("GET", "/api/v0/token/", "", "", nil)
	var tok struct{ Data string }
	if code != 200 || json.Unmarshal([]byte(body), &tok) != nil || tok.Data == "" {
		b.t.Fatalf("GET /api/v0/token/ = %d %s", code, body)
	}
	return tok.Data
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.ts.URL)
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestOMEROLoginSetsACookieSessionWithCSRF logs in as OMERO.web's JSON API
// does (token first, then the form), uses the cookie, and logs out.
func TestOMEROLoginSetsACookieSessionWithCSRF(t *testing.T) {
	b := newBrowser(t)
	if code, _, h := b.do("GET", "/api/v0/login/", "", "", nil); code != http.StatusMethodNotAllowed || h.Get("Allow") != "POST" {
		t.Errorf("GET on login = %d (Allow %q), want 405", code, h.Get("Allow"))
	}
	form := url.Values{"username": {"ada"}, "password": {"pw-ada"}, "server": {"1"}}.Encode()
	if code, body, _ := b.do("POST", "/api/v0/login/", "application/x-www-form-urlencoded", form, nil); code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
		t.Errorf("login without the CSRF token = %d %s, want 403 saying CSRF", code, body)
	}
	tok := b.token()
	csrf := map[string]string{wire.CSRFHeader: tok}
	code, body, _ := b.do("POST", "/api/v0/login/", "application/x-www-form-urlencoded",
		url.Values{"username": {"ada"}, "password": {"wrong"}}.Encode(), csrf)
	var fail struct{ Message string }
	if code != http.StatusForbidden || json.Unmarshal([]byte(body), &fail) != nil || fail.Message == "" {
		t.Errorf("a wrong password = %d %s, want 403 {\"message\":...}", code, body)
	}
	code, body, h := b.do("POST", "/api/v0/login/", "application/x-www-form-urlencoded", form, csrf)
	var ok struct {
		Success      bool
		EventContext struct {
			UserName       string
			GroupName      string
			SessionUuid    string
			MemberOfGroups []int
		}
	}
	if code != 200 || json.Unmarshal([]byte(body), &ok) != nil || !ok.Success || ok.EventContext.UserName != "ada" || ok.EventContext.GroupName != "lab" {
		t.Fatalf("login = %d %s", code, body)
	}
	set := strings.Join(h.Values("Set-Cookie"), "\n")
	if !strings.Contains(set, "sessionid=") || !strings.Contains(set, "HttpOnly") || !strings.Contains(set, "Secure") || !strings.Contains(set, "SameSite=Lax") {
		t.Errorf("the session cookie is not HttpOnly, Secure and SameSite=Lax:\n%s", set)
	}
	if c := b.cookie(wire.SessionCookie); c == nil || c.Value != ok.EventContext.SessionUuid {
		t.Errorf("session cookie %v, want the session %q", c, ok.EventContext.SessionUuid)
	}
	// JSON works as well as the form (omero-web#607).
	if code, body, _ := b.do("POST", "/api/v0/login/", "application/json", `{"username":"bob","password":"pw-bob","server":1}`, csrf); code != 200 || !strings.Contains(body, `"userName":"bob"`) {
		t.Errorf("JSON login = %d %s", code, body)
	}
	b.do("POST", "/api/v0/login/", "application/json", `{"username":"ada","password":"pw-ada"}`, csrf)

	if code, body, _ := b.do("GET", "/ocular/v1/me", "", "", nil); code != 200 || !strings.Contains(body, `"username":"ada"`) {
		t.Errorf("GET me with the cookie = %d %s", code, body)
	}
	if code, body, _ := b.do("PUT", "/ocular/v1/me/group", "application/json", `{"id":1}`, nil); code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
		t.Errorf("a PUT with the cookie but no CSRF token = %d %s, want 403", code, body)
	}
	if code, _, _ := b.do("POST", "/webclient/logout/", "", "", map[string]string{wire.CSRFHeader: "forged-" + tok}); code != http.StatusForbidden {
		t.Errorf("logout with a forged CSRF token = %d, want 403", code)
	}
	key := b.cookie(wire.SessionCookie).Value
	if code, body, _ := b.do("POST", "/webclient/logout/", "", "", csrf); code != 200 {
		t.Errorf("logout = %d %s", code, body)
	}
	if c := b.cookie(wire.SessionCookie); c != nil {
		t.Errorf("the session cookie is still set after logout: %v", c)
	}
	if code, body, _ := b.do("GET", "/ocular/v1/me", "", "", map[string]string{wire.SessionHeader: key}); code != http.StatusForbidden || !strings.Contains(body, "Not logged in") {
		t.Errorf("the key after logout = %d %s, want 403 Not logged in", code, body)
	}
}

// TestFailedLoginsAreRateLimited: after 5 failures in a minute a user must
// wait, even with the right password, and is told how long; the wait ends.
func TestFailedLoginsAreRateLimited(t *testing.T) {
	b := newBrowser(t)
	login := func(user, pw string) (int, string) {
		code, body, _ := b.do("POST", "/ocular/v1/login", "application/json", `{"username":"`+user+`","password":"`+pw+`"}`, nil)
		return code, body
	}
	for i := range 5 {
		if code, _ := login("ada", "guess"); code != http.StatusForbidden {
			t.Fatalf("failure %d = %d, want 403", i+1, code)
		}
	}
	code, body := login("ada", "pw-ada")
	if code != http.StatusTooManyRequests || !strings.Contains(body, "too many failed logins; wait 12 seconds") {
		t.Errorf("after 5 failures = %d %s, want 429 saying to wait 12 seconds", code, body)
	}
	// Another user from the same address is not locked out by ada's failures.
	if code, body := login("bob", "pw-bob"); code != 200 {
		t.Errorf("bob = %d %s", code, body)
	}
	b.clk.add(12 * time.Second)
	if code, body := login("ada", "pw-ada"); code != 200 {
		t.Errorf("after the wait = %d %s, want 200", code, body)
	}
	// Guessing across many users from one address is limited too.
	for i := range 30 {
		login("nobody"+strings.Repeat("x", i), "guess")
	}
	if code, body := login("bob", "pw-bob"); code != http.StatusTooManyRequests {
		t.Errorf("after 30 failures from one address = %d %s, want 429", code, body)
	}
}

// TestUnknownOcularRouteSaysSo: a route this server lacks answers a sentence
// in the error shape, so a newer client can tell the user to update.
func TestUnknownOcularRouteSaysSo(t *testing.T) {
	b := newBrowser(t)
	code, body, _ := b.do("GET", "/ocular/v1/teleport", "", "", nil)
	got := wire.Decode(code, []byte(body))
	if code != http.StatusNotFound || !core.Is(core.Unsupported, got) || !strings.Contains(core.UserMessage(got), "update the server") {
		t.Errorf("unknown route = %d %s", code, body)
	}
}
