package remote

// Rendering settings (core.Rendering) over the wire: Ocular's own routes,
// which carry the whole render.Settings. The server checks every rule.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// imagePath is the route of image's rendering settings. A ref that is not
// an image is refused here with core's sentence, as in-process.
func imagePath(op string, image core.Ref, tail string) (string, error) {
	if image.Class != core.Image {
		return "", core.Errorf(op, core.Invalid, "%s is not an image; rendering settings belong to images (Image:ID)", image)
	}
	return "/ocular/v1/images/" + strconv.FormatInt(int64(image.ID), 10) + tail, nil
}

func (s *Session) renderingGet(ctx context.Context, op string, image core.Ref, tail string, out any) error {
	p, err := imagePath(op, image, tail)
	if err != nil {
		return err
	}
	return s.call(ctx, http.MethodGet, p, nil, out)
}

func (s *Session) ViewerRendering(ctx context.Context, image core.Ref) (core.RenderingDefView, error) {
	var v core.RenderingDefView
	err := s.renderingGet(ctx, "render", image, "/rendering/viewer", &v)
	return v, err
}

func (s *Session) ThumbnailRendering(ctx context.Context, image core.Ref) (core.RenderingDefView, error) {
	var v core.RenderingDefView
	err := s.renderingGet(ctx, "thumbnail", image, "/rendering/thumbnail", &v)
	return v, err
}

func (s *Session) RenderingDefs(ctx context.Context, image core.Ref) ([]core.RenderingDefView, error) {
	var vs []core.RenderingDefView
	err := s.renderingGet(ctx, "render info", image, "/rendering/defs", &vs)
	return vs, err
}

func (s *Session) PixelSource(ctx context.Context, image core.Ref) (core.PixelSource, error) {
	var ps core.PixelSource
	err := s.renderingGet(ctx, "pixels", image, "/pixel-source", &ps)
	return ps, err
}

func (s *Session) saveRendering(ctx context.Context, image core.Ref, set render.Settings, tail string) (core.RenderingDefView, error) {
	var v core.RenderingDefView
	p, err := imagePath("render save", image, tail)
	if err == nil {
		err = s.call(ctx, http.MethodPut, p, set, &v)
	}
	return v, err
}

func (s *Session) SaveRendering(ctx context.Context, image core.Ref, set render.Settings) (core.RenderingDefView, error) {
	return s.saveRendering(ctx, image, set, "/rendering")
}

func (s *Session) SaveRenderingAsOwner(ctx context.Context, image core.Ref, set render.Settings) (core.RenderingDefView, error) {
	return s.saveRendering(ctx, image, set, "/rendering/owner")
}

func (s *Session) PasteRendering(ctx context.Context, from core.Ref, targets []core.Ref) (core.RenderingResult, error) {
	var res core.RenderingResult
	p, err := imagePath("render paste", from, "/rendering/paste")
	if err == nil {
		err = s.call(ctx, http.MethodPost, p, wire.RenderingTargets{Targets: targets}, &res)
	}
	return res, err
}

func (s *Session) SaveRenderingToAll(ctx context.Context, image core.Ref, set render.Settings, container core.Ref) (core.RenderingResult, error) {
	var res core.RenderingResult
	p, err := imagePath("render save-to-all", image, "/rendering/save-to-all")
	if err == nil {
		err = s.call(ctx, http.MethodPost, p, wire.SaveToAllRequest{Settings: set, Container: container}, &res)
	}
	return res, err
}

func (s *Session) renderingBatch(ctx context.Context, path string, in any) (core.RenderingResult, error) {
	var res core.RenderingResult
	err := s.call(ctx, http.MethodPost, path, in, &res)
	return res, err
}

func (s *Session) ResetRendering(ctx context.Context, targets []core.Ref) (core.RenderingResult, error) {
	return s.renderingBatch(ctx, "/ocular/v1/rendering/reset", wire.RenderingTargets{Targets: targets})
}

func (s *Session) SetOwnersRendering(ctx context.Context, targets []core.Ref) (core.RenderingResult, error) {
	return s.renderingBatch(ctx, "/ocular/v1/rendering/owners", wire.RenderingTargets{Targets: targets})
}

func (s *Session) SetRenderingWindows(ctx context.Context, targets []core.Ref, mode core.WindowMode) (core.RenderingResult, error) {
	return s.renderingBatch(ctx, "/ocular/v1/rendering/windows", wire.WindowsRequest{Targets: targets, Mode: mode})
}

func (s *Session) RenameChannels(ctx context.Context, target core.Ref, names []string) (core.RenderingResult, error) {
	return s.renderingBatch(ctx, "/ocular/v1/rendering/channel-names", wire.ChannelNamesRequest{Target: target, Names: names})
}
