package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/cliconfig"
)

func TestLoginWhoamiLogout(t *testing.T) {
	c := newLab(t)
	ada := c.terminal()
	out := ada.ok("login", "-u", "ada", "-w", "pw")
	if !strings.Contains(out, "Logged in as ada in group lab (read-annotate)") {
		t.Errorf("login said %q", out)
	}
	who := ada.ok("whoami")
	for _, want := range []string{"ada (Ada Lovelace)", "group:      lab (read-annotate)", "role:       user"} {
		if !strings.Contains(who, want) {
			t.Errorf("whoami lacks %q:\n%s", want, who)
		}
	}
	var me struct {
		User  struct{ Username string }
		Group struct{ Name, Type string }
		Admin bool
	}
	if err := json.Unmarshal([]byte(ada.ok("whoami", "--json")), &me); err != nil || me.User.Username != "ada" || me.Group.Name != "lab" || me.Group.Type != "read-annotate" || me.Admin {
		t.Errorf("whoami --json = %+v (%v)", me, err)
	}
	// The saved session is private to the user and holds no password.
	st, err := os.Stat(ada.config)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("session file: %v %v", st, err)
	}
	b, _ := os.ReadFile(ada.config)
	if strings.Contains(string(b), `"pw"`) || strings.Contains(strings.ToLower(string(b)), "password") {
		t.Errorf("the session file holds the password: %s", b)
	}
	if out := ada.ok("logout"); !strings.Contains(out, "Logged out ada") {
		t.Errorf("logout said %q", out)
	}
	ada.failsWith(ExitError, "you are not logged in", "whoami")
	if out := ada.ok("logout"); !strings.Contains(out, "Not logged in") {
		t.Errorf("second logout said %q", out)
	}
}

func TestLogoutEndsTheSessionInTheRepository(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	saved, _, _ := cliconfig.Load(ada.config)
	ada.ok("logout")
	// Putting the key back does not bring the session back.
	if err := cliconfig.Save(ada.config, saved); err != nil {
		t.Fatal(err)
	}
	ada.failsWith(ExitError, "has ended or expired; log in again", "whoami")
}

func TestWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	c := newLab(t)
	o := c.terminal()
	var msgs []string
	c.unchanged(func() {
		msgs = append(msgs, o.fails(ExitError, "login", "-u", "ada", "-w", "wrong"))
		msgs = append(msgs, o.fails(ExitError, "login", "-u", "nosuchuser", "-w", "wrong"))
		msgs = append(msgs, o.fails(ExitError, "-u", "ada", "-w", "wrong", "obj", "list", "Project"))
		msgs = append(msgs, o.fails(ExitError, "-u", "nosuchuser", "-w", "wrong", "obj", "list", "Project"))
	})
	for _, m := range msgs {
		if m != "error: wrong username or password" {
			t.Errorf("got %q, want the one message for both cases", m)
		}
	}
	if _, ok, _ := cliconfig.Load(o.config); ok {
		t.Error("a failed login saved a session")
	}
}

func TestOneOffLoginLeavesNoSession(t *testing.T) {
	c := newLab(t)
	count := func() int {
		return strings.Count(dbSnapshotSessions(t, c.repo), "\n")
	}
	before := count()
	o := c.terminal()
	o.ok("-u", "bob", "-w", "pw", "obj", "new", "Project", "name=P")
	if after := count(); after != before {
		t.Errorf("sessions before %d, after %d: the -u login was not ended", before, after)
	}
	if _, ok, _ := cliconfig.Load(o.config); ok {
		t.Error("-u saved a session")
	}
}

func TestSessionOfAnotherRepositoryIsNotUsed(t *testing.T) {
	c := newLab(t)
	other := newCLI(t)
	other.config = c.config // same user, same session file
	other.ok("init", "--root-password", "x")
	other.failsWith(ExitError, "you are logged in to", "whoami")
	// Logging in there replaces the saved session.
	other.ok("login", "-u", "root", "-w", "x")
	c.failsWith(ExitError, "you are logged in to", "whoami")
}

func TestLoginGroupAndDashG(t *testing.T) {
	c := newLab(t)
	c.ok("user", "joingroup", "--name", "solo", "bob")
	bob := c.terminal()
	bob.ok("login", "-u", "bob", "-w", "pw", "-g", "solo")
	if who := bob.ok("whoami"); !strings.Contains(who, "group:      solo (private)") {
		t.Fatalf("login -g solo:\n%s", who)
	}
	// -g with the saved session works in that group for one command only.
	ref := strings.TrimSpace(bob.ok("-g", "lab", "obj", "new", "Project", "name=InLab"))
	if got := strings.TrimSpace(bob.ok("obj", "get", ref, "groupName")); got != "lab" {
		t.Errorf("project made with -g lab is in %q", got)
	}
	if who := bob.ok("whoami"); !strings.Contains(who, "group:      solo (private)") {
		t.Errorf("-g changed the saved session's group:\n%s", who)
	}
	bob.failsWith(ExitError, `group "nosuch" not found`, "-g", "nosuch", "whoami")
	c.terminal().failsWith(ExitError, "not found", "login", "-u", "dan", "-w", "pw", "-g", "lab")
}

func TestLoginPrompts(t *testing.T) {
	c := newLab(t)
	o := c.terminal()
	o.passwords = []string{"pw"}
	o.ok("login", "-u", "carol")
	if !strings.Contains(o.ok("whoami"), "carol") {
		t.Error("not logged in as carol")
	}
	n := c.terminal()
	n.failsWith(ExitUsage, "not a terminal", "login", "-u", "carol")
	n.failsWith(ExitUsage, "give the user", "login")
}

// dbSnapshotSessions lists the session rows (one per line).
func dbSnapshotSessions(t *testing.T, repo string) string {
	t.Helper()
	db := openDB(t, repo)
	defer db.Close()
	rows, err := db.Query("SELECT key_hash FROM session")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var k string
		rows.Scan(&k)
		b.WriteString(k + "\n")
	}
	return b.String()
}

func TestSessionFileLocationDefault(t *testing.T) {
	// With no ConfigPath, the session goes to $XDG_CONFIG_HOME/ocular (set
	// to a temporary folder by TestMain), never elsewhere.
	p, err := cliconfig.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p, os.Getenv("XDG_CONFIG_HOME")) || filepath.Base(p) != "session.json" {
		t.Fatalf("default session path %s", p)
	}
}

// TestLoginSudo: `login -u USER --sudo ADMIN -w ADMIN_PASSWORD` (omero login --sudo) opens a
// session as USER (spec §3.3); what it creates is USER's. Only a full admin
// or a restricted one with Sudo may, and never as someone holding
// privileges they lack.
func TestLoginSudo(t *testing.T) {
	c := newLab(t)
	c.ok("user", "add", "importer", "Imp", "Orter", "--group-name", "lab", "-P", "ipw", "-a", "--privileges", "Sudo")
	c.ok("user", "add", "writer", "Wri", "Ter", "--group-name", "lab", "-P", "wpw", "-a", "--privileges", "WriteOwned")
	t1 := c.terminal()
	out := t1.ok("login", "-u", "bob", "-w", "ipw", "--sudo", "importer")
	if !strings.Contains(out, "Logged in as bob (sudo by importer) in group lab") {
		t.Errorf("login --sudo said %q", out)
	}
	if who := t1.ok("whoami"); !strings.Contains(who, "bob (Bob Crick)") || !strings.Contains(who, "role:       user") {
		t.Errorf("whoami after sudo:\n%s", who)
	}
	p := strings.TrimSpace(t1.ok("obj", "new", "Project", "name=for bob"))
	if owner := strings.TrimSpace(t1.ok("obj", "get", p, "ownerName")); owner != "Bob Crick" {
		t.Errorf("a project made through sudo belongs to %q, want Bob Crick", owner)
	}
	var me struct{ User struct{ Username string } }
	if err := json.Unmarshal([]byte(c.terminal().ok("login", "-u", "ada", "-w", "omero", "--sudo", "root", "-g", "lab", "--json")), &me); err != nil || me.User.Username != "ada" {
		t.Errorf("a full admin's login --sudo ada --json = %+v (%v)", me, err)
	}
	t2 := c.terminal()
	for _, tc := range []struct{ want, user, pw, as string }{
		{"Sudo privilege", "bob", "pw", "ada"},                   // not an administrator
		{"Sudo privilege", "writer", "wpw", "ada"},               // an administrator without Sudo
		{"only a full administrator", "importer", "ipw", "root"}, // no escalation
		{"privileges you lack (WriteOwned)", "importer", "ipw", "writer"},
		{"wrong username or password", "importer", "pw", "bob"}, // the user's password does not do
		{`user "nobody" not found`, "importer", "ipw", "nobody"},
	} {
		t2.failsWith(ExitError, tc.want, "login", "-u", tc.as, "-w", tc.pw, "--sudo", tc.user)
	}
	t2.failsWith(ExitError, "you are not logged in", "whoami")
	if out := c.ok("help", "login"); !strings.Contains(out, "--sudo") {
		t.Errorf("login --help does not document --sudo:\n%s", out)
	}
}
