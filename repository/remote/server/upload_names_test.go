package server

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzCheckName: every name checkName accepts stays inside the upload's
// folder once joined to it, and names the same place on every system.
func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"a.tif", "img.zarr/0/0.0", "../x", "a/../../b", "/etc/passwd", "a\x00b", "a//b", "./a", `a\..\b`, "..", "...", "a/..b", "C:/x", "\u2024\u2024/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if checkName("name", name) != nil {
			return
		}
		if !filepath.IsLocal(filepath.FromSlash(name)) {
			t.Fatalf("%q accepted but not local", name)
		}
		base := "/srv/uploads/id/tree"
		if p := filepath.Join(base, filepath.FromSlash(name)); !strings.HasPrefix(p, base+"/") || filepath.Clean(p) != base+"/"+name {
			t.Fatalf("%q accepted but joins to %q", name, p)
		}
	})
}
