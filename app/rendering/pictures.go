package rendering

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// A Service is core.Pictures: what a server renders for one session, and
// what a desktop asks of a remote session through the same methods.
var _ core.Pictures = (*Service)(nil)

// ThumbnailQuality is the JPEG quality of thumbnails sent as JPEG (OMERO.web
// sends its thumbnails as JPEG too).
const ThumbnailQuality = 90

// RenderRegion implements core.Pictures: Render of the view req.
func (s *Service) RenderRegion(ctx context.Context, img core.Ref, settings render.Settings, req core.RegionRequest) (*image.RGBA, error) {
	return s.Render(ctx, img, settings, View{Z: req.Z, T: req.T, Level: req.Level, Region: req.Region, Projection: req.Projection, Size: req.Size})
}

// Thumbnails implements core.Pictures: the JPEG thumbnails of imgs with
// their owners' settings. Images the session may not see, or whose
// pixels cannot be read, are left out; a bad size or a cancelled ctx is an
// error.
func (s *Service) Thumbnails(ctx context.Context, imgs []core.Ref, size int) (map[core.ID][]byte, error) {
	if s.remote != nil {
		return s.remote.Thumbnails(ctx, imgs, size)
	}
	if size < 1 || size > maxThumbnail {
		return nil, core.Errorf("thumbnail", core.Invalid, "a thumbnail size must be between 1 and %d pixels, not %d", maxThumbnail, size)
	}
	defs, err := s.thumbnailSettings(ctx, imgs)
	if err != nil {
		return nil, err
	}
	out := make(map[core.ID][]byte, len(defs))
	for _, img := range imgs {
		def, ok := defs[img.ID]
		if !ok {
			continue // hidden or missing: left out, as OMERO's null
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := s.jpegOf(ctx, img, thumbKeyOf(img, size, def), def)
		if err != nil {
			if core.Is(core.Internal, err) {
				return nil, err
			}
			continue // unreadable pixels: left out too
		}
		out[img.ID] = b
	}
	return out, nil
}

// ThumbnailJPEG is Thumbnail as JPEG bytes (quality ThumbnailQuality). A
// server keeps recent ones in memory, keyed by the settings they show, so
// a grid's thumbnails are served without decoding or encoding.
func (s *Service) ThumbnailJPEG(ctx context.Context, img core.Ref, size int) ([]byte, error) {
	if s.remote != nil {
		m, err := s.remote.Thumbnails(ctx, []core.Ref{img}, size)
		if err != nil {
			return nil, err
		}
		if b, ok := m[img.ID]; ok {
			return b, nil
		}
		return nil, core.Errorf("thumbnail", core.NotFound, "%s has no thumbnail", img)
	}
	key, def, err := s.thumbKey(ctx, img, size)
	if err != nil {
		return nil, err
	}
	return s.jpegOf(ctx, img, key, def)
}

// thumbnailRenderings is what a session may offer to look up the settings
// of many thumbnails at once (core/inprocess's sessions do): on a server,
// one check of the session for a grid instead of one per image.
type thumbnailRenderings interface {
	ThumbnailRenderings(ctx context.Context, images []core.Ref) (map[core.ID]core.RenderingDefView, error)
}

// thumbnailSettings are the settings the thumbnails of imgs show, in one
// lookup when the session offers it, else one by one; an image the lookup
// refuses is left out.
func (s *Service) thumbnailSettings(ctx context.Context, imgs []core.Ref) (map[core.ID]core.RenderingDefView, error) {
	if b, ok := s.sess.(thumbnailRenderings); ok {
		return b.ThumbnailRenderings(ctx, imgs)
	}
	defs := make(map[core.ID]core.RenderingDefView, len(imgs))
	for _, img := range imgs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		def, err := s.sess.ThumbnailRendering(ctx, img)
		if err != nil {
			if core.Is(core.Internal, err) {
				return nil, err
			}
			continue
		}
		defs[img.ID] = def
	}
	return defs, nil
}

// jpegOf is the JPEG thumbnail of img under key, from the cache or drawn.
func (s *Service) jpegOf(ctx context.Context, img core.Ref, key thumbcache.Key, def core.RenderingDefView) ([]byte, error) {
	if b, ok := s.jpegs.get(key); ok {
		return b, nil
	}
	p, err := s.thumbnailPNG(ctx, img, key, def)
	if err != nil {
		return nil, err
	}
	m, err := png.Decode(bytes.NewReader(p))
	if err != nil {
		return nil, core.E("thumbnail", core.IO, "a cached thumbnail is unreadable; delete the cache folder to redraw it", err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: ThumbnailQuality}); err != nil {
		return nil, core.E("thumbnail", core.Internal, err)
	}
	s.jpegs.put(key, buf.Bytes())
	return buf.Bytes(), nil
}

// enter waits for a drawing slot of a server's Service.
func (s *Service) enter(ctx context.Context) error {
	if s.gate == nil {
		return nil
	}
	select {
	case s.gate <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) leave() {
	if s.gate != nil {
		<-s.gate
	}
}

// renderRemote asks the remote session for view v. The picture is drawn
// into v.Dst when it has the picture's size, as a local render would.
func (s *Service) renderRemote(ctx context.Context, img core.Ref, settings render.Settings, v View) (*image.RGBA, error) {
	m, err := s.remote.RenderRegion(ctx, img, settings, core.RegionRequest{Z: v.Z, T: v.T, Level: v.Level, Region: v.Region, Projection: v.Projection, Size: v.Size})
	if err != nil {
		return nil, err
	}
	if d := v.Dst; d != nil && d.Rect == m.Rect && d.Stride == m.Stride {
		copy(d.Pix, m.Pix)
		return d, nil
	}
	return m, nil
}

// thumbnailRemote is Thumbnail over a remote session: its JPEG decoded.
func (s *Service) thumbnailRemote(ctx context.Context, img core.Ref, size int) (*image.RGBA, error) {
	b, err := s.ThumbnailJPEG(ctx, img, size)
	if err != nil {
		return nil, err
	}
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, core.E("thumbnail", core.IO, "the server sent a thumbnail that cannot be read", err)
	}
	rgba := image.NewRGBA(m.Bounds())
	draw.Draw(rgba, rgba.Bounds(), m, m.Bounds().Min, draw.Src)
	return rgba, nil
}

// thumbnailPNGRemote is ThumbnailPNG over a remote session.
func (s *Service) thumbnailPNGRemote(ctx context.Context, img core.Ref, size int) ([]byte, error) {
	m, err := s.thumbnailRemote(ctx, img, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		return nil, core.E("thumbnail", core.Internal, err)
	}
	return buf.Bytes(), nil
}

// remoteBandBytes bounds one band asked of a server during an export: the
// server renders it within its own budget and sends it whole.
const remoteBandBytes = 64 << 20

// renderBandsRemote is RenderBands over a remote session: the picture's
// size from its levels, then band after band through RenderRegion, each
// at most remoteBandBytes of RGBA, so an export of a picture larger than
// memory streams on the client too.
func (s *Service) renderBandsRemote(ctx context.Context, img core.Ref, settings render.Settings, v View, begin func(size image.Point) error, fn func(y int, band *image.RGBA) error) (image.Point, error) {
	levels, err := s.remote.Levels(ctx, img)
	if err != nil {
		return image.Point{}, err
	}
	if v.Level < 0 || v.Level >= len(levels) {
		return image.Point{}, core.Errorf("render", core.Invalid, "%s has %d resolution levels (0..%d), not level %d", img, len(levels), len(levels)-1, v.Level)
	}
	bounds := image.Rectangle{Max: levels[v.Level]}
	region := bounds
	if !v.Region.Empty() {
		region = v.Region.Intersect(bounds)
		if region.Empty() {
			return image.Point{}, core.Errorf("render", core.Invalid, "region %d,%d %dx%d is outside the %dx%d image", v.Region.Min.X, v.Region.Min.Y, v.Region.Dx(), v.Region.Dy(), bounds.Dx(), bounds.Dy())
		}
	}
	if err := begin(region.Size()); err != nil {
		return image.Point{}, err
	}
	rows := max(1, min(region.Dy(), remoteBandBytes/(4*max(1, region.Dx()))))
	for y := region.Min.Y; y < region.Max.Y; y += rows {
		if err := ctx.Err(); err != nil {
			return image.Point{}, err
		}
		bv := v
		bv.Region = image.Rect(region.Min.X, y, region.Max.X, min(region.Max.Y, y+rows))
		band, err := s.renderRemote(ctx, img, settings, bv)
		if err != nil {
			return image.Point{}, err
		}
		if err := fn(y-region.Min.Y, band); err != nil {
			return image.Point{}, err
		}
	}
	return region.Size(), nil
}
