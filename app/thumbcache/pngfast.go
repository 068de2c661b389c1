package thumbcache

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// encodeOpaqueRGBA writes an opaque RGBA picture as an 8-bit RGB PNG with
// every row filtered by Sub and compressed by klauspost's fastest deflate.
// image/png tries all five filters on every row and compresses with the
// standard library's deflate: 1.2 ms of each imported image's 9 ms went
// there, for a 96 px thumbnail. The pictures are the same; the files a
// little larger (a thumbnail is a few kilobytes either way).
func encodeOpaqueRGBA(img *image.RGBA) ([]byte, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var out bytes.Buffer
	out.Grow(w*h + 1024)
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, RGB; compression, filter and interlace 0
	writeChunk(&out, "IHDR", ihdr[:])

	z := zlibPool.Get().(*zlibWriter)
	defer zlibPool.Put(z)
	z.buf.Reset()
	z.w.Reset(&z.buf)
	row := make([]byte, 1+3*w)
	row[0] = 1 // Sub: each byte less the same sample of the pixel to its left
	for y := 0; y < h; y++ {
		src := img.Pix[(b.Min.Y+y-img.Rect.Min.Y)*img.Stride+(b.Min.X-img.Rect.Min.X)*4:]
		var pr, pg, pb byte
		for x, o := 0, 1; x < w; x, o = x+1, o+3 {
			r, g, bl := src[4*x], src[4*x+1], src[4*x+2]
			row[o], row[o+1], row[o+2] = r-pr, g-pg, bl-pb
			pr, pg, pb = r, g, bl
		}
		if _, err := z.w.Write(row); err != nil {
			return nil, err
		}
	}
	if err := z.w.Close(); err != nil {
		return nil, err
	}
	writeChunk(&out, "IDAT", z.buf.Bytes())
	writeChunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

// zlibWriter is a compressor and its output buffer, reused between
// thumbnails: a new deflate state costs more than a thumbnail's bytes.
type zlibWriter struct {
	w   *zlib.Writer
	buf bytes.Buffer
}

var zlibPool = sync.Pool{New: func() any {
	z := &zlibWriter{}
	z.w, _ = zlib.NewWriterLevel(&z.buf, zlib.BestSpeed)
	return z
}}

func writeChunk(out *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	out.WriteString(typ)
	out.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	out.Write(n[:])
}

// opaque reports whether every pixel of img has full alpha.
func opaque(img *image.RGBA) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		i := (y-img.Rect.Min.Y)*img.Stride + (b.Min.X-img.Rect.Min.X)*4
		for x := 0; x < b.Dx(); x++ {
			if img.Pix[i+4*x+3] != 0xff {
				return false
			}
		}
	}
	return true
}
