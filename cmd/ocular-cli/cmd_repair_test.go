package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRepair(t *testing.T) {
	c := newLab(t)
	stray := filepath.Join(c.repo, "ManagedRepository", "crashed", "leftover.tif")
	os.MkdirAll(filepath.Dir(stray), 0o755)
	os.WriteFile(stray, []byte("x"), 0o644)
	c.as("bob").failsWith(ExitError, "only an administrator", "repair", "--min-age", "0")
	if out := c.ok("repair"); !strings.Contains(out, "Removed 0 unreferenced files") {
		t.Errorf("a fresh file must be left alone: %q", out)
	}
	if out := c.ok("repair", "--min-age", "0"); !strings.Contains(out, "removed crashed/leftover.tif") {
		t.Errorf("repair said %q", out)
	}
	if _, err := os.Stat(stray); !os.IsNotExist(err) {
		t.Error("the stray file is still there")
	}
}
