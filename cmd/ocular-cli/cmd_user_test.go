package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestUserAddListInfo(t *testing.T) {
	c := newLab(t)
	out := c.ok("user", "add", "eve", "Eve", "Nurse", "--group-name", "solo", "--group-name", "lab",
		"-P", "pw", "--email", "eve@lab.org", "-i", "Institut Pasteur", "--json")
	var e struct {
		ID           int64
		Username     string
		Email        string
		DefaultGroup int64
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil || e.Username != "eve" || e.Email != "eve@lab.org" {
		t.Fatalf("user add --json = %s (%v)", out, err)
	}
	info := c.ok("user", "info", "eve")
	for _, want := range []string{"username=eve", "firstName=Eve", "email=eve@lab.org", "institution=Institut Pasteur",
		"defaultGroup=solo", "role=user", "groups=user, lab, solo"} {
		if !strings.Contains(info, want+"\n") {
			t.Errorf("user info lacks %q:\n%s", want, info)
		}
	}
	list := c.ok("user", "list")
	if !strings.Contains(list, "eve ") || !strings.Contains(list, "Eve Nurse") || !strings.HasPrefix(list, "ID ") {
		t.Errorf("user list:\n%s", list)
	}
	var users []struct{ Username string }
	if err := json.Unmarshal([]byte(c.ok("user", "list", "--json")), &users); err != nil || len(users) != 7 {
		t.Errorf("user list --json: %d users (%v), want root, guest, ada, bob, carol, dan, eve", len(users), err)
	}
	// The new user logs in with the password given.
	c.terminal().ok("login", "-u", "eve", "-w", "pw")
}

func TestUserAddAdmins(t *testing.T) {
	c := newLab(t)
	c.ok("user", "add", "boss", "Big", "Boss", "--group-name", "lab", "-P", "pw", "-a")
	if info := c.ok("user", "info", "boss"); !strings.Contains(info, "role=admin\n") {
		t.Errorf("-a did not make a full admin:\n%s", info)
	}
	c.ok("user", "add", "helper", "Help", "Er", "--group-name", "lab", "-P", "pw", "-a", "--privileges", "Chown,Sudo")
	info := c.ok("user", "info", "helper")
	if !strings.Contains(info, "role=restricted admin\n") || !strings.Contains(info, "privileges=Chown,Sudo\n") {
		t.Errorf("restricted admin:\n%s", info)
	}
	c.unchanged(func() {
		c.failsWith(ExitUsage, "add -a/--admin", "user", "add", "x", "X", "Y", "--group-name", "lab", "-P", "pw", "--privileges", "Chown")
		c.failsWith(ExitError, `unknown privilege "Fly"`, "user", "add", "x", "X", "Y", "--group-name", "lab", "-P", "pw", "-a", "--privileges", "Chown,Fly")
	})
}

func TestUserAddBadInputChangesNothing(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	c.unchanged(func() {
		c.failsWith(ExitError, `group "nolab" not found`, "user", "add", "x", "X", "Y", "--group-name", "nolab", "-P", "pw")
		c.failsWith(ExitUsage, "--group-name GROUP", "user", "add", "x", "X", "Y", "-P", "pw")
		c.failsWith(ExitError, "already exists", "user", "add", "ada", "A", "L", "--group-name", "lab", "-P", "pw")
		c.failsWith(ExitError, "not valid", "user", "add", "a b", "A", "L", "--group-name", "lab", "-P", "pw")
		c.failsWith(ExitUsage, "not a terminal", "user", "add", "x", "X", "Y", "--group-name", "lab")
		c.failsWith(ExitUsage, "missing arguments", "user", "add", "x", "X")
		bob.failsWith(ExitError, "ModifyUser privilege", "user", "add", "x", "X", "Y", "--group-name", "lab", "-P", "pw")
		c.failsWith(ExitError, `user "nobody" not found`, "user", "info", "nobody")
	})
}

func TestUserPassword(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	// Own password: the old one is needed.
	bob.unchanged(func() {
		bob.failsWith(ExitError, "the current password is wrong", "user", "password", "--old-password", "nope", "--password", "new1")
		bob.failsWith(ExitUsage, "not a terminal", "user", "password", "--password", "new1")
	})
	bob.ok("user", "password", "--old-password", "pw", "--password", "new1")
	c.terminal().ok("login", "-u", "bob", "-w", "new1")
	c.terminal().failsWith(ExitError, "wrong username or password", "login", "-u", "bob", "-w", "pw")
	// With -u/-w the login password is the old one; -w keeps meaning the login password.
	c.terminal().ok("-u", "bob", "-w", "new1", "user", "password", "--password", "new2")
	// Prompted: old once, new twice.
	bob.passwords = []string{"new2", "new3", "new3"}
	bob.ok("user", "password")
	// An administrator sets anyone's password without the old one.
	c.ok("user", "password", "bob", "--password", "reset")
	c.terminal().ok("login", "-u", "bob", "-w", "reset")
	// A user cannot set another user's.
	carol := c.as("carol")
	c.unchanged(func() {
		carol.failsWith(ExitError, "ModifyUser privilege", "user", "password", "bob", "--password", "x")
	})
	out := c.ok("user", "password", "carol", "--password", "x", "--json")
	if strings.TrimSpace(out) != `{"user":"carol","passwordChanged":true}` {
		t.Errorf("user password --json = %s", out)
	}
}

func TestUserPrivileges(t *testing.T) {
	c := newLab(t)
	c.ok("user", "add", "helper", "Help", "Er", "--group-name", "lab", "-P", "pw", "-a", "--privileges", "Chown")
	out := c.ok("user", "privileges", "helper", "--set", "Chown,WriteOwned")
	if !strings.Contains(out, "helper now holds: Chown,WriteOwned") {
		t.Errorf("user privileges said %q", out)
	}
	helper := c.as("helper")
	c.unchanged(func() {
		c.failsWith(ExitError, "is not an administrator", "user", "privileges", "bob", "--set", "Chown")
		c.failsWith(ExitUsage, "--set", "user", "privileges", "helper")
		c.failsWith(ExitError, "unknown privilege", "user", "privileges", "helper", "--set", "Everything")
		helper.failsWith(ExitError, "ModifyUser", "user", "privileges", "helper", "--set", "Chown,WriteOwned,Sudo")
	})
	c.ok("user", "privileges", "helper", "--set", "")
	if info := c.ok("user", "info", "helper"); !strings.Contains(info, "role=restricted admin") {
		t.Errorf("no privileges:\n%s", info)
	}
}
