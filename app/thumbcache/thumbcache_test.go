package thumbcache

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"
)

func TestIdenticalThumbnailsShareOneBlob(t *testing.T) {
	dir := t.TempDir()
	c := New(dir)
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(3, 3, color.RGBA{200, 10, 10, 255})
	k1 := Key{Image: 1, Owner: 2, Size: 96, Version: "v"}
	k2 := Key{Image: 7, Owner: 3, Size: 96, Version: "v"}
	b1, err := c.Put(k1, img)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put(k2, img); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(k2)
	if !ok || string(got) != string(b1) {
		t.Fatal("the second key does not give the same bytes")
	}
	s1, _ := os.Stat(c.path(k1))
	s2, _ := os.Stat(c.path(k2))
	if !os.SameFile(s1, s2) {
		t.Error("identical thumbnails are stored twice")
	}
	if _, ok := c.Get(Key{Image: 1, Owner: 2, Size: 96, Version: "other"}); ok {
		t.Error("a different settings version must miss")
	}
	c.Drop(1)
	c.Drop(7)
	c.Sweep(0)
	blobs, _ := filepath.Glob(filepath.Join(dir, "blobs", "*", "*.png"))
	if len(blobs) != 0 {
		t.Errorf("unreferenced blobs left after Sweep: %v", blobs)
	}
	// Deleting the whole cache loses nothing but time.
	os.RemoveAll(dir)
	if _, ok := c.Get(k1); ok {
		t.Error("a deleted cache still answers")
	}
	if _, err := c.Put(k1, img); err != nil {
		t.Errorf("a deleted cache folder must be recreated: %v", err)
	}
}
