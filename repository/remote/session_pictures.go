package remote

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// A Session renders on the server: app/rendering sees that it implements
// core.Pictures and asks it for every picture, so a client only receives
// the plane or tile it shows, never the image's files.
var _ core.Pictures = (*Session)(nil)

// ThumbnailBatch is how many thumbnails one request asks for (OMERO.web's
// omero.web.thumbnails_batch, which the server enforces).
const ThumbnailBatch = 50

// RenderRegion asks the server to render req of img with settings (the
// viewer's, saved or not) at the size shown.
func (s *Session) RenderRegion(ctx context.Context, img core.Ref, settings render.Settings, req core.RegionRequest) (*image.RGBA, error) {
	body, err := json.Marshal(wire.RenderRequest{Settings: settings, Region: wire.RegionToJSON(req)})
	if err != nil {
		return nil, core.E("render", core.Internal, err)
	}
	path := fmt.Sprintf("%simages/%d/render", wire.OcularPrefix, img.ID)
	resp, err := s.svc.Do(ctx, http.MethodPost, path, s.currentKey(), s.group, bytes.NewReader(body), "application/json")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != wire.PictureType {
		return nil, core.Errorf("render", core.IO, "the server sent a picture as %q, which this Ocular cannot read; update Ocular", ct)
	}
	// The picture's compressed size is bounded like its pixels; its
	// announced length sizes the buffer at once.
	const maxBody = 5 * wire.MaxPicturePixels
	if resp.ContentLength > maxBody {
		return nil, core.Errorf("render", core.IO, "the server sent a picture larger than this Ocular accepts")
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxBody)); err != nil {
		return nil, s.svc.netError("render", err)
	}
	b := buf.Bytes()
	m, err := wire.DecodePicture(b)
	if err != nil {
		return nil, core.E("render", core.IO, "the server's picture could not be read", err)
	}
	return m, nil
}

// Thumbnails asks webgateway's get_thumbnails for imgs, ThumbnailBatch at
// a time: JPEGs keyed by image ID, images the server answers null for
// (hidden, missing, unreadable) left out.
func (s *Session) Thumbnails(ctx context.Context, imgs []core.Ref, size int) (map[core.ID][]byte, error) {
	out := make(map[core.ID][]byte, len(imgs))
	for i := 0; i < len(imgs); i += ThumbnailBatch {
		batch := imgs[i:min(len(imgs), i+ThumbnailBatch)]
		q := url.Values{}
		for _, r := range batch {
			q.Add("id", strconv.FormatInt(int64(r.ID), 10))
		}
		var got map[string]*string
		path := fmt.Sprintf("%sget_thumbnails/%d/?%s", wire.GatewayPrefix, size, q.Encode())
		if err := s.call(ctx, http.MethodGet, path, nil, &got); err != nil {
			return nil, err
		}
		for k, v := range got {
			id, err := strconv.ParseInt(k, 10, 64)
			if err != nil || v == nil {
				continue
			}
			b, ok := dataURI(*v)
			if !ok {
				return nil, core.Errorf("thumbnail", core.IO, "the server sent a thumbnail of image %d that is not a data URI", id)
			}
			out[core.ID(id)] = b
		}
	}
	return out, nil
}

// dataURI decodes "data:image/jpeg;base64,...".
func dataURI(s string) ([]byte, bool) {
	_, data, ok := strings.Cut(s, ";base64,")
	if !ok || !strings.HasPrefix(s, "data:") {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(data)
	return b, err == nil
}

// Levels asks the server for the sizes of img's resolution levels.
func (s *Session) Levels(ctx context.Context, img core.Ref) ([]image.Point, error) {
	var got wire.LevelsJSON
	if err := s.call(ctx, http.MethodGet, fmt.Sprintf("%simages/%d/levels", wire.OcularPrefix, img.ID), nil, &got); err != nil {
		return nil, err
	}
	out := make([]image.Point, 0, len(got.Levels))
	for _, l := range got.Levels {
		out = append(out, image.Pt(l.SizeX, l.SizeY))
	}
	return out, nil
}
