package tiff

import (
	"bytes"
	"image"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

// ReadRegionInto a buffer holding an earlier plane's bytes gives the same
// region as ReadRegion, for stripped, tiled and compressed files, and
// refuses a buffer of the wrong size or type instead of writing past it.
func TestReadRegionIntoAReusedBuffer(t *testing.T) {
	p := testPlane(t, pixel.Uint16, 300, 200, 5)
	for _, opts := range []WriterOptions{{Compression: CompressionNone}, {TileSize: 64, Compression: CompressionDeflate}, {Compression: CompressionZstd}} {
		var buf seekBuffer
		w, err := NewWriter(&buf, opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteIFD(p, "", nil); err != nil {
			t.Fatal(err)
		}
		w.Close()
		f, err := Open(bytes.NewReader(buf.b), int64(len(buf.b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []image.Rectangle{image.Rect(0, 0, 300, 200), image.Rect(0, 50, 300, 120), image.Rect(10, 20, 70, 90)} {
			out, _ := pixel.NewPlane(pixel.Uint16, r.Dx(), r.Dy())
			for i := range out.Data {
				out.Data[i] = 0xAB // what the last plane left
			}
			if err := f.ReadRegionInto(f.IFDs()[0], 0, r, out); err != nil {
				t.Fatal(err)
			}
			samePlane(t, "into", out, crop(p, r))
		}
		wrong, _ := pixel.NewPlane(pixel.Uint16, 10, 10)
		if err := f.ReadRegionInto(f.IFDs()[0], 0, image.Rect(0, 0, 20, 20), wrong); err == nil {
			t.Errorf("%+v: a 10x10 buffer for a 20x20 region was accepted", opts)
		}
		wrongType, _ := pixel.NewPlane(pixel.Uint8, 40, 20)
		if err := f.ReadRegionInto(f.IFDs()[0], 0, image.Rect(0, 0, 20, 20), wrongType); err == nil {
			t.Errorf("%+v: a uint8 buffer for a uint16 region was accepted", opts)
		}
	}
}
