// Package rendering is the app-layer service that turns an image of the
// repository into pictures: the viewer's rendered planes, projections and
// regions, and the cached thumbnails of grids. It opens the image's files
// through a cache of readers, keeps recently decoded planes, renders them
// with core/render, and stores thumbnails in app/thumbcache keyed by the
// settings they show, so a thumbnail is redrawn exactly when those change.
//
// Which settings are used is the repository's decision (core.Rendering):
// the viewer passes the settings it shows (usually ViewerRendering's);
// thumbnails always show the image owner's (spec §5.5, ruling 6).
//
// A Service is also core.Pictures. Over a session that renders itself (a
// remote client's, which implements core.Pictures) every picture is asked
// of that session and no file is opened here; a server builds its
// per-session Services with ServerPictures, over caches its sessions share.
//
// A Service may be used from several goroutines.
package rendering

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"slices"
	"sync"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// Config is what a Service needs.
type Config struct {
	Session core.Session
	// Thumbs caches thumbnails; nil draws them every time.
	Thumbs *thumbcache.Cache
	// Open opens a fileset's reader (default detect.Open).
	Open func(path string) (formats.Reader, error)
	// MaxReaders is how many filesets stay open (default 8).
	MaxReaders int
	// PlaneCacheBytes bounds the decoded planes kept (default 256 MiB).
	PlaneCacheBytes int64
	// Pyramids serves reduced levels of big images that have no pyramid of
	// their own (built on first use); nil serves the files' own levels only.
	Pyramids *pyramid.Cache
	// MaxRenderBytes bounds one picture's memory (default MaxRenderBytes);
	// RenderBands keeps each band within it.
	MaxRenderBytes int64
}

// Service renders images of one session.
type Service struct {
	sess     core.Session
	thumbs   *thumbcache.Cache
	pyramids *pyramid.Cache
	readers  *readerCache
	planes   *planeCache
	// viewer keeps per-channel tables between renders, so moving one
	// channel's window rebuilds only that channel's table.
	viewer *render.Renderer
	// locks serialise drawing one thumbnail key, so a grid asking twice
	// draws it once (shared by a server's sessions).
	locks *keyLocks
	// maxRender is Config.MaxRenderBytes.
	maxRender int64
	// remote is the session itself when it renders (a remote client's
	// session): every picture is asked of it, no file is opened here.
	remote core.Pictures
	// jpegs keeps recently served thumbnail JPEGs (a server's); nil encodes
	// each time.
	jpegs *jpegCache
	// gate bounds how many pictures are drawn at once (a server's: each
	// may take up to the render budget); nil does not bound.
	gate chan struct{}
	// shared is true for a server's per-session Services: Close leaves the
	// caches, which belong to the repository, open.
	shared bool
}

// keyLocks hands out one mutex per thumbnail key.
type keyLocks struct {
	mu      sync.Mutex
	drawing map[thumbcache.Key]*sync.Mutex
}

// New returns a Service; Close it when done.
func New(cfg Config) *Service {
	if cfg.Open == nil {
		cfg.Open = detect.Open
	}
	if cfg.MaxReaders <= 0 {
		cfg.MaxReaders = 8
	}
	if cfg.PlaneCacheBytes <= 0 {
		cfg.PlaneCacheBytes = 256 << 20
	}
	s := &Service{sess: cfg.Session, thumbs: cfg.Thumbs, pyramids: cfg.Pyramids, readers: newReaderCache(cfg.Open, cfg.MaxReaders),
		planes: newPlaneCache(cfg.PlaneCacheBytes), viewer: render.NewRenderer(), locks: &keyLocks{drawing: map[thumbcache.Key]*sync.Mutex{}},
		maxRender: cfg.MaxRenderBytes}
	if p, ok := cfg.Session.(core.Pictures); ok {
		s.remote = p
	}
	return s
}

// Close closes the open files and drops the decoded planes.
func (s *Service) Close() error {
	if s.shared {
		return nil
	}
	s.readers.close()
	s.planes.purge()
	return nil
}

// View says what part of an image to render.
type View struct {
	Z, T int
	// Level is the pyramid level (0 = full resolution).
	Level int
	// Region is the rectangle to render in the level's pixel coordinates;
	// empty means the whole plane.
	Region image.Rectangle
	// Projection, when not nil, renders an intensity projection over a Z
	// range instead of plane Z, or plane Z when its Kind is ProjectNone; nil
	// renders what the settings say (their projection, else plane Z).
	Projection *render.Projection
	// Size is the longest side of the picture in pixels; 0 keeps the
	// region's size.
	Size int
	// Dst, when it has the picture's size, is drawn into instead of a new
	// image: a viewer re-rendering on every slider move reuses its buffer
	// (it must not be on screen while drawn into).
	Dst *image.RGBA
}

// RenderView renders plane (z, t) of image with settings, scaled so its
// longest side is size (0: full size). This is what a viewer calls each
// time the user moves a slider.
func (s *Service) RenderView(ctx context.Context, img core.Ref, z, t int, settings render.Settings, size int) (*image.RGBA, error) {
	return s.Render(ctx, img, settings, View{Z: z, T: t, Size: size})
}

// Render renders the view v of image with settings.
func (s *Service) Render(ctx context.Context, img core.Ref, settings render.Settings, v View) (*image.RGBA, error) {
	if s.remote != nil {
		return s.renderRemote(ctx, img, settings, v)
	}
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.leave()
	if v.Projection == nil && settings.Projection != nil {
		p := *settings.Projection // the settings' own, unless the view says otherwise
		v.Projection = &p
	}
	if v.Projection != nil && v.Projection.Kind == render.ProjectNone {
		v.Projection = nil
	}
	o, err := s.open(ctx, img)
	if err != nil {
		return nil, err
	}
	defer o.close()
	src, ser, ps := o.src, o.ser, o.ps
	if err := settings.Validate(core.RenderPixelsInfo(src.Pixels, src.Channels)); err != nil {
		return nil, core.Errorf("render", core.Invalid, "the settings do not fit %s: %v", img, err)
	}
	if v.Size > 0 && v.Region.Empty() && v.Level == 0 {
		// A whole image shown small: read the smallest level that still
		// covers the size shown, never the full plane of a big image.
		v.Level = ps.LevelAtLeast(v.Size)
	}
	region, err := checkView(src, ser, &v)
	if err != nil {
		return nil, err
	}
	if err := checkRenderCost(img, settings, ser.PixelType.Size(), v, region, s.budget()); err != nil {
		return nil, err
	}
	planes, err := s.readChannels(ctx, ps, src, settings, v, region)
	if err != nil {
		return nil, err
	}
	w, h := region.Dx(), region.Dy()
	if v.Size > 0 {
		tw, th := render.ThumbnailSize(w, h, v.Size)
		if tw <= w && th <= h {
			// The planes are reduced to the size shown once and kept, so a
			// slider move only recolours them.
			small, err := s.reduced(src, v, region, planes, tw, th)
			if err != nil {
				return nil, err
			}
			dst := v.target(tw, th)
			if err := s.viewer.Render(dst, small, &settings); err != nil {
				return nil, core.E("render", core.Internal, err)
			}
			return dst, nil
		}
	}
	dst := v.target(w, h)
	if v.Size > 0 {
		dst = image.NewRGBA(image.Rect(0, 0, w, h)) // enlarged below
	}
	if err := s.viewer.Render(dst, planes, &settings); err != nil {
		return nil, core.E("render", core.Internal, err)
	}
	if v.Size > 0 {
		return render.Thumbnail(dst, v.Size), nil // enlarge
	}
	return dst, nil
}

// target is v.Dst when it is w x h at the origin, else a new image.
func (v View) target(w, h int) *image.RGBA {
	if d := v.Dst; d != nil && d.Rect == image.Rect(0, 0, w, h) {
		return d
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// Thumbnail returns image's thumbnail whose longest side is size, showing
// the image owner's settings; it is drawn once per settings version and
// then served from the cache.
func (s *Service) Thumbnail(ctx context.Context, img core.Ref, size int) (*image.RGBA, error) {
	if s.remote != nil {
		return s.thumbnailRemote(ctx, img, size)
	}
	b, err := s.ThumbnailPNG(ctx, img, size)
	if err != nil {
		return nil, err
	}
	m, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, core.E("thumbnail", core.IO, "a cached thumbnail is unreadable; delete the cache folder to redraw it", err)
	}
	if rgba, ok := m.(*image.RGBA); ok {
		return rgba, nil
	}
	rgba := image.NewRGBA(m.Bounds())
	draw.Draw(rgba, rgba.Bounds(), m, m.Bounds().Min, draw.Src)
	return rgba, nil
}

// maxThumbnail bounds the thumbnail size a caller may ask for.
const maxThumbnail = 1024

// ThumbnailPNG is Thumbnail as PNG bytes, as cached.
func (s *Service) ThumbnailPNG(ctx context.Context, img core.Ref, size int) ([]byte, error) {
	if s.remote != nil {
		return s.thumbnailPNGRemote(ctx, img, size)
	}
	key, def, err := s.thumbKey(ctx, img, size)
	if err != nil {
		return nil, err
	}
	return s.thumbnailPNG(ctx, img, key, def)
}

// thumbKey checks size and finds the settings img's thumbnail shows
// (NotFound when the session may not see img) and the cache key.
func (s *Service) thumbKey(ctx context.Context, img core.Ref, size int) (thumbcache.Key, core.RenderingDefView, error) {
	if size < 1 || size > maxThumbnail {
		return thumbcache.Key{}, core.RenderingDefView{}, core.Errorf("thumbnail", core.Invalid, "a thumbnail size must be between 1 and %d pixels, not %d", maxThumbnail, size)
	}
	def, err := s.sess.ThumbnailRendering(ctx, img)
	if err != nil {
		return thumbcache.Key{}, core.RenderingDefView{}, err
	}
	return thumbKeyOf(img, size, def), def, nil
}

// thumbKeyOf is the cache key of img's thumbnail at size under def.
func thumbKeyOf(img core.Ref, size int, def core.RenderingDefView) thumbcache.Key {
	return thumbcache.Key{Image: img.ID, Owner: def.Owner, Size: size, Version: SettingsVersion(def.Settings)}
}

// thumbnailPNG serves key from the cache or draws it.
func (s *Service) thumbnailPNG(ctx context.Context, img core.Ref, key thumbcache.Key, def core.RenderingDefView) ([]byte, error) {
	if s.thumbs != nil {
		if b, ok := s.thumbs.Get(key); ok {
			return b, nil
		}
	}
	mu := s.lockKey(key)
	defer s.unlockKey(key, mu)
	if s.thumbs != nil {
		if b, ok := s.thumbs.Get(key); ok { // drawn while we waited
			return b, nil
		}
	}
	rgba, err := s.drawThumbnail(ctx, img, def.Settings, key.Size)
	if err != nil {
		return nil, err
	}
	if s.thumbs != nil {
		// A cache that cannot store it (a full disk) still gets the
		// thumbnail drawn: browsing works, the next request draws again.
		if b, err := s.thumbs.Put(key, rgba); err == nil {
			return b, nil
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, rgba); err != nil {
		return nil, core.E("thumbnail", core.Internal, err)
	}
	return buf.Bytes(), nil
}

func (s *Service) lockKey(k thumbcache.Key) *sync.Mutex {
	l := s.locks
	l.mu.Lock()
	mu, ok := l.drawing[k]
	if !ok {
		mu = &sync.Mutex{}
		l.drawing[k] = mu
	}
	l.mu.Unlock()
	mu.Lock()
	return mu
}

func (s *Service) unlockKey(k thumbcache.Key, mu *sync.Mutex) {
	mu.Unlock()
	l := s.locks
	l.mu.Lock()
	if l.drawing[k] == mu {
		delete(l.drawing, k)
	}
	l.mu.Unlock()
}

// thumbSourceMin is the smallest pyramid level side a thumbnail is drawn
// from (the import pipeline uses the same rule, so both draw alike).
const thumbSourceMin = 256

func (s *Service) drawThumbnail(ctx context.Context, img core.Ref, settings render.Settings, size int) (*image.RGBA, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.leave()
	o, err := s.open(ctx, img)
	if err != nil {
		return nil, err
	}
	defer o.close()
	src, ser, ps := o.src, o.ser, o.ps
	v := View{Z: settings.DefaultZ, T: settings.DefaultT, Projection: settings.Projection, Level: ps.LevelAtLeast(thumbSourceMin)}
	region, err := checkView(src, ser, &v)
	if err != nil {
		return nil, err
	}
	if err := checkRenderCost(img, settings, ser.PixelType.Size(), v, region, s.budget()); err != nil {
		return nil, err
	}
	planes, err := s.readChannels(ctx, ps, src, settings, v, region)
	if err != nil {
		return nil, err
	}
	rgba, err := render.NewRenderer().RenderThumbnail(planes, &settings, size)
	if err != nil {
		return nil, core.E("thumbnail", core.Internal, err)
	}
	return rgba, nil
}

// SettingsVersion is the version of settings that thumbnails are keyed by:
// the hash of their JSON, as the import pipeline computes it.
func SettingsVersion(s render.Settings) string {
	b, _ := json.Marshal(s)
	return thumbcache.SettingsVersion(b)
}

// series finds the image's series in its reader and checks it still
// matches what the repository recorded.
func series(r formats.Reader, src core.PixelSource) (formats.Series, error) {
	all := r.Series()
	i := src.Pixels.Series
	if i < 0 || i >= len(all) {
		return formats.Series{}, core.Errorf("render", core.IO, "the files of %s hold %d series but the image is series %d; were they replaced?", src.Image, len(all), i)
	}
	ser := all[i]
	p := src.Pixels
	if ser.SizeX != p.SizeX || ser.SizeY != p.SizeY || ser.SizeC != p.SizeC || ser.SizeZ != p.SizeZ || ser.SizeT != p.SizeT {
		return ser, core.Errorf("render", core.IO, "the files of %s no longer match it: %dx%d, Z=%d C=%d T=%d on disk, %dx%d, Z=%d C=%d T=%d recorded",
			src.Image, ser.SizeX, ser.SizeY, ser.SizeZ, ser.SizeC, ser.SizeT, p.SizeX, p.SizeY, p.SizeZ, p.SizeC, p.SizeT)
	}
	if len(ser.Levels) == 0 {
		ser.Levels = []formats.Level{{SizeX: ser.SizeX, SizeY: ser.SizeY}}
	}
	return ser, nil
}

// levels finds the image's series and its resolution levels: the file's
// own, or those of the pyramid built for a big image without one.
func (s *Service) levels(r formats.Reader, src core.PixelSource) (formats.Series, *pyramid.Source, error) {
	ser, err := series(r, src)
	if err != nil {
		return ser, nil, err
	}
	ps, err := s.pyramids.Open(src.Image.ID, r, src.Pixels.Series)
	if err != nil {
		return ser, nil, core.E("render", core.IO, fmt.Sprintf("cannot read the resolution levels of %s", src.Image), err)
	}
	ser.Levels = ser.Levels[:0:0]
	for _, l := range ps.Levels() {
		ser.Levels = append(ser.Levels, formats.Level{SizeX: l.SizeX, SizeY: l.SizeY, TileWidth: l.TileW, TileHeight: l.TileH})
	}
	return ser, ps, nil
}

// opened is an image's pixels ready to read: where they are, its series
// with the resolution levels, and the source of those levels.
type opened struct {
	src     core.PixelSource
	ser     formats.Series
	ps      *pyramid.Source
	release func() // gives the reader back to the cache
}

func (o *opened) close() {
	o.ps.Close()
	o.release()
}

// open finds img's pixels (NotFound when the session may not read it) and
// opens them through the reader cache with their resolution levels.
func (s *Service) open(ctx context.Context, img core.Ref) (*opened, error) {
	src, err := s.sess.PixelSource(ctx, img)
	if err != nil {
		return nil, err
	}
	r, release, err := s.readers.acquire(src)
	if err != nil {
		return nil, err
	}
	ser, ps, err := s.levels(r, src)
	if err != nil {
		release()
		return nil, err
	}
	return &opened{src: src, ser: ser, ps: ps, release: release}, nil
}

// checkView checks v against the image and returns the region to read.
func checkView(src core.PixelSource, ser formats.Series, v *View) (image.Rectangle, error) {
	p := src.Pixels
	switch {
	case v.Z < 0 || v.Z >= p.SizeZ:
		return image.Rectangle{}, core.Errorf("render", core.Invalid, "Z %d is outside %s's %d planes (0..%d)", v.Z, src.Image, p.SizeZ, p.SizeZ-1)
	case v.T < 0 || v.T >= p.SizeT:
		return image.Rectangle{}, core.Errorf("render", core.Invalid, "T %d is outside %s's %d timepoints (0..%d)", v.T, src.Image, p.SizeT, p.SizeT-1)
	case v.Level < 0 || v.Level >= len(ser.Levels):
		return image.Rectangle{}, core.Errorf("render", core.Invalid, "%s has %d resolution levels (0..%d), not level %d", src.Image, len(ser.Levels), len(ser.Levels)-1, v.Level)
	}
	if pr := v.Projection; pr != nil && pr.Kind != render.ProjectNone {
		switch pr.Kind {
		case render.ProjectMax, render.ProjectMean, render.ProjectSum:
		default:
			return image.Rectangle{}, core.Errorf("render", core.Invalid, "unknown projection %q (known: max, mean, sum)", pr.Kind)
		}
		if pr.StartZ < 0 || pr.EndZ < pr.StartZ || pr.EndZ >= p.SizeZ {
			return image.Rectangle{}, core.Errorf("render", core.Invalid, "projection range Z %d..%d is outside %s's %d planes (0..%d)", pr.StartZ, pr.EndZ, src.Image, p.SizeZ, p.SizeZ-1)
		}
	}
	lv := ser.Levels[v.Level]
	bounds := image.Rect(0, 0, lv.SizeX, lv.SizeY)
	if v.Region.Empty() {
		return bounds, nil
	}
	region := v.Region.Intersect(bounds)
	if region.Empty() {
		return region, core.Errorf("render", core.Invalid, "region %d,%d %dx%d is outside the %dx%d image", v.Region.Min.X, v.Region.Min.Y, v.Region.Dx(), v.Region.Dy(), lv.SizeX, lv.SizeY)
	}
	return region, nil
}

// readChannels reads the planes the settings show (the first active
// channel in greyscale, every active channel in colour), projected when
// the view asks for it; inactive channels are nil.
func (s *Service) readChannels(ctx context.Context, r *pyramid.Source, src core.PixelSource, settings render.Settings, v View, region image.Rectangle) ([]*pixel.Plane, error) {
	planes := make([]*pixel.Plane, len(settings.Channels))
	proj := v.Projection != nil && v.Projection.Kind != render.ProjectNone
	var first *pixel.Plane
	for c, cs := range settings.Channels {
		if !cs.Active {
			continue
		}
		if first != nil { // greyscale: the renderer wants a plane it will not draw
			planes[c] = first
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !proj {
			p, err := s.plane(r, src, v, v.Z, c, region)
			if err != nil {
				return nil, err
			}
			planes[c] = p
		} else {
			stack := make([]*pixel.Plane, 0, v.Projection.EndZ-v.Projection.StartZ+1)
			for z := v.Projection.StartZ; z <= v.Projection.EndZ; z++ {
				p, err := s.plane(r, src, v, z, c, region)
				if err != nil {
					return nil, err
				}
				stack = append(stack, p)
			}
			p, err := render.Project(stack, v.Projection.Kind)
			if err != nil {
				return nil, core.E("render", core.Internal, err)
			}
			planes[c] = p
		}
		if settings.Model == render.Greyscale {
			first = planes[c] // greyscale shows the first active channel only
		}
	}
	if len(planes) > 0 && !slices.ContainsFunc(planes, func(p *pixel.Plane) bool { return p != nil }) {
		// Nothing active: one plane gives the (black) picture its size.
		p, err := s.plane(r, src, v, v.Z, 0, region)
		if err != nil {
			return nil, err
		}
		planes[0] = p
	}
	return planes, nil
}

// reduced returns the planes reduced to w x h for display, through the
// plane cache. Projected planes (computed per render) are reduced each time.
func (s *Service) reduced(src core.PixelSource, v View, region image.Rectangle, planes []*pixel.Plane, w, h int) ([]*pixel.Plane, error) {
	small := make([]*pixel.Plane, len(planes))
	done := map[*pixel.Plane]*pixel.Plane{} // greyscale repeats one plane
	proj := v.Projection != nil && v.Projection.Kind != render.ProjectNone
	for c, p := range planes {
		if p == nil {
			continue
		}
		if r, ok := done[p]; ok {
			small[c] = r
			continue
		}
		k := planeKey{file: src.Files[0], series: src.Pixels.Series, level: v.Level, z: v.Z, c: c, t: v.T, region: region, scaled: image.Pt(w, h)}
		r, ok := s.planes.get(k)
		if !ok || proj {
			var err error
			if r, err = render.ReducePlane(p, w, h); err != nil {
				return nil, core.E("render", core.Internal, err)
			}
			if !proj {
				s.planes.put(k, r)
			}
		}
		small[c], done[p] = r, r
	}
	return small, nil
}

// plane reads one plane or region through the plane cache.
func (s *Service) plane(r *pyramid.Source, src core.PixelSource, v View, z, c int, region image.Rectangle) (*pixel.Plane, error) {
	level, t := v.Level, v.T
	k := planeKey{file: src.Files[0], series: src.Pixels.Series, level: level, z: z, c: c, t: t, region: region}
	if p, ok := s.planes.get(k); ok {
		return p, nil
	}
	p, err := r.ReadRegion(level, z, c, t, region)
	if err != nil {
		return nil, core.E("render", core.IO, fmt.Sprintf("cannot read plane z=%d c=%d t=%d of %s", z, c, t, src.Image), err)
	}
	s.planes.put(k, p)
	return p, nil
}
