package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoGUIDependencies keeps ocular-cli runnable on a machine with no
// display: it must not link Fyne, GLFW or OpenGL (and so no X11).
func TestNoGUIDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	cmd := exec.Command(goBin, "list", "-deps", "-tags", "sqlite_fts5 migrated_fynedo", "github.com/ocular-lab/ocular/cmd/ocular-cli")
	cmd.Env = goEnv
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var bad []string
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "fyne.io/") || strings.HasPrefix(pkg, "github.com/go-gl/") ||
			strings.HasPrefix(pkg, "github.com/fyne-io/") || strings.HasPrefix(pkg, "github.com/ocular-lab/ocular/ui") {
			bad = append(bad, pkg)
		}
	}
	if len(bad) > 0 {
		t.Fatalf("ocular-cli depends on GUI packages: %s", strings.Join(bad, ", "))
	}
}
