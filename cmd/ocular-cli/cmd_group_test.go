package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGroupAddListInfo(t *testing.T) {
	c := newLab(t)
	for typ, perms := range map[string]string{"private": "rw----", "read-only": "rwr---", "read-annotate": "rwra--", "read-write": "rwrw--"} {
		out := c.ok("group", "add", "g-"+typ, "--type", typ, "--description", "a "+typ+" group", "--json")
		var g struct {
			ID                             int64
			Name, Type, Perms, Description string
		}
		if err := json.Unmarshal([]byte(out), &g); err != nil || g.Type != typ || g.Perms != perms || g.Description != "a "+typ+" group" {
			t.Errorf("group add --type %s --json = %s (%v)", typ, out, err)
		}
	}
	c.ok("group", "add", "omero-style", "--perms", "rwra--")
	if info := c.ok("group", "info", "omero-style"); !strings.Contains(info, "type=read-annotate\n") {
		t.Errorf("--perms rwra--:\n%s", info)
	}
	c.ok("group", "add", "default-level")
	if info := c.ok("group", "info", "default-level"); !strings.Contains(info, "type=private\n") {
		t.Errorf("a group without --type is private, as in OMERO:\n%s", info)
	}
	list := c.ok("group", "list")
	for _, want := range []string{"NAME", "lab", "read-annotate", "rwra--", "g-read-write", "ada"} {
		if !strings.Contains(list, want) {
			t.Errorf("group list lacks %q:\n%s", want, list)
		}
	}
	info := c.ok("group", "info", "lab")
	for _, want := range []string{"name=lab\n", "type=read-annotate\n", "perms=rwra--\n", "ada", "Ada Lovelace", "yes", "bob"} {
		if !strings.Contains(info, want) {
			t.Errorf("group info lacks %q:\n%s", want, info)
		}
	}
	var gi struct {
		Name    string
		Members []struct {
			Username string
			Owner    bool
		}
	}
	if err := json.Unmarshal([]byte(c.ok("group", "info", "lab", "--json")), &gi); err != nil || len(gi.Members) != 3 {
		t.Errorf("group info --json: %+v %v", gi, err)
	}
}

func TestGroupAddBadInputChangesNothing(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	c.unchanged(func() {
		c.failsWith(ExitError, `unknown group type "read-mostly"`, "group", "add", "x", "--type", "read-mostly")
		c.failsWith(ExitError, "already exists", "group", "add", "lab", "--type", "private")
		c.failsWith(ExitUsage, "missing arguments", "group", "add")
		bob.failsWith(ExitError, "ModifyGroup privilege", "group", "add", "mine", "--type", "private")
		c.failsWith(ExitError, `group "nosuch" not found`, "group", "info", "nosuch")
	})
}
