package pyramid

import (
	"encoding/binary"
	"image"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// pattern is a deterministic uint16 image with structure at every scale
// (gradients, a grid and hash noise), so averaging mistakes show up.
func pattern(x, y, c int) uint16 {
	h := uint32(x)*2654435761 ^ uint32(y)*40503 ^ uint32(c)*97
	return uint16(x*3+y*5+c*1000) + uint16(h>>20) + uint16((x/37+y/53)%2)*4000
}

func patternPlane(w, h, c int) *pixel.Plane {
	p, _ := pixel.NewPlane(pixel.Uint16, w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			binary.LittleEndian.PutUint16(p.Data[2*(y*w+x):], pattern(x, y, c))
		}
	}
	return p
}

// writeStripped writes a plain, stripped, deflate TIFF of one w×h uint16
// plane without pyramid.
func writeStripped(t testing.TB, path string, w, h int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw, err := tiff.NewWriter(f, tiff.WriterOptions{Compression: tiff.CompressionDeflate})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.WriteIFD(patternPlane(w, h, 0), "", nil); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeOMETiled writes a tiled OME-TIFF with sizeC channels and the given
// number of SubIFD pyramid levels (0: none).
func writeOMETiled(t testing.TB, path string, w, h, sizeC, levels int) {
	t.Helper()
	s := formats.Series{Name: filepath.Base(path), SizeX: w, SizeY: h, SizeZ: 1, SizeC: sizeC, SizeT: 1,
		PixelType: pixel.Uint16, DimensionOrder: "XYCZT"}
	for c := 0; c < sizeC; c++ {
		s.Channels = append(s.Channels, formats.Channel{Name: "ch"})
	}
	err := ome.WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
		return patternPlane(w, h, c), nil
	}, ome.WriteOptions{TileSize: 256, PyramidLevels: levels})
	if err != nil {
		t.Fatal(err)
	}
}

func open(t testing.TB, path string) formats.Reader {
	t.Helper()
	r, err := detect.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// counting wraps a reader and counts what is read from it.
type counting struct {
	formats.Reader
	regions, pixels, planes atomic.Int64
}

func (c *counting) ReadRegion(s, level, z, ch, t int, r image.Rectangle) (*pixel.Plane, error) {
	c.regions.Add(1)
	c.pixels.Add(int64(r.Dx() * r.Dy()))
	return c.Reader.ReadRegion(s, level, z, ch, t, r)
}

func (c *counting) ReadPlane(s, level, z, ch, t int) (*pixel.Plane, error) {
	c.planes.Add(1)
	return c.Reader.ReadPlane(s, level, z, ch, t)
}

// crop copies rectangle r of p.
func crop(p *pixel.Plane, r image.Rectangle) *pixel.Plane {
	out, _ := pixel.NewPlane(p.Type, r.Dx(), r.Dy())
	b := p.Type.Size()
	for y := 0; y < r.Dy(); y++ {
		copy(out.Data[y*r.Dx()*b:][:r.Dx()*b], p.Data[((r.Min.Y+y)*p.Width+r.Min.X)*b:])
	}
	return out
}

func samePlane(t *testing.T, what string, got, want *pixel.Plane) {
	t.Helper()
	if got.Width != want.Width || got.Height != want.Height || got.Type != want.Type {
		t.Fatalf("%s: got a %dx%d %s plane, want %dx%d %s", what, got.Width, got.Height, got.Type, want.Width, want.Height, want.Type)
	}
	for y := 0; y < want.Height; y++ {
		for x := 0; x < want.Width; x++ {
			if g, w := got.At(x, y), want.At(x, y); g != w {
				t.Fatalf("%s: pixel (%d, %d) is %v, want %v", what, x, y, g, w)
			}
		}
	}
}
