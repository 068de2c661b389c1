package tiff

import (
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"

	"github.com/ocular-lab/ocular/internal/realdata"
)

func openReader(t *testing.T, path string) *Reader {
	t.Helper()
	r, err := NewReader(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func original(s formats.Series, key string) string {
	for _, kv := range s.Original {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

func TestReaderRealPlainTIFFs(t *testing.T) {
	dir := realdata.Dir(t)

	r := openReader(t, filepath.Join(dir, "tiff/stardist/img3d.tif"))
	s := r.Series()
	if len(s) != 1 || s[0].SizeZ != 31 || s[0].SizeC != 1 || s[0].SizeT != 1 || s[0].SizeX != 57 || s[0].SizeY != 61 || s[0].PixelType != pixel.Uint16 {
		t.Fatalf("img3d: %+v", s)
	}
	if r.Format() != "TIFF" || original(s[0], "ImageWidth") != "57" || original(s[0], "Compression") != "deflate" {
		t.Errorf("img3d: format %q, original metadata %v", r.Format(), s[0].Original[:5])
	}
	p, err := r.ReadPlane(0, 0, 30, 0, 0)
	if err != nil || p.Width != 57 {
		t.Fatalf("img3d last Z plane: %v", err)
	}
	if _, err := r.ReadPlane(0, 0, 31, 0, 0); err == nil {
		t.Error("Z=31 of a 31-plane stack was accepted")
	}

	r = openReader(t, filepath.Join(dir, "tiff/openslide/boxes.tiff"))
	s = r.Series()
	if len(s) != 1 || s[0].SizeC != 3 || s[0].SizeZ != 1 || len(s[0].Levels) != 4 {
		t.Fatalf("boxes: %d series, C=%d Z=%d levels=%v", len(s), s[0].SizeC, s[0].SizeZ, s[0].Levels)
	}
	lv := func(w, h int) formats.Level { return formats.Level{SizeX: w, SizeY: h, TileWidth: 64, TileHeight: 64} }
	want := []formats.Level{lv(300, 250), lv(150, 125), lv(75, 62), lv(37, 31)}
	for i, l := range s[0].Levels {
		if l != want[i] {
			t.Errorf("boxes level %d = %+v, want %+v", i, l, want[i])
		}
	}
	if s[0].Channels[0].Name != "Red" || !s[0].Channels[2].HasColor {
		t.Errorf("boxes channels: %+v", s[0].Channels)
	}
	full, err := r.ReadPlane(0, 0, 0, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := r.ReadRegion(0, 0, 0, 1, 0, image.Rect(60, 60, 140, 130))
	if err != nil {
		t.Fatal(err)
	}
	samePlane(t, "boxes region across tiles", reg, crop(full, image.Rect(60, 60, 140, 130)))
	small, err := r.ReadPlane(0, 3, 0, 2, 0)
	if err != nil || small.Width != 37 || small.Height != 31 {
		t.Fatalf("boxes level 3: %v", err)
	}

	r = openReader(t, filepath.Join(dir, "tiff/scanimage/ScanImageBigTIFFv57.tif"))
	if s := r.Series(); r.Format() != "BigTIFF" || len(s) != 1 || s[0].SizeZ != 4 || s[0].PixelType != pixel.Int16 {
		t.Fatalf("ScanImage: %s %+v", r.Format(), s)
	}

	r = openReader(t, filepath.Join(dir, "tiff/image-tiff/planar-rgb-u8.tif"))
	if s := r.Series(); len(s) != 1 || s[0].SizeC != 3 || s[0].DimensionOrder != "XYCZT" {
		t.Fatalf("planar RGB: %+v", s)
	}
	if p, err := r.ReadPlane(0, 0, 0, 2, 0); err != nil || p.Width != 374 {
		t.Fatalf("planar RGB blue: %v", err)
	}
	if got := r.Files(); len(got) != 1 || !filepath.IsAbs(got[0]) {
		t.Errorf("Files() = %v", got)
	}
}

// TestReaderLayouts checks the series the reader builds from files our
// writer makes: SubIFD pyramids, tifffile shapes, and mixed page sizes.
func TestReaderLayouts(t *testing.T) {
	write := func(opts WriterOptions, pages []*pixel.Plane, desc string, levels int) string {
		path := filepath.Join(t.TempDir(), "x.tif")
		fh, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		w, err := NewWriter(fh, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pages {
			var lv []*pixel.Plane
			for l := 1; l <= levels; l++ {
				lv = append(lv, testPlane(t, p.Type, p.Width>>l, p.Height>>l, uint64(i*10+l)))
			}
			d := ""
			if i == 0 {
				d = desc
			}
			if err := w.WriteIFD(p, d, lv); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	planes := func(n, w, h int) []*pixel.Plane {
		var out []*pixel.Plane
		for i := 0; i < n; i++ {
			out = append(out, testPlane(t, pixel.Uint16, w, h, uint64(i)))
		}
		return out
	}

	// SubIFD pyramid on a 2-plane stack.
	pg := planes(2, 128, 96)
	r := openReader(t, write(WriterOptions{TileSize: 32, Compression: CompressionZstd}, pg, "", 2))
	s := r.Series()
	if len(s) != 1 || s[0].SizeZ != 2 || len(s[0].Levels) != 3 || s[0].Levels[2].SizeX != 32 || s[0].Levels[0].TileWidth != 32 {
		t.Fatalf("SubIFD pyramid: %+v", s)
	}
	got, err := r.ReadPlane(0, 0, 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	samePlane(t, "Z=1", got, pg[1])

	// tifffile shape without axes: 2 x 3 x Y x X is Z=2, C=3.
	pg = planes(6, 20, 10)
	r = openReader(t, write(WriterOptions{}, pg, `{"shape": [2, 3, 10, 20]}`, 0))
	s = r.Series()
	if s[0].SizeZ != 2 || s[0].SizeC != 3 || s[0].SizeT != 1 || s[0].DimensionOrder != "XYCZT" {
		t.Fatalf("shape [2,3,10,20]: Z=%d C=%d T=%d %s", s[0].SizeZ, s[0].SizeC, s[0].SizeT, s[0].DimensionOrder)
	}
	got, _ = r.ReadPlane(0, 0, 1, 2, 0)
	samePlane(t, "z=1 c=2 is page 5", got, pg[5])

	// tifffile shape with axes: T=3, Z=2.
	r = openReader(t, write(WriterOptions{}, pg, `{"shape": [3, 2, 10, 20], "axes": "TZYX"}`, 0))
	s = r.Series()
	if s[0].SizeZ != 2 || s[0].SizeT != 3 || s[0].SizeC != 1 || s[0].DimensionOrder != "XYZTC" {
		t.Fatalf("axes TZYX: Z=%d C=%d T=%d %s", s[0].SizeZ, s[0].SizeC, s[0].SizeT, s[0].DimensionOrder)
	}
	got, _ = r.ReadPlane(0, 0, 0, 0, 2)
	samePlane(t, "t=2 z=0 is page 4", got, pg[4])

	// A shape that does not match the pages is ignored.
	r = openReader(t, write(WriterOptions{}, pg, `{"shape": [7, 10, 20]}`, 0))
	if s := r.Series(); s[0].SizeZ != 6 {
		t.Fatalf("bad shape: Z=%d", s[0].SizeZ)
	}

	// Pages of two sizes are two series; shrinking pages are one pyramid.
	mixed := append(planes(2, 40, 30), planes(1, 16, 16)...)
	mixed = append(mixed, planes(1, 40, 30)...)
	r = openReader(t, write(WriterOptions{}, mixed, "", 0))
	if s := r.Series(); len(s) != 3 || s[0].SizeZ != 2 || s[1].SizeX != 16 || s[2].SizeZ != 1 {
		t.Fatalf("mixed pages: %d series", len(s))
	}
	shrink := []*pixel.Plane{testPlane(t, pixel.Uint8, 64, 48, 1), testPlane(t, pixel.Uint8, 32, 24, 2), testPlane(t, pixel.Uint8, 16, 12, 3)}
	r = openReader(t, write(WriterOptions{}, shrink, "", 0))
	if s := r.Series(); len(s) != 1 || len(s[0].Levels) != 3 {
		t.Fatalf("shrinking pages: %+v", s)
	}
	got, _ = r.ReadPlane(0, 2, 0, 0, 0)
	samePlane(t, "level 2", got, shrink[2])
	if _, err := r.ReadPlane(0, 3, 0, 0, 0); err == nil {
		t.Error("level 3 of a 3-level pyramid was accepted")
	}
}
