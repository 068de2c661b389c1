package rendering

import (
	"container/list"
	"runtime"
	"sync"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/render"
)

// Bounds of a server's rendering memory: the decoded planes and the
// thumbnail JPEGs kept, the files held open, and how many pictures are
// drawn at once (each within MaxRenderBytes). A server's rendering memory
// is therefore at most about
// serverPlaneBytes + serverJPEGBytes + drawers × MaxRenderBytes.
const (
	serverPlaneBytes = 512 << 20
	serverJPEGBytes  = 32 << 20
	serverReaders    = 32
)

// ServerPictures returns what a server renders with for each session: a
// Service per session over the caches of the repository in repoDir, which
// all sessions share (open readers, decoded planes, the thumbnail and
// pyramid caches on disk, recent thumbnail JPEGs). Sharing is safe because
// nothing is served from a cache before the session's own PixelSource or
// ThumbnailRendering has answered: an image the session may not see is
// NotFound whatever the caches hold.
func ServerPictures(repoDir string) func(core.Session) core.Pictures {
	sh := &Service{
		thumbs:   thumbcache.ForRepository(repoDir),
		pyramids: pyramid.ForRepository(repoDir),
		readers:  newReaderCache(detect.Open, serverReaders),
		planes:   newPlaneCache(serverPlaneBytes),
		locks:    &keyLocks{drawing: map[thumbcache.Key]*sync.Mutex{}},
		jpegs:    newJPEGCache(serverJPEGBytes),
		gate:     make(chan struct{}, max(1, runtime.NumCPU())),
		shared:   true,
	}
	viewers := newViewerCache(serverViewers)
	return func(sess core.Session) core.Pictures {
		c := *sh
		c.sess = sess
		c.viewer = viewers.get(sess.Key())
		return &c
	}
}

// serverViewers is how many sessions' renderers a server keeps (each
// holds its channels' tables, up to a few MiB).
const serverViewers = 32

// viewerCache keeps the renderer of recent sessions, so a remote viewer's
// slider move rebuilds only the moved channel's table, as it would
// in-process.
type viewerCache struct {
	max     int
	mu      sync.Mutex
	byKey   map[string]*list.Element
	recency *list.List // values are *viewerEntry, front = most recent
}

type viewerEntry struct {
	key string
	r   *render.Renderer
}

func newViewerCache(max int) *viewerCache {
	return &viewerCache{max: max, byKey: map[string]*list.Element{}, recency: list.New()}
}

func (c *viewerCache) get(key string) *render.Renderer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.recency.MoveToFront(el)
		return el.Value.(*viewerEntry).r
	}
	r := render.NewRenderer()
	c.byKey[key] = c.recency.PushFront(&viewerEntry{key: key, r: r})
	if c.recency.Len() > c.max {
		el := c.recency.Back()
		c.recency.Remove(el)
		delete(c.byKey, el.Value.(*viewerEntry).key)
	}
	return r
}

// jpegCache is a byte-bounded LRU of thumbnail JPEGs. A nil cache keeps
// nothing.
type jpegCache struct {
	max int

	mu      sync.Mutex
	size    int
	byKey   map[thumbcache.Key]*list.Element
	recency *list.List // values are *jpegEntry, front = most recent
}

type jpegEntry struct {
	key thumbcache.Key
	b   []byte
}

func newJPEGCache(max int) *jpegCache {
	return &jpegCache{max: max, byKey: map[thumbcache.Key]*list.Element{}, recency: list.New()}
}

// get returns a cached JPEG; callers must not modify it.
func (c *jpegCache) get(k thumbcache.Key) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[k]; ok {
		c.recency.MoveToFront(el)
		return el.Value.(*jpegEntry).b, true
	}
	return nil, false
}

func (c *jpegCache) put(k thumbcache.Key, b []byte) {
	if c == nil || len(b) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[k]; ok {
		return
	}
	c.byKey[k] = c.recency.PushFront(&jpegEntry{key: k, b: b})
	c.size += len(b)
	for c.size > c.max {
		el := c.recency.Back()
		e := el.Value.(*jpegEntry)
		c.recency.Remove(el)
		delete(c.byKey, e.key)
		c.size -= len(e.b)
	}
}
