package rendering_test

import (
	"context"
	"testing"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core/formats/ome"
)

// A big plane without a pyramid of its own is shown from the pyramid built
// for it: a view fitted to a window reads a reduced level, and an explicit
// reduced level can be asked for.
func TestBigImageIsShownFromItsBuiltPyramid(t *testing.T) {
	ctx := context.Background()
	f := importOMEs(t, omeFile{"big.ome.tiff", 4000, 3400, ome.WriteOptions{},
		func(x, y int) float64 { return float64((x/100 + y/100) % 2 * 1000) }})
	ada, img := f.ada, f.images[0]
	r := rendering.New(rendering.Config{Session: ada, Thumbs: thumbcache.ForRepository(f.repo), Pyramids: f.pyramids})
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
