package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestInit(t *testing.T) {
	c := newCLI(t)
	out := c.ok("init", "--root-password", "omero", "--json")
	var res struct{ Repository, Admin string }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Admin != "root" || res.Repository == "" {
		t.Fatalf("init --json = %q (%v)", out, err)
	}
	if _, err := os.Stat(c.repo + "/ocular.db"); err != nil {
		t.Fatal("no database after init:", err)
	}
	c.unchanged(func() {
		c.failsWith(ExitError, "already holds an Ocular repository", "init", "--root-password", "other")
	})
	// The new repository's root can log in.
	c.ok("-u", "root", "-w", "omero", "whoami")
}

func TestInitPromptsTwice(t *testing.T) {
	c := newCLI(t)
	c.passwords = []string{"secret", "secret"}
	c.ok("init")
	if len(c.passwords) != 0 {
		t.Fatalf("init asked %d times too few", len(c.passwords))
	}
	c.ok("-u", "root", "-w", "secret", "whoami")
}

func TestInitPasswordMismatchCreatesNothing(t *testing.T) {
	c := newCLI(t)
	c.passwords = []string{"secret", "typo"}
	c.failsWith(ExitError, "the two passwords differ", "init")
	if _, err := os.Stat(c.repo); !os.IsNotExist(err) {
		t.Fatalf("a repository folder was created: %v", err)
	}
	c.passwords = []string{""}
	c.failsWith(ExitError, "must not be empty", "init")
}

func TestInitRefusesWithoutTerminal(t *testing.T) {
	c := newCLI(t) // stdin is a string reader: no terminal
	c.failsWith(ExitUsage, "not a terminal", "init")
	if _, err := os.Stat(c.repo); !os.IsNotExist(err) {
		t.Fatalf("a repository folder was created: %v", err)
	}
}

func TestInitRefusesNonEmptyFolder(t *testing.T) {
	c := newCLI(t)
	os.MkdirAll(c.repo, 0o755)
	os.WriteFile(c.repo+"/thesis.docx", []byte("precious"), 0o644)
	c.failsWith(ExitError, "is not empty", "init", "--root-password", "x")
	if b, _ := os.ReadFile(c.repo + "/thesis.docx"); !strings.Contains(string(b), "precious") {
		t.Fatal("init touched an existing file")
	}
}
