package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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

// thumbnailsOf lists the cached thumbnails of an image ("Image:ID").
func thumbnailsOf(t *testing.T, c *testCLI, img string) []string {
	t.Helper()
	id, err := strconv.Atoi(strings.TrimPrefix(img, "Image:"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := filepath.Glob(filepath.Join(c.repo, "cache", "thumbnails", fmt.Sprintf("%03d", id%1000), fmt.Sprintf("%d-*.png", id)))
	return m
}

// Deleting an image drops its cached thumbnails at once; a thumbnail a
// crash (or an older version) left for a deleted image goes with repair.
func TestDeleteAndRepairRemoveTheCachesOfDeletedImages(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	imgs := importForRender(t, bob, "", []float64{457, 528})
	bob.ok("thumbnail", imgs[0], "-o", filepath.Join(t.TempDir(), "t.png"))
	if len(thumbnailsOf(t, c, imgs[0])) == 0 {
		t.Fatal("the thumbnail was not cached")
	}
	bob.ok("delete", imgs[0])
	if left := thumbnailsOf(t, c, imgs[0]); len(left) != 0 {
		t.Errorf("the deleted image's thumbnails are still cached: %v", left)
	}

	stale := filepath.Join(c.repo, "cache", "thumbnails", "777", "987777-2-96-0123abcd.png")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("png"), 0o644)
	out := c.ok("repair", "--min-age", "0")
	if !strings.Contains(out, "Removed the cached thumbnails and pyramids of 1 deleted images.") {
		t.Errorf("repair said %q", out)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the stale thumbnail is still there")
	}
}
