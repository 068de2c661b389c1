// Package pngrgb writes opaque pictures as 8-bit RGB PNG files, row by row.
//
// image/png encodes only a whole image held in memory, tries all five row
// filters on every row and compresses with the standard library's deflate:
// `render export` of a picture too big to hold needs rows streamed in
// bands, and an import spent 1.2 ms of each image's 9 ms encoding its 96 px
// thumbnail. Here every row is filtered by Sub (each byte less the same
// sample of the pixel to its left), which suits rendered microscopy, and
// compressed by github.com/klauspost/compress's deflate, several times
// faster than the standard library's at its fastest level. Any PNG decoder
// reads the same pixels.
package pngrgb

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"io"

	"github.com/klauspost/compress/zlib"
)

// Writer writes one PNG at a time; Start begins the next, so a Writer (and
// its compressor's state, costlier than a thumbnail's bytes) can be reused.
type Writer struct {
	level  int
	out    *bufio.Writer
	zw     *zlib.Writer
	idat   idatWriter
	width  int
	height int
	rows   int
	row    []byte
}

// NewWriter returns a Writer compressing at a zlib level (zlib.BestSpeed,
// zlib.DefaultCompression...).
func NewWriter(level int) *Writer {
	return &Writer{level: level}
}

// Start writes the signature and header of a width x height picture to w.
func (p *Writer) Start(w io.Writer, width, height int) error {
	if width <= 0 || height <= 0 || width > 1<<31-1 || height > 1<<31-1 {
		return fmt.Errorf("a PNG cannot be %dx%d pixels", width, height)
	}
	if p.out == nil {
		p.out = bufio.NewWriterSize(w, 1<<16)
	} else {
		p.out.Reset(w)
	}
	p.width, p.height, p.rows = width, height, 0
	if cap(p.row) < 1+3*width {
		p.row = make([]byte, 1+3*width)
	}
	p.row = p.row[:1+3*width]
	p.out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, RGB; deflate, adaptive filtering, no interlace
	writeChunk(p.out, "IHDR", ihdr[:])
	p.idat = idatWriter{w: p.out, buf: p.idat.buf[:0]}
	if p.zw == nil {
		zw, err := zlib.NewWriterLevel(&p.idat, p.level)
		if err != nil {
			return err
		}
		p.zw = zw
	} else {
		p.zw.Reset(&p.idat)
	}
	return nil
}

// WriteRows appends the rows of band, which must be as wide as the picture;
// its alpha is ignored.
func (p *Writer) WriteRows(band *image.RGBA) error {
	b := band.Bounds()
	if b.Dx() != p.width || p.rows+b.Dy() > p.height {
		return fmt.Errorf("a band of %dx%d does not fit the %dx%d picture at row %d", b.Dx(), b.Dy(), p.width, p.height, p.rows)
	}
	row := p.row
	row[0] = 1 // Sub
	for y := 0; y < b.Dy(); y++ {
		src := band.Pix[y*band.Stride : y*band.Stride+4*p.width]
		var pr, pg, pb byte
		for x, o := 0, 1; x < p.width; x, o = x+1, o+3 {
			r, g, bl := src[4*x], src[4*x+1], src[4*x+2]
			row[o], row[o+1], row[o+2] = r-pr, g-pg, bl-pb
			pr, pg, pb = r, g, bl
		}
		if _, err := p.zw.Write(row); err != nil {
			return err
		}
	}
	p.rows += b.Dy()
	return nil
}

// Close ends the picture; every row must have been written.
func (p *Writer) Close() error {
	if p.rows != p.height {
		return fmt.Errorf("only %d of the picture's %d rows were written", p.rows, p.height)
	}
	if err := p.zw.Close(); err != nil {
		return err
	}
	if err := p.idat.flush(); err != nil {
		return err
	}
	writeChunk(p.out, "IEND", nil)
	return p.out.Flush()
}

// idatWriter cuts the zlib stream into IDAT chunks of 64 KiB.
type idatWriter struct {
	w   *bufio.Writer
	buf []byte
}

func (d *idatWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		k := min(len(b), 1<<16-len(d.buf))
		d.buf = append(d.buf, b[:k]...)
		b = b[k:]
		if len(d.buf) == 1<<16 {
			if err := d.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (d *idatWriter) flush() error {
	if len(d.buf) == 0 {
		return nil
	}
	err := writeChunk(d.w, "IDAT", d.buf)
	d.buf = d.buf[:0]
	return err
}

func writeChunk(w *bufio.Writer, typ string, data []byte) error {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	_, err := w.Write(n[:])
	return err
}
