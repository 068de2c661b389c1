package importer_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
)

// writeBigOME writes a 5000×4000 uint16 OME-TIFF in strips, without pyramid;
// sample (x, y) is 100 + (x+y)%3000.
func writeBigOME(t *testing.T, path string) {
	t.Helper()
	s := formats.Series{Name: "big", SizeX: 5000, SizeY: 4000, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint16}
	err := ome.WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, 5000, 4000)
		for y := 0; y < 4000; y++ {
			for x := 0; x < 5000; x++ {
				binary.LittleEndian.PutUint16(p.Data[2*(y*5000+x):], uint16(100+(x+y)%3000))
			}
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBigPlaneWithoutPyramidImportsWithCachePyramidAndThumbnail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "big.ome.tiff")
	writeBigOME(t, path)
	cfg := f.config()
	cfg.Pyramids = pyramid.ForRepository(f.repoDir)
	sum, err := importer.Run(ctx, cfg, []string{path}, importer.Options{}, nil)
	if err != nil {
		t.Fatalf("import: %v (%+v)", err, sum)
	}
	img := sum.Results[0].Images[0]
	_, chs, err := f.sess.ImageDetails(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	if !chs[0].HasStats || chs[0].StatsMin != 100 || chs[0].StatsMax != 3099 {
		t.Errorf("statistics from the pyramid pass: %+v, want 100..3099", chs[0])
	}
	thumbs, _ := filepath.Glob(filepath.Join(f.repoDir, "cache", "thumbnails", "*", fmt.Sprintf("%d-*.png", img.ID)))
	if len(thumbs) != 1 {
		t.Errorf("want a thumbnail, got %v", thumbs)
	}
	pyrDir := filepath.Join(f.repoDir, "cache", "pyramids")
	ents, _ := os.ReadDir(pyrDir)
	if len(ents) != 1 || ents[0].Name() != fmt.Sprint(img.ID) {
		t.Fatalf("pyramid cache holds %v, want only %d (no staging left)", ents, img.ID)
	}

	// The viewer's tile source over the managed file finds the pyramid.
	r, err := ome.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	src, err := pyramid.Open(filepath.Join(f.repoDir, "cache"), img.ID, r, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var sizes []string
	for _, l := range src.Levels() {
		sizes = append(sizes, fmt.Sprintf("%dx%d", l.SizeX, l.SizeY))
	}
	if got := strings.Join(sizes, " "); got != "5000x4000 2500x2000 1250x1000 625x500 313x250" {
		t.Errorf("levels %s", got)
	}
	p, err := src.ReadRegion(4, 0, 0, 0, image.Rect(0, 0, 313, 250))
	if err != nil {
		t.Fatal(err)
	}
	// Level 4 averages 16×16 blocks of a diagonal ramp: (0,0) covers x+y in 0..30.
	if v := p.At(0, 0); v != 115 {
		t.Errorf("level 4 (0, 0) = %v, want 115", v)
	}
}

// TestFileTruncatedDuringImportLeavesNoPyramid opens a big file and
// truncates it before it is read, as when a watched folder sees a file
// still being copied: the import fails with a sentence naming the rows,
// and neither the pyramid nor its staging folder remains.
func TestFileTruncatedDuringImportLeavesNoPyramid(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "big.ome.tiff")
	writeBigOME(t, path)
	cfg := f.config()
	cfg.Pyramids = pyramid.ForRepository(f.repoDir)
	cfg.Open = func(p string) (formats.Reader, error) {
		r, err := ome.Open(p)
		if err == nil {
			st, _ := os.Stat(p)
			os.Truncate(p, st.Size()/3)
		}
		return r, err
	}
	sum, err := importer.Run(ctx, cfg, []string{path}, importer.Options{}, nil)
	if err == nil || sum.Failed != 1 {
		t.Fatalf("a truncated file imported: %+v", sum)
	}
	if msg := sum.Results[0].Error; !strings.Contains(msg, "reading rows") {
		t.Errorf("error %q does not say what failed", msg)
	}
	ents, _ := os.ReadDir(filepath.Join(f.repoDir, "cache", "pyramids"))
	if len(ents) != 0 {
		t.Errorf("a failed import left %v in the pyramid cache", ents)
	}
}
