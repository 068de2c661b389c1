package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestUserJoinLeaveGroup(t *testing.T) {
	c := newLab(t)
	out := c.ok("user", "joingroup", "--name", "solo", "bob", "carol")
	if !strings.Contains(out, "Added to bob, carol solo") {
		t.Errorf("joingroup said %q", out)
	}
	if info := c.ok("user", "info", "bob"); !strings.Contains(info, "groups=user, lab, solo\n") {
		t.Errorf("bob after joingroup:\n%s", info)
	}
	c.ok("user", "joingroup", "--name", "solo", "bob", "--as-owner")
	if info := c.ok("user", "info", "bob"); !strings.Contains(info, "solo (owner)") {
		t.Errorf("--as-owner:\n%s", info)
	}
	var infos []struct{ Username string }
	if err := json.Unmarshal([]byte(c.ok("user", "leavegroup", "--name", "solo", "carol", "--json")), &infos); err != nil || len(infos) != 1 || infos[0].Username != "carol" {
		t.Errorf("leavegroup --json: %+v %v", infos, err)
	}
	if info := c.ok("user", "info", "carol"); strings.Contains(info, "solo") {
		t.Errorf("carol still in solo:\n%s", info)
	}
}

func TestUserMembershipRulesChangeNothing(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	ada := c.as("ada") // PI of lab
	c.unchanged(func() {
		// dan's only real group is solo.
		c.failsWith(ExitError, "must stay in at least one group", "user", "leavegroup", "--name", "solo", "dan")
		// one bad user in the list: nobody is added.
		c.failsWith(ExitError, `user "nosuch" not found`, "user", "joingroup", "--name", "solo", "bob", "nosuch")
		c.failsWith(ExitUsage, "--name GROUP", "user", "joingroup", "bob")
		bob.failsWith(ExitError, "only an owner", "user", "joingroup", "--name", "lab", "dan")
		ada.failsWith(ExitError, "only an owner", "user", "joingroup", "--name", "solo", "bob")
		c.failsWith(ExitError, "not a member", "user", "setdefaultgroup", "--name", "solo", "bob")
		c.failsWith(ExitError, "cannot be a default group", "user", "setdefaultgroup", "--name", "user", "bob")
	})
	// A PI manages their own group's members.
	ada.ok("user", "joingroup", "--name", "lab", "dan")
}

func TestUserSetDefaultGroup(t *testing.T) {
	c := newLab(t)
	c.ok("user", "joingroup", "--name", "solo", "bob")
	out := c.ok("user", "setdefaultgroup", "--name", "solo", "bob")
	if !strings.Contains(out, "The default group of bob is now solo") {
		t.Errorf("setdefaultgroup said %q", out)
	}
	bob := c.as("bob")
	if who := bob.ok("whoami"); !strings.Contains(who, "group:      solo") {
		t.Errorf("bob's login did not start in solo:\n%s", who)
	}
	// Without USER it is your own.
	bob.ok("user", "setdefaultgroup", "--name", "lab")
	if info := c.ok("user", "info", "bob"); !strings.Contains(info, "defaultGroup=lab\n") {
		t.Errorf("own setdefaultgroup:\n%s", info)
	}
}
