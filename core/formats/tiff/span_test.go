package tiff

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

// PlaneSpan names the bytes ReadPlane returns for uncompressed
// little-endian strips (one or several pages, uint8 and uint16), and
// nothing for the layouts whose bytes in the file are not the plane's:
// compressed, with a predictor, tiled, big-endian, or sparse.
func TestPlaneSpanIsThePlane(t *testing.T) {
	for _, typ := range []pixel.Type{pixel.Uint8, pixel.Uint16} {
		var buf seekBuffer
		w, err := NewWriter(&buf, WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		pages := []*pixel.Plane{testPlane(t, typ, 300, 200, 5), testPlane(t, typ, 300, 200, 9)}
		for _, p := range pages {
			if err := w.WriteIFD(p, "", nil); err != nil {
				t.Fatal(err)
			}
		}
		w.Close()
		f, err := Open(bytes.NewReader(buf.b), int64(len(buf.b)))
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range f.IFDs() {
			off, n, ok := f.PlaneSpan(d, 0)
			if !ok {
				t.Fatalf("%s page %d: no span for uncompressed little-endian strips", typ, i)
			}
			got := &pixel.Plane{Type: typ, Width: 300, Height: 200, Data: buf.b[off : off+n]}
			samePlane(t, "span", got, pages[i])
			if _, _, ok := f.PlaneSpan(d, 1); ok {
				t.Errorf("%s page %d: a span for sample 1 of a grey image", typ, i)
			}
		}
	}
	p := testPlane(t, pixel.Uint16, 300, 200, 5)
	for _, opts := range []WriterOptions{{Compression: CompressionDeflate}, {Compression: CompressionLZW, Predictor: PredictorHorizontal},
		{TileSize: 64}, {ByteOrder: binary.BigEndian}} {
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
		if _, _, ok := f.PlaneSpan(f.IFDs()[0], 0); ok {
			t.Errorf("%+v: a span for a layout that is not the plane's bytes", opts)
		}
	}
	f, err := Open(bytes.NewReader(sparseTIFF()), int64(len(sparseTIFF())))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := f.PlaneSpan(f.IFDs()[0], 0); ok {
		t.Error("a span for an image with a sparse strip")
	}
}
