package rendering

import (
	"container/list"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
)

// readerCache keeps the most recently used readers open, so that moving a
// slider re-reads planes without re-parsing a file's metadata. A reader in
// use is never closed under its user: eviction closes it when released.
type readerCache struct {
	open func(string) (formats.Reader, error)
	max  int

	mu      sync.Mutex
	byPath  map[string]*readerEntry
	recency *list.List // front = most recent; values are *readerEntry
}

type readerEntry struct {
	path    string
	r       formats.Reader
	refs    int
	evicted bool
	elem    *list.Element
}

func newReaderCache(open func(string) (formats.Reader, error), max int) *readerCache {
	return &readerCache{open: open, max: max, byPath: map[string]*readerEntry{}, recency: list.New()}
}

// acquire returns an open reader for the image's fileset and a release
// function to call when done with it.
func (c *readerCache) acquire(src core.PixelSource) (formats.Reader, func(), error) {
	if len(src.Files) == 0 {
		return nil, nil, core.Errorf("render", core.Unsupported, "%s has no image files (it was not imported), so there are no pixels to show", src.Image)
	}
	key := src.Files[0]
	c.mu.Lock()
	if e, ok := c.byPath[key]; ok {
		e.refs++
		c.recency.MoveToFront(e.elem)
		c.mu.Unlock()
		return e.r, func() { c.release(e) }, nil
	}
	c.mu.Unlock()

	r, err := c.openSource(src)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byPath[key]; ok { // opened concurrently: keep the first
		r.Close()
		e.refs++
		c.recency.MoveToFront(e.elem)
		return e.r, func() { c.release(e) }, nil
	}
	e := &readerEntry{path: key, r: r, refs: 1}
	e.elem = c.recency.PushFront(e)
	c.byPath[key] = e
	for c.recency.Len() > c.max {
		old := c.recency.Back().Value.(*readerEntry)
		c.recency.Remove(old.elem)
		delete(c.byPath, old.path)
		old.evicted = true
		if old.refs == 0 {
			old.r.Close()
		}
	}
	return r, func() { c.release(e) }, nil
}

func (c *readerCache) release(e *readerEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.refs--
	if e.evicted && e.refs == 0 {
		e.r.Close()
	}
}

// openSource opens the fileset's reader: on its first file, or, for sets
// opened as a folder (OME-Zarr), on the nearest folder above it, up to the
// fileset's root, that a reader accepts.
func (c *readerCache) openSource(src core.PixelSource) (formats.Reader, error) {
	first := src.Files[0]
	r, err := c.open(first)
	if err == nil {
		return r, nil
	}
	root := filepath.Clean(src.Root)
	for dir := filepath.Dir(first); src.Root != "" && strings.HasPrefix(dir, root) && len(dir) >= len(root); dir = filepath.Dir(dir) {
		if r, err2 := c.open(dir); err2 == nil {
			return r, nil
		}
		if dir == root {
			break
		}
	}
	return nil, core.E("render", core.IO, fmt.Sprintf("cannot open the files of %s (%s)", src.Image, filepath.Base(first)), err)
}

// close closes every reader not in use and forgets them all.
func (c *readerCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.byPath {
		e.evicted = true
		if e.refs == 0 {
			e.r.Close()
		}
	}
	c.byPath = map[string]*readerEntry{}
	c.recency.Init()
}
