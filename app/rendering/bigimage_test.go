package rendering_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// A big plane without a pyramid of its own is shown from the pyramid built
// for it: a view fitted to a window reads a reduced level, and an explicit
// reduced level can be asked for.
func TestBigImageIsShownFromItsBuiltPyramid(t *testing.T) {
	ctx := context.Background()
	svc, repo := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, _ := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{g.ID}})
	ada := testrepo.Login(t, svc, "ada", "pw")

	path := filepath.Join(t.TempDir(), "big.ome.tiff")
	s := formats.Series{Name: "big", SizeX: 4000, SizeY: 3400, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint16}
	err := ome.WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, s.SizeX, s.SizeY)
		for y := 0; y < s.SizeY; y++ {
			for x := 0; x < s.SizeX; x++ {
				p.Set(x, y, float64((x/100+y/100)%2*1000))
			}
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pyrs := pyramid.ForRepository(repo)
	sum, err := importer.Run(ctx, importer.Config{Session: ada, Open: detect.Open, Thumbs: thumbcache.ForRepository(repo), Pyramids: pyrs},
		[]string{path}, importer.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	img := sum.Results[0].Images[0]
	r := rendering.New(rendering.Config{Session: ada, Thumbs: thumbcache.ForRepository(repo), Pyramids: pyrs})
	defer r.Close()
	view, err := ada.ViewerRendering(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.RenderView(ctx, img, 0, 0, view.Settings, 500)
	if err != nil {
		t.Fatal(err)
	}
	if b := got.Bounds(); b.Dx() != 500 || b.Dy() != 425 {
		t.Errorf("fitted view is %v, want 500x425", b)
	}
	lvl, err := r.Render(ctx, img, view.Settings, rendering.View{Level: 2})
	if err != nil {
		t.Fatalf("level 2 of the built pyramid: %v", err)
	}
	if b := lvl.Bounds(); b.Dx() != 1000 || b.Dy() != 850 {
		t.Errorf("level 2 is %v, want 1000x850", b)
	}
	if _, err := r.Thumbnail(ctx, img, 96); err != nil {
		t.Errorf("thumbnail: %v", err)
	}
}
