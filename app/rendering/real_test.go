package rendering_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core/formats/detect"

	"github.com/ocular-lab/ocular/internal/realdata"
)

// Images imported from files written by other software, including sets
// opened as a folder (OME-Zarr) and plates, render and get thumbnails.
func TestRealFilesRenderAfterImport(t *testing.T) {
	real := realdata.Dir(t)
	for _, rel := range []string{
		"ome-zarr/spatialdata-blobs/blobs_image_v04.ome.zarr",
		"ome-zarr/bf2raw/plate-rows-2.zarr",
		"ome-zarr/bf2raw-legacy",
		"ome-tiff/ome-multifile",
	} {
		path := filepath.Join(real, rel)
		if _, err := os.Stat(path); err != nil {
			t.Logf("%s: absent, skipped", rel)
			continue
		}
		t.Run(rel, func(t *testing.T) {
			f := newFixture(t)
			sum, err := importer.Run(f.ctx, importer.Config{Session: f.ada, Open: detect.Open, Supported: detect.Supported,
				Thumbs: thumbcache.ForRepository(f.repo)}, []string{path}, importer.Options{SkipThumbnails: true}, nil)
			if err != nil || sum.Imported == 0 {
				t.Fatalf("import: %+v, %v", sum, err)
			}
			svc := rendering.New(rendering.Config{Session: f.bob, Thumbs: thumbcache.ForRepository(f.repo)})
			defer svc.Close()
			for _, r := range sum.Results {
				for _, img := range r.Images {
					if _, err := svc.ThumbnailPNG(context.Background(), img, 64); err != nil {
						t.Errorf("%s thumbnail: %v", img, err)
					}
					v, err := f.bob.ViewerRendering(f.ctx, img)
					if err != nil {
						t.Fatal(err)
					}
					rgba, err := svc.RenderView(f.ctx, img, v.Settings.DefaultZ, v.Settings.DefaultT, v.Settings, 128)
					if err != nil || rgba.Rect.Dx() == 0 {
						t.Errorf("%s view: %v", img, err)
					}
				}
			}
		})
	}
}
