package tiff

import (
	"encoding/binary"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	xtiff "golang.org/x/image/tiff"

	"github.com/ocular-lab/ocular/core/pixel"

	"github.com/ocular-lab/ocular/internal/realdata"
)

// realFiles lists every TIFF of the README with what the README says of it.
var realFiles = []struct {
	path        string
	ifds        int
	w, h, spp   int
	typ         pixel.Type
	big, be     bool
	compression int
}{
	{"ome-tiff/aicsimageio/s_1_t_1_c_1_z_1.ome.tiff", 1, 475, 325, 1, pixel.Uint16, false, false, CompressionLZW},
	{"ome-tiff/ome-artificial/multi-channel-z-series.ome.tif", 15, 439, 167, 1, pixel.Int8, false, true, CompressionNone},
	{"ome-tiff/ome-artificial/multi-channel-time-series.ome.tif", 21, 439, 167, 1, pixel.Int8, false, true, CompressionNone},
	{"ome-tiff/ome-artificial/4D-series.ome.tif", 35, 439, 167, 1, pixel.Int8, false, true, CompressionNone},
	{"ome-tiff/ome-multifile/multifile-Z1.ome.tiff", 1, 18, 24, 1, pixel.Uint8, false, false, CompressionNone},
	{"ome-tiff/ome-multifile/multifile-Z5.ome.tiff", 1, 18, 24, 1, pixel.Uint8, false, false, CompressionNone},
	{"ome-tiff/viv-deflate/multi-channel.ome.tif", 3, 439, 167, 1, pixel.Int8, false, false, CompressionDeflate},
	{"ome-tiff/ome-types/ome.tiff", 2, 6, 6, 1, pixel.Uint8, false, false, CompressionNone},
	{"imagej/bbbc022/IXMtest_A02_s9.tif", 3, 695, 395, 1, pixel.Uint16, false, true, CompressionNone},
	{"imagej/pyclesperanto/mini-t1-head.tif", 32, 32, 32, 1, pixel.Uint16, false, true, CompressionNone},
	{"imagej/aicsimageio/s_1_t_1_c_1_z_1.tiff", 1, 475, 325, 1, pixel.Uint16, false, true, CompressionNone},
	{"tiff/stardist/img3d.tif", 31, 57, 61, 1, pixel.Uint16, false, false, CompressionDeflate},
	{"tiff/scanimage/ScanImageBigTIFFv57.tif", 4, 64, 64, 1, pixel.Int16, true, false, CompressionNone},
	{"tiff/openslide/boxes.tiff", 4, 300, 250, 3, pixel.Uint8, false, false, CompressionDeflate},
	{"tiff/image-tiff/BigTIFF.tif", 1, 64, 64, 3, pixel.Uint8, true, false, CompressionNone},
	{"tiff/image-tiff/BigTIFFMotorola.tif", 1, 64, 64, 3, pixel.Uint8, true, true, CompressionNone},
	{"tiff/image-tiff/int8.tif", 1, 64, 64, 1, pixel.Int8, false, false, CompressionNone},
	{"tiff/image-tiff/int16.tif", 1, 64, 64, 1, pixel.Int16, false, false, CompressionNone},
	{"tiff/image-tiff/int16_zstd.tif", 1, 64, 64, 1, pixel.Int16, false, false, CompressionZstd},
	{"tiff/image-tiff/gradient-1c-32b-float.tiff", 1, 256, 1, 1, pixel.Float32, false, false, CompressionNone},
	{"tiff/image-tiff/predictor-3-gray-f32.tif", 1, 200, 200, 1, pixel.Float32, false, false, CompressionLZW},
	{"tiff/image-tiff/planar-rgb-u8.tif", 1, 374, 499, 3, pixel.Uint8, false, false, CompressionLZW},
	{"tiff/image-tiff/seq-1c-16b-bigendian-68f373a0.tiff", 1, 16, 16, 1, pixel.Uint16, false, true, CompressionNone},
	{"tiff/image-tiff/seq-1c-16b-tiled-68f373a0.tiff", 1, 16, 16, 1, pixel.Uint16, false, false, CompressionNone},
}

// TestRealFiles opens every real TIFF, checks its structure against the
// README, and decodes every sample of every IFD (SubIFDs included).
func TestRealFiles(t *testing.T) {
	dir := realdata.Dir(t)
	for _, rf := range realFiles {
		t.Run(rf.path, func(t *testing.T) {
			f, fh, err := OpenFile(filepath.Join(dir, rf.path))
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			if n := len(f.IFDs()); n != rf.ifds {
				t.Errorf("%d IFDs, want %d", n, rf.ifds)
			}
			if f.BigTIFF() != rf.big {
				t.Errorf("BigTIFF=%v", f.BigTIFF())
			}
			if be := f.ByteOrder() == binary.ByteOrder(binary.BigEndian); be != rf.be {
				t.Errorf("big-endian=%v", be)
			}
			d := f.IFDs()[0]
			if d.Width != rf.w || d.Height != rf.h || d.SamplesPerPixel != rf.spp || d.PixelType != rf.typ || d.Compression != rf.compression {
				t.Errorf("first IFD is %dx%d spp=%d %s %s; want %dx%d spp=%d %s %s", d.Width, d.Height, d.SamplesPerPixel, d.PixelType,
					CompressionName(d.Compression), rf.w, rf.h, rf.spp, rf.typ, CompressionName(rf.compression))
			}
			for i, d := range f.IFDs() {
				for _, d := range append([]*IFD{d}, d.SubIFDs...) {
					for s := 0; s < d.SamplesPerPixel; s++ {
						p, err := f.ReadPlane(d, s)
						if err != nil {
							t.Fatalf("IFD %d sample %d: %v", i, s, err)
						}
						if p.Width != d.Width || p.Height != d.Height || p.Type != d.PixelType {
							t.Fatalf("IFD %d: decoded %dx%d %s", i, p.Width, p.Height, p.Type)
						}
					}
				}
			}
		})
	}
}

// TestSamePixelsLZWAndBigEndian compares the LZW little-endian OME-TIFF with
// the big-endian uncompressed ImageJ copy of the same acquisition.
func TestSamePixelsLZWAndBigEndian(t *testing.T) {
	dir := realdata.Dir(t)
	read := func(p string) *pixel.Plane {
		f, fh, err := OpenFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		pl, err := f.ReadPlane(f.IFDs()[0], 0)
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	a := read("ome-tiff/aicsimageio/s_1_t_1_c_1_z_1.ome.tiff")
	b := read("imagej/aicsimageio/s_1_t_1_c_1_z_1.tiff")
	samePlane(t, "OME-TIFF (LZW, LE) vs ImageJ (raw, BE)", a, b)
	if mn, mx := a.MinMax(); mn == mx {
		t.Fatalf("plane is flat (%g), not a real image", mn)
	}
}

// TestAgreesWithLibtiff decodes each real file, and libtiff's uncompressed
// copy of it made by tiffcp, and compares every plane. This checks LZW,
// deflate, zstd, the predictors and planar data against the reference.
func TestAgreesWithLibtiff(t *testing.T) {
	dir := realdata.Dir(t)
	tiffcp, err := exec.LookPath("tiffcp")
	if err != nil {
		t.Skip("tiffcp (libtiff-tools) is not installed")
	}
	for _, rf := range realFiles {
		if rf.compression == CompressionNone && !rf.be {
			continue
		}
		src := filepath.Join(dir, rf.path)
		dst := filepath.Join(t.TempDir(), "copy.tif")
		if out, err := exec.Command(tiffcp, "-c", "none", src, dst).CombinedOutput(); err != nil {
			t.Fatalf("%s: tiffcp: %v\n%s", rf.path, err, out)
		}
		f1, fh1, err := OpenFile(src)
		if err != nil {
			t.Fatal(err)
		}
		f2, fh2, err := OpenFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range f1.IFDs() {
			for s := 0; s < d.SamplesPerPixel; s++ {
				a, err1 := f1.ReadPlane(d, s)
				b, err2 := f2.ReadPlane(f2.IFDs()[i], s)
				if err1 != nil || err2 != nil {
					t.Fatalf("%s IFD %d: %v / %v", rf.path, i, err1, err2)
				}
				samePlane(t, rf.path+" vs tiffcp copy", a, b)
			}
		}
		fh1.Close()
		fh2.Close()
	}
}

// TestAgreesWithXImage compares with golang.org/x/image/tiff on the files it
// can decode (first page only).
func TestAgreesWithXImage(t *testing.T) {
	dir := realdata.Dir(t)
	for _, p := range []string{
		"ome-tiff/aicsimageio/s_1_t_1_c_1_z_1.ome.tiff",
		"imagej/bbbc022/IXMtest_A02_s9.tif",
		"tiff/stardist/img3d.tif",
		"tiff/openslide/boxes.tiff",
		"tiff/image-tiff/seq-1c-16b-bigendian-68f373a0.tiff",
		"tiff/image-tiff/seq-1c-16b-tiled-68f373a0.tiff",
		"ome-tiff/ome-multifile/multifile-Z1.ome.tiff",
	} {
		fh, err := os.Open(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		img, err := xtiff.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: x/image: %v", p, err)
		}
		f, fh2, err := OpenFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		d := f.IFDs()[0]
		var planes []*pixel.Plane
		for s := 0; s < d.SamplesPerPixel; s++ {
			pl, err := f.ReadPlane(d, s)
			if err != nil {
				t.Fatal(err)
			}
			planes = append(planes, pl)
		}
		fh2.Close()
		b := img.Bounds()
		if b.Dx() != d.Width || b.Dy() != d.Height {
			t.Fatalf("%s: x/image says %v", p, b)
		}
		for y := 0; y < d.Height; y++ {
			for x := 0; x < d.Width; x++ {
				var want []float64
				switch c := img.At(x, y).(type) {
				case color.Gray16:
					want = []float64{float64(c.Y)}
				case color.Gray:
					want = []float64{float64(c.Y)}
				default:
					r, g, bl, _ := img.At(x, y).RGBA()
					want = []float64{float64(r >> 8), float64(g >> 8), float64(bl >> 8)}
				}
				for s, pl := range planes {
					if got := pl.At(x, y); got != want[s] {
						t.Fatalf("%s: (%d,%d) sample %d = %g, x/image says %g", p, x, y, s, got, want[s])
					}
				}
			}
		}
	}
	_ = image.Point{}
}
