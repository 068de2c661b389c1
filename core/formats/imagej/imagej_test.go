package imagej

import (
	"encoding/binary"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/formats/ome"

	"github.com/ocular-lab/ocular/internal/realdata"
)

func TestParseDescription(t *testing.T) {
	d, err := ParseDescription("ImageJ=1.53c\nimages=24\nchannels=3\nslices=4\nframes=2\nhyperstack=true\nmode=composite\nunit=\\u00B5m\nspacing=1.5\nfinterval=0.5\nmin=1\nmax=900\n")
	if err != nil {
		t.Fatal(err)
	}
	c, z, tt := d.Shape()
	if c != 3 || z != 4 || tt != 2 || d.Unit != "µm" || d.Spacing != 1.5 || d.FInterval != 0.5 || !d.Hyperstack || d.Mode != "composite" || d.Max != 900 {
		t.Fatalf("%+v shape %d %d %d", d, c, z, tt)
	}
	d, _ = ParseDescription("ImageJ=1.52r\nimages=32\nslices=32\nunit=mm\nspacing=1.5\n")
	if c, z, tt := d.Shape(); c != 1 || z != 32 || tt != 1 {
		t.Fatalf("plain stack shape %d %d %d", c, z, tt)
	}
	d, _ = ParseDescription("ImageJ=1.52r\nimages=10\n")
	if c, z, tt := d.Shape(); c != 1 || z != 10 || tt != 1 {
		t.Fatalf("images-only shape %d %d %d", c, z, tt)
	}
	for _, bad := range []string{"hello", "ImageJ=1\nimages=-3", "ImageJ=1\nspacing=abc"} {
		if _, err := ParseDescription(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRealBBBC022Hyperstack(t *testing.T) {
	r, err := Open(filepath.Join(realdata.Dir(t), "imagej/bbbc022/IXMtest_A02_s9.tif"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := r.Series()[0]
	if s.SizeX != 695 || s.SizeY != 395 || s.SizeC != 3 || s.SizeZ != 1 || s.SizeT != 1 || s.PixelType.String() != "uint16" || r.Format() != "ImageJ TIFF" {
		t.Fatalf("%dx%d c%d z%d t%d %s", s.SizeX, s.SizeY, s.SizeC, s.SizeZ, s.SizeT, s.PixelType)
	}
	for c := 0; c < 3; c++ {
		if !s.Channels[c].HasColor || s.Channels[c].LUT == "" {
			t.Errorf("channel %d has no LUT colour: %+v", c, s.Channels[c])
		}
		p, err := r.ReadPlane(0, 0, 0, c, 0)
		if err != nil {
			t.Fatal(err)
		}
		if mn, mx := p.MinMax(); mx <= mn {
			t.Errorf("channel %d is flat", c)
		}
	}
	var keys []string
	for _, kv := range s.Original {
		keys = append(keys, kv.Key)
	}
	if !strings.Contains(strings.Join(keys, ","), "Display range channel 0") {
		t.Errorf("no display ranges in %v", keys)
	}
	t.Logf("LUTs %s %s %s", s.Channels[0].LUT, s.Channels[1].LUT, s.Channels[2].LUT)
}

func TestRealT1HeadSpacing(t *testing.T) {
	r, err := Open(filepath.Join(realdata.Dir(t), "imagej/pyclesperanto/mini-t1-head.tif"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := r.Series()[0]
	if s.SizeZ != 32 || s.SizeX != 32 || s.SizeY != 32 || s.PixelType.String() != "uint16" {
		t.Fatalf("%+v", s)
	}
	if s.PhysicalSizeZ != 1500 { // 1.5 mm
		t.Errorf("PhysicalSizeZ %v µm, want 1500", s.PhysicalSizeZ)
	}
	if _, err := r.ReadPlane(0, 0, 31, 0, 0); err != nil {
		t.Fatal(err)
	}
}

// The ImageJ copy of the AICS image holds the same pixels as the OME-TIFF.
func TestRealSamePixelsAsOMETIFF(t *testing.T) {
	dir := realdata.Dir(t)
	ij, err := Open(filepath.Join(dir, "imagej/aicsimageio/s_1_t_1_c_1_z_1.tiff"))
	if err != nil {
		t.Fatal(err)
	}
	defer ij.Close()
	o, err := ome.Open(filepath.Join(dir, "ome-tiff/aicsimageio/s_1_t_1_c_1_z_1.ome.tiff"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	a, err := ij.ReadPlane(0, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := o.ReadPlane(0, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if string(a.Data) != string(b.Data) {
		t.Fatal("ImageJ and OME-TIFF copies decode differently")
	}
	s := ij.Series()[0]
	if s.PhysicalSizeX < 1.08 || s.PhysicalSizeX > 1.09 {
		t.Errorf("PhysicalSizeX %v, want 1.0833 µm", s.PhysicalSizeX)
	}
}

// contiguousTIFF builds a big-endian ImageJ TIFF with one IFD and n planes
// stored back to back, as ImageJ writes stacks past 4 GiB.
func contiguousTIFF(t *testing.T, w, h, n int, desc string) string {
	return contiguousTIFFIn(t, binary.BigEndian, w, h, n, desc)
}

// contiguousTIFFIn is contiguousTIFF in byte order o.
func contiguousTIFFIn(t *testing.T, o binary.AppendByteOrder, w, h, n int, desc string) string {
	var b []byte
	if o == binary.LittleEndian {
		b = append(b, 'I', 'I', 42, 0, 8, 0, 0, 0)
	} else {
		b = append(b, 'M', 'M', 0, 42, 0, 0, 0, 8)
	}
	descOff := 8 + 2 + 10*12 + 4
	dataOff := descOff + len(desc) + 1
	entry := func(tag, typ uint16, count, val uint32) {
		b = o.AppendUint16(b, tag)
		b = o.AppendUint16(b, typ)
		b = o.AppendUint32(b, count)
		if typ == 3 && count == 1 {
			b = o.AppendUint16(b, uint16(val))
			b = append(b, 0, 0)
		} else {
			b = o.AppendUint32(b, val)
		}
	}
	b = o.AppendUint16(b, 10)
	entry(256, 3, 1, uint32(w))
	entry(257, 3, 1, uint32(h))
	entry(258, 3, 1, 16)
	entry(259, 3, 1, 1)
	entry(262, 3, 1, 1)
	entry(270, 2, uint32(len(desc)+1), uint32(descOff))
	entry(273, 4, 1, uint32(dataOff))
	entry(277, 3, 1, 1)
	entry(278, 3, 1, uint32(h))
	entry(279, 4, 1, uint32(w*h*2))
	b = o.AppendUint32(b, 0)
	b = append(b, desc...)
	b = append(b, 0)
	for i := 0; i < n; i++ {
		for p := 0; p < w*h; p++ {
			b = o.AppendUint16(b, uint16(i*1000+p))
		}
	}
	path := filepath.Join(t.TempDir(), "contig.tif")
	os.WriteFile(path, b, 0o644)
	return path
}

func TestContiguousImagesBeyondIFDs(t *testing.T) {
	path := contiguousTIFF(t, 5, 4, 6, "ImageJ=1.53t\nimages=6\nchannels=2\nslices=3\nhyperstack=true\n")
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := r.Series()[0]
	if s.SizeC != 2 || s.SizeZ != 3 {
		t.Fatalf("c%d z%d", s.SizeC, s.SizeZ)
	}
	// Plane (z=2, c=1) is image 1 + 2*2 = 5.
	p, err := r.ReadPlane(0, 0, 2, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.At(0, 0) != 5000 || p.At(4, 3) != 5019 {
		t.Fatalf("got %v %v", p.At(0, 0), p.At(4, 3))
	}
	reg, err := r.ReadRegion(0, 0, 1, 0, 0, image4(1, 1, 3, 3))
	if err != nil {
		t.Fatal(err)
	}
	if reg.At(0, 0) != 2006 {
		t.Fatalf("region pixel %v", reg.At(0, 0))
	}
	// A description claiming more images than the file holds is an error.
	bad := contiguousTIFF(t, 5, 4, 2, "ImageJ=1.53t\nimages=6\n")
	if _, err := Open(bad); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("err %v", err)
	}
}

func TestLUTColor(t *testing.T) {
	var l [768]byte
	for i := 0; i < 256; i++ {
		l[256+i] = uint8(i) // green ramp
	}
	if name, rgb, ok := LUTColor(l); !ok || name != "Green" || rgb != [3]uint8{0, 255, 0} {
		t.Fatalf("%s %v %v", name, rgb, ok)
	}
	l[300] = 7
	if _, _, ok := LUTColor(l); ok {
		t.Fatal("a non-ramp LUT was recognised")
	}
}

func FuzzParseImageJDescription(f *testing.F) {
	f.Add("ImageJ=1.53c\nimages=3\nchannels=3\nslices=1\nframes=1\nhyperstack=true\nmode=composite\nunit=micron\nspacing=1.5\nmin=0\nmax=255\n")
	f.Add("ImageJ=1.52r\nimages=32\nslices=32\nunit=\\u00B5m\nfinterval=0.1\ntunit=ms\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDescription(s)
		if err != nil {
			return
		}
		c, z, tt := d.Shape()
		if c < 1 || z < 1 || tt < 1 {
			t.Fatalf("shape %d %d %d", c, z, tt)
		}
		if d.Images > 1 && int64(c)*int64(z)*int64(tt) != int64(d.Images) {
			t.Fatalf("shape %d×%d×%d does not cover %d images", c, z, tt, d.Images)
		}
	})
}

func image4(x0, y0, x1, y1 int) image.Rectangle { return image.Rect(x0, y0, x1, y1) }

// PlaneSpan names the bytes of every plane of a little-endian contiguous
// stack, and nothing in a big-endian one (whose bytes must be swapped).
func TestPlaneSpanOfContiguousStacks(t *testing.T) {
	desc := "ImageJ=1.53t\nimages=6\nchannels=2\nslices=3\nhyperstack=true\n"
	path := contiguousTIFFIn(t, binary.LittleEndian, 5, 4, 6, desc)
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, _ := os.ReadFile(path)
	for z := 0; z < 3; z++ {
		for c := 0; c < 2; c++ {
			p, err := r.ReadPlane(0, 0, z, c, 0)
			if err != nil {
				t.Fatal(err)
			}
			file, off, n, ok := r.PlaneSpan(0, 0, z, c, 0)
			if !ok || file != r.Files()[0] || string(b[off:off+n]) != string(p.Data) {
				t.Errorf("z=%d c=%d: span %v %d+%d is not the plane", z, c, ok, off, n)
			}
		}
	}
	if _, _, _, ok := r.PlaneSpan(0, 0, 3, 0, 0); ok {
		t.Error("a span for a plane outside the image")
	}
	be, err := Open(contiguousTIFF(t, 5, 4, 6, desc))
	if err != nil {
		t.Fatal(err)
	}
	defer be.Close()
	if _, _, _, ok := be.PlaneSpan(0, 0, 0, 0, 0); ok {
		t.Error("a span in a big-endian stack")
	}
}
