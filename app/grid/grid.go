// Package grid is the view model of the thumbnail grid: which images a
// container shows (a dataset, the Orphaned Images folder, a well, or a whole
// plate field by field) and an in-memory cache of the thumbnails drawn for
// it, so scrolling back and forth does not decode them again. It holds no
// Fyne types.
//
// Threading: Images runs on any goroutine; a Cache may be shared.
package grid

import (
	"container/list"
	"context"
	"image"
	"sync"

	"github.com/ocular-lab/ocular/core"
)

// Shows reports whether selecting a node of class c fills the grid with
// its images.
func Shows(c core.Class) bool {
	switch c {
	case core.Dataset, core.OrphanedImages, core.Well, core.Plate:
		return true
	}
	return false
}

// Images lists the images of container as the tree shows them for group
// and owner: a dataset's, the orphans', a well's fields, or every field of
// a plate in well order.
func Images(ctx context.Context, s core.Session, group, owner core.ID, container core.Ref) ([]core.ObjectView, error) {
	req := core.BrowseRequest{Group: group, Owner: owner, Parent: container}
	if container.Class != core.Plate {
		return images(s.Browse(ctx, req))
	}
	wells, err := s.Browse(ctx, req)
	if err != nil {
		return nil, err
	}
	var out []core.ObjectView
	for _, w := range wells {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		req.Parent = w.Ref
		fields, err := images(s.Browse(ctx, req))
		if err != nil {
			return nil, err
		}
		out = append(out, fields...)
	}
	return out, nil
}

func images(vs []core.ObjectView, err error) ([]core.ObjectView, error) {
	if err != nil {
		return nil, err
	}
	out := vs[:0]
	for _, v := range vs {
		if v.Class == core.Image {
			out = append(out, v)
		}
	}
	return out, nil
}

// Key names one thumbnail: an image at a size in screen pixels.
type Key struct {
	Image core.ID
	Size  int
}

// Cache keeps the most recently used thumbnails in memory.
type Cache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of entry, most recent first
	items map[Key]*list.Element
	// bytes is the pixel memory held, maxBytes its bound (0: none): a
	// count alone lets big thumbnails take hundreds of megabytes.
	bytes, maxBytes int
}

type entry struct {
	key Key
	img *image.RGBA
}

// NewCache keeps at most n thumbnails.
func NewCache(n int) *Cache {
	return &Cache{max: max(n, 1), order: list.New(), items: map[Key]*list.Element{}}
}

// LimitBytes bounds the pixel memory the cache holds, besides the count.
func (c *Cache) LimitBytes(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maxBytes = n
	c.trim()
}

// Bytes is the pixel memory held.
func (c *Cache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

func size(img *image.RGBA) int {
	if img == nil {
		return 0
	}
	return len(img.Pix)
}

// trim drops the least recently used thumbnails beyond the bounds; the
// most recent one always stays.
func (c *Cache) trim() {
	for c.order.Len() > c.max || (c.maxBytes > 0 && c.bytes > c.maxBytes && c.order.Len() > 1) {
		last := c.order.Back()
		e := last.Value.(entry)
		delete(c.items, e.key)
		c.bytes -= size(e.img)
		c.order.Remove(last)
	}
}

// Get returns a cached thumbnail.
func (c *Cache) Get(k Key) (*image.RGBA, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(entry).img, true
}

// Put stores a thumbnail, dropping the least recently used beyond the bound.
func (c *Cache) Put(k Key, img *image.RGBA) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.bytes += size(img) - size(e.Value.(entry).img)
		e.Value = entry{k, img}
		c.order.MoveToFront(e)
		c.trim()
		return
	}
	c.items[k] = c.order.PushFront(entry{k, img})
	c.bytes += size(img)
	c.trim()
}

// Forget drops every size of an image's thumbnail (its owner saved new
// settings).
func (c *Cache) Forget(img core.ID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.items {
		if k.Image == img {
			c.bytes -= size(e.Value.(entry).img)
			c.order.Remove(e)
			delete(c.items, k)
		}
	}
}

// Len is the number of thumbnails held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
