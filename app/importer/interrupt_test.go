package importer_test

import (
	"context"
	"image"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
)

// signalledReader stands for a signal arriving while a file's planes are
// read: its first plane read cancels the run's context.
type signalledReader struct {
	formats.Reader
	cancel context.CancelFunc
}

func (r signalledReader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	r.cancel()
	return r.Reader.ReadPlane(s, level, z, c, t)
}

func (r signalledReader) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	r.cancel()
	return r.Reader.ReadRegion(s, level, z, c, t, rect)
}

func TestASignalDuringReadingKeepsNothingOfTheFile(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "big.ome.tiff")
	writeOME(t, path, 3, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := f.config()
	cfg.Open = func(p string) (formats.Reader, error) {
		r, err := ome.Open(p)
		if err != nil {
			return nil, err
		}
		return signalledReader{r, cancel}, nil
	}
	sum, err := importer.Run(ctx, cfg, []string{path}, importer.Options{FolderAsDataset: true}, nil)
	if err == nil || core.UserMessage(err) != "import interrupted: 0 of 1 files imported" {
		t.Fatalf("error %v", err)
	}
	if len(sum.Results) != 1 || sum.Results[0].Error != "interrupted before it was imported; nothing of it was kept" {
		t.Fatalf("%+v", sum.Results)
	}
	imgs, _ := f.sess.List(context.Background(), core.Image, core.AnyID, f.group)
	if len(imgs) != 0 {
		t.Errorf("%d images registered", len(imgs))
	}
	if dss, _ := f.sess.List(context.Background(), core.Dataset, core.AnyID, f.group); len(dss) != 0 {
		t.Errorf("the folder's dataset was made for nothing: %+v", dss)
	}
	filepath.WalkDir(f.sess.ManagedDir(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("left in the managed repository: %s", p)
		}
		return nil
	})
}
