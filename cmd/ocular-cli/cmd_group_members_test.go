package main

import (
	"strings"
	"testing"
)

func TestGroupMemberVerbs(t *testing.T) {
	c := newLab(t)
	if out := c.ok("group", "adduser", "--name", "solo", "bob", "carol"); !strings.Contains(out, "Added bob, carol (group solo)") {
		t.Errorf("adduser said %q", out)
	}
	if out := c.ok("group", "addowner", "--name", "solo", "carol"); !strings.Contains(out, "Made owners: carol") {
		t.Errorf("addowner said %q", out)
	}
	// addowner adds a non-member too.
	c.ok("group", "add", "new", "--type", "read-only")
	c.ok("group", "addowner", "--name", "new", "ada")
	if info := c.ok("user", "info", "ada"); !strings.Contains(info, "new (owner)") {
		t.Errorf("addowner of a non-member:\n%s", info)
	}
	carol := c.as("carol")
	carol.ok("group", "adduser", "--name", "solo", "ada") // a PI adds members
	c.ok("group", "removeowner", "--name", "solo", "carol")
	c.unchanged(func() {
		carol.failsWith(ExitError, "only an owner", "group", "adduser", "--name", "solo", "bob")
	})
	if out := c.ok("group", "removeuser", "--name", "solo", "bob", "ada"); !strings.Contains(out, "Removed bob, ada (group solo)") {
		t.Errorf("removeuser said %q", out)
	}
	info := c.ok("group", "info", "solo")
	if strings.Contains(info, "bob") || strings.Contains(info, " ada ") || !strings.Contains(info, "carol") {
		t.Errorf("solo after removeuser:\n%s", info)
	}
	if json := c.ok("group", "adduser", "--name", "solo", "bob", "--as-owner", "--json"); !strings.Contains(json, `"username":"bob"`) || !strings.Contains(json, `"owner":true`) {
		t.Errorf("adduser --as-owner --json = %s", json)
	}
}

func TestGroupMemberVerbsBadInput(t *testing.T) {
	c := newLab(t)
	c.unchanged(func() {
		c.failsWith(ExitError, "must stay in at least one group", "group", "removeuser", "--name", "solo", "dan")
		c.failsWith(ExitError, "is not a member", "group", "removeowner", "--name", "solo", "bob")
		c.failsWith(ExitError, `group "nosuch" not found`, "group", "adduser", "--name", "nosuch", "bob")
		c.failsWith(ExitError, `user "zed" not found`, "group", "adduser", "--name", "solo", "bob", "zed")
		c.failsWith(ExitUsage, "missing arguments", "group", "adduser", "--name", "solo")
	})
}
