package main

import (
	"bufio"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"io"
)

// pngStream writes an 8-bit RGB PNG row by row, so `render export` of a
// picture too large to hold streams it in bands: image/png encodes only a
// whole image in memory. Rows are stored unfiltered; IDAT chunks are cut
// every 64 KiB.
type pngStream struct {
	w      *bufio.Writer
	zw     *zlib.Writer
	idat   *idatWriter
	width  int
	height int
	rows   int
	row    []byte
}

func newPNGStream(w io.Writer, width, height int) (*pngStream, error) {
	if width <= 0 || height <= 0 || width > 1<<31-1 || height > 1<<31-1 {
		return nil, fmt.Errorf("a PNG cannot be %dx%d pixels", width, height)
	}
	p := &pngStream{w: bufio.NewWriterSize(w, 1<<16), width: width, height: height, row: make([]byte, 1+3*width)}
	p.w.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(width))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(height))
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB, deflate, adaptive filtering, no interlace
	writeChunk(p.w, "IHDR", ihdr)
	p.idat = &idatWriter{w: p.w}
	zw, err := zlib.NewWriterLevel(p.idat, zlib.DefaultCompression)
	if err != nil {
		return nil, err
	}
	p.zw = zw
	return p, nil
}

// WriteRows appends the rows of band (which must be the picture's width).
func (p *pngStream) WriteRows(band *image.RGBA) error {
	b := band.Bounds()
	if b.Dx() != p.width || p.rows+b.Dy() > p.height {
		return fmt.Errorf("a band of %dx%d does not fit the %dx%d picture at row %d", b.Dx(), b.Dy(), p.width, p.height, p.rows)
	}
	for y := 0; y < b.Dy(); y++ {
		src := band.Pix[y*band.Stride:]
		p.row[0] = 0 // filter: none
		for x := 0; x < p.width; x++ {
			copy(p.row[1+3*x:4+3*x], src[4*x:4*x+3])
		}
		if _, err := p.zw.Write(p.row); err != nil {
			return err
		}
	}
	p.rows += b.Dy()
	return nil
}

// Close ends the image data and writes IEND; every row must have been written.
func (p *pngStream) Close() error {
	if p.rows != p.height {
		return fmt.Errorf("only %d of the picture's %d rows were written", p.rows, p.height)
	}
	if err := p.zw.Close(); err != nil {
		return err
	}
	if err := p.idat.flush(); err != nil {
		return err
	}
	writeChunk(p.w, "IEND", nil)
	return p.w.Flush()
}

// idatWriter cuts the zlib stream into IDAT chunks.
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
