// Package archcheck holds the test that keeps the dependency direction of
// design.md true: cmd -> ui -> app -> core <- repository/*.
package archcheck

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/ocular-lab/ocular"

// deps lists the module-internal and Fyne packages pkg depends on.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-e", "-deps", "-tags", "sqlite_fts5 migrated_fynedo", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

func TestDependencyDirection(t *testing.T) {
	rules := []struct {
		pkgs      string
		forbidden []string
		why       string
	}{
		{module + "/core/...", []string{"fyne.io/", module + "/repository", module + "/app", module + "/ui", "github.com/mattn/go-sqlite3", "github.com/jackc/pgx"}, "core imports no Fyne and no storage"},
		{module + "/app/...", []string{"fyne.io/", module + "/repository", module + "/ui"}, "app never imports Fyne or a repository"},
		{module + "/ui/...", []string{module + "/repository", "github.com/mattn/go-sqlite3", "github.com/jackc/pgx"}, "ui never imports a repository"},
		{module + "/repository/...", []string{"fyne.io/", module + "/ui", module + "/app"}, "repositories depend on core only"},
		{module + "/cmd/ocular-cli", []string{"fyne.io/", "github.com/go-gl/"}, "the CLI links no X11 or OpenGL, so it runs on a headless server"},
	}
	for _, r := range rules {
		// Output, not CombinedOutput: "matched no packages" warnings go to stderr.
		out, err := exec.Command("go", "list", "-e", "-tags", "sqlite_fts5 migrated_fynedo", r.pkgs).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", r.pkgs, err)
		}
		for _, pkg := range strings.Fields(string(out)) {
			for _, d := range deps(t, pkg) {
				for _, f := range r.forbidden {
					if strings.HasPrefix(d, f) && !strings.HasPrefix(d, pkg) {
						t.Errorf("%s depends on %s: %s", pkg, d, r.why)
					}
				}
			}
		}
	}
}
