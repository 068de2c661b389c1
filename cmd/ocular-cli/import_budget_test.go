package main

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/internal/hostile"
)

// repoFiles lists the repository's files other than the database, with
// their sizes: what an import that changed nothing leaves as it was.
func repoFiles(t *testing.T, repo string) string {
	t.Helper()
	var out []string
	filepath.WalkDir(repo, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "ocular.db") {
			return nil
		}
		info, _ := d.Info()
		rel, _ := filepath.Rel(repo, p)
		out = append(out, rel+" "+info.ModTime().String())
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// Files that claim far more than they hold are refused by `import` with one
// sentence each, exit 1, and the repository is left as it was.
func TestImportRefusesFilesOverTheMemoryBudget(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"huge.tif", hostile.HugeSparseTIFF(1_000_000, 1_000_000, 4096), "convert the file to a tiled, pyramidal OME-TIFF"},
		{"bomb.tif", hostile.ZstdBombTIFF(32768, 32768), "save it again with smaller strips or tiles"},
		{"stack.tif", hostile.ImageJTIFF("9223372036854775807"), "its description is wrong"},
		{"claims.ome.tif", hostile.OMEChannelsTIFF(1, 1<<28), "channels"},
		{"big.png", hostile.PNGHeader(16384, 16384, 16, 6), "save it as a tiled TIFF or OME-TIFF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := hostile.Write(t, tc.name, tc.data)
			tree, files := ada.ok("tree"), repoFiles(t, c.repo)
			out, errs, code := ada.run("import", path, "--skip-minmax")
			if code != 1 {
				t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, out, errs)
			}
			t.Logf("stderr: %s", errs)
			if !strings.Contains(errs, tc.name) || !strings.Contains(errs, tc.want) {
				t.Errorf("stderr does not name the file and say %q:\n%s", tc.want, errs)
			}
			if got := ada.ok("tree"); got != tree {
				t.Errorf("tree changed:\n%s\nwas:\n%s", got, tree)
			}
			if got := repoFiles(t, c.repo); got != files {
				t.Errorf("repository files changed:\n%s\nwere:\n%s", got, files)
			}
		})
	}
}
