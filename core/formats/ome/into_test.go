package ome

import (
	"bytes"
	"image"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// ReadRegionInto a dirty buffer gives what ReadRegion gives, for every
// plane, and refuses a buffer of another pixel type.
func TestReadRegionIntoMatchesReadRegion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.ome.tiff")
	s := formats.Series{Name: "x", SizeX: 64, SizeY: 48, SizeZ: 2, SizeC: 2, SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYZCT"}
	err := WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, 64, 48)
		for i := range p.Data {
			p.Data[i] = byte(i*3 + z*7 + c*11)
		}
		return p, nil
	}, WriteOptions{Compression: tiff.CompressionNone})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rect := image.Rect(0, 8, 64, 40)
	for z := 0; z < 2; z++ {
		for c := 0; c < 2; c++ {
			want, err := r.ReadRegion(0, 0, z, c, 0, rect)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := pixel.NewPlane(pixel.Uint16, rect.Dx(), rect.Dy())
			for i := range out.Data {
				out.Data[i] = 0xAB
			}
			if err := r.ReadRegionInto(0, 0, z, c, 0, rect, out); err != nil {
				t.Fatal(err)
			}
			if out.Type != pixel.Uint16 || !bytes.Equal(out.Data, want.Data) {
				t.Errorf("z=%d c=%d: ReadRegionInto differs from ReadRegion", z, c)
			}
		}
	}
	wrong, _ := pixel.NewPlane(pixel.Uint8, 2*rect.Dx(), rect.Dy())
	if r.ReadRegionInto(0, 0, 0, 0, 0, rect, wrong) == nil {
		t.Error("a uint8 buffer was accepted for a uint16 image")
	}
}
