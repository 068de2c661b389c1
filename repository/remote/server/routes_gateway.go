package server

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// webgateway's rendering routes (spec/omero-json-api.md §3) and the two
// Ocular routes the desktop's viewer uses. Every picture is drawn by
// cfg.Pictures for the caller's session, which checks that the caller may
// see the image; only the plane or tile asked for is rendered and sent.
// docs/server/webgateway.md lists the routes.

// routesGateway registers the routes of routes_gateway.go and gateway_*.go.
func (s *Server) routesGateway() {
	g := wire.GatewayPrefix
	for _, p := range []string{"render_image/{image}/", "render_image/{image}/{z}/", "render_image/{image}/{z}/{t}/"} {
		s.handle("GET "+g+p, s.renderImage)
	}
	s.handle("GET "+g+"render_image_region/{image}/{z}/{t}/", s.renderImageRegion)
	for _, p := range []string{"render_thumbnail/{image}/", "render_thumbnail/{image}/{w}/", "render_thumbnail/{image}/{w}/{h}/"} {
		s.handleMemo("GET "+g+p, s.renderThumbnail)
	}
	for _, p := range []string{"get_thumbnail/{image}/", "get_thumbnail/{image}/{w}/", "get_thumbnail/{image}/{w}/{h}/"} {
		s.handle("GET "+g+p, s.getThumbnail)
	}
	s.handle("GET "+g+"get_thumbnails/", s.getThumbnails)
	s.handle("GET "+g+"get_thumbnails/{w}/", s.getThumbnails)
	s.handle("GET "+g+"render_birds_eye_view/{image}/", s.renderBirdsEye)
	s.handle("GET "+g+"render_birds_eye_view/{image}/{size}/", s.renderBirdsEye)
	s.handle("GET "+g+"imgData/{image}/", s.imgData)
	s.handle("GET "+g+"imgData/{image}/{key}/", s.imgData)
	s.routesRenderingDefs()

	s.handle("POST "+wire.OcularPrefix+"images/{image}/render", s.ocularRender)
	s.handle("GET "+wire.OcularPrefix+"images/{image}/levels", s.ocularLevels)
}

// defaultThumbnail is OMERO.web's browser.thumb_default_size.
const defaultThumbnail = 96

// maxThumbnailSide bounds a thumbnail asked over the wire.
const maxThumbnailSide = 1024

// imageRef is the {image} of the path.
func imageRef(r *http.Request) (core.Ref, error) {
	id, err := strconv.ParseInt(r.PathValue("image"), 10, 64)
	if err != nil || id <= 0 {
		return core.Ref{}, core.Errorf("", core.Invalid, "%q is not an image ID", r.PathValue("image"))
	}
	return core.Ref{Class: core.Image, ID: core.ID(id)}, nil
}

// pathInt is the path's wildcard name as a number in [lo, hi], def when
// the pattern has no such wildcard.
func pathInt(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.PathValue(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, core.Errorf("", core.Invalid, "%s must be a number from %d to %d, not %q", name, lo, hi, v)
	}
	return n, nil
}

// pictures is what renders for sess.
func (s *Server) picturesFor(sess core.Session) (core.Pictures, error) {
	if s.cfg.Pictures == nil {
		return nil, core.Errorf("", core.Unsupported, "this server does not render images")
	}
	return s.cfg.Pictures(sess), nil
}

// notFound is the answer for an image the caller may not see or that does
// not exist: the same sentence for both.
func imageNotFound(img core.Ref) error {
	return core.Errorf("image", core.NotFound, "%s not found", img)
}

// writeJPEG sends m as JPEG of quality, or PNG when format=png.
func writeJPEG(w http.ResponseWriter, r *http.Request, m image.Image, quality int) {
	var buf bytes.Buffer
	ct := "image/jpeg"
	switch f := r.URL.Query().Get("format"); f {
	case "", "jpeg", "jpg":
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: quality}); err != nil {
			writeError(w, core.E("encode", core.Internal, err))
			return
		}
	case "png":
		ct = "image/png"
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, m); err != nil {
			writeError(w, core.E("encode", core.Internal, err))
			return
		}
	default:
		writeError(w, core.Errorf("", core.Invalid, "format=%s is not a picture format: use jpeg or png", f))
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

// plan is a rendering asked through webgateway's parameters.
type plan struct {
	img     core.Ref
	info    core.PixelsInfo
	req     core.RegionRequest
	quality int
}

// viewerPlan reads the image's viewer settings (NotFound when hidden) and
// applies the query's rendering parameters and the path's {z}/{t}.
func (s *Server) viewerPlan(r *http.Request, sess core.Session) (plan, *settingsPlan, error) {
	img, err := imageRef(r)
	if err != nil {
		return plan{}, nil, err
	}
	sp, err := s.settingsFor(r, sess, img)
	if err != nil {
		return plan{}, nil, err
	}
	p := plan{img: img, info: sp.info}
	if p.req.Z, err = pathInt(r, "z", sp.settings.DefaultZ, 0, max(0, sp.info.SizeZ-1)); err != nil {
		return p, nil, err
	}
	if p.req.T, err = pathInt(r, "t", sp.settings.DefaultT, 0, max(0, sp.info.SizeT-1)); err != nil {
		return p, nil, err
	}
	if p.quality, err = jpegQuality(r.URL.Query()); err != nil {
		return p, nil, err
	}
	return p, sp, nil
}

// renderImage is render_image/{image}/[{z}/[{t}/]]: the whole plane.
func (s *Server) renderImage(w http.ResponseWriter, r *http.Request, sess core.Session) {
	pics, err := s.picturesFor(sess)
	if err != nil {
		writeError(w, err)
		return
	}
	p, sp, err := s.viewerPlan(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	m, err := pics.RenderRegion(r.Context(), p.img, sp.settings, p.req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJPEG(w, r, m, p.quality)
}

// defaultTile is the tile size imgData announces and tile= uses when it
// gives none.
const defaultTile = 512

// renderImageRegion is render_image_region/{image}/{z}/{t}/ with
// region=x,y,w,h (full resolution) or tile=level,x,y[,w,h] (tile indexes
// at level, 0 = full resolution as in imgData's zoomLevelScaling).
func (s *Server) renderImageRegion(w http.ResponseWriter, r *http.Request, sess core.Session) {
	pics, err := s.picturesFor(sess)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	nums := func(name, v string, n1, n2 int) ([]int, error) {
		parts := strings.Split(v, ",")
		if len(parts) != n1 && len(parts) != n2 {
			return nil, core.Errorf("", core.Invalid, "%s=%s must be %d comma-separated numbers (%s)", name, v, n1, map[string]string{"region": "x,y,w,h", "tile": "level,x,y or level,x,y,w,h"}[name])
		}
		out := make([]int, len(parts))
		for i, s := range parts {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > 1<<30 {
				return nil, core.Errorf("", core.Invalid, "%s=%s must hold whole numbers from 0", name, v)
			}
			out[i] = n
		}
		return out, nil
	}
	var region image.Rectangle
	level := 0
	switch {
	case q.Get("tile") != "":
		t, err := nums("tile", q.Get("tile"), 3, 5)
		if err != nil {
			writeError(w, err)
			return
		}
		tw, th := defaultTile, defaultTile
		if len(t) == 5 {
			tw, th = t[3], t[4]
		}
		if tw < 1 || th < 1 || tw > 4096 || th > 4096 {
			writeError(w, core.Errorf("", core.Invalid, "a tile must be 1 to 4096 pixels wide and high, not %d×%d", tw, th))
			return
		}
		level = t[0]
		region = image.Rect(t[1]*tw, t[2]*th, t[1]*tw+tw, t[2]*th+th)
	case q.Get("region") != "":
		v, err := nums("region", q.Get("region"), 4, 4)
		if err != nil {
			writeError(w, err)
			return
		}
		if v[2] < 1 || v[3] < 1 {
			writeError(w, core.Errorf("", core.Invalid, "region=%s must have a width and height of at least 1", q.Get("region")))
			return
		}
		region = image.Rect(v[0], v[1], v[0]+v[2], v[1]+v[3])
	default:
		writeError(w, core.Errorf("", core.Invalid, "render_image_region needs region=x,y,w,h or tile=level,x,y"))
		return
	}
	p, sp, err := s.viewerPlan(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	p.req.Level, p.req.Region = level, region
	m, err := pics.RenderRegion(r.Context(), p.img, sp.settings, p.req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJPEG(w, r, m, p.quality)
}

// renderBirdsEye is render_birds_eye_view/{image}/[{size}/]: the whole
// plane with the caller's viewer settings (and the query's parameters),
// longest side size (default 96).
func (s *Server) renderBirdsEye(w http.ResponseWriter, r *http.Request, sess core.Session) {
	pics, err := s.picturesFor(sess)
	if err != nil {
		writeError(w, err)
		return
	}
	size, err := pathInt(r, "size", defaultThumbnail, 1, maxThumbnailSide)
	if err != nil {
		writeError(w, err)
		return
	}
	p, sp, err := s.viewerPlan(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	p.req.Size = size
	m, err := pics.RenderRegion(r.Context(), p.img, sp.settings, p.req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJPEG(w, r, m, p.quality)
}

// ocularRender is POST /ocular/v1/images/{image}/render: the desktop
// viewer's picture with its full settings, as wire.PictureType.
func (s *Server) ocularRender(w http.ResponseWriter, r *http.Request, sess core.Session) {
	pics, err := s.picturesFor(sess)
	if err != nil {
		writeError(w, err)
		return
	}
	img, err := imageRef(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var req wire.RenderRequest
	if err := s.decodeJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	m, err := pics.RenderRegion(r.Context(), img, req.Settings, req.Region.Request())
	if err != nil {
		writeError(w, err)
		return
	}
	if int64(m.Rect.Dx())*int64(m.Rect.Dy()) > wire.MaxPicturePixels {
		writeError(w, core.Errorf("", core.Invalid, "the picture is larger than %d pixels: ask for a smaller size or a region", wire.MaxPicturePixels))
		return
	}
	b := wire.EncodePicture(m)
	defer wire.ReleasePicture(b)
	w.Header().Set("Content-Type", wire.PictureType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// ocularLevels is GET /ocular/v1/images/{image}/levels.
func (s *Server) ocularLevels(w http.ResponseWriter, r *http.Request, sess core.Session) {
	pics, err := s.picturesFor(sess)
	if err != nil {
		writeError(w, err)
		return
	}
	img, err := imageRef(r)
	if err != nil {
		writeError(w, err)
		return
	}
	ls, err := pics.Levels(r.Context(), img)
	if err != nil {
		writeError(w, err)
		return
	}
	out := wire.LevelsJSON{Levels: make([]wire.LevelJSON, 0, len(ls))}
	for _, l := range ls {
		out.Levels = append(out.Levels, wire.LevelJSON{SizeX: l.X, SizeY: l.Y})
	}
	writeJSON(w, http.StatusOK, out)
}
