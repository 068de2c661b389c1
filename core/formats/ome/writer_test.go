package ome

import (
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// synth makes a deterministic plane whose values encode (z, c, t).
func synth(t pixel.Type, w, h, z, c, tt int) *pixel.Plane {
	p, _ := pixel.NewPlane(t, w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := float64((x+2*y+7*z+31*c+13*tt)%100) + 1
			if t == pixel.Int8 || t == pixel.Int16 {
				v -= 50
			}
			if t.IsFloat() {
				v += 0.25
			}
			p.Set(x, y, v)
		}
	}
	return p
}

func samePlane(a, b *pixel.Plane) bool {
	return a.Type == b.Type && a.Width == b.Width && a.Height == b.Height && string(a.Data) == string(b.Data)
}

func TestWriteTIFFRoundTrip(t *testing.T) {
	cases := []struct {
		name  string
		typ   pixel.Type
		z, c  int
		tt    int
		order string
		opts  WriteOptions
	}{
		{"uint16 multichannel Z", pixel.Uint16, 4, 3, 1, "XYCZT", WriteOptions{}},
		{"uint8 time series", pixel.Uint8, 1, 2, 5, "XYZCT", WriteOptions{Compression: tiff.CompressionNone}},
		{"int8 5D XYTZC", pixel.Int8, 2, 2, 3, "XYTZC", WriteOptions{Compression: tiff.CompressionZstd}},
		{"float32 LZW", pixel.Float32, 2, 1, 1, "", WriteOptions{Compression: tiff.CompressionLZW}},
		{"uint16 tiled pyramid", pixel.Uint16, 2, 2, 1, "XYCZT", WriteOptions{TileSize: 32, PyramidLevels: 2, Predictor: tiff.PredictorHorizontal}},
		{"bigtiff double", pixel.Float64, 1, 1, 2, "XYCZT", WriteOptions{BigTIFF: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, h := 70, 45
			s := formats.Series{
				Name: "round trip", Description: "made by a test & <checked>",
				SizeX: w, SizeY: h, SizeZ: tc.z, SizeC: tc.c, SizeT: tc.tt, PixelType: tc.typ, DimensionOrder: tc.order,
				PhysicalSizeX: 0.325, PhysicalSizeY: 0.325, PhysicalSizeZ: 1.5, TimeIncrement: 2.5,
				AcquiredAt: time.Date(2026, 11, 24, 10, 30, 0, 0, time.UTC),
				Original:   []formats.KeyValue{{Key: "Stain", Value: "DAPI & phalloidin"}},
			}
			colors := [][4]uint8{{0, 0, 255, 255}, {0, 255, 0, 255}, {255, 0, 0, 255}}
			for c := 0; c < tc.c; c++ {
				s.Channels = append(s.Channels, formats.Channel{Name: []string{"DAPI", "GFP", "mCherry"}[c], Color: colors[c], HasColor: true,
					ExcitationWavelength: 405 + float64(c)*83, EmissionWavelength: 450 + float64(c)*60, Fluor: "F" + string(rune('A'+c))})
			}
			s.Planes = []formats.PlaneInfo{{Z: 0, C: 0, T: 0, DeltaT: 0.5, HasDeltaT: true, ExposureTime: 0.01, HasExposure: true, PositionX: 10, PositionY: 20, PositionZ: 3, HasPosition: true}}
			path := filepath.Join(t.TempDir(), "rt.ome.tif")
			err := WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
				return synth(tc.typ, w, h, z, c, tt), nil
			}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Format() != "OME-TIFF" || len(r.Series()) != 1 {
				t.Fatalf("format %s, %d series", r.Format(), len(r.Series()))
			}
			g := r.Series()[0]
			if g.SizeX != w || g.SizeY != h || g.SizeZ != tc.z || g.SizeC != tc.c || g.SizeT != tc.tt || g.PixelType != tc.typ {
				t.Fatalf("read back %dx%d z%d c%d t%d %s", g.SizeX, g.SizeY, g.SizeZ, g.SizeC, g.SizeT, g.PixelType)
			}
			if g.Name != s.Name || g.Description != s.Description || !g.AcquiredAt.Equal(s.AcquiredAt) {
				t.Errorf("name %q description %q date %v", g.Name, g.Description, g.AcquiredAt)
			}
			if g.PhysicalSizeX != 0.325 || g.PhysicalSizeZ != 1.5 || g.TimeIncrement != 2.5 {
				t.Errorf("physical sizes %v %v %v", g.PhysicalSizeX, g.PhysicalSizeZ, g.TimeIncrement)
			}
			for c := range s.Channels {
				a, b := s.Channels[c], g.Channels[c]
				if a.Name != b.Name || a.Color != b.Color || !b.HasColor || a.ExcitationWavelength != b.ExcitationWavelength || a.EmissionWavelength != b.EmissionWavelength || a.Fluor != b.Fluor {
					t.Errorf("channel %d: wrote %+v read %+v", c, a, b)
				}
			}
			if len(g.Planes) != 1 || g.Planes[0] != s.Planes[0] {
				t.Errorf("planes %+v", g.Planes)
			}
			if len(g.Original) != 1 || g.Original[0] != s.Original[0] {
				t.Errorf("original %+v", g.Original)
			}
			for z := 0; z < tc.z; z++ {
				for c := 0; c < tc.c; c++ {
					for tt := 0; tt < tc.tt; tt++ {
						p, err := r.ReadPlane(0, 0, z, c, tt)
						if err != nil {
							t.Fatal(err)
						}
						if !samePlane(p, synth(tc.typ, w, h, z, c, tt)) {
							t.Fatalf("plane z%d c%d t%d differs", z, c, tt)
						}
					}
				}
			}
			// A region reads the same pixels as the plane.
			reg, err := r.ReadRegion(0, 0, tc.z-1, tc.c-1, tc.tt-1, image.Rect(5, 7, 40, 30))
			if err != nil {
				t.Fatal(err)
			}
			full := synth(tc.typ, w, h, tc.z-1, tc.c-1, tc.tt-1)
			if reg.At(0, 0) != full.At(5, 7) || reg.At(34, 22) != full.At(39, 29) {
				t.Errorf("region pixels differ")
			}
			if tc.opts.PyramidLevels > 0 {
				if len(g.Levels) != 1+tc.opts.PyramidLevels || g.Levels[1].SizeX != 35 || g.Levels[2].SizeX != 18 || g.Levels[0].TileWidth != 32 {
					t.Fatalf("levels %+v", g.Levels)
				}
				p, err := r.ReadPlane(0, 2, 1, 1, 0)
				if err != nil {
					t.Fatal(err)
				}
				want := Downsample(Downsample(synth(tc.typ, w, h, 1, 1, 0)))
				if !samePlane(p, want) {
					t.Fatal("pyramid level 2 differs from the downsampled plane")
				}
			}
		})
	}
}

func TestWriteTIFFPlate(t *testing.T) {
	s := formats.Series{SizeX: 16, SizeY: 16, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint8,
		Well: &formats.WellSampleRef{Row: 1, Column: 2, Field: 0, Acquisition: 0, PositionX: 100, PositionY: 50}}
	plate := &formats.Plate{Name: "P1", Rows: 8, Columns: 12, RowNaming: "letter", ColNaming: "number",
		Acquisitions: []formats.PlateAcquisition{{Name: "run 1"}}}
	path := filepath.Join(t.TempDir(), "plate.ome.tif")
	if err := WriteTIFF(path, s, plate, func(z, c, tt int) (*pixel.Plane, error) { return synth(pixel.Uint8, 16, 16, 0, 0, 0), nil }, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := r.Plate()
	if p == nil || p.Rows != 8 || p.Columns != 12 || p.RowNaming != "letter" || len(p.Wells) != 1 || p.Acquisitions[0].Name != "run 1" {
		t.Fatalf("plate %+v", p)
	}
	if w := r.Series()[0].Well; w == nil || *w != *s.Well {
		t.Fatalf("well %+v", w)
	}
}

func TestWriteTIFFBadPlane(t *testing.T) {
	s := formats.Series{SizeX: 16, SizeY: 16, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint8}
	path := filepath.Join(t.TempDir(), "bad.ome.tif")
	err := WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) { return synth(pixel.Uint16, 16, 16, 0, 0, 0), nil }, WriteOptions{})
	if err == nil || !strings.Contains(err.Error(), "16x16 uint8") {
		t.Fatalf("err %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("a failed write left a file behind")
	}
}

// Structure contradicting the XML gives an error naming both.
func TestContradictions(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, desc string, planes ...*pixel.Plane) string {
		p := filepath.Join(dir, name)
		fh, _ := os.Create(p)
		w, _ := tiff.NewWriter(fh, tiff.WriterOptions{})
		for i, pl := range planes {
			d := ""
			if i == 0 {
				d = desc
			}
			if err := w.WriteIFD(pl, d, nil); err != nil {
				t.Fatal(err)
			}
		}
		w.Close()
		fh.Close()
		return p
	}
	xmlFor := func(x, y, c int, typ string) string {
		return `<OME><Image ID="Image:0"><Pixels DimensionOrder="XYCZT" Type="` + typ + `" SizeX="` + strconv.Itoa(x) + `" SizeY="` + strconv.Itoa(y) + `" SizeZ="1" SizeC="` + strconv.Itoa(c) + `" SizeT="1"><TiffData/></Pixels></Image></OME>`
	}
	u8 := synth(pixel.Uint8, 8, 8, 0, 0, 0)
	cases := map[string]struct {
		path string
		want []string
	}{
		"too few IFDs": {write("few.ome.tif", xmlFor(8, 8, 3, "uint8"), u8, u8), []string{"3 planes", "only 2 IFDs"}},
		"wrong size":   {write("size.ome.tif", xmlFor(9, 8, 1, "uint8"), u8), []string{"9x8", "8x8"}},
		"wrong type":   {write("type.ome.tif", xmlFor(8, 8, 1, "uint16"), u8), []string{"uint16", "uint8"}},
	}
	for name, tc := range cases {
		_, err := Open(tc.path)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", name, err, w)
			}
		}
	}
}
