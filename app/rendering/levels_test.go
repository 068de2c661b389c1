package rendering_test

import (
	"context"
	"fmt"
	"image"
	"testing"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core/formats/ome"
)

// An OME-TIFF with two reduced levels in SubIFDs lists three levels, full
// resolution first, and each renders at the size listed; an image without
// a pyramid lists its full resolution alone.
func TestLevelsListsTheFilesPyramid(t *testing.T) {
	ctx := context.Background()
	diagonal := func(x, y int) float64 { return float64(x + y) }
	f := importOMEs(t,
		omeFile{"pyramid.ome.tiff", 1000, 601, ome.WriteOptions{TileSize: 256, PyramidLevels: 2}, diagonal},
		omeFile{"flat.ome.tiff", 300, 200, ome.WriteOptions{}, diagonal})
	ada := f.ada
	r := rendering.New(rendering.Config{Session: ada, Pyramids: f.pyramids})
	defer r.Close()

	for i, want := range [][]image.Point{
		{{1000, 601}, {500, 301}, {250, 151}},
		{{300, 200}},
	} {
		img := f.images[i]
		got, err := r.Levels(ctx, img)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s lists levels %v, want %v", img, got, want)
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
