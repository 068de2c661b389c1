package housekeeping_test

import (
	"context"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/housekeeping"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
)

// cacheWith fills a repository folder's caches: a thumbnail for each image
// of thumbs (all the same picture, so they share one blob, except image 3's)
// and a built-pyramid folder for each of pyramids.
func cacheWith(t *testing.T, thumbs, pyramids []core.ID) (string, housekeeping.Caches) {
	t.Helper()
	dir := t.TempDir()
	c := housekeeping.ForRepository(dir)
	for _, id := range thumbs {
		img := image.NewRGBA(image.Rect(0, 0, 4, 4))
		if id == 3 {
			img.Set(0, 0, color.White)
		}
		if _, err := c.Thumbs.Put(thumbcache.Key{Image: id, Owner: 7, Size: 96, Version: "v1"}, img); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range pyramids {
		p := filepath.Join(c.Pyramids.Dir(), itoa(id), "z0-c0-t0.tif")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("tiff"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, c
}

func itoa(id core.ID) string { return strconv.FormatInt(int64(id), 10) }

func cachedThumb(c housekeeping.Caches, id core.ID) bool {
	_, ok := c.Thumbs.Get(thumbcache.Key{Image: id, Owner: 7, Size: 96, Version: "v1"})
	return ok
}

func cachedPyramid(c housekeeping.Caches, id core.ID) bool {
	_, err := os.Stat(filepath.Join(c.Pyramids.Dir(), itoa(id)))
	return err == nil
}

func blobs(t *testing.T, dir string) int {
	m, _ := filepath.Glob(filepath.Join(dir, "cache", "thumbnails", "blobs", "*", "*"))
	return len(m)
}

func only(ids ...core.ID) housekeeping.Existing {
	return func(_ context.Context, asked []core.ID) (map[core.ID]bool, error) {
		out := map[core.ID]bool{}
		for _, id := range asked {
			if slices.Contains(ids, id) {
				out[id] = true
			}
		}
		return out, nil
	}
}

func TestSweepRemovesTheCachesOfImagesThatNoLongerExist(t *testing.T) {
	dir, c := cacheWith(t, []core.ID{1, 2, 3, 1001}, []core.ID{2, 4})
	if n := blobs(t, dir); n != 2 {
		t.Fatalf("%d thumbnail blobs, want 2 (images 1, 2 and 1001 share one)", n)
	}
	rep, err := c.Sweep(context.Background(), only(1), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []core.ID{2, 3, 4, 1001}; !reflect.DeepEqual(rep.Images, want) {
		t.Errorf("swept images %v, want %v", rep.Images, want)
	}
	if !cachedThumb(c, 1) {
		t.Error("the thumbnail of image 1, which exists, went")
	}
	for _, id := range []core.ID{2, 3, 1001} {
		if cachedThumb(c, id) {
			t.Errorf("the thumbnail of deleted image %d is still cached", id)
		}
	}
	for _, id := range []core.ID{2, 4} {
		if cachedPyramid(c, id) {
			t.Errorf("the pyramid of deleted image %d is still cached", id)
		}
	}
	if n := blobs(t, dir); n != 1 {
		t.Errorf("%d thumbnail blobs left, want 1: image 3's own blob goes, the shared one stays for image 1", n)
	}
}

func TestSweepLeavesRecentEntriesAlone(t *testing.T) {
	_, c := cacheWith(t, []core.ID{5}, []core.ID{6})
	rep, err := c.Sweep(context.Background(), only(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Images) != 0 || !cachedThumb(c, 5) || !cachedPyramid(c, 6) {
		t.Errorf("entries written just now were swept (an import in progress would lose them): %v", rep.Images)
	}
}

func TestSweepKeepsEverythingWhenTheRepositoryCannotBeRead(t *testing.T) {
	_, c := cacheWith(t, []core.ID{5}, nil)
	failing := func(context.Context, []core.ID) (map[core.ID]bool, error) {
		return nil, core.Errorf("test", core.IO, "disk on fire")
	}
	if _, err := c.Sweep(context.Background(), failing, 0); err == nil {
		t.Error("no error when the repository could not be read")
	}
	if !cachedThumb(c, 5) {
		t.Error("a thumbnail went although nobody could say its image was deleted")
	}
}

func TestDropperRemovesTheDeletedImagesCaches(t *testing.T) {
	dir, c := cacheWith(t, []core.ID{8, 9}, []core.ID{8})
	housekeeping.Dropper(dir)([]core.ID{8})
	if cachedThumb(c, 8) || cachedPyramid(c, 8) {
		t.Error("image 8's caches are still there after it was deleted")
	}
	if !cachedThumb(c, 9) {
		t.Error("image 9's thumbnail went with image 8's")
	}
}
