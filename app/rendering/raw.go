package rendering

// Raw pixel values, not rendered: what the server sends as OME-Zarr chunks.
// They are read through the same reader cache and pyramid levels the
// renderer uses, so a chunk of a reduced level of a big image without its
// own pyramid comes from the pyramid cache (built on first use), never from
// the full-resolution plane.

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"sync"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/pixel"
)

// MaxRawRegionBytes bounds one raw region (a chunk): the share of the
// reading budget one decoded chunk may take (formats.MaxChunkBytes).
const MaxRawRegionBytes = formats.MaxChunkBytes

// Raw reads stored pixel values for one session: core.RawPixels, plus the
// resolution levels the values come in. Whether the session may see an
// image is its PixelSource's decision (NotFound when it may not).
type Raw struct {
	sess     core.Session
	readers  *readerCache
	pyramids *pyramid.Cache
	builds   *buildGate
	// reads bounds the reads running at once over all sessions: a read may
	// decode whole strips or tiles larger than the region it returns, so
	// many parallel chunk requests would otherwise add up without bound.
	reads chan struct{}
}

var _ core.RawPixels = (*Raw)(nil)

// ServerRaw returns the raw pixel readers the serve command gives the
// server (server.Config.Raw), one per session, over the repository in
// repoDir. The sessions share one cache of open readers: a reader is
// per file, and which files a session may read is decided per request by
// its PixelSource, so sharing it gives nobody access to anything.
func ServerRaw(repoDir string) func(core.Session) core.RawPixels {
	readers := newReaderCache(detect.Open, 16)
	pyramids := pyramid.ForRepository(repoDir)
	builds := &buildGate{ready: map[buildKey]bool{}}
	reads := make(chan struct{}, max(4, 2*runtime.GOMAXPROCS(0)))
	return func(sess core.Session) core.RawPixels {
		return &Raw{sess: sess, readers: readers, pyramids: pyramids, builds: builds, reads: reads}
	}
}

// ReadRegion reads r of img: one channel of one plane, a region of one
// pyramid level, as stored (little-endian samples of the image's type).
func (x *Raw) ReadRegion(ctx context.Context, img core.Ref, r core.RawRegion) (*pixel.Plane, error) {
	select {
	case x.reads <- struct{}{}:
		defer func() { <-x.reads }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return readRaw(ctx, x.sess, x.readers, x.pyramids, x.builds, img, r)
}

// Levels lists the sizes of img's resolution levels, full resolution first,
// as ReadRegion serves them.
func (x *Raw) Levels(ctx context.Context, img core.Ref) ([]image.Point, error) {
	o, err := openRaw(ctx, x.sess, x.readers, x.pyramids, img)
	if err != nil {
		return nil, err
	}
	defer o.close()
	out := make([]image.Point, 0, len(o.ser.Levels))
	for _, l := range o.ps.Levels() {
		out = append(out, image.Pt(l.SizeX, l.SizeY))
	}
	return out, nil
}

// openRaw finds img's pixels (NotFound when sess may not read them) and
// opens them with their resolution levels.
func openRaw(ctx context.Context, sess core.Session, readers *readerCache, pyramids *pyramid.Cache, img core.Ref) (*opened, error) {
	src, err := sess.PixelSource(ctx, img)
	if err != nil {
		return nil, err
	}
	r, release, err := readers.acquire(src)
	if err != nil {
		return nil, err
	}
	ser, err := series(r, src)
	if err != nil {
		release()
		return nil, err
	}
	ps, err := pyramids.Open(src.Image.ID, r, src.Pixels.Series)
	if err != nil {
		release()
		return nil, core.E("read pixels", core.IO, fmt.Sprintf("cannot read the resolution levels of %s", src.Image), err)
	}
	return &opened{src: src, ser: ser, ps: ps, release: release}, nil
}

func readRaw(ctx context.Context, sess core.Session, readers *readerCache, pyramids *pyramid.Cache, builds *buildGate, img core.Ref, r core.RawRegion) (*pixel.Plane, error) {
	o, err := openRaw(ctx, sess, readers, pyramids, img)
	if err != nil {
		return nil, err
	}
	defer o.close()
	region, err := checkRaw(o, r)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	read := func() (*pixel.Plane, error) { return o.ps.ReadRegion(r.Level, r.Z, r.C, r.T, region) }
	var p *pixel.Plane
	if o.ps.Built() {
		p, err = builds.first(buildKey{o.src.Image.ID, r.Z, r.C, r.T}, read)
	} else {
		p, err = read()
	}
	if err != nil {
		return nil, core.E("read pixels", core.IO, fmt.Sprintf("cannot read plane z=%d c=%d t=%d of %s", r.Z, r.C, r.T, o.src.Image), err)
	}
	return p, nil
}

// checkRaw checks r against the image and returns the region to read,
// refusing one larger than MaxRawRegionBytes before anything is read.
func checkRaw(o *opened, r core.RawRegion) (image.Rectangle, error) {
	p, img := o.src.Pixels, o.src.Image
	levels := o.ps.Levels()
	switch {
	case r.Z < 0 || r.Z >= p.SizeZ:
		return image.Rectangle{}, core.Errorf("read pixels", core.Invalid, "Z %d is outside %s's %d planes (0..%d)", r.Z, img, p.SizeZ, p.SizeZ-1)
	case r.C < 0 || r.C >= p.SizeC:
		return image.Rectangle{}, core.Errorf("read pixels", core.Invalid, "channel %d is outside %s's %d channels (0..%d)", r.C, img, p.SizeC, p.SizeC-1)
	case r.T < 0 || r.T >= p.SizeT:
		return image.Rectangle{}, core.Errorf("read pixels", core.Invalid, "T %d is outside %s's %d timepoints (0..%d)", r.T, img, p.SizeT, p.SizeT-1)
	case r.Level < 0 || r.Level >= len(levels):
		return image.Rectangle{}, core.Errorf("read pixels", core.Invalid, "%s has %d resolution levels (0..%d), not level %d", img, len(levels), len(levels)-1, r.Level)
	}
	lv := levels[r.Level]
	bounds := image.Rect(0, 0, lv.SizeX, lv.SizeY)
	region := bounds
	if !r.Region.Empty() {
		region = r.Region.Intersect(bounds)
		if region.Empty() {
			return region, core.Errorf("read pixels", core.Invalid, "region %d,%d %dx%d is outside level %d of %s (%dx%d)",
				r.Region.Min.X, r.Region.Min.Y, r.Region.Dx(), r.Region.Dy(), r.Level, img, lv.SizeX, lv.SizeY)
		}
	}
	if n, ok := formats.MulChecked(int64(region.Dx()), int64(region.Dy()), int64(o.ser.PixelType.Size())); !ok || n > MaxRawRegionBytes {
		return region, core.E("read pixels", core.Invalid, formats.TooLarge(
			"reading %d×%d pixels of %s at level %d at once is more than the %d MiB allowed; ask for a smaller region or a reduced level",
			region.Dx(), region.Dy(), img, r.Level, MaxRawRegionBytes>>20))
	}
	return region, nil
}

// buildGate serialises the first reads of the planes of images whose
// reduced levels come from the pyramid cache: a first read may have to
// build the plane's pyramid (when the cache was deleted), and a viewer asks
// for many chunks of one plane at once; without the gate each would build
// the same pyramid, each holding its bands in memory. After a plane's
// first successful read its reads run in parallel.
type buildGate struct {
	mu    sync.Mutex // held for a first read
	seen  sync.Mutex // guards ready
	ready map[buildKey]bool
}

type buildKey struct {
	image   core.ID
	z, c, t int
}

// maxReadyPlanes bounds the gate's memory; past it the gate forgets, and
// the next first reads (cheap when the pyramid exists) pass the lock again.
const maxReadyPlanes = 1 << 16

func (g *buildGate) first(k buildKey, read func() (*pixel.Plane, error)) (*pixel.Plane, error) {
	g.seen.Lock()
	ok := g.ready[k]
	g.seen.Unlock()
	if ok {
		return read()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	p, err := read()
	if err == nil {
		g.seen.Lock()
		if len(g.ready) >= maxReadyPlanes {
			clear(g.ready)
		}
		g.ready[k] = true
		g.seen.Unlock()
	}
	return p, err
}
