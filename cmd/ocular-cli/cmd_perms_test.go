package main

import (
	"strings"
	"testing"
)

func TestPerms(t *testing.T) {
	c := newLab(t)
	ada, bob, dan := c.as("ada"), c.as("bob"), c.as("dan")
	p := ada.newRef("Project", "name=P")
	img := bob.newRef("Image", "name=I")
	// A member of a read-annotate group may view and annotate another
	// member's project, nothing more (spec §1.3).
	want := `[{"object":"` + p + `","canEdit":false,"canAnnotate":true,"canDelete":false,"canLink":false,"canChgrp":false,"canChown":false}]`
	if got := strings.TrimSpace(bob.ok("perms", p, "--json")); got != want {
		t.Errorf("perms --json\n got %s\nwant %s", got, want)
	}
	own := `{"object":"` + img + `","canEdit":true,"canAnnotate":true,"canDelete":true,"canLink":true,"canChgrp":true,"canChown":false}`
	if got := strings.TrimSpace(bob.ok("perms", p, img, "--json")); got != strings.TrimSuffix(want, "]")+","+own+"]" {
		t.Errorf("perms of two objects --json = %s", got)
	}
	table := bob.ok("perms", p, img)
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 3 || strings.Join(strings.Fields(lines[0]), " ") != "OBJECT EDIT ANNOTATE DELETE LINK CHGRP CHOWN" ||
		strings.Join(strings.Fields(lines[1]), " ") != p+" no yes no no no no" {
		t.Errorf("perms table:\n%s", table)
	}
	// Class:ID,ID names several objects of one class.
	p2 := ada.newRef("Project", "name=P2")
	if out := ada.ok("perms", "Project:"+strings.TrimPrefix(p, "Project:")+","+strings.TrimPrefix(p2, "Project:")); !strings.Contains(out, p) || !strings.Contains(out, p2) {
		t.Errorf("perms Class:ID,ID:\n%s", out)
	}
	dan.failsWith(ExitError, p+" not found", "perms", p)
	dan.failsWith(ExitError, "is not a valid object", "perms", "Project")
}
