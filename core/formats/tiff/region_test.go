package tiff

import (
	"bytes"
	"image"
	"io"
	"sync/atomic"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// TestRegionReadsOnlyItsChunks checks that a small region of a tiled or
// stripped image reads a small part of the file, not all of it.
func TestRegionReadsOnlyItsChunks(t *testing.T) {
	p := testPlane(t, pixel.Uint16, 1024, 1024, 3)
	for _, opts := range []WriterOptions{{TileSize: 64, Compression: CompressionDeflate}, {Compression: CompressionNone}, {Compression: CompressionZstd}} {
		var buf seekBuffer
		w, err := NewWriter(&buf, opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteIFD(p, "", nil); err != nil {
			t.Fatal(err)
		}
		w.Close()
		cr := &countingReader{r: bytes.NewReader(buf.b)}
		f, err := Open(cr, int64(len(buf.b)))
		if err != nil {
			t.Fatal(err)
		}
		cr.n.Store(0)
		r := image.Rect(500, 500, 540, 530)
		got, err := f.ReadRegion(f.IFDs()[0], 0, r)
		if err != nil {
			t.Fatal(err)
		}
		samePlane(t, "region", got, crop(p, r))
		if read := cr.n.Load(); read > int64(len(buf.b))/8 {
			t.Errorf("%+v: reading a 40x30 region read %d of %d bytes", opts, read, len(buf.b))
		}
	}
}
