package tiff

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/ocular-lab/ocular/core/pixel"
)

// WriterOptions configures a Writer.
//
// A classic TIFF cannot address more than 4 GiB: the writer does not switch
// to BigTIFF by itself, it fails with an error when an offset would not fit.
// Callers that may write more than about 4 GiB set BigTIFF.
type WriterOptions struct {
	BigTIFF   bool
	ByteOrder binary.ByteOrder // nil means little-endian
	// Compression is CompressionNone (or 0), CompressionDeflate,
	// CompressionZstd, CompressionLZW or CompressionPackBits.
	Compression int
	// Predictor is PredictorNone (or 0), PredictorHorizontal (integer
	// samples) or PredictorFloat (float samples).
	Predictor int
	// TileSize is the side of square tiles, a multiple of 16; 0 writes strips.
	TileSize int
	// Software is written in tag 305; empty means "Ocular".
	Software string
}

// Writer writes a TIFF one page at a time. Pixel data is compressed and
// written chunk by chunk, so memory holds one strip or tile plus the offset
// tables, never the file.
type Writer struct {
	ws       io.WriteSeeker
	bw       *bufio.Writer
	opts     WriterOptions
	order    byteOrder
	pos      int64 // current end of the file
	nextPtr  int64 // where the offset of the next main IFD goes
	lastNext int64 // the next-IFD field of the page just written
	closed   bool
	err      error
	zw       *zlib.Writer
	zenc     *zstd.Encoder
	lzw      *lzwEncoder
	comp     []byte
	chunk    []byte
	tmp      []byte
	pages    int
}

// byteOrder is what the writer needs from binary.LittleEndian/BigEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// rowsPerStripBytes is the target size of an uncompressed strip.
const rowsPerStripBytes = 64 << 10

// NewWriter writes the TIFF header to w and returns a Writer positioned for
// the first page. w must be at offset 0.
func NewWriter(w io.WriteSeeker, opts WriterOptions) (*Writer, error) {
	if opts.Compression == 0 {
		opts.Compression = CompressionNone
	}
	if opts.Predictor == 0 {
		opts.Predictor = PredictorNone
	}
	switch opts.Compression {
	case CompressionNone, CompressionDeflate, CompressionAdobeDeflate, CompressionZstd, CompressionLZW, CompressionPackBits:
	default:
		return nil, fmt.Errorf("TIFF writer: %s compression is not supported", CompressionName(opts.Compression))
	}
	if opts.Predictor < PredictorNone || opts.Predictor > PredictorFloat {
		return nil, fmt.Errorf("TIFF writer: predictor %d is not supported", opts.Predictor)
	}
	if opts.TileSize < 0 || opts.TileSize%16 != 0 {
		return nil, fmt.Errorf("TIFF writer: tile size %d is not a multiple of 16", opts.TileSize)
	}
	if opts.Software == "" {
		opts.Software = "Ocular"
	}
	wr := &Writer{ws: w, bw: bufio.NewWriterSize(w, 1<<20), opts: opts, order: binary.LittleEndian}
	mark := "II"
	switch opts.ByteOrder {
	case nil, binary.ByteOrder(binary.LittleEndian):
	case binary.ByteOrder(binary.BigEndian):
		wr.order, mark = binary.BigEndian, "MM"
	default:
		return nil, fmt.Errorf("TIFF writer: byte order %v is neither binary.LittleEndian nor binary.BigEndian", opts.ByteOrder)
	}
	var hdr []byte
	hdr = append(hdr, mark...)
	if opts.BigTIFF {
		hdr = wr.order.AppendUint16(hdr, 43)
		hdr = wr.order.AppendUint16(hdr, 8)
		hdr = wr.order.AppendUint16(hdr, 0)
		wr.nextPtr = 8
		hdr = wr.order.AppendUint64(hdr, 0)
	} else {
		hdr = wr.order.AppendUint16(hdr, 42)
		wr.nextPtr = 4
		hdr = wr.order.AppendUint32(hdr, 0)
	}
	if err := wr.write(hdr); err != nil {
		return nil, err
	}
	return wr, nil
}

func (w *Writer) write(b []byte) error {
	if w.err != nil {
		return w.err
	}
	if _, err := w.bw.Write(b); err != nil {
		w.err = fmt.Errorf("writing TIFF: %w", err)
		return w.err
	}
	w.pos += int64(len(b))
	if !w.opts.BigTIFF && w.pos > math.MaxUint32 {
		w.err = errors.New("writing TIFF: the file would exceed 4 GiB; write a BigTIFF instead (WriterOptions.BigTIFF)")
		return w.err
	}
	return nil
}

// align pads the file to an even offset, as TIFF requires for IFDs and values.
func (w *Writer) align() error {
	if w.pos%2 != 0 {
		return w.write([]byte{0})
	}
	return nil
}

// patch overwrites an offset field at position at with value v.
func (w *Writer) patch(at, v int64) error {
	if w.err != nil {
		return w.err
	}
	var b []byte
	if w.opts.BigTIFF {
		b = w.order.AppendUint64(nil, uint64(v))
	} else {
		b = w.order.AppendUint32(nil, uint32(v))
	}
	if err := w.bw.Flush(); err != nil {
		w.err = fmt.Errorf("writing TIFF: %w", err)
		return w.err
	}
	if _, err := w.ws.Seek(at, io.SeekStart); err == nil {
		_, err = w.ws.Write(b)
		if err == nil {
			_, err = w.ws.Seek(w.pos, io.SeekStart)
		}
		if err != nil {
			w.err = fmt.Errorf("writing TIFF: %w", err)
		}
	} else {
		w.err = fmt.Errorf("writing TIFF: %w", err)
	}
	return w.err
}

// WriteIFD appends one single-sample page. desc becomes its ImageDescription
// (omitted when empty). subIFDLevels, largest first, are written as SubIFDs
// with NewSubfileType=1 (reduced resolution), the layout OME-TIFF uses for
// pyramids.
func (w *Writer) WriteIFD(plane *pixel.Plane, desc string, subIFDLevels []*pixel.Plane) error {
	return w.writeMain([]*pixel.Plane{plane}, false, desc, subIFDLevels)
}

// WriteSamples appends one page whose pixels have len(samples) samples
// (3 planes of uint8 or uint16 make an RGB page), stored interleaved
// (PlanarConfiguration 1) or as separate planes (planar, 2).
func (w *Writer) WriteSamples(samples []*pixel.Plane, planar bool, desc string) error {
	return w.writeMain(samples, planar, desc, nil)
}

func (w *Writer) writeMain(samples []*pixel.Plane, planar bool, desc string, levels []*pixel.Plane) error {
	if w.closed {
		return errors.New("TIFF writer is closed")
	}
	var subs []int64
	for i, l := range levels {
		off, err := w.writePage([]*pixel.Plane{l}, false, "", 1, nil)
		if err != nil {
			return fmt.Errorf("pyramid level %d: %w", i+1, err)
		}
		subs = append(subs, off)
	}
	off, err := w.writePage(samples, planar, desc, 0, subs)
	if err != nil {
		return err
	}
	if err := w.patch(w.nextPtr, off); err != nil {
		return err
	}
	w.nextPtr = w.lastNext
	w.pages++
	return nil
}

// Close flushes the file. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if w.pages == 0 {
		return errors.New("writing TIFF: no page was written")
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("writing TIFF: %w", err)
	}
	if w.zenc != nil {
		w.zenc.Close()
	}
	return nil
}
