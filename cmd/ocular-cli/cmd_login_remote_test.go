package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// remoteCLI runs ocular-cli in-process with no --repo, as a user of a
// server does, with its own saved-session file.
type remoteCLI struct {
	t       *testing.T
	config  string
	answers []bool // answers to "Trust this server?"; nil: no terminal
	asked   []string
}

func newRemoteCLI(t *testing.T) *remoteCLI {
	return &remoteCLI{t: t, config: filepath.Join(t.TempDir(), "session.json")}
}

func (c *remoteCLI) run(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, ConfigPath: c.config,
		Getenv: func(k string) string { return map[string]string{"OCULAR_TEST_FAST_HASH": "1"}[k] }}
	if c.answers != nil {
		m.Confirm = func(prompt string) (bool, error) {
			if len(c.answers) == 0 {
				c.t.Fatalf("unexpected question %q", prompt)
			}
			c.asked = append(c.asked, prompt)
			a := c.answers[0]
			c.answers = c.answers[1:]
			return a, nil
		}
	}
	code = m.Run(context.Background(), args)
	return out.String(), errb.String(), code
}

// failsWith checks the command fails with status 1 and an error sentence
// mentioning want, and returns standard error.
func (c *remoteCLI) failsWith(want string, args ...string) string {
	c.t.Helper()
	out, errs, code := c.run(args...)
	if code != ExitError || !strings.Contains(errs, "error: ") || !strings.Contains(errs, want) {
		c.t.Fatalf("ocular-cli %s: exit %d, want 1 with an error mentioning %q\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out, errs)
	}
	return errs
}

func (c *remoteCLI) ok(args ...string) string {
	c.t.Helper()
	out, errs, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("ocular-cli %s: exit %d\nstderr: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

func (c *remoteCLI) saved() (cliconfig.Session, bool) {
	c.t.Helper()
	s, ok, err := cliconfig.Load(c.config)
	if err != nil {
		c.t.Fatal(err)
	}
	return s, ok
}

// labServer serves a copy of the lab repository over TLS in this process,
// as `serve` does (the same serverConfig), and returns its address and the
// fingerprint of its certificate.
func labServer(t *testing.T) (url, fp string) {
	t.Helper()
	c := newLab(t)
	svc, err := local.Open(context.Background(), c.repo)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(server.New(serverConfig(svc, c.repo)).Handler())
	t.Cleanup(func() { ts.Close(); svc.Close() })
	return ts.URL, remote.Fingerprint(ts.Certificate())
}

// TestServerFirstContact: a server seen for the first time is trusted only
// by someone who saw its fingerprint: a script is told to pass
// --fingerprint, a terminal user is asked, and "no" saves nothing.
func TestServerFirstContact(t *testing.T) {
	url, fp := labServer(t)
	c := newRemoteCLI(t)
	errs := c.failsWith("--fingerprint "+fp, "--server", url, "login", "-u", "ada", "-w", "pw")
	if !strings.Contains(errs, "not known yet") {
		t.Errorf("the refusal does not say the server is not known yet: %s", errs)
	}
	if _, ok := c.saved(); ok {
		t.Error("a refused first contact saved a session")
	}

	c.answers = []bool{false}
	errs = c.failsWith("was not trusted", "login", "-s", url, "-u", "ada", "-w", "pw")
	if !strings.Contains(errs, "Certificate fingerprint: "+fp) {
		t.Errorf("the question was asked without showing the fingerprint:\n%s", errs)
	}
	if len(c.asked) != 1 || c.asked[0] != "Trust this server? [y/N] " {
		t.Errorf("asked %q, want \"Trust this server? [y/N] \"", c.asked)
	}
	if _, ok := c.saved(); ok {
		t.Error("an untrusted server's login was saved")
	}

	// A fingerprint that is not the server's is refused, whoever typed it.
	c.answers = nil
	c.failsWith("not the SHA256:00 given with --fingerprint", "--server", url, "login", "-u", "ada", "-w", "pw", "--fingerprint", "SHA256:00")

	// A one-off command (-u) cannot trust a server by itself.
	c.failsWith("log in to it first", "--server", url, "-u", "ada", "-w", "pw", "tree")
}

// TestServerLoginThenVerbs: after `login -s URL`, answered yes on the
// terminal, the address, the pin and the key are saved and later verbs run
// against the server with no --repo; logout ends the session there.
// (It needs the login routes on the wire.)
func TestServerLoginThenVerbs(t *testing.T) {
	url, fp := labServer(t)
	c := newRemoteCLI(t)
	c.answers = []bool{true}
	out := c.ok("login", "-s", url, "-u", "ada", "-w", "pw")
	if !strings.Contains(out, "Logged in as ada") || !strings.Contains(out, url) {
		t.Errorf("login said %q", out)
	}
	s, ok := c.saved()
	if !ok || !cliconfig.SameServer(s.Server, url) || s.Fingerprint != fp || s.Key == "" || s.Repository != "" {
		t.Fatalf("saved %+v, want the server %s with the pin %s and a key", s, url, fp)
	}
	if out := c.ok("whoami"); !strings.Contains(out, "ada") || !strings.Contains(out, "server:") {
		t.Errorf("whoami against the server: %q", out)
	}
	c.ok("tree")
	c.ok("obj", "list", "Project")
	// Verbs that need the folder say so.
	c.failsWith("--repo DIR", "repair")
	out = c.ok("logout")
	if !strings.Contains(out, "Logged out ada") {
		t.Errorf("logout said %q", out)
	}
	if _, ok := c.saved(); ok {
		t.Error("logout left the session saved")
	}
	// The key no longer works on the server.
	if err := cliconfig.Save(c.config, s); err != nil {
		t.Fatal(err)
	}
	c.failsWith("has ended or expired", "tree")
}

// TestServerCertificateChanged: a server whose certificate is no longer
// the pinned one is refused, by later verbs and by login alike.
func TestServerCertificateChanged(t *testing.T) {
	url, fp := labServer(t)
	c := newRemoteCLI(t)
	old := "SHA256:" + strings.Repeat("0", 64)
	if err := cliconfig.Save(c.config, cliconfig.Session{Server: url, Fingerprint: old, Key: "k", Username: "ada"}); err != nil {
		t.Fatal(err)
	}
	errs := c.failsWith("has changed", "tree")
	if !strings.Contains(errs, old) || !strings.Contains(errs, fp) {
		t.Errorf("the refusal does not name both fingerprints: %s", errs)
	}
	c.failsWith("nothing was saved", "login", "-u", "ada", "-w", "pw")
	if s, _ := c.saved(); s.Fingerprint != old {
		t.Errorf("the pin was changed to %s by a refused login", s.Fingerprint)
	}
}

// TestServerLocalOnlyVerbs: verbs that work on a folder refuse a server
// with a sentence saying to use --repo; --repo wins over a saved server.
func TestServerLocalOnlyVerbs(t *testing.T) {
	c := newRemoteCLI(t)
	if err := cliconfig.Save(c.config, cliconfig.Session{Server: "https://lab.example:4080", Fingerprint: "SHA256:ab", Key: "k", Username: "ada"}); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "station.yaml")
	os.WriteFile(cfg, []byte("folders: []\n"), 0o600)
	for _, args := range [][]string{
		{"init", "--root-password", "x"}, {"repair"}, {"demo"}, {"watch", "--config", cfg}, {"serve", "--listen", "127.0.0.1:0"},
	} {
		c.failsWith("logged in to the server https://lab.example:4080", args...)
		c.failsWith("give the folder with --repo DIR", args...)
	}
	c.failsWith("instead of --server", "--server", "https://lab.example:4080", "init", "--root-password", "x")
	lab := newLab(t)
	if _, errs, code := c.run("--repo", lab.repo, "--server", "https://lab.example:4080", "tree"); code != ExitUsage || !strings.Contains(errs, "not both") {
		t.Errorf("--repo with --server: exit %d, %s", code, errs)
	}
	c.failsWith("you are logged in to https://lab.example:4080, not to", "--repo", lab.repo, "tree")
}

// TestServerBadAddresses: a wrong address, something that is not an Ocular
// server, a newer server and a server that is down each get remote.Dial's
// sentence.
func TestServerBadAddresses(t *testing.T) {
	c := newRemoteCLI(t)
	c.failsWith("is not a server address", "--server", "ftp://lab.example", "login", "-u", "ada", "-w", "pw")
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) }))
	defer other.Close()
	c.failsWith("it is not an Ocular server", "--server", other.URL, "login", "-u", "ada", "-w", "pw")
	newer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ocular-Protocol", "99")
	}))
	defer newer.Close()
	c.failsWith("runs a newer Ocular", "--server", newer.URL, "login", "-u", "ada", "-w", "pw")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	c.failsWith("cannot reach the server", "--server", down, "login", "-u", "ada", "-w", "pw")
	c.failsWith("you are not logged in to "+down, "--server", down, "tree")

	// Logging out of a server that is down forgets the key here and says
	// the session ends there when it expires.
	if err := cliconfig.Save(c.config, cliconfig.Session{Server: down, Key: "k", Username: "ada"}); err != nil {
		t.Fatal(err)
	}
	out, errs, code := c.run("logout")
	if code != 0 || !strings.Contains(out, "Logged out ada") || !strings.Contains(errs, "ends there when it expires") {
		t.Errorf("logout from a server that is down: exit %d\n%s%s", code, out, errs)
	}
	if _, ok := c.saved(); ok {
		t.Error("the key was kept")
	}
}
