package rendering_test

import (
	"context"
	"image"
	"image/color"
	"testing"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// picturesSession is a session that renders itself, as a remote client's
// does; every other method is absent (nil), so a Service that reached for
// files or settings would panic.
type picturesSession struct {
	core.Session
	asked []core.RegionRequest
}

func (p *picturesSession) RenderRegion(_ context.Context, _ core.Ref, _ render.Settings, req core.RegionRequest) (*image.RGBA, error) {
	p.asked = append(p.asked, req)
	w, h := 40, 20
	if !req.Region.Empty() {
		w, h = req.Region.Dx(), req.Region.Dy()
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	m.Set(0, 0, color.RGBA{R: 200, A: 255})
	return m, nil
}

func (p *picturesSession) Thumbnails(_ context.Context, imgs []core.Ref, size int) (map[core.ID][]byte, error) {
	return map[core.ID][]byte{}, nil // nothing visible
}

func (p *picturesSession) Levels(context.Context, core.Ref) ([]image.Point, error) {
	return []image.Point{{40, 20}}, nil
}

// Over a session that renders itself, the Service opens no file and needs
// no cache folder: it asks the session, and an export comes in bands.
func TestServiceDelegatesToARenderingSession(t *testing.T) {
	ctx := context.Background()
	sess := &picturesSession{}
	svc := rendering.New(rendering.Config{Session: sess})
	defer svc.Close()
	img := core.Ref{Class: core.Image, ID: 7}
	dst := image.NewRGBA(image.Rect(0, 0, 40, 20))
	m, err := svc.Render(ctx, img, render.Settings{}, rendering.View{Z: 1, Size: 40, Dst: dst})
	if err != nil || m != dst || dst.Pix[0] != 200 {
		t.Fatalf("render: %v, drawn into the viewer's buffer: %v", err, m == dst)
	}
	if len(sess.asked) != 1 || sess.asked[0].Z != 1 || sess.asked[0].Size != 40 {
		t.Errorf("asked %+v", sess.asked)
	}
	size, err := svc.RenderBands(ctx, img, render.Settings{}, rendering.View{}, func(image.Point) error { return nil },
		func(int, *image.RGBA) error { return nil })
	if err != nil || size != image.Pt(40, 20) {
		t.Errorf("bands: %v %v", size, err)
	}
	if _, err := svc.Thumbnail(ctx, img, 96); !core.Is(core.NotFound, err) {
		t.Errorf("a thumbnail the session does not give: %v, want NotFound", err)
	}
	if l, err := svc.Levels(ctx, img); err != nil || len(l) != 1 {
		t.Errorf("levels: %v %v", l, err)
	}
}
