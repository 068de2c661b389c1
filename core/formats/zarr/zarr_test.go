package zarr

import (
	"image"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/internal/realdata"
)

func mean(t *testing.T, r *Reader, s, level, z, c, tt int) float64 {
	t.Helper()
	p, err := r.ReadPlane(s, level, z, c, tt)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for y := 0; y < p.Height; y++ {
		for x := 0; x < p.Width; x++ {
			sum += p.At(x, y)
		}
	}
	return sum / float64(p.Width*p.Height)
}

func TestRealPlate(t *testing.T) {
	r, err := Open(filepath.Join(realdata.Dir(t), "ome-zarr/bf2raw/plate-rows-2.zarr"))
	if err != nil {
		t.Fatal(err)
	}
	p := r.Plate()
	if p == nil || p.Rows != 2 || p.Columns != 1 || len(p.Wells) != 2 || p.RowNaming != "letter" || p.ColNaming != "number" || len(p.Acquisitions) != 1 {
		t.Fatalf("plate %+v", p)
	}
	if len(r.Series()) != 2 {
		t.Fatalf("%d series", len(r.Series()))
	}
	for i, s := range r.Series() {
		if s.SizeX != 512 || s.SizeY != 512 || s.PixelType.String() != "uint8" || len(s.Levels) != 2 || s.Levels[1].SizeX != 256 {
			t.Errorf("series %d: %+v", i, s)
		}
		if s.Well == nil || s.Well.Row != i || s.Well.Column != 0 || s.Well.Acquisition != 0 {
			t.Errorf("series %d well %+v", i, s.Well)
		}
		if s.PhysicalSizeX != 1 {
			t.Errorf("physical size %v", s.PhysicalSizeX)
		}
	}
	if m := mean(t, r, 0, 0, 0, 0, 0); math.Abs(m-127.45) > 0.005 {
		t.Errorf("level-0 mean %.4f, want 127.45 (zarr-python)", m)
	}
}

func TestRealBlobsV04V05Equal(t *testing.T) {
	dir := realdata.Dir(t)
	a, err := Open(filepath.Join(dir, "ome-zarr/spatialdata-blobs/blobs_image_v04.ome.zarr"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(filepath.Join(dir, "ome-zarr/spatialdata-blobs/blobs_image_v05.ome.zarr"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*Reader{a, b} {
		s := r.Series()[0]
		if s.SizeX != 12 || s.SizeY != 12 || s.SizeC != 3 || s.PixelType.String() != "double" || s.Channels[2].Name != "2" {
			t.Fatalf("%+v", s)
		}
	}
	for c := 0; c < 3; c++ {
		pa, _ := a.ReadPlane(0, 0, 0, c, 0)
		pb, err := b.ReadPlane(0, 0, 0, c, 0)
		if err != nil {
			t.Fatal(err)
		}
		if string(pa.Data) != string(pb.Data) {
			t.Fatalf("channel %d differs between v0.4 and v0.5", c)
		}
	}
}

func TestRealCMU1PartialChunks(t *testing.T) {
	r, err := Open(filepath.Join(realdata.Dir(t), "ome-zarr/cmu1-small-region/CMU-1-Small-Region.ome.zarr"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Series()) != 3 {
		t.Fatalf("%d series", len(r.Series()))
	}
	s := r.Series()[0]
	if s.SizeX != 2220 || s.SizeY != 2967 || s.SizeC != 3 || len(s.Levels) != 2 || math.Abs(s.PhysicalSizeX-0.499) > 1e-9 {
		t.Fatalf("%+v", s)
	}
	if !s.Channels[0].HasColor || s.Channels[0].Color != [4]uint8{255, 0, 0, 255} {
		t.Errorf("channel colour %+v", s.Channels[0])
	}
	// A region straddling the last partial chunk equals the same pixels of the whole plane.
	full, err := r.ReadPlane(0, 0, 0, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := r.ReadRegion(0, 0, 0, 1, 0, rect(2000, 2900, 2220, 2967))
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < reg.Height; y++ {
		for x := 0; x < reg.Width; x++ {
			if reg.At(x, y) != full.At(2000+x, 2900+y) {
				t.Fatalf("region pixel (%d,%d) differs", x, y)
			}
		}
	}
	if m := mean(t, r, 0, 0, 0, 0, 0); m < 100 || m > 255 {
		t.Errorf("brightfield mean %.2f is implausible", m)
	}
	t.Logf("series names %q %q %q", r.Series()[0].Name, r.Series()[1].Name, r.Series()[2].Name)
}

func TestRealLegacyAndMultiSeries(t *testing.T) {
	dir := realdata.Dir(t)
	r, err := Open(filepath.Join(dir, "ome-zarr/bf2raw-legacy/data.zarr"))
	if err != nil {
		t.Fatal(err)
	}
	s := r.Series()[0]
	if s.SizeX != 439 || s.SizeY != 167 || s.SizeC != 3 || s.PixelType.String() != "int8" || len(s.Levels) != 2 {
		t.Fatalf("%+v", s)
	}
	if s.Name != "multi-channel.ome.tif" || len(r.Files()) != 2 {
		t.Errorf("name %q files %v", s.Name, r.Files())
	}
	if _, err := r.ReadPlane(0, 1, 0, 2, 0); err != nil {
		t.Fatal(err)
	}
	r2, err := Open(filepath.Join(dir, "ome-zarr/bf2raw/fake-series-2.zarr"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Series()) != 2 || r2.Series()[1].Name != "series 2" {
		t.Fatalf("series %d, %q", len(r2.Series()), r2.Series()[1].Name)
	}
}

func FuzzParseZarrMetadata(f *testing.F) {
	for _, rel := range []string{
		"ome-zarr/bf2raw/plate-rows-2.zarr/.zattrs", "ome-zarr/bf2raw/plate-rows-2.zarr/A/1/0/.zattrs",
		"ome-zarr/bf2raw/plate-rows-2.zarr/A/1/0/0/.zarray", "ome-zarr/spatialdata-blobs/blobs_image_v05.ome.zarr/zarr.json",
		"ome-zarr/spatialdata-blobs/blobs_image_v05.ome.zarr/0/zarr.json", "ome-zarr/bf2raw-legacy/data.zarr/0/0/.zarray",
	} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "testdata", "real", rel)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"zarr_format":2,"shape":[2,3],"chunks":[1,3],"dtype":">u2","compressor":{"id":"zstd"},"fill_value":"NaN","order":"C"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := ParseArrayV2(b); err == nil && a.ChunkBytes() > maxChunkBytes {
			t.Fatalf("accepted %d-byte chunks", a.ChunkBytes())
		}
		if a, err := ParseArrayV3(b); err == nil && a.ChunkBytes() > maxChunkBytes {
			t.Fatalf("accepted %d-byte chunks", a.ChunkBytes())
		}
		ms, pm, err := ParseAttributes(b)
		if err == nil && ms != nil {
			for _, d := range ms.Datasets {
				if !validPath(d.Path) {
					t.Fatalf("accepted dataset path %q", d.Path)
				}
			}
		}
		_ = pm
	})
}

func rect(x0, y0, x1, y1 int) image.Rectangle { return image.Rect(x0, y0, x1, y1) }

// BenchmarkReadPlaneCMU1 reads one 2220×2967 channel (9 blosc-lz4 chunks,
// partial at the edges).
func BenchmarkReadPlaneCMU1(b *testing.B) {
	r, err := Open(filepath.Join(realdata.Dir(b), "ome-zarr/cmu1-small-region/CMU-1-Small-Region.ome.zarr"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(2220 * 2967)
	for i := 0; i < b.N; i++ {
		if _, err := r.ReadPlane(0, 0, 0, i%3, 0); err != nil {
			b.Fatal(err)
		}
	}
}
