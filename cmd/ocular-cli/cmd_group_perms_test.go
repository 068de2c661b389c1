package main

import (
	"strings"
	"testing"
)

func TestGroupPerms(t *testing.T) {
	c := newLab(t)
	if out := c.ok("group", "perms", "solo", "--type", "read-only"); !strings.Contains(out, "Changed group solo from private to read-only") {
		t.Errorf("upgrade said %q", out)
	}
	c.ok("group", "perms", "solo", "--type", "read-write")
	// A downgrade between shared levels changes no data and is allowed.
	if out := c.ok("group", "perms", "solo", "--perms", "rwr---", "--json"); !strings.Contains(out, `"type":"read-only"`) {
		t.Errorf("downgrade --json = %s", out)
	}
	if out := c.ok("group", "perms", "solo", "--type", "read-only"); !strings.Contains(out, "already read-only") {
		t.Errorf("same level said %q", out)
	}
	// The PI of a group may change its level.
	ada := c.as("ada")
	ada.ok("group", "perms", "lab", "--type", "read-write")
	bob := c.as("bob")
	c.unchanged(func() {
		// (Downgrades to private belong to the graph engine; their tests
		// live with the --dry-run extension of this verb.)
		c.failsWith(ExitError, "unknown group type", "group", "perms", "lab", "--type", "public")
		c.failsWith(ExitUsage, "--type LEVEL", "group", "perms", "lab")
		c.failsWith(ExitError, "built-in", "group", "perms", "user", "--type", "read-write")
		bob.failsWith(ExitError, "only an owner", "group", "perms", "lab", "--type", "read-only")
	})
}

func TestGroupPermsDryRunToPrivate(t *testing.T) {
	c := newLab(t)
	ada, bob := c.as("ada"), c.as("bob")
	d := ada.mk("Dataset", "name=D")
	com := bob.mk("CommentAnnotation", "textValue=by bob")
	link := bob.mk("DatasetAnnotationLink", "parent="+d, "child="+com)
	c.unchanged(func() {
		out := ada.ok("group", "perms", "lab", "--type", "private", "--dry-run")
		for _, want := range []string{"would delete 1 objects and 1 links", com, link} {
			if !strings.Contains(out, want) {
				t.Errorf("dry run lacks %q:\n%s", want, out)
			}
		}
		if out := ada.ok("group", "perms", "lab", "--type", "read-only", "--dry-run"); !strings.Contains(out, "changes no data") {
			t.Errorf("shared downgrade dry run: %q", out)
		}
	})
	out := ada.ok("group", "perms", "lab", "--type", "private")
	if !strings.Contains(out, "from read-annotate to private") || ada.exists(com) {
		t.Errorf("downgrade: %q, comment still there: %v", out, ada.exists(com))
	}
}
