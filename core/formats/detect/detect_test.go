package detect

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"

	"github.com/ocular-lab/ocular/internal/realdata"
)

type want struct {
	format        string
	series        int
	x, y, z, c, t int
	typ           string
	channels      []string // nil: not checked
	physX, physZ  float64  // µm; 0: not checked
	files         int
	levels        int
	plate         []int // rows, columns, wells
	mean          float64
	meanTol       float64
	errContains   string // the file is expected not to open
}

// expected lists every file and folder of testdata/real with what its
// README entry states. A new file in the folder fails the test until it
// is added here.
var expected = map[string]want{
	"README.md":  {errContains: "not in a format Ocular recognises"},
	"SHA256SUMS": {errContains: "not in a format Ocular recognises"},

	"ome-tiff/aicsimageio/s_1_t_1_c_1_z_1.ome.tiff":             {format: "OME-TIFF", x: 475, y: 325, z: 1, c: 1, t: 1, typ: "uint16", channels: []string{"Bright"}, physX: 1.0833, files: 1},
	"ome-tiff/ome-artificial/multi-channel-z-series.ome.tif":    {format: "OME-TIFF", x: 439, y: 167, z: 5, c: 3, t: 1, typ: "int8", files: 1},
	"ome-tiff/ome-artificial/multi-channel-time-series.ome.tif": {format: "OME-TIFF", x: 439, y: 167, z: 1, c: 3, t: 7, typ: "int8", files: 1},
	"ome-tiff/ome-artificial/4D-series.ome.tif":                 {format: "OME-TIFF", x: 439, y: 167, z: 5, c: 1, t: 7, typ: "int8", files: 1},
	"ome-tiff/ome-multifile/multifile.companion.ome":            {format: "OME-TIFF", x: 18, y: 24, z: 5, c: 1, t: 1, typ: "uint8", files: 6},
	"ome-tiff/ome-multifile/multifile-Z1.ome.tiff":              {format: "OME-TIFF", x: 18, y: 24, z: 5, c: 1, t: 1, typ: "uint8", files: 6},
	"ome-tiff/ome-multifile/multifile-Z2.ome.tiff":              {format: "OME-TIFF", x: 18, y: 24, z: 5, c: 1, t: 1, typ: "uint8", files: 6},
	"ome-tiff/ome-multifile/multifile-Z3.ome.tiff":              {format: "OME-TIFF", x: 18, y: 24, z: 5, c: 1, t: 1, typ: "uint8", files: 6},
	"ome-tiff/ome-multifile/multifile-Z4.ome.tiff":              {format: "OME-TIFF", x: 18, y: 24, z: 5, c: 1, t: 1, typ: "uint8", files: 6},
	"ome-tiff/ome-multifile/multifile-Z5.ome.tiff":              {format: "OME-TIFF", x: 18, y: 24, z: 5, c: 1, t: 1, typ: "uint8", files: 6},
	"ome-tiff/viv-deflate/multi-channel.ome.tif":                {format: "OME-TIFF", x: 439, y: 167, z: 1, c: 3, t: 1, typ: "int8", files: 1},
	"ome-tiff/ome-types/ome.tiff":                               {format: "OME-TIFF", x: 6, y: 6, z: 1, c: 2, t: 1, typ: "uint8", files: 1},

	"imagej/bbbc022/IXMtest_A02_s9.tif":                   {format: "ImageJ TIFF", x: 695, y: 395, z: 1, c: 3, t: 1, typ: "uint16", files: 1},
	"imagej/bbbc022/IXMtest_A02_s9_image_data_source.txt": {errContains: "not in a format Ocular recognises"},
	"imagej/pyclesperanto/mini-t1-head.tif":               {format: "ImageJ TIFF", x: 32, y: 32, z: 32, c: 1, t: 1, typ: "uint16", physZ: 1500, files: 1},
	"imagej/aicsimageio/s_1_t_1_c_1_z_1.tiff":             {format: "ImageJ TIFF", x: 475, y: 325, z: 1, c: 1, t: 1, typ: "uint16", physX: 1.0833, files: 1},
	"tiff/stardist/img3d.tif":                             {format: "TIFF", x: 57, y: 61, z: 31, c: 1, t: 1, typ: "uint16", files: 1},
	"tiff/scanimage/ScanImageBigTIFFv57.tif":              {format: "BigTIFF", x: 64, y: 64, typ: "int16", files: 1}, // 4 pages; T2×C2 is not in the TIFF structure
	"tiff/openslide/boxes.tiff":                           {format: "TIFF", x: 300, y: 250, z: 1, c: 3, t: 1, typ: "uint8", levels: 4, files: 1},
	"tiff/image-tiff/BigTIFF.tif":                         {format: "BigTIFF", x: 64, y: 64, z: 1, c: 3, t: 1, typ: "uint8", files: 1},
	"tiff/image-tiff/BigTIFFMotorola.tif":                 {format: "BigTIFF", x: 64, y: 64, z: 1, c: 3, t: 1, typ: "uint8", files: 1},
	"tiff/image-tiff/int8.tif":                            {format: "TIFF", x: 64, y: 64, z: 1, c: 1, t: 1, typ: "int8", files: 1},
	"tiff/image-tiff/int16.tif":                           {format: "TIFF", x: 64, y: 64, z: 1, c: 1, t: 1, typ: "int16", files: 1},
	"tiff/image-tiff/int16_zstd.tif":                      {format: "TIFF", x: 64, y: 64, z: 1, c: 1, t: 1, typ: "int16", files: 1},
	"tiff/image-tiff/gradient-1c-32b-float.tiff":          {format: "TIFF", x: 256, y: 1, z: 1, c: 1, t: 1, typ: "float", files: 1},
	"tiff/image-tiff/predictor-3-gray-f32.tif":            {format: "TIFF", x: 200, y: 200, c: 1, t: 1, typ: "float", files: 1},
	"tiff/image-tiff/planar-rgb-u8.tif":                   {format: "TIFF", x: 374, y: 499, z: 1, c: 3, t: 1, typ: "uint8", files: 1},
	"tiff/image-tiff/seq-1c-16b-bigendian-68f373a0.tiff":  {format: "TIFF", x: 16, y: 16, z: 1, c: 1, t: 1, typ: "uint16", files: 1},
	"tiff/image-tiff/seq-1c-16b-tiled-68f373a0.tiff":      {format: "TIFF", x: 16, y: 16, z: 1, c: 1, t: 1, typ: "uint16", files: 1},

	"png/skimage/cell.png":    {format: "PNG", x: 550, y: 660, z: 1, c: 1, t: 1, typ: "uint8", files: 1},
	"png/skimage/ihc.png":     {format: "PNG", x: 512, y: 512, z: 1, c: 3, t: 1, typ: "uint8", files: 1},
	"jpeg/skimage/retina.jpg": {format: "JPEG", x: 1411, y: 1411, z: 1, c: 3, t: 1, typ: "uint8", files: 1},

	"ome-xml/ome-model-2016-06/instrument.ome.xml":                         {errContains: "names no TIFF files"},
	"ome-xml/ome-model-2016-06/instrument-units-alternate.ome.xml":         {errContains: "names no TIFF files"},
	"ome-xml/ome-model-2016-06/hcs.ome.xml":                                {errContains: "names no TIFF files"},
	"ome-xml/ome-model-2016-06/one-screen-one-plate-four-wells.ome.xml":    {errContains: "names no TIFF files"},
	"ome-xml/ome-model-2016-06/multi-channel-z-series-time-series.ome.xml": {errContains: "names no TIFF files"},
	"ome-xml/ome-model-2016-06/minimum-specification.ome.xml":              {errContains: "names no TIFF files"},
	"ome-xml/ome-model-2016-06/spim.ome.xml":                               {errContains: "names no TIFF files"},

	"ome-zarr/bf2raw/plate-rows-2.zarr":                      {format: "OME-Zarr", series: 2, x: 512, y: 512, z: 1, c: 1, t: 1, typ: "uint8", physX: 1, levels: 2, plate: []int{2, 1, 2}, mean: 127.45, meanTol: 0.005, files: 1},
	"ome-zarr/bf2raw/fake-series-2.zarr":                     {format: "OME-Zarr", series: 2, x: 512, y: 512, z: 1, c: 1, t: 1, typ: "uint8", levels: 2, files: 1},
	"ome-zarr/spatialdata-blobs/blobs_image_v04.ome.zarr":    {format: "OME-Zarr", x: 12, y: 12, z: 1, c: 3, t: 1, typ: "double", channels: []string{"0", "1", "2"}, files: 1},
	"ome-zarr/spatialdata-blobs/blobs_image_v05.ome.zarr":    {format: "OME-Zarr", x: 12, y: 12, z: 1, c: 3, t: 1, typ: "double", channels: []string{"0", "1", "2"}, files: 1},
	"ome-zarr/bf2raw-legacy/data.zarr":                       {format: "OME-Zarr", x: 439, y: 167, z: 1, c: 3, t: 1, typ: "int8", levels: 2, files: 2},
	"ome-zarr/bf2raw-legacy/METADATA.ome.xml":                {errContains: "names no TIFF files"},
	"ome-zarr/cmu1-small-region/CMU-1-Small-Region.ome.zarr": {format: "OME-Zarr", series: 3, x: 2220, y: 2967, z: 1, c: 3, t: 1, typ: "uint8", physX: 0.499, levels: 2, files: 1},
}

func TestOpenEveryRealFile(t *testing.T) {
	root := realdata.Dir(t)
	seen := map[string]bool{}
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		isZarr := info.IsDir() && strings.HasSuffix(rel, ".zarr")
		if info.IsDir() && !isZarr {
			return nil
		}
		seen[rel] = true
		w, ok := expected[rel]
		if !ok {
			t.Errorf("%s is not in the expectation table; add what its README entry states", rel)
		} else {
			t.Run(rel, func(t *testing.T) { check(t, p, w) })
		}
		if isZarr {
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel := range expected {
		if !seen[rel] {
			t.Errorf("%s is in the table but not in %s", rel, root)
		}
	}
}

func check(t *testing.T, path string, w want) {
	if w.errContains != "" {
		if Supported(path) && !strings.HasSuffix(path, ".xml") && !strings.HasSuffix(path, ".companion.ome") {
			t.Errorf("Supported says yes for a file that does not open")
		}
		_, err := Open(path)
		if err == nil || !strings.Contains(err.Error(), w.errContains) {
			t.Fatalf("error %v, want one containing %q", err, w.errContains)
		}
		if strings.Contains(w.errContains, "recognises") && (!errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), SupportedFormats)) {
			t.Errorf("error %q does not list the supported formats", err)
		}
		return
	}
	if !Supported(path) {
		t.Errorf("Supported says no")
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Format() != w.format {
		t.Errorf("format %q, want %q", r.Format(), w.format)
	}
	if n := max(1, w.series); len(r.Series()) != n {
		t.Fatalf("%d series, want %d", len(r.Series()), n)
	}
	if len(r.Files()) != w.files || !filepath.IsAbs(r.Files()[0]) {
		t.Errorf("files %v, want %d absolute paths", r.Files(), w.files)
	}
	s := r.Series()[0]
	if s.SizeX != w.x || s.SizeY != w.y || s.PixelType.String() != w.typ {
		t.Errorf("got %dx%d %s, want %dx%d %s", s.SizeX, s.SizeY, s.PixelType, w.x, w.y, w.typ)
	}
	if w.z != 0 && (s.SizeZ != w.z || s.SizeC != w.c || s.SizeT != w.t) {
		t.Errorf("got z%d c%d t%d, want z%d c%d t%d", s.SizeZ, s.SizeC, s.SizeT, w.z, w.c, w.t)
	}
	if w.z == 0 && s.SizeZ*s.SizeC*s.SizeT < 2 && w.typ == "int16" {
		t.Errorf("ScanImage pages were not all kept as planes: z%d c%d t%d", s.SizeZ, s.SizeC, s.SizeT)
	}
	if len(s.Channels) != s.SizeC {
		t.Errorf("%d channels for SizeC %d", len(s.Channels), s.SizeC)
	}
	if w.channels != nil {
		for i, n := range w.channels {
			if s.Channels[i].Name != n {
				t.Errorf("channel %d named %q, want %q", i, s.Channels[i].Name, n)
			}
		}
	}
	if w.physX != 0 && math.Abs(s.PhysicalSizeX-w.physX) > 1e-3*w.physX {
		t.Errorf("PhysicalSizeX %v µm, want %v", s.PhysicalSizeX, w.physX)
	}
	if w.physZ != 0 && math.Abs(s.PhysicalSizeZ-w.physZ) > 1e-6*w.physZ {
		t.Errorf("PhysicalSizeZ %v µm, want %v", s.PhysicalSizeZ, w.physZ)
	}
	if w.levels != 0 && len(s.Levels) != w.levels {
		t.Errorf("%d levels, want %d", len(s.Levels), w.levels)
	}
	if w.plate != nil {
		p := r.Plate()
		if p == nil || p.Rows != w.plate[0] || p.Columns != w.plate[1] || len(p.Wells) != w.plate[2] {
			t.Errorf("plate %+v, want rows %d columns %d wells %d", p, w.plate[0], w.plate[1], w.plate[2])
		}
		for i, se := range r.Series() {
			if se.Well == nil {
				t.Errorf("series %d has no well", i)
			}
		}
	}
	// At least one plane of every series decodes, at full and lowest resolution.
	for i, se := range r.Series() {
		p, err := r.ReadPlane(i, 0, 0, 0, 0)
		if err != nil {
			t.Fatalf("series %d: %v", i, err)
		}
		if p.Width != se.SizeX || p.Height != se.SizeY || p.Type != se.PixelType {
			t.Fatalf("series %d plane is %dx%d %s", i, p.Width, p.Height, p.Type)
		}
		last := len(se.Levels) - 1
		if _, err := r.ReadPlane(i, last, se.SizeZ-1, se.SizeC-1, se.SizeT-1); err != nil {
			t.Fatalf("series %d last plane at level %d: %v", i, last, err)
		}
		if i == 0 && w.mean != 0 {
			if m := meanOf(p); math.Abs(m-w.mean) > w.meanTol {
				t.Errorf("level-0 mean %.4f, want %.2f", m, w.mean)
			}
		}
	}
}

func meanOf(p *pixel.Plane) float64 {
	sum := 0.0
	for y := 0; y < p.Height; y++ {
		for x := 0; x < p.Width; x++ {
			sum += p.At(x, y)
		}
	}
	return sum / float64(p.Width*p.Height)
}

func TestUnsupportedFormatsAreNamed(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]byte{
		"x.czi":     []byte("ZISRAWFILE\x00\x00\x00\x00"),
		"y.nd2":     {0xda, 0xce, 0xbe, 0x0a, 0, 0, 0, 0},
		"z.ims":     []byte("\x89HDF\r\n\x1a\n...."),
		"w.lif":     []byte("garbage that is not a LIF header"),
		"v.bin":     []byte("nothing known"),
		"empty.tif": {},
	}
	wantName := map[string]string{"x.czi": "Zeiss CZI", "y.nd2": "Nikon ND2", "z.ims": "Imaris IMS", "w.lif": "Leica LIF", "v.bin": "not in a format Ocular recognises", "empty.tif": "not in a format Ocular recognises"}
	for name, data := range cases {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		_, err := Open(p)
		if err == nil || !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), wantName[name]) || !strings.HasSuffix(err.Error(), SupportedFormats) {
			t.Errorf("%s: %v", name, err)
		}
		if Supported(p) {
			t.Errorf("%s: Supported says yes", name)
		}
	}
	if _, err := Open(filepath.Join(dir, "x.czi")); err.Error() != "x.czi: Zeiss CZI files are not supported; "+SupportedFormats {
		t.Errorf("message %q", err)
	}
	// A plain folder is not an image.
	if _, err := Open(dir); !errors.Is(err, ErrUnsupported) {
		t.Errorf("folder: %v", err)
	}
}
