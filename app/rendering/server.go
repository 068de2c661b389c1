package rendering

import (
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
		c.viewer = viewers.getOrAdd(sess.Key(), render.NewRenderer)
		return &c
	}
}

// serverViewers is how many sessions' renderers a server keeps (each
// holds its channels' tables, up to a few MiB).
const serverViewers = 32

// viewerCache keeps the renderer of recent sessions (by session key), so a
// remote viewer's slider move rebuilds only the moved channel's table, as
// it would in-process.
type viewerCache = lru[string, *render.Renderer]

func newViewerCache(max int) *viewerCache {
	return newLRU[string](int64(max), func(*render.Renderer) int64 { return 1 })
}

// jpegCache keeps thumbnail JPEGs, bounded by their bytes. A nil cache
// keeps nothing.
type jpegCache = lru[thumbcache.Key, []byte]

func newJPEGCache(max int) *jpegCache {
	return newLRU[thumbcache.Key](int64(max), func(b []byte) int64 { return int64(len(b)) })
}
