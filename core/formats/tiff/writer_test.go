package tiff

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

var allTypes = []pixel.Type{pixel.Uint8, pixel.Int8, pixel.Uint16, pixel.Int16, pixel.Uint32, pixel.Int32, pixel.Float32, pixel.Float64}

// testPlane makes a plane that is partly smooth (so predictors and
// compressors have something to do) and partly noisy, with negative values
// for signed types and fractions for floats.
func testPlane(t testing.TB, typ pixel.Type, w, h int, seed uint64) *pixel.Plane {
	t.Helper()
	p, err := pixel.NewPlane(typ, w, h)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	lo, hi := typ.Range()
	if typ.IsFloat() {
		lo, hi = -1000, 1000
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := lo + (hi-lo)*float64(x+y)/float64(w+h)
			if (x/8+y/8)%3 == 0 {
				v = lo + (hi-lo)*rng.Float64()
			}
			if typ.IsFloat() {
				v += 0.125 * float64(x%5)
			}
			p.Set(x, y, v)
		}
	}
	return p
}

type writeCase struct {
	opts    WriterOptions
	samples int
	planar  bool
	levels  int
}

func (c writeCase) String() string {
	order := "LE"
	if c.opts.ByteOrder == binary.ByteOrder(binary.BigEndian) {
		order = "BE"
	}
	return fmt.Sprintf("big=%v/%s/%s/pred%d/tile%d/spp%d/planar=%v/levels%d", c.opts.BigTIFF, order,
		CompressionName(c.opts.Compression), c.opts.Predictor, c.opts.TileSize, c.samples, c.planar, c.levels)
}

// writeFile writes pages of the given planes (pages[i] holds the samples of
// page i) and returns the path.
func writeFile(t testing.TB, c writeCase, pages [][]*pixel.Plane, levels [][]*pixel.Plane) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.tif")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	w, err := NewWriter(fh, c.opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, pg := range pages {
		desc := ""
		if i == 0 {
			desc = "page one ünïcode"
		}
		if len(pg) == 1 {
			var lv []*pixel.Plane
			if i < len(levels) {
				lv = levels[i]
			}
			err = w.WriteIFD(pg[0], desc, lv)
		} else {
			err = w.WriteSamples(pg, c.planar, desc)
		}
		if err != nil {
			t.Fatalf("%v: write page %d: %v", c, i, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func samePlane(t testing.TB, what string, got, want *pixel.Plane) {
	t.Helper()
	if got.Type != want.Type || got.Width != want.Width || got.Height != want.Height {
		t.Fatalf("%s: got %dx%d %s, want %dx%d %s", what, got.Width, got.Height, got.Type, want.Width, want.Height, want.Type)
	}
	if !bytes.Equal(got.Data, want.Data) {
		for i := range got.Data {
			if got.Data[i] != want.Data[i] {
				s := want.Type.Size()
				px := i / s
				t.Fatalf("%s: pixel (%d,%d) differs: got %v, want %v", what, px%want.Width, px/want.Width, got.At(px%want.Width, px/want.Width), want.At(px%want.Width, px/want.Width))
			}
		}
	}
}

// crop returns region r of p.
func crop(p *pixel.Plane, r image.Rectangle) *pixel.Plane {
	s := p.Type.Size()
	out := &pixel.Plane{Type: p.Type, Width: r.Dx(), Height: r.Dy(), Data: make([]byte, r.Dx()*r.Dy()*s)}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(out.Data[(y-r.Min.Y)*r.Dx()*s:], p.Data[(y*p.Width+r.Min.X)*s:(y*p.Width+r.Max.X)*s])
	}
	return out
}

func roundTrip(t *testing.T, c writeCase, typ pixel.Type) {
	const w, h = 83, 61 // not multiples of the tile size or strip height
	var pages [][]*pixel.Plane
	var levels [][]*pixel.Plane
	for pg := 0; pg < 2; pg++ {
		var samples []*pixel.Plane
		for s := 0; s < c.samples; s++ {
			samples = append(samples, testPlane(t, typ, w, h, uint64(pg*10+s)))
		}
		pages = append(pages, samples)
		var lv []*pixel.Plane
		for l := 1; l <= c.levels; l++ {
			lv = append(lv, testPlane(t, typ, w>>l, h>>l, uint64(100+l)))
		}
		levels = append(levels, lv)
	}
	path := writeFile(t, c, pages, levels)
	f, fh, err := OpenFile(path)
	if err != nil {
		t.Fatalf("%v %s: open: %v", c, typ, err)
	}
	defer fh.Close()
	if f.BigTIFF() != c.opts.BigTIFF || len(f.IFDs()) != len(pages) {
		t.Fatalf("%v %s: BigTIFF=%v with %d IFDs", c, typ, f.BigTIFF(), len(f.IFDs()))
	}
	for i, d := range f.IFDs() {
		if d.PixelType != typ || d.SamplesPerPixel != c.samples {
			t.Fatalf("%v: IFD %d is %s with %d samples", c, i, d.PixelType, d.SamplesPerPixel)
		}
		if i == 0 && d.ImageDescription != "page one ünïcode" {
			t.Errorf("%v: description %q", c, d.ImageDescription)
		}
		for s := 0; s < c.samples; s++ {
			what := fmt.Sprintf("%v %s page %d sample %d", c, typ, i, s)
			got, err := f.ReadPlane(d, s)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			samePlane(t, what, got, pages[i][s])
			r := image.Rect(17, 9, 71, 44)
			reg, err := f.ReadRegion(d, s, r)
			if err != nil {
				t.Fatalf("%s region: %v", what, err)
			}
			samePlane(t, what+" region", reg, crop(pages[i][s], r))
		}
		if len(d.SubIFDs) != c.levels {
			t.Fatalf("%v: IFD %d has %d SubIFDs, want %d", c, i, len(d.SubIFDs), c.levels)
		}
		for l, sd := range d.SubIFDs {
			if sd.NewSubfileType != 1 {
				t.Errorf("%v: level %d NewSubfileType %d", c, l+1, sd.NewSubfileType)
			}
			got, err := f.ReadPlane(sd, 0)
			if err != nil {
				t.Fatal(err)
			}
			samePlane(t, fmt.Sprintf("%v level %d", c, l+1), got, levels[i][l])
		}
	}
}

func TestRoundTripEveryType(t *testing.T) {
	for _, typ := range allTypes {
		for _, tile := range []int{0, 32} {
			for _, comp := range []int{CompressionNone, CompressionDeflate, CompressionZstd, CompressionLZW, CompressionPackBits} {
				for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
					pred := PredictorHorizontal
					if typ.IsFloat() {
						pred = PredictorFloat
					}
					if comp == CompressionNone {
						pred = PredictorNone
					}
					c := writeCase{opts: WriterOptions{ByteOrder: order, Compression: comp, TileSize: tile, Predictor: pred, BigTIFF: tile > 0 && order == binary.ByteOrder(binary.BigEndian)}, samples: 1, levels: tile / 32}
					roundTrip(t, c, typ)
				}
			}
		}
	}
}

func TestRoundTripMultiSample(t *testing.T) {
	for _, typ := range []pixel.Type{pixel.Uint8, pixel.Uint16, pixel.Float32} {
		for _, planar := range []bool{false, true} {
			for _, tile := range []int{0, 16} {
				for _, pred := range []int{PredictorNone, PredictorHorizontal} {
					for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
						c := writeCase{opts: WriterOptions{ByteOrder: order, Compression: CompressionLZW, TileSize: tile, Predictor: pred}, samples: 3, planar: planar}
						roundTrip(t, c, typ)
						c.samples = 2
						roundTrip(t, c, typ)
					}
				}
			}
		}
	}
}

// TestLibtiffReadsOurFiles checks that libtiff's tiffinfo and tiffcp accept
// the writer's output and that tiffcp's uncompressed copy decodes to the same
// pixels, so LZW's early change, predictors and BigTIFF match libtiff.
func TestLibtiffReadsOurFiles(t *testing.T) {
	tiffinfo, err1 := exec.LookPath("tiffinfo")
	tiffcp, err2 := exec.LookPath("tiffcp")
	if err1 != nil || err2 != nil {
		t.Skip("libtiff tools (tiffinfo, tiffcp) are not installed")
	}
	cases := []struct {
		c   writeCase
		typ pixel.Type
	}{
		{writeCase{opts: WriterOptions{Compression: CompressionLZW, Predictor: PredictorHorizontal}, samples: 1}, pixel.Uint16},
		{writeCase{opts: WriterOptions{Compression: CompressionLZW, ByteOrder: binary.BigEndian, TileSize: 32}, samples: 1, levels: 2}, pixel.Int16},
		{writeCase{opts: WriterOptions{Compression: CompressionDeflate, Predictor: PredictorFloat}, samples: 1}, pixel.Float32},
		{writeCase{opts: WriterOptions{Compression: CompressionZstd, BigTIFF: true, TileSize: 16}, samples: 1}, pixel.Float64},
		{writeCase{opts: WriterOptions{Compression: CompressionPackBits, BigTIFF: true, ByteOrder: binary.BigEndian}, samples: 1}, pixel.Int32},
		{writeCase{opts: WriterOptions{Compression: CompressionNone}, samples: 3, planar: true}, pixel.Uint8},
		{writeCase{opts: WriterOptions{Compression: CompressionLZW, TileSize: 16, Predictor: PredictorHorizontal}, samples: 3}, pixel.Uint16},
		{writeCase{opts: WriterOptions{Compression: CompressionDeflate}, samples: 1}, pixel.Int8},
		{writeCase{opts: WriterOptions{Compression: CompressionAdobeDeflate, Predictor: PredictorHorizontal}, samples: 1}, pixel.Uint32},
	}
	for _, tc := range cases {
		var pages [][]*pixel.Plane
		var levels [][]*pixel.Plane
		for pg := 0; pg < 2; pg++ {
			var s []*pixel.Plane
			for i := 0; i < tc.c.samples; i++ {
				s = append(s, testPlane(t, tc.typ, 300, 200, uint64(pg+i)))
			}
			pages = append(pages, s)
			var lv []*pixel.Plane
			for l := 1; l <= tc.c.levels; l++ {
				lv = append(lv, testPlane(t, tc.typ, 300>>l, 200>>l, 9))
			}
			levels = append(levels, lv)
		}
		path := writeFile(t, tc.c, pages, levels)
		out, err := exec.Command(tiffinfo, "-D", path).CombinedOutput()
		if err != nil || bytes.Contains(out, []byte("rror")) {
			t.Fatalf("%v %s: tiffinfo: %v\n%s", tc.c, tc.typ, err, out)
		}
		if tc.c.levels > 0 && !bytes.Contains(out, []byte("SubIFD")) {
			t.Errorf("%v: tiffinfo shows no SubIFDs:\n%s", tc.c, out)
		}
		// tiffcp decodes every strip or tile of the main chain (it does not copy SubIFDs).
		copyPath := path + ".none.tif"
		if out, err := exec.Command(tiffcp, "-c", "none", path, copyPath).CombinedOutput(); err != nil || len(out) > 0 {
			t.Fatalf("%v %s: tiffcp: %v\n%s", tc.c, tc.typ, err, out)
		}
		f, fh, err := OpenFile(copyPath)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range f.IFDs() {
			for s := 0; s < tc.c.samples; s++ {
				got, err := f.ReadPlane(d, s)
				if err != nil {
					t.Fatal(err)
				}
				samePlane(t, fmt.Sprintf("%v %s page %d sample %d after tiffcp", tc.c, tc.typ, i, s), got, pages[i][s])
			}
		}
		fh.Close()
	}
}

func TestWriterRefusesBadInput(t *testing.T) {
	var buf seekBuffer
	if _, err := NewWriter(&buf, WriterOptions{Compression: CompressionJPEG}); err == nil {
		t.Error("JPEG writing was accepted")
	}
	if _, err := NewWriter(&buf, WriterOptions{TileSize: 20}); err == nil {
		t.Error("tile size 20 was accepted")
	}
	w, err := NewWriter(&buf, WriterOptions{Predictor: PredictorFloat})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteIFD(testPlane(t, pixel.Uint16, 4, 4, 1), "", nil); err == nil {
		t.Error("float predictor on uint16 was accepted")
	}
	a, b := testPlane(t, pixel.Uint8, 4, 4, 1), testPlane(t, pixel.Uint8, 5, 4, 1)
	if err := w.WriteSamples([]*pixel.Plane{a, b}, false, ""); err == nil {
		t.Error("samples of different sizes were accepted")
	}
	_ = math.Pi
}

// seekBuffer is an in-memory io.WriteSeeker.
type seekBuffer struct {
	b   []byte
	pos int
}

func (s *seekBuffer) Write(p []byte) (int, error) {
	if need := s.pos + len(p); need > len(s.b) {
		s.b = append(s.b, make([]byte, need-len(s.b))...)
	}
	copy(s.b[s.pos:], p)
	s.pos += len(p)
	return len(p), nil
}

func (s *seekBuffer) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case 0:
		s.pos = int(off)
	case 1:
		s.pos += int(off)
	case 2:
		s.pos = len(s.b) + int(off)
	}
	return int64(s.pos), nil
}
