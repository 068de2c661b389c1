package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestChown(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	d := bob.mk("Dataset", "name=Bob's data")
	bob.mk("Project", "name=Bob's project")
	c.unchanged(func() {
		bob.failsWith(ExitError, "only an owner", "chown", "carol", d)
		c.as("ada").failsWith(ExitError, "not a member", "chown", "dan", d) // a PI gives only to members
		c.as("ada").failsWith(ExitError, "not found", "chown", "nobody", d)
		out := c.as("ada").ok("chown", "carol", d, "--dry-run")
		if !strings.Contains(out, "Will be transferred: 1 Dataset") {
			t.Errorf("dry run said %q", out)
		}
	})
	c.as("ada").ok("chown", "carol", d)
	var u struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal([]byte(c.ok("user", "info", "bob", "--json")), &u); err != nil {
		t.Fatal(err)
	}
	// All of bob's data: only the project is left.
	out := c.ok("chown", "carol", fmt.Sprintf("Experimenter:%d", u.ID), "--dry-run")
	if !strings.Contains(out, "Will be transferred: 1 Project") {
		t.Errorf("chown Experimenter:ID dry run said %q", out)
	}
	c.ok("chown", "carol", fmt.Sprintf("Experimenter:%d", u.ID))
	if !strings.Contains(c.as("carol").ok("tree", "--owner", "carol"), "Bob's project") {
		t.Error("carol should own bob's project now")
	}
}
