package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/demo"
)

func TestDemo(t *testing.T) {
	c := newCLI(t)
	out := c.ok("demo", "--users", "2", "--json")
	var sum demo.Summary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("demo --json = %q: %v", out, err)
	}
	if len(sum.Users) != 2 || sum.Users[1].Username != "user-2" || sum.Users[1].LastName != "Crick" ||
		sum.Password != demo.DefaultPassword || sum.ImagesPerUser == 0 || len(sum.Groups) != 4 {
		t.Fatalf("summary %+v", sum)
	}
	// The users and root log in with the demo password.
	if who := c.ok("-u", "user-2", "-w", demo.DefaultPassword, "whoami"); !strings.Contains(who, "user-2") {
		t.Fatalf("whoami = %q", who)
	}
	c.ok("-u", "root", "-w", demo.DefaultPassword, "whoami")
	tree := c.ok("-u", "user-1", "-w", demo.DefaultPassword, "tree")
	if !strings.Contains(tree, demo.ProjectName) {
		t.Fatalf("user-1's tree:\n%s", tree)
	}
	// A second run changes nothing and says why.
	c.unchanged(func() {
		c.failsWith(ExitError, "already has the training groups", "demo", "--users", "2")
	})
}

func TestDemoText(t *testing.T) {
	c := newCLI(t)
	out := c.ok("demo", "--users", "1", "--password", "pw-1")
	for _, want := range []string{"user-1", "Ada Lovelace", `"pw-1"`, "Ada-Lovelace-Group", demo.ReadAnnotateGroup, demo.LabGroup} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	c.ok("-u", "user-1", "-w", "pw-1", "whoami")
}

func TestDemoIntoInitialisedRepository(t *testing.T) {
	c := newCLI(t)
	c.ok("init", "--root-password", "omero")
	c.unchanged(func() {
		c.failsWith(ExitError, "--root-password", "demo", "--users", "1")
	})
	c.ok("demo", "--users", "1", "--root-password", "omero")
	c.ok("-u", "user-1", "-w", demo.DefaultPassword, "whoami")
}

func TestDemoBadArguments(t *testing.T) {
	c := newCLI(t)
	c.failsWith(ExitUsage, "--users", "demo", "--users", "0")
	c.failsWith(ExitUsage, "--password", "demo", "--password", "")
	if _, err := os.Stat(c.repo); !os.IsNotExist(err) {
		t.Fatalf("a repository folder was created: %v", err)
	}
}
