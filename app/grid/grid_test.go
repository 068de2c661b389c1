package grid_test

import (
	"image"
	"testing"

	"github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
)

func TestCacheKeepsTheMostRecentlyUsed(t *testing.T) {
	c := grid.NewCache(2)
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	c.Put(grid.Key{Image: 1, Size: 96}, img)
	c.Put(grid.Key{Image: 2, Size: 96}, img)
	c.Get(grid.Key{Image: 1, Size: 96}) // 1 is now more recent than 2
	c.Put(grid.Key{Image: 3, Size: 96}, img)
	if _, ok := c.Get(grid.Key{Image: 2, Size: 96}); ok {
		t.Error("the least recently used thumbnail was kept beyond the bound")
	}
	if _, ok := c.Get(grid.Key{Image: 1, Size: 96}); !ok {
		t.Error("a recently used thumbnail was dropped")
	}
	c.Put(grid.Key{Image: 1, Size: 192}, img) // holds image 1 at two sizes now
	c.Forget(1)
	if _, ok := c.Get(grid.Key{Image: 1, Size: 96}); ok || c.Len() != 0 {
		t.Errorf("Forget left image 1 in the cache (%d held)", c.Len())
	}
}

func TestWhichNodesFillTheGrid(t *testing.T) {
	for c, want := range map[core.Class]bool{core.Dataset: true, core.OrphanedImages: true, core.Plate: true,
		core.Well: true, core.Project: false, core.Screen: false, core.Image: false} {
		if grid.Shows(c) != want {
			t.Errorf("Shows(%s) = %v", c, !want)
		}
	}
}

func TestCacheBoundsPixelMemory(t *testing.T) {
	c := grid.NewCache(1000)
	c.LimitBytes(10 * 64 * 64 * 4)
	for i := range 50 {
		c.Put(grid.Key{Image: core.ID(i), Size: 64}, image.NewRGBA(image.Rect(0, 0, 64, 64)))
	}
	if c.Len() != 10 || c.Bytes() != 10*64*64*4 {
		t.Errorf("holds %d thumbnails in %d bytes, want the 10 that fit", c.Len(), c.Bytes())
	}
	if _, ok := c.Get(grid.Key{Image: 49, Size: 64}); !ok {
		t.Error("the most recent thumbnail was dropped")
	}
	c.Forget(49)
	if c.Bytes() != 9*64*64*4 {
		t.Errorf("after Forget %d bytes", c.Bytes())
	}
}
