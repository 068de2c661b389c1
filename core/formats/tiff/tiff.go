// Package tiff is Ocular's own TIFF and BigTIFF layer: a structure walker
// that lists every IFD (main chain and SubIFDs) with its tags, a decoder that
// reads one sample plane or one region of an IFD by touching only the strips
// or tiles that intersect it, a streaming writer, and a formats.Reader for
// plain (non-OME, non-ImageJ) TIFFs.
//
// golang.org/x/image/tiff only decodes the first page of classic TIFFs with
// unsigned samples; microscopy needs every page, BigTIFF, signed and float
// samples, planar data and pyramids, so the structure is handled here and the
// codecs (LZW, deflate, zstd, JPEG) are borrowed from well-kept libraries.
//
// Every size read from a file is checked against the file size (and
// pixel.MaxPlaneBytes) before anything is allocated, IFD loops are detected,
// and decompression never produces more than the expected strip or tile size.
package tiff

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// File is an open TIFF or BigTIFF. It is safe for concurrent use when the
// underlying io.ReaderAt is (an *os.File is).
type File struct {
	r      io.ReaderAt
	size   int64
	order  binary.ByteOrder
	big    bool
	ifds   []*IFD
	name   string // for error messages; may be empty
	budget *budget
	// last is the strip or tile decoded last when it was read only in part
	// (see chunkcache.go), so the next band of rows does not decode it again.
	last lastChunk
}

// IFD is one image file directory: one page, or one pyramid level.
type IFD struct {
	Offset           int64
	Width, Height    int
	SamplesPerPixel  int
	BitsPerSample    int
	SampleFormat     int        // 1 uint, 2 int, 3 float
	PixelType        pixel.Type // derived from BitsPerSample and SampleFormat; Invalid when unsupported
	Compression      int
	Predictor        int
	Photometric      int
	PlanarConfig     int
	TileWidth        int // 0 when stripped
	TileHeight       int
	RowsPerStrip     int
	NewSubfileType   int
	ImageDescription string
	Software         string
	SubIFDs          []*IFD
	// Tags holds every tag in file order, for the "original metadata" view
	// and private tags (ImageJ 50838/50839).
	Tags []Tag

	// bitsMixed is set when BitsPerSample differs between samples.
	bitsMixed bool
}

// Tag returns the tag with the given code.
func (d *IFD) Tag(code uint16) (Tag, bool) {
	for _, t := range d.Tags {
		if t.Code == code {
			return t, true
		}
	}
	return Tag{}, false
}

// Tiled reports whether the IFD is organised in tiles rather than strips.
func (d *IFD) Tiled() bool { return d.TileWidth > 0 }

// Limits on what one file may make the walker allocate. A real file stays far
// below them; a hostile one (thousands of overlapping IFDs) hits them and
// gets an error instead of exhausting memory.
const (
	maxIFDs        = 1 << 20
	maxTotalTags   = 4 << 20
	maxEagerBytes  = 512 << 20 // tag values and descriptions held in memory
	maxSubIFDDepth = 4
)

type budget struct {
	ifds, tags int
	bytes      int64
	seen       map[int64]bool
}

// Open parses the header and every IFD of a TIFF or BigTIFF of the given size.
func Open(r io.ReaderAt, size int64) (*File, error) {
	return open(r, size, "")
}

// OpenFile opens a TIFF by path. The caller closes the returned *os.File
// after it has finished with the *File.
func OpenFile(path string) (*File, *os.File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	f, err := open(fh, st.Size(), path)
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	return f, fh, nil
}

func open(r io.ReaderAt, size int64, name string) (*File, error) {
	f := &File{r: r, size: size, name: name, budget: &budget{seen: map[int64]bool{}}}
	var hdr [16]byte
	if size < 8 {
		return nil, f.errorf("file is too short to be a TIFF (%d bytes)", size)
	}
	n := int64(len(hdr))
	if size < n {
		n = size
	}
	if _, err := r.ReadAt(hdr[:n], 0); err != nil && err != io.EOF {
		return nil, f.errorf("reading header: %v", err)
	}
	switch string(hdr[:2]) {
	case "II":
		f.order = binary.LittleEndian
	case "MM":
		f.order = binary.BigEndian
	default:
		return nil, f.errorf("not a TIFF: header starts with %q, not II or MM", hdr[:2])
	}
	var first uint64
	switch f.order.Uint16(hdr[2:]) {
	case 42:
		first = uint64(f.order.Uint32(hdr[4:]))
	case 43:
		if n < 16 {
			return nil, f.errorf("BigTIFF header is truncated")
		}
		if f.order.Uint16(hdr[4:]) != 8 || f.order.Uint16(hdr[6:]) != 0 {
			return nil, f.errorf("unsupported BigTIFF offset size %d", f.order.Uint16(hdr[4:]))
		}
		f.big = true
		first = f.order.Uint64(hdr[8:])
	default:
		return nil, f.errorf("not a TIFF: version %d is neither 42 (TIFF) nor 43 (BigTIFF)", f.order.Uint16(hdr[2:]))
	}
	ifds, err := f.readChain(first, 0)
	if err != nil {
		return nil, err
	}
	if len(ifds) == 0 {
		return nil, f.errorf("TIFF has no image directory")
	}
	f.ifds = ifds
	if err := f.checkChunkSizes(ifds); err != nil {
		return nil, err
	}
	return f, nil
}

// checkChunkSizes refuses, at open, a file whose compressed strips or tiles
// decode to more than formats.MaxChunkBytes each: one such chunk could not
// be read within the memory budget, so the file is refused in seconds
// rather than at its first plane (readChunks checks again).
func (f *File) checkChunkSizes(ifds []*IFD) error {
	for _, d := range ifds {
		if d.Compression != CompressionNone && d.Width > 0 && d.Height > 0 {
			w, h := d.Width, d.RowsPerStrip
			if d.Tiled() {
				w, h = d.TileWidth, d.TileHeight
			}
			spp := max(1, d.SamplesPerPixel)
			if d.PlanarConfig == 2 {
				spp = 1
			}
			if n, ok := formats.MulChecked(int64(w), int64(h), int64(spp), int64(max(1, d.PixelType.Size()))); !ok || n > formats.MaxChunkBytes {
				return formats.TooLarge("%s: the image is stored in %s strips or tiles of %dx%d pixels that decode to more than the %d MiB Ocular decodes at once; save it again with smaller strips or tiles (e.g. tiled 512x512) and import that",
					f.displayName(), CompressionName(d.Compression), w, h, formats.MaxChunkBytes>>20)
			}
		}
		if err := f.checkChunkSizes(d.SubIFDs); err != nil {
			return err
		}
	}
	return nil
}

// BigTIFF reports whether the file is a BigTIFF.
func (f *File) BigTIFF() bool { return f.big }

// ByteOrder is the file's byte order.
func (f *File) ByteOrder() binary.ByteOrder { return f.order }

// IFDs returns the main IFD chain, in order.
func (f *File) IFDs() []*IFD { return f.ifds }

// Size is the file size given to Open.
func (f *File) Size() int64 { return f.size }

// displayName is the file name for messages, or "the TIFF" when unknown.
func (f *File) displayName() string {
	if f.name != "" {
		return f.name
	}
	return "the TIFF"
}

// errorf prefixes an error with the file name when known.
func (f *File) errorf(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if f.name != "" {
		return errors.New(f.name + ": " + msg)
	}
	return errors.New(msg)
}

// readChain follows a chain of IFDs starting at off (0 ends the chain).
func (f *File) readChain(off uint64, depth int) ([]*IFD, error) {
	var out []*IFD
	for off != 0 {
		if f.budget.seen[int64(off)] {
			// Some writers list a SubIFD chain both in SubIFDs and through next
			// pointers; a repeat ends the chain. In the main chain it is a loop.
			if depth == 0 {
				return nil, f.errorf("TIFF is corrupt: IFD at byte %d is visited twice (the IFD chain loops)", off)
			}
			break
		}
		d, next, err := f.readIFD(off, depth)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
		off = next
	}
	return out, nil
}

// readIFD parses the IFD at off and returns it with the offset of the next one.
func (f *File) readIFD(off uint64, depth int) (*IFD, uint64, error) {
	b := f.budget
	if off > uint64(f.size) || off < 8 {
		return nil, 0, f.errorf("TIFF is corrupt: IFD offset %d is outside the file (%d bytes)", off, f.size)
	}
	b.seen[int64(off)] = true
	b.ifds++
	if b.ifds > maxIFDs {
		return nil, 0, f.errorf("TIFF has more than %d IFDs", maxIFDs)
	}
	countSize, entrySize, nextSize := int64(2), int64(12), int64(4)
	if f.big {
		countSize, entrySize, nextSize = 8, 20, 8
	}
	var cb [8]byte
	if err := f.readAt(cb[:countSize], int64(off), "IFD entry count"); err != nil {
		return nil, 0, err
	}
	var count uint64
	if f.big {
		count = f.order.Uint64(cb[:])
	} else {
		count = uint64(f.order.Uint16(cb[:]))
	}
	end := uint64(f.size)
	if count > (end-off-uint64(countSize))/uint64(entrySize) {
		return nil, 0, f.errorf("TIFF is corrupt: IFD at byte %d claims %d entries, more than the file holds", off, count)
	}
	b.tags += int(count)
	if b.tags > maxTotalTags {
		return nil, 0, f.errorf("TIFF has more than %d tags in total", maxTotalTags)
	}
	buf := make([]byte, int64(count)*entrySize+nextSize)
	avail := int64(end) - int64(off) - countSize
	if int64(len(buf)) > avail {
		// A missing next-IFD pointer at the very end of the file is tolerated.
		buf = buf[:avail]
	}
	if err := f.readAt(buf, int64(off)+countSize, "IFD entries"); err != nil {
		return nil, 0, err
	}
	d := &IFD{Offset: int64(off), Tags: make([]Tag, 0, count)}
	for i := 0; i < int(count); i++ {
		e := buf[int64(i)*entrySize:]
		t := Tag{Code: f.order.Uint16(e), Type: f.order.Uint16(e[2:]), order: f.order}
		var val []byte
		if f.big {
			t.Count = f.order.Uint64(e[4:])
			val = e[12:20]
		} else {
			t.Count = uint64(f.order.Uint32(e[4:]))
			val = e[8:12]
		}
		es := uint64(typeSize(t.Type))
		if es == 0 {
			// Unknown types are kept (for display) but carry no value.
			t.Count = 0
			t.data = nil
			d.Tags = append(d.Tags, t)
			continue
		}
		if t.Count > uint64(f.size)/es {
			return nil, 0, f.errorf("TIFF is corrupt: tag %s in IFD at byte %d has %d values, more than the file holds", t.Name(), off, t.Count)
		}
		n := t.Count * es
		if n <= uint64(len(val)) {
			t.data = append([]byte(nil), val[:n]...)
		} else {
			var voff uint64
			if f.big {
				voff = f.order.Uint64(val)
			} else {
				voff = uint64(f.order.Uint32(val))
			}
			if voff > uint64(f.size) || n > uint64(f.size)-voff {
				return nil, 0, f.errorf("TIFF is truncated: tag %s in IFD at byte %d ends at byte %d but the file has %d bytes", t.Name(), off, voff+n, f.size)
			}
			t.offset = int64(voff)
			if n <= eagerTagBytes {
				if err := f.charge(int64(n)); err != nil {
					return nil, 0, err
				}
				t.data = make([]byte, n)
				if err := f.readAt(t.data, int64(voff), "tag "+t.Name()); err != nil {
					return nil, 0, err
				}
			} else {
				t.src = f.r
			}
		}
		d.Tags = append(d.Tags, t)
	}
	var next uint64
	if rest := buf[int64(count)*entrySize:]; int64(len(rest)) == nextSize {
		if f.big {
			next = f.order.Uint64(rest)
		} else {
			next = uint64(f.order.Uint32(rest))
		}
	}
	if err := f.fillIFD(d); err != nil {
		return nil, 0, err
	}
	if t, ok := d.Tag(TagSubIFDs); ok && depth < maxSubIFDDepth {
		offs, err := t.intsAt(0, t.Count)
		if err != nil {
			return nil, 0, f.errorf("TIFF is corrupt: SubIFDs of IFD at byte %d: %v", off, err)
		}
		for _, so := range offs {
			if f.budget.seen[so] {
				continue
			}
			subs, err := f.readChain(uint64(so), depth+1)
			if err != nil {
				return nil, 0, err
			}
			d.SubIFDs = append(d.SubIFDs, subs...)
		}
	}
	return d, next, nil
}

// charge counts bytes held in memory against the file's budget.
func (f *File) charge(n int64) error {
	f.budget.bytes += n
	if f.budget.bytes > maxEagerBytes {
		return f.errorf("TIFF metadata exceeds %d MiB", maxEagerBytes>>20)
	}
	return nil
}

func (f *File) readAt(buf []byte, off int64, what string) error {
	if off < 0 || off > f.size || int64(len(buf)) > f.size-off {
		return f.errorf("TIFF is truncated: %s at byte %d ends at byte %d but the file has %d bytes", what, off, off+int64(len(buf)), f.size)
	}
	n, err := f.r.ReadAt(buf, off)
	if n == len(buf) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return f.errorf("reading %s at byte %d: %v", what, off, err)
}

// fillIFD derives the convenience fields from the tags.
func (f *File) fillIFD(d *IFD) error {
	get := func(code uint16, def int64) int64 {
		if t, ok := d.Tag(code); ok {
			return t.Int(def)
		}
		return def
	}
	clamp := func(v int64) int {
		if v < 0 || v > 1<<31-1 {
			return 0
		}
		return int(v)
	}
	d.Width = clamp(get(TagImageWidth, 0))
	d.Height = clamp(get(TagImageLength, 0))
	d.SamplesPerPixel = clamp(get(TagSamplesPerPixel, 1))
	d.BitsPerSample = clamp(get(TagBitsPerSample, 1))
	d.SampleFormat = clamp(get(TagSampleFormat, 1))
	d.Compression = clamp(get(TagCompression, 1))
	d.Predictor = clamp(get(TagPredictor, 1))
	d.Photometric = clamp(get(TagPhotometric, 1))
	d.PlanarConfig = clamp(get(TagPlanarConfiguration, 1))
	d.TileWidth = clamp(get(TagTileWidth, 0))
	d.TileHeight = clamp(get(TagTileLength, 0))
	d.RowsPerStrip = clamp(get(TagRowsPerStrip, int64(d.Height)))
	if d.RowsPerStrip == 0 || d.RowsPerStrip > d.Height {
		d.RowsPerStrip = d.Height
	}
	d.NewSubfileType = clamp(get(TagNewSubfileType, 0))
	if t, ok := d.Tag(TagBitsPerSample); ok && t.Count > 1 && t.Count <= 1<<16 {
		for _, v := range t.Ints() {
			if int(v) != d.BitsPerSample {
				d.bitsMixed = true
			}
		}
	}
	if t, ok := d.Tag(TagImageDescription); ok {
		s, err := f.loadString(t)
		if err != nil {
			return err
		}
		d.ImageDescription = s
	}
	if t, ok := d.Tag(TagSoftware); ok {
		s, err := f.loadString(t)
		if err != nil {
			return err
		}
		d.Software = s
	}
	d.PixelType = pixelType(d.BitsPerSample, d.SampleFormat)
	if d.bitsMixed {
		d.PixelType = pixel.Invalid
	}
	return nil
}

// loadString reads an ASCII tag into memory, charging the budget.
func (f *File) loadString(t Tag) (string, error) {
	if t.src != nil {
		if err := f.charge(t.size()); err != nil {
			return "", err
		}
	}
	b, err := t.raw(0, t.Count)
	if err != nil {
		return "", f.errorf("%v", err)
	}
	if n := len(b); n > 0 && b[n-1] == 0 {
		// Strip the terminating NUL (and padding NULs some writers add).
		for n > 0 && b[n-1] == 0 {
			n--
		}
		b = b[:n]
	}
	return string(b), nil
}

// pixelType maps BitsPerSample and SampleFormat to a pixel type.
func pixelType(bits, format int) pixel.Type {
	switch format {
	case 1, 4: // 4 is "undefined", read as unsigned
		switch bits {
		case 8:
			return pixel.Uint8
		case 16:
			return pixel.Uint16
		case 32:
			return pixel.Uint32
		}
	case 2:
		switch bits {
		case 8:
			return pixel.Int8
		case 16:
			return pixel.Int16
		case 32:
			return pixel.Int32
		}
	case 3:
		switch bits {
		case 32:
			return pixel.Float32
		case 64:
			return pixel.Float64
		}
	}
	return pixel.Invalid
}

// littleEndian is compared against File.order to pick the no-swap path.
var littleEndian binary.ByteOrder = binary.LittleEndian
