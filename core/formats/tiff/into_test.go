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

// sparseTIFF is a 4x4 uint8 image in two strips of two rows, the second
// sparse (offset and byte count 0), which reads as zeros.
func sparseTIFF() []byte {
	b := []byte{'I', 'I', 42, 0, 8, 0, 0, 0}
	le16 := func(v int) { b = append(b, byte(v), byte(v>>8)) }
	le32 := func(v int) { b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)) }
	entry := func(tag, typ, count, value int) { le16(tag); le16(typ); le32(count); le32(value) }
	const offsets, counts, data = 8 + 2 + 9*12 + 4, 8 + 2 + 9*12 + 4 + 8, 8 + 2 + 9*12 + 4 + 16
	le16(9)
	entry(256, 3, 1, 4)
	entry(257, 3, 1, 4)
	entry(258, 3, 1, 8)
	entry(259, 3, 1, 1)
	entry(262, 3, 1, 1)
	entry(273, 4, 2, offsets)
	entry(277, 3, 1, 1)
	entry(278, 3, 1, 2)
	entry(279, 4, 2, counts)
	le32(0)
	le32(data)
	le32(0)
	le32(8)
	le32(0)
	return append(b, 1, 2, 3, 4, 5, 6, 7, 8)
}

func TestReadRegionIntoZeroesSparseStrips(t *testing.T) {
	b := sparseTIFF()
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := pixel.NewPlane(pixel.Uint8, 4, 4)
	for i := range out.Data {
		out.Data[i] = 0xAB
	}
	if err := f.ReadRegionInto(f.IFDs()[0], 0, image.Rect(0, 0, 4, 4), out); err != nil {
		t.Fatal(err)
	}
	want := []byte{1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0}
	if !bytes.Equal(out.Data, want) {
		t.Errorf("read %v, want %v", out.Data, want)
	}
	if p, err := f.ReadPlane(f.IFDs()[0], 0); err != nil || !bytes.Equal(p.Data, want) {
		t.Errorf("ReadPlane: %v %v", p, err)
	}
}
