package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/ocular-lab/ocular/app/cliconfig"
)

// goEnv is the environment before TestMain changed it, for running the go
// command (its module and build caches live under the real HOME).
var goEnv []string

// testRoot is the package's temporary folder, removed when the tests end.
var testRoot string

// TestMain points every location the CLI might touch at a temporary folder,
// so no test reads or writes the real user's repository or session.
func TestMain(m *testing.M) {
	runAsCLIIfAsked() // a test started this binary as ocular-cli (hostile_test.go)
	goEnv = os.Environ()
	tmp, err := os.MkdirTemp("", "ocular-cli-test-")
	if err != nil {
		panic(err)
	}
	testRoot = tmp
	for k, sub := range map[string]string{"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data", "OCULAR_REPO": "repo"} {
		os.Setenv(k, filepath.Join(tmp, sub))
	}
	code := m.Run()
	os.RemoveAll(tmp) // the lab template too
	os.Exit(code)
}

// testCLI runs ocular-cli in-process against one temporary repository, with
// its own saved-session file (one "terminal").
type testCLI struct {
	t         *testing.T
	repo      string
	config    string
	passwords []string          // answers to password prompts, in order; nil: no terminal
	env       map[string]string // extra environment variables
}

func newCLI(t *testing.T) *testCLI {
	t.Helper()
	d := t.TempDir()
	return &testCLI{t: t, repo: filepath.Join(d, "repo"), config: filepath.Join(d, "config", "session.json")}
}

// terminal is another terminal on the same repository: its own saved session.
func (c *testCLI) terminal() *testCLI {
	return &testCLI{t: c.t, repo: c.repo, config: filepath.Join(c.t.TempDir(), "session.json")}
}

func (c *testCLI) run(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	m := &Main{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if v, ok := c.env[k]; ok {
				return v
			}
			return map[string]string{"OCULAR_TEST_FAST_HASH": "1"}[k]
		},
		ConfigPath: c.config,
	}
	if c.passwords != nil {
		m.ReadPassword = func(prompt string) (string, error) {
			if len(c.passwords) == 0 {
				c.t.Fatalf("unexpected password prompt %q", prompt)
			}
			pw := c.passwords[0]
			c.passwords = c.passwords[1:]
			return pw, nil
		}
	}
	code = m.Run(context.Background(), append([]string{"--repo", c.repo}, args...))
	return out.String(), errb.String(), code
}

// ok runs a command that must succeed and returns its standard output.
func (c *testCLI) ok(args ...string) string {
	c.t.Helper()
	out, errs, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("ocular-cli %s: exit %d\nstderr: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// fails runs a command that must fail with status code; it checks the error
// is one "error: ..." sentence (plus a usage line for status 2) and returns
// the error line.
func (c *testCLI) fails(code int, args ...string) string {
	c.t.Helper()
	out, errs, got := c.run(args...)
	if got != code {
		c.t.Fatalf("ocular-cli %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), got, code, out, errs)
	}
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	want := 1
	if code == ExitUsage {
		want = 2
	}
	if len(lines) != want || !strings.HasPrefix(lines[0], "error: ") {
		c.t.Fatalf("ocular-cli %s: stderr is not %d line(s) starting with 'error: ':\n%s", strings.Join(args, " "), want, errs)
	}
	if code == ExitUsage && !strings.HasPrefix(lines[1], "usage: ") {
		c.t.Fatalf("ocular-cli %s: no usage line:\n%s", strings.Join(args, " "), errs)
	}
	return lines[0]
}

// failsWith is fails plus a check that the message mentions want.
func (c *testCLI) failsWith(code int, want string, args ...string) {
	c.t.Helper()
	msg := c.fails(code, args...)
	if !strings.Contains(msg, want) {
		c.t.Fatalf("ocular-cli %s: error %q does not mention %q", strings.Join(args, " "), msg, want)
	}
}

// unchanged runs fn and fails the test if the repository's data (every
// table but the login sessions) differs afterwards.
func (c *testCLI) unchanged(fn func()) {
	c.t.Helper()
	before := dbSnapshot(c.t, c.repo)
	fn()
	if after := dbSnapshot(c.t, c.repo); after != before {
		c.t.Fatalf("the repository changed although the command failed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// dbSnapshot dumps every row of every table except sessions.
func dbSnapshot(t *testing.T, repo string) string {
	t.Helper()
	db := openDB(t, repo)
	defer db.Close()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('session') AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var b strings.Builder
	for _, tb := range tables {
		r, err := db.Query("SELECT * FROM " + tb)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := r.Columns()
		var lines []string
		for r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			r.Scan(ptrs...)
			lines = append(lines, fmt.Sprint(vals...))
		}
		r.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "%s: %d rows\n%s\n", tb, len(lines), strings.Join(lines, "\n"))
	}
	var v int
	db.QueryRow("PRAGMA user_version").Scan(&v)
	fmt.Fprintf(&b, "user_version %d\n", v)
	return b.String()
}

func openDB(t *testing.T, repo string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(repo, "ocular.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// newLab gives each test its own copy of the repository most tests start
// from, logged in as root: a read-annotate group "lab" with ada (owner/PI),
// bob and carol, and a private group "solo" with dan. Users' passwords are
// "pw", root's is "omero". The template is built once, through the CLI, and
// copied, which keeps the package's tests fast.
func newLab(t *testing.T) *testCLI {
	t.Helper()
	labOnce.Do(func() { buildLabTemplate(t) })
	if labTemplate == nil {
		t.Fatal("the lab template repository could not be built (see the first failing test)")
	}
	c := newCLI(t)
	if err := copyDir(labTemplate.repo, c.repo); err != nil {
		t.Fatal(err)
	}
	saved, ok, err := cliconfig.Load(labTemplate.config)
	if err != nil || !ok {
		t.Fatal("template session:", err)
	}
	saved.Repository = cliconfig.CanonicalPath(c.repo)
	if err := cliconfig.Save(c.config, saved); err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	labOnce     sync.Once
	labTemplate *testCLI
)

func buildLabTemplate(t *testing.T) {
	d, err := os.MkdirTemp(testRoot, "lab-")
	if err != nil {
		t.Fatal(err)
	}
	c := &testCLI{t: t, repo: filepath.Join(d, "repo"), config: filepath.Join(d, "session.json")}
	c.ok("init", "--root-password", "omero")
	c.ok("login", "-u", "root", "-w", "omero")
	c.ok("group", "add", "lab", "--type", "read-annotate")
	c.ok("group", "add", "solo", "--type", "private")
	c.ok("user", "add", "ada", "Ada", "Lovelace", "--group-name", "lab", "-P", "pw")
	c.ok("user", "add", "bob", "Bob", "Crick", "--group-name", "lab", "-P", "pw")
	c.ok("user", "add", "carol", "Carol", "Greider", "--group-name", "lab", "-P", "pw")
	c.ok("user", "add", "dan", "Dan", "Shechtman", "--group-name", "solo", "-P", "pw")
	c.ok("group", "addowner", "--name", "lab", "ada")
	labTemplate = c
}

// copyDir copies a closed repository folder.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// as returns a terminal logged in as user (password "pw").
func (c *testCLI) as(user string) *testCLI {
	c.t.Helper()
	o := c.terminal()
	o.ok("login", "-u", user, "-w", "pw")
	return o
}

func TestUsageErrors(t *testing.T) {
	c := newCLI(t)
	c.failsWith(ExitUsage, "no verb", []string{}...)
	c.failsWith(ExitUsage, `unknown verb "frobnicate"`, "frobnicate")
	c.failsWith(ExitUsage, "needs a subcommand: add, info", "user")
	c.failsWith(ExitUsage, `unknown verb "obj frob"`, "obj", "frob")
	c.failsWith(ExitUsage, "unknown flag: --nope", "obj", "list", "Project", "--nope")
	c.failsWith(ExitUsage, "missing arguments", "obj", "new")
	c.failsWith(ExitUsage, "too many arguments: extra", "user", "info", "ada", "extra")
	c.failsWith(ExitUsage, "-w gives the password of -u", "-w", "pw", "obj", "list", "Project")
}

func TestHelp(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		out := c.ok(args...)
		for _, verb := range []string{"init", "login", "user add", "group perms", "obj new", "perms", "tree", "version"} {
			if !strings.Contains(out, "  "+verb+" ") {
				t.Errorf("%v: the verb list lacks %q:\n%s", args, verb, out)
			}
		}
	}
	out := c.ok("user", "add", "--help")
	for _, want := range []string{"usage: ocular-cli user add USERNAME FIRST LAST", "--group-name", "-P, --userpassword", "--json"} {
		if !strings.Contains(out, want) {
			t.Errorf("user add --help lacks %q:\n%s", want, out)
		}
	}
	if out := c.ok("help", "obj", "new"); !strings.HasPrefix(out, "usage: ocular-cli obj new CLASS field=value...") {
		t.Errorf("help obj new:\n%s", out)
	}
	if out := c.ok("help", "group"); !strings.Contains(out, "group perms") {
		t.Errorf("help group:\n%s", out)
	}
}

func TestNotARepository(t *testing.T) {
	c := newCLI(t)
	c.failsWith(ExitError, "does not exist", "obj", "list", "Project")
	if err := os.MkdirAll(c.repo, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(c.repo, "notes.txt"), []byte("hello"), 0o644)
	c.failsWith(ExitError, "is not an Ocular repository", "-u", "root", "-w", "x", "whoami")
	entries, _ := os.ReadDir(c.repo)
	if len(entries) != 1 {
		t.Errorf("the folder was changed: %d entries", len(entries))
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	c := newCLI(t)
	c.ok("init", "--root-password", "omero")
	db, err := sql.Open("sqlite3", filepath.Join(c.repo, "ocular.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 9999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	c.unchanged(func() {
		c.failsWith(ExitError, "written by a newer version of Ocular", "login", "-u", "root", "-w", "omero")
	})
}
