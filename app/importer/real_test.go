package importer_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"

	"github.com/ocular-lab/ocular/internal/realdata"
)

// TestImportEveryRealFile imports the whole real test-data folder through the
// pipeline (the detect package's own test checks each file's dimensions
// against the README): every supported file or file set must register, with
// the dimensions its reader reports, and the companion parts of multi-file
// sets must not be imported twice.
func TestImportEveryRealFile(t *testing.T) {
	data := realdata.Dir(t)
	f := newFixture(t)
	ctx := context.Background()
	cfg := f.config()
	cfg.Open, cfg.Supported = detect.Open, detect.Supported
	sum, err := importer.Run(ctx, cfg, []string{data}, importer.Options{Transfer: importer.Symlink}, nil)
	for _, r := range sum.Results {
		if r.Error != "" {
			t.Errorf("%s: %s", r.Path, r.Error)
		}
	}
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	// The 5-file multi-file OME-TIFF set is one fileset with 6 files, imported once.
	multi := 0
	for _, r := range sum.Results {
		if filepath.Base(filepath.Dir(r.Path)) == "ome-multifile" {
			multi++
		}
	}
	if multi != 1 {
		t.Errorf("the multi-file OME-TIFF set was imported %d times, want once", multi)
	}
	for _, r := range sum.Results {
		reader, err := detect.Open(r.Path)
		if err != nil {
			t.Fatalf("%s: %v", r.Path, err)
		}
		series := reader.Series()
		reader.Close()
		if len(r.Images) != len(series) {
			t.Errorf("%s: %d images registered for %d series", r.Path, len(r.Images), len(series))
			continue
		}
		for i, img := range r.Images {
			px, chs, err := f.sess.ImageDetails(ctx, img)
			if err != nil {
				t.Fatal(err)
			}
			s := series[i]
			if px.SizeX != s.SizeX || px.SizeY != s.SizeY || px.SizeZ != s.SizeZ || px.SizeC != s.SizeC || px.SizeT != s.SizeT || px.PixelType != s.PixelType.String() {
				t.Errorf("%s series %d: registered %+v, reader says %dx%dx%dx%dx%d %s", r.Path, i, px, s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT, s.PixelType)
			}
			if len(chs) != s.SizeC || !chs[0].HasStats {
				t.Errorf("%s series %d: channels %+v", r.Path, i, chs)
			}
		}
	}
	plates, _ := f.sess.List(ctx, core.Plate, core.AnyID, core.AnyID)
	if len(plates) == 0 {
		t.Error("the HCS Zarr plate did not import as a Plate")
	}
	t.Logf("imported %d file sets", sum.Imported)
}
