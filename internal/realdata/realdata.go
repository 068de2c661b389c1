// Package realdata finds the real third-party test files that live beside
// the repository in ../shared/testdata/real (they are never copied into the
// repository). Tests that read them skip, saying so, when the folder is absent.
package realdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the real test-data folder, or skips the test when it is absent.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Skipf("cannot find the working directory (%v); skipping the real-data test", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "..", "shared", "testdata", "real")
			if _, err := os.Stat(p); err != nil {
				t.Skipf("real test data not found at %s (it lives beside the repository in ../shared); skipping", p)
			}
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found above the test directory; skipping the real-data test")
		}
		dir = parent
	}
}
