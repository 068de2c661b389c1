package importer_test

import (
	"bytes"
	"context"
	"image"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// pixelReads counts the pixel reads of a reader and hides, when asked, that
// it can say where its planes lie (formats.PlaneSpan).
type pixelReads struct {
	formats.Reader
	n        *atomic.Int64
	hideSpan bool
}

func (r pixelReads) ReadPlane(s, l, z, c, t int) (*pixel.Plane, error) {
	r.n.Add(1)
	return r.Reader.ReadPlane(s, l, z, c, t)
}
func (r pixelReads) ReadRegion(s, l, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	r.n.Add(1)
	return r.Reader.ReadRegion(s, l, z, c, t, rect)
}
func (r pixelReads) ReadRegionInto(s, l, z, c, t int, rect image.Rectangle, out *pixel.Plane) error {
	r.n.Add(1)
	return r.Reader.(formats.RegionInto).ReadRegionInto(s, l, z, c, t, rect, out)
}

type spanReads struct{ pixelReads }

func (r spanReads) PlaneSpan(s, l, z, c, t int) (string, int64, int64, bool) {
	return r.Reader.(formats.PlaneSpan).PlaneSpan(s, l, z, c, t)
}

// A small uncompressed OME-TIFF is read once: its statistics and thumbnail
// come from the bytes copied into the repository, not from a second read
// of its planes, and they are exactly those read the usual way (a reader
// that cannot say where its planes lie, or a compressed file).
func TestSmallFileIsReadOnceWithTheSameStatisticsAndThumbnail(t *testing.T) {
	src := t.TempDir()
	// writeOME deflates; a.ome.tiff holds the same pixels uncompressed.
	writeOME(t, filepath.Join(src, "z.ome.tiff"), 3, 4)
	r, err := ome.Open(filepath.Join(src, "z.ome.tiff"))
	if err != nil {
		t.Fatal(err)
	}
	s := r.Series()[0]
	err = ome.WriteTIFF(filepath.Join(src, "a.ome.tiff"), s, nil, func(z, c, tt int) (*pixel.Plane, error) { return r.ReadPlane(0, 0, z, c, tt) },
		ome.WriteOptions{Compression: tiff.CompressionNone})
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		reads int64
		chs   []core.ChannelInfo
		thumb []byte
	}
	run := func(path string, span bool) outcome {
		f := newFixture(t)
		ctx := context.Background()
		var reads atomic.Int64
		cfg := f.config()
		cfg.Open = func(p string) (formats.Reader, error) {
			r, err := ome.Open(p)
			if err != nil {
				return nil, err
			}
			if span {
				return spanReads{pixelReads{Reader: r, n: &reads}}, nil
			}
			return pixelReads{Reader: r, n: &reads}, nil
		}
		sum, err := importer.Run(ctx, cfg, []string{path}, importer.Options{}, nil)
		if err != nil || sum.Imported != 1 {
			t.Fatalf("%s: %v %+v", path, err, sum)
		}
		_, chs, err := f.sess.ImageDetails(ctx, sum.Results[0].Images[0])
		if err != nil {
			t.Fatal(err)
		}
		thumbs, _ := filepath.Glob(filepath.Join(f.repoDir, "cache", "thumbnails", "*", "*.png"))
		if len(thumbs) != 1 {
			t.Fatalf("%s: thumbnails %v", path, thumbs)
		}
		png, _ := os.ReadFile(thumbs[0])
		return outcome{reads.Load(), chs, png}
	}
	once := run(filepath.Join(src, "a.ome.tiff"), true)
	if once.reads != 0 {
		t.Errorf("an uncompressed OME-TIFF of %d planes: %d pixel reads after its copy, want none", 3*4, once.reads)
	}
	for c, ch := range once.chs {
		// Channel c holds 100*c + z + x%7 for z in 0..3.
		if !ch.HasStats || ch.StatsMin != float64(100*c) || ch.StatsMax != float64(100*c+3+6) {
			t.Errorf("channel %d: stats %v..%v, want %d..%d", c, ch.StatsMin, ch.StatsMax, 100*c, 100*c+9)
		}
	}
	for _, other := range []outcome{run(filepath.Join(src, "a.ome.tiff"), false), run(filepath.Join(src, "z.ome.tiff"), true)} {
		if other.reads == 0 {
			t.Error("the planes were not read where they cannot be taken from the copy")
		}
		for c := range once.chs {
			if a, b := once.chs[c], other.chs[c]; a.StatsMin != b.StatsMin || a.StatsMax != b.StatsMax {
				t.Errorf("channel %d: %v..%v read once, %v..%v read again", c, a.StatsMin, a.StatsMax, b.StatsMin, b.StatsMax)
			}
		}
		if !bytes.Equal(once.thumb, other.thumb) {
			t.Error("the thumbnail differs from the one drawn from planes read again")
		}
	}
}
