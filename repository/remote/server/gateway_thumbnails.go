package server

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
)

// webgateway's thumbnail routes: render_thumbnail (JPEG), get_thumbnail
// (one data URI) and get_thumbnails (a batch of at most 50). Thumbnails
// show the image owner's settings, as everywhere in Ocular.

// thumbnailSide is the longest side asked by {w}/{h} (OMERO's default 96).
func thumbnailSide(r *http.Request) (int, error) {
	w, err := pathInt(r, "w", defaultThumbnail, 1, maxThumbnailSide)
	if err != nil {
		return 0, err
	}
	h, err := pathInt(r, "h", w, 1, maxThumbnailSide)
	if err != nil {
		return 0, err
	}
	return max(w, h), nil
}

// thumbnail is one image's thumbnail JPEG; hidden, missing and unreadable
// images are the same NotFound.
func (s *Server) thumbnail(r *http.Request, sess core.Session) ([]byte, error) {
	pics, err := s.picturesFor(sess)
	if err != nil {
		return nil, err
	}
	img, err := imageRef(r)
	if err != nil {
		return nil, err
	}
	size, err := thumbnailSide(r)
	if err != nil {
		return nil, err
	}
	m, err := pics.Thumbnails(r.Context(), []core.Ref{img}, size)
	if err != nil {
		return nil, err
	}
	b, ok := m[img.ID]
	if !ok {
		return nil, imageNotFound(img)
	}
	return b, nil
}

// renderThumbnail is render_thumbnail/{image}/[{w}/[{h}/]]: the JPEG with
// the image owner's settings (as every thumbnail in Ocular).
func (s *Server) renderThumbnail(w http.ResponseWriter, r *http.Request, sess core.Session) {
	b, err := s.thumbnail(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	s.memoPut(r, b)
	writeJPEGBytes(w, b)
}

// getThumbnail is get_thumbnail/{image}/[{w}/[{h}/]]: the thumbnail as a
// JSON string holding a data URI.
func (s *Server) getThumbnail(w http.ResponseWriter, r *http.Request, sess core.Session) {
	b, err := s.thumbnail(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, jpegURI(b))
}

func jpegURI(b []byte) string {
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(b)
}

// maxThumbnailBatch is OMERO.web's omero.web.thumbnails_batch.
const maxThumbnailBatch = 50

// getThumbnails is get_thumbnails/[{w}/]?id=1&id=2: a JSON object of data
// URIs by ID, null for images that are hidden, missing or unreadable.
func (s *Server) getThumbnails(w http.ResponseWriter, r *http.Request, sess core.Session) {
	pics, err := s.picturesFor(sess)
	if err != nil {
		writeError(w, err)
		return
	}
	size, err := thumbnailSide(r)
	if err != nil {
		writeError(w, err)
		return
	}
	ids := r.URL.Query()["id"]
	if len(ids) > maxThumbnailBatch {
		writeError(w, core.Errorf("", core.Invalid, "ask for at most %d thumbnails per request, not %d", maxThumbnailBatch, len(ids)))
		return
	}
	refs := make([]core.Ref, 0, len(ids))
	for _, v := range ids {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			writeError(w, core.Errorf("", core.Invalid, "id=%s is not an image ID", v))
			return
		}
		refs = append(refs, core.Ref{Class: core.Image, ID: core.ID(id)})
	}
	m, err := pics.Thumbnails(r.Context(), refs, size)
	if err != nil {
		writeError(w, err)
		return
	}
	out := make(map[string]*string, len(refs))
	for _, ref := range refs {
		k := strconv.FormatInt(int64(ref.ID), 10)
		if b, ok := m[ref.ID]; ok {
			u := jpegURI(b)
			out[k] = &u
		} else {
			out[k] = nil
		}
	}
	writeJSON(w, http.StatusOK, out)
}
