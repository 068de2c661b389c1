package rendering_test

import (
	"context"
	"fmt"
	"image"
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

// An OME-TIFF with two reduced levels in SubIFDs lists three levels, full
// resolution first, and each renders at the size listed; an image without
// a pyramid lists its full resolution alone.
func TestLevelsListsTheFilesPyramid(t *testing.T) {
	ctx := context.Background()
	svc, repo := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, _ := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{g.ID}})
	ada := testrepo.Login(t, svc, "ada", "pw")

	dir := t.TempDir()
	write := func(name string, w, h int, opts ome.WriteOptions) string {
		path := filepath.Join(dir, name)
		s := formats.Series{Name: name, SizeX: w, SizeY: h, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint16}
		err := ome.WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
			p, _ := pixel.NewPlane(pixel.Uint16, w, h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					p.Set(x, y, float64(x+y))
				}
			}
			return p, nil
		}, opts)
		if err != nil {
			t.Fatal(err)
		}
		return path
	}
	pyr := write("pyramid.ome.tiff", 1000, 601, ome.WriteOptions{TileSize: 256, PyramidLevels: 2})
	flat := write("flat.ome.tiff", 300, 200, ome.WriteOptions{})
	pyrs := pyramid.ForRepository(repo)
	sum, err := importer.Run(ctx, importer.Config{Session: ada, Open: detect.Open, Thumbs: thumbcache.ForRepository(repo), Pyramids: pyrs},
		[]string{pyr, flat}, importer.Options{}, nil)
	if err != nil || sum.Err() != nil {
		t.Fatalf("import: %v %v", err, sum.Err())
	}
	r := rendering.New(rendering.Config{Session: ada, Pyramids: pyrs})
	defer r.Close()

	for i, want := range [][]image.Point{
		{{1000, 601}, {500, 301}, {250, 151}},
		{{300, 200}},
	} {
		img := sum.Results[i].Images[0]
		got, err := r.Levels(ctx, img)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s lists levels %v, want %v", sum.Results[i].Path, got, want)
		}
		view, err := ada.ViewerRendering(ctx, img)
		if err != nil {
			t.Fatal(err)
		}
		for l, size := range got {
			pic, err := r.Render(ctx, img, view.Settings, rendering.View{Level: l})
			if err != nil {
				t.Fatalf("level %d: %v", l, err)
			}
			if pic.Bounds().Size() != size {
				t.Errorf("level %d renders %v, Levels says %v", l, pic.Bounds().Size(), size)
			}
		}
	}
}
