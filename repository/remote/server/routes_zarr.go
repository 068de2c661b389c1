package server

// Images as read-only OME-Zarr (v0.4 over Zarr v2) under /zarr/v1/, so that
// OME-Zarr viewers (napari-ome-zarr, vizarr, neuroglancer, zarrita.js) open
// an image the caller may see straight from the server:
//
//	/zarr/v1/images/{image}/.zgroup                       the image's group
//	/zarr/v1/images/{image}/.zattrs                       multiscales + omero
//	/zarr/v1/images/{image}/{level}/.zarray               one array per level
//	/zarr/v1/images/{image}/{level}/{t}/{c}/{z}/{y}/{x}   one chunk
//
// Chunks are read on demand from the original files (or the pyramid cache
// for reduced levels of big images without their own) through Config.Raw:
// one channel of one plane, at most zarrChunkSide² samples, so one
// request costs at most a few MiB whatever the image. Every request
// resolves the session and the image again, so an image that becomes
// hidden stops being served at once, and a hidden image answers exactly
// like a missing one (404).

import (
	"context"
	"encoding/json"
	"image"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// zarrImages is the folder of the images' groups.
const zarrImages = wire.ZarrPrefix + "images/"

// routesZarr registers the routes of routes_zarr.go. GET patterns answer
// HEAD too (with the headers and no body); OPTIONS answers browsers'
// preflight for the session header.
func (s *Server) routesZarr() {
	s.handle("GET "+zarrImages+"{image}/.zgroup", s.zarrGroup)
	s.handle("GET "+zarrImages+"{image}/.zattrs", s.zarrAttrs)
	s.handle("GET "+zarrImages+"{image}/{level}/.zarray", s.zarrArray)
	s.handle("GET "+zarrImages+"{image}/{level}/{t}/{c}/{z}/{y}/{x}", s.zarrChunk)
	// Any other key (a viewer probing for Zarr v3's zarr.json or consolidated
	// .zmetadata) is missing, which Zarr clients expect, not "method not
	// allowed", which the preflight route would otherwise make it.
	s.handle("GET "+zarrImages+"{image}/{key...}", func(w http.ResponseWriter, _ *http.Request, _ core.Session) {
		zarrError(w, errNoZarrKey)
	})
	s.handlePublic("OPTIONS "+zarrImages+"{path...}", zarrPreflight)
}

// zarrCORS lets OME-Zarr viewers served from another origin (vizarr's web
// page) read the images with the session header. Only the header carries
// the key cross-origin: credentials (the cookie) are not allowed, so
// another site cannot read a browser user's images with their cookie.
func zarrCORS(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "Content-Length, Content-Type")
}

func zarrPreflight(w http.ResponseWriter, r *http.Request) {
	zarrCORS(w)
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", wire.SessionHeader+", "+wire.GroupHeader+", Range")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// zarrImage reads the {image} wildcard and the image's layout for sess.
func (s *Server) zarrImage(r *http.Request, sess core.Session) (*zarrLayout, error) {
	id, ok := zarrIndex(r.PathValue("image"))
	if !ok || id == 0 {
		return nil, core.Errorf("zarr", core.Invalid, "%q is not an image ID; the URL is %simages/ID/", r.PathValue("image"), wire.ZarrPrefix)
	}
	img := core.Ref{Class: core.Image, ID: core.ID(id)}
	src, err := sess.PixelSource(r.Context(), img)
	if err != nil {
		return nil, err
	}
	levels, err := s.zarrLevels(r, sess, src)
	if err != nil {
		return nil, err
	}
	return newLayout(src, levels)
}

// zarrLevels lists the image's resolution levels: from Config.Raw when it
// knows them (app/rendering's does), else from Config.Pictures, else the
// full resolution alone.
func (s *Server) zarrLevels(r *http.Request, sess core.Session, src core.PixelSource) ([]image.Point, error) {
	if s.cfg.Raw != nil {
		if l, ok := s.cfg.Raw(sess).(levelLister); ok {
			return l.Levels(r.Context(), src.Image)
		}
	}
	if s.cfg.Pictures != nil {
		return s.cfg.Pictures(sess).Levels(r.Context(), src.Image)
	}
	return []image.Point{{src.Pixels.SizeX, src.Pixels.SizeY}}, nil
}

// levelLister is a core.RawPixels that also lists the levels it reads.
type levelLister interface {
	Levels(ctx context.Context, img core.Ref) ([]image.Point, error)
}

func (s *Server) zarrGroup(w http.ResponseWriter, r *http.Request, sess core.Session) {
	if _, err := s.zarrImage(r, sess); err != nil {
		zarrError(w, err)
		return
	}
	zarrJSON(w, map[string]int{"zarr_format": 2})
}

func (s *Server) zarrAttrs(w http.ResponseWriter, r *http.Request, sess core.Session) {
	l, err := s.zarrImage(r, sess)
	if err != nil {
		zarrError(w, err)
		return
	}
	view, err := sess.ViewerRendering(r.Context(), l.src.Image)
	if err != nil {
		zarrError(w, err)
		return
	}
	zarrJSON(w, l.attrs(view))
}

func (s *Server) zarrArray(w http.ResponseWriter, r *http.Request, sess core.Session) {
	l, err := s.zarrImage(r, sess)
	if err != nil {
		zarrError(w, err)
		return
	}
	level, ok := zarrIndex(r.PathValue("level"))
	if !ok || level >= len(l.levels) {
		zarrError(w, errNoZarrKey)
		return
	}
	zarrJSON(w, l.array(level))
}

func (s *Server) zarrChunk(w http.ResponseWriter, r *http.Request, sess core.Session) {
	if s.cfg.Raw == nil {
		zarrError(w, core.Errorf("zarr", core.Unsupported, "this server does not serve pixel values"))
		return
	}
	l, err := s.zarrImage(r, sess)
	if err != nil {
		zarrError(w, err)
		return
	}
	var k [6]int
	for i, name := range []string{"level", "t", "c", "z", "y", "x"} {
		v, ok := zarrIndex(r.PathValue(name))
		if !ok {
			zarrError(w, errNoZarrKey)
			return
		}
		k[i] = v
	}
	level, t, c, z, cy, cx := k[0], k[1], k[2], k[3], k[4], k[5]
	region, ok := l.chunkRegion(level, t, c, z, cy, cx)
	if !ok {
		// Outside the array: Zarr reads a missing chunk as fill values.
		zarrError(w, errNoZarrKey)
		return
	}
	p, err := s.cfg.Raw(sess).ReadRegion(r.Context(), l.src.Image, core.RawRegion{Z: z, C: c, T: t, Level: level, Region: region})
	if err != nil {
		zarrError(w, err)
		return
	}
	size := l.chunk(level)
	b, err := padChunk(p, l.typ, region.Dx(), region.Dy(), size.X, size.Y)
	if err != nil {
		zarrError(w, err)
		return
	}
	zarrCORS(w)
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}

// padChunk lays the region read out as a full chunk of cw×ch samples, in C
// order: Zarr v2 stores edge chunks at full size, the part past the array's
// edge being fill values (zero).
func padChunk(p *pixel.Plane, t pixel.Type, w, h, cw, ch int) ([]byte, error) {
	if p.Type != t || p.Width != w || p.Height != h {
		return nil, core.Errorf("zarr", core.Internal, "the reader returned %dx%d %s samples for a %dx%d %s region", p.Width, p.Height, p.Type, w, h, t)
	}
	bpp := t.Size()
	if w == cw && h == ch {
		return p.Data, nil
	}
	out := make([]byte, cw*ch*bpp)
	for y := 0; y < h; y++ {
		copy(out[y*cw*bpp:], p.Data[y*w*bpp:(y+1)*w*bpp])
	}
	return out, nil
}

// zarrIndex parses a path segment that must be a non-negative decimal
// index: digits only (no sign, no spaces), at most 18 of them.
func zarrIndex(s string) (int, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// errNoZarrKey answers a key the image's group does not hold.
var errNoZarrKey = core.Errorf("zarr", core.NotFound, "the image's OME-Zarr holds no such key")

// zarrJSON writes a metadata document.
func zarrJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		zarrError(w, core.E("zarr", core.Internal, err))
		return
	}
	zarrCORS(w)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b) // the server drops the body of a HEAD
}

// zarrError answers err as every route does, readable cross-origin so a
// viewer can tell a missing key (404) from a refusal.
func zarrError(w http.ResponseWriter, err error) {
	zarrCORS(w)
	writeError(w, err)
}
