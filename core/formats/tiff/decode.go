package tiff

import (
	"fmt"
	"image"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// geometry describes how an IFD's pixels are cut into chunks (strips or tiles).
type geometry struct {
	w, h         int // image size
	cw, ch       int // chunk size in pixels (strips: full width, RowsPerStrip)
	across, down int // chunks per row and per column
	spp          int // samples per pixel in the image
	chunkSpp     int // samples per pixel inside one chunk (1 when planar)
	size         int // bytes per sample
	planar       bool
	tiled        bool
	offsets      Tag
	counts       Tag
}

// geometry validates the IFD for decoding and returns its chunk layout.
func (f *File) geometry(d *IFD) (*geometry, error) {
	if d.Width <= 0 || d.Height <= 0 {
		return nil, f.errorf("IFD at byte %d has no valid image size (%dx%d)", d.Offset, d.Width, d.Height)
	}
	if d.bitsMixed {
		return nil, f.errorf("IFD at byte %d mixes different BitsPerSample per sample, which is not supported", d.Offset)
	}
	if d.PixelType == pixel.Invalid {
		return nil, f.errorf("IFD at byte %d has %d-bit samples of SampleFormat %d, which is not supported (8, 16, 32-bit integers and 32, 64-bit floats are)", d.Offset, d.BitsPerSample, d.SampleFormat)
	}
	if d.SamplesPerPixel < 1 || d.SamplesPerPixel > 1<<10 {
		return nil, f.errorf("IFD at byte %d has %d samples per pixel", d.Offset, d.SamplesPerPixel)
	}
	switch d.Compression {
	case CompressionNone, CompressionLZW, CompressionDeflate, CompressionAdobeDeflate, CompressionZstd, CompressionPackBits:
	case CompressionJPEG:
		if d.PixelType != pixel.Uint8 {
			return nil, f.errorf("IFD at byte %d is JPEG-compressed with %d-bit samples; only 8-bit JPEG is supported", d.Offset, d.BitsPerSample)
		}
	default:
		return nil, f.errorf("IFD at byte %d uses %s compression, which is not supported", d.Offset, CompressionName(d.Compression))
	}
	if d.Photometric == 6 && d.Compression != CompressionJPEG {
		return nil, f.errorf("IFD at byte %d stores subsampled YCbCr, which is only supported inside JPEG", d.Offset)
	}
	switch d.Predictor {
	case PredictorNone, PredictorHorizontal:
	case PredictorFloat:
		if !d.PixelType.IsFloat() {
			return nil, f.errorf("IFD at byte %d uses the floating-point predictor on integer samples", d.Offset)
		}
	default:
		return nil, f.errorf("IFD at byte %d uses predictor %d, which is not supported", d.Offset, d.Predictor)
	}
	g := &geometry{w: d.Width, h: d.Height, spp: d.SamplesPerPixel, size: d.PixelType.Size(), planar: d.PlanarConfig == 2}
	g.chunkSpp = g.spp
	if g.planar {
		g.chunkSpp = 1
	}
	var ok1, ok2 bool
	if d.TileWidth > 0 || d.TileHeight > 0 {
		g.tiled = true
		g.cw, g.ch = d.TileWidth, d.TileHeight
		if g.cw <= 0 || g.ch <= 0 {
			return nil, f.errorf("IFD at byte %d has an invalid tile size %dx%d", d.Offset, g.cw, g.ch)
		}
		g.offsets, ok1 = d.Tag(TagTileOffsets)
		g.counts, ok2 = d.Tag(TagTileByteCounts)
	} else {
		g.cw, g.ch = d.Width, d.RowsPerStrip
		g.offsets, ok1 = d.Tag(TagStripOffsets)
		g.counts, ok2 = d.Tag(TagStripByteCounts)
	}
	if !ok1 || !ok2 {
		return nil, f.errorf("IFD at byte %d has no strip or tile offsets", d.Offset)
	}
	g.across = (g.w + g.cw - 1) / g.cw
	g.down = (g.h + g.ch - 1) / g.ch
	chunkBytes := int64(g.cw) * int64(g.ch) * int64(g.chunkSpp) * int64(g.size)
	if chunkBytes > pixel.MaxPlaneBytes || chunkBytes <= 0 {
		return nil, f.errorf("IFD at byte %d has strips or tiles of %dx%d pixels, too large to decode", d.Offset, g.cw, g.ch)
	}
	n := uint64(g.across) * uint64(g.down)
	if g.planar {
		n *= uint64(g.spp)
	}
	if g.offsets.Count < n || g.counts.Count < n {
		return nil, f.errorf("TIFF is corrupt: IFD at byte %d needs %d strip or tile offsets but has %d", d.Offset, n, min(g.offsets.Count, g.counts.Count))
	}
	return g, nil
}

// ReadPlane decodes sample `sample` (0 for grey; 0, 1, 2 for R, G, B) of the
// whole IFD into a little-endian plane.
func (f *File) ReadPlane(d *IFD, sample int) (*pixel.Plane, error) {
	return f.ReadRegion(d, sample, image.Rect(0, 0, d.Width, d.Height))
}

// ReadRegion decodes rectangle r of one sample of the IFD, reading only the
// strips or tiles that intersect r.
func (f *File) ReadRegion(d *IFD, sample int, r image.Rectangle) (*pixel.Plane, error) {
	g, err := f.geometry(d)
	if err != nil {
		return nil, err
	}
	if sample < 0 || sample >= g.spp {
		return nil, f.errorf("sample %d does not exist: the IFD at byte %d has %d samples per pixel", sample, d.Offset, g.spp)
	}
	if r.Empty() || !r.In(image.Rect(0, 0, g.w, g.h)) {
		return nil, f.errorf("region %v is outside the %dx%d image", r, g.w, g.h)
	}
	out, err := pixel.NewPlane(d.PixelType, r.Dx(), r.Dy())
	if err != nil {
		return nil, f.errorf("%v", err)
	}
	if err := f.decodeRegion(d, g, sample, r, out, true); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadRegionInto is ReadRegion into out, a plane of the IFD's pixel type
// and r's size that the caller owns (its contents are replaced), so that a
// caller streaming many planes reuses one buffer instead of allocating and
// clearing a new plane each time.
func (f *File) ReadRegionInto(d *IFD, sample int, r image.Rectangle, out *pixel.Plane) error {
	g, err := f.geometry(d)
	if err != nil {
		return err
	}
	if sample < 0 || sample >= g.spp {
		return f.errorf("sample %d does not exist: the IFD at byte %d has %d samples per pixel", sample, d.Offset, g.spp)
	}
	if r.Empty() || !r.In(image.Rect(0, 0, g.w, g.h)) {
		return f.errorf("region %v is outside the %dx%d image", r, g.w, g.h)
	}
	if out == nil || out.Type != d.PixelType || out.Width != r.Dx() || out.Height != r.Dy() || len(out.Data) != r.Dx()*r.Dy()*d.PixelType.Size() {
		return f.errorf("the plane to read into does not match the %dx%d %s region", r.Dx(), r.Dy(), d.PixelType)
	}
	return f.decodeRegion(d, g, sample, r, out, false)
}

// decodeRegion decodes region r of one sample into out (r's size), which
// is zeroed already when zeroed is true.
func (f *File) decodeRegion(d *IFD, g *geometry, sample int, r image.Rectangle, out *pixel.Plane, zeroed bool) (err error) {
	if d.Compression == CompressionNone && d.Predictor == PredictorNone && g.chunkSpp == 1 && !g.tiled && r.Dx() == g.w {
		// Every row of out is written, sparse strips included.
		return f.readStripsDirect(d, g, sample, r, out)
	}
	if !zeroed {
		// The other decoders leave sparse strips and tiles (offset and
		// count 0) untouched: they read as zeros, as in a new plane.
		clear(out.Data)
	}
	if d.Compression == CompressionNone && d.Predictor == PredictorNone && !g.tiled {
		err = f.readStripRows(g, sample, r, out)
	} else {
		err = f.readChunks(d, g, sample, r, out)
	}
	return err
}

// chunkRef locates one strip or tile in the file.
type chunkRef struct {
	index      int
	off, count int64
}

// chunkRefs reads the offsets and byte counts of chunks [first, first+n).
// Only these entries are read, so a region of a huge tiled image does not
// load the whole TileOffsets array.
func (f *File) chunkRefs(g *geometry, first, n int) ([]chunkRef, error) {
	offs, err := g.offsets.intsAt(uint64(first), uint64(n))
	if err != nil {
		return nil, f.errorf("TIFF is corrupt: %v", err)
	}
	cnts, err := g.counts.intsAt(uint64(first), uint64(n))
	if err != nil {
		return nil, f.errorf("TIFF is corrupt: %v", err)
	}
	refs := make([]chunkRef, n)
	for i := range refs {
		o, c := offs[i], cnts[i]
		if c < 0 || o < 0 || o > f.size || c > f.size-o {
			return nil, f.errorf("TIFF is truncated: strip or tile %d ends at byte %d but the file has %d bytes", first+i, o+c, f.size)
		}
		refs[i] = chunkRef{index: first + i, off: o, count: c}
	}
	return refs, nil
}

// readStripsDirect is the fast path for uncompressed full-width strips of
// one sample: rows are read straight into the output, contiguous strips are
// merged into one ReadAt, and big-endian data is swapped in bulk afterwards.
func (f *File) readStripsDirect(d *IFD, g *geometry, sample int, r image.Rectangle, out *pixel.Plane) error {
	rowBytes := int64(g.w) * int64(g.size)
	s0, s1 := r.Min.Y/g.ch, (r.Max.Y-1)/g.ch
	base := 0
	if g.planar {
		base = sample * g.down
	}
	refs, err := f.chunkRefs(g, base+s0, s1-s0+1)
	if err != nil {
		return err
	}
	var runOff, runDst, runLen int64 = -1, 0, 0
	flush := func() error {
		if runLen == 0 {
			return nil
		}
		err := f.readAt(out.Data[runDst:runDst+runLen], runOff, "strip data")
		runLen = 0
		return err
	}
	for i, ref := range refs {
		sy := (s0 + i) * g.ch
		y0, y1 := max(sy, r.Min.Y), min(sy+g.ch, r.Max.Y)
		need := int64(min(sy+g.ch, g.h)-sy) * rowBytes
		if ref.count < need && !(ref.count == 0 && ref.off == 0) {
			return f.errorf("TIFF is corrupt: strip %d holds %d bytes but %d rows of %d bytes need %d", ref.index, ref.count, min(sy+g.ch, g.h)-sy, rowBytes, need)
		}
		dst := int64(y0-r.Min.Y) * rowBytes
		n := int64(y1-y0) * rowBytes
		if ref.count == 0 {
			clear(out.Data[dst : dst+n]) // a sparse strip reads as zeros (out may be a reused buffer)
			continue
		}
		src := ref.off + int64(y0-sy)*rowBytes
		if runLen > 0 && runOff+runLen == src && runDst+runLen == dst {
			runLen += n
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		runOff, runDst, runLen = src, dst, n
	}
	if err := flush(); err != nil {
		return err
	}
	if g.size > 1 && f.order != littleEndian {
		swapToLE(out.Data, g.size)
	}
	return nil
}

// readStripRows reads the wanted pixels of uncompressed strips row by row
// (interleaved samples, or a part of the width): only the bytes of r are
// read, never a whole strip, which for a single-strip RGB image would be
// the whole plane.
func (f *File) readStripRows(g *geometry, sample int, r image.Rectangle, out *pixel.Plane) error {
	pixBytes := g.chunkSpp * g.size
	rowBytes := int64(g.w) * int64(pixBytes)
	s0, s1 := r.Min.Y/g.ch, (r.Max.Y-1)/g.ch
	base, chunkSample := 0, sample
	if g.planar {
		base, chunkSample = sample*g.down, 0
	}
	refs, err := f.chunkRefs(g, base+s0, s1-s0+1)
	if err != nil {
		return err
	}
	row := make([]byte, r.Dx()*pixBytes)
	outRow := r.Dx() * g.size
	for i, ref := range refs {
		sy := (s0 + i) * g.ch
		rows := min(sy+g.ch, g.h) - sy
		if ref.count == 0 {
			continue // a sparse strip reads as zeros
		}
		if ref.count < int64(rows)*rowBytes {
			return f.errorf("TIFF is corrupt: strip %d holds %d bytes but %d rows of %d bytes need %d", ref.index, ref.count, rows, rowBytes, int64(rows)*rowBytes)
		}
		for y := max(sy, r.Min.Y); y < min(sy+rows, r.Max.Y); y++ {
			off := ref.off + int64(y-sy)*rowBytes + int64(r.Min.X)*int64(pixBytes)
			if err := f.readAt(row, off, "strip data"); err != nil {
				return err
			}
			dst := out.Data[(y-r.Min.Y)*outRow:][:outRow]
			if pixBytes == g.size {
				copy(dst, row)
				continue
			}
			for x := 0; x < r.Dx(); x++ {
				copy(dst[x*g.size:(x+1)*g.size], row[x*pixBytes+chunkSample*g.size:])
			}
		}
	}
	if g.size > 1 && f.order != littleEndian {
		swapToLE(out.Data, g.size)
	}
	return nil
}

// maxExpansion bounds how many bytes one compressed byte may decode to, so a
// chunk claiming a huge size from a few bytes is refused before allocating.
func maxExpansion(compression int, count int64) int64 {
	switch compression {
	case CompressionNone:
		return count
	case CompressionPackBits:
		return 64*count + 128
	case CompressionLZW:
		return 4096*count + 4096
	case CompressionDeflate, CompressionAdobeDeflate:
		return 1040*count + 4096
	case CompressionZstd:
		// A zstd block decodes to at most 128 KiB and takes at least 4 bytes.
		return 32768*count + 1<<17
	case CompressionJPEG:
		// Every 8x8 block of every component costs at least one bit.
		return 1<<14*count + 1<<20
	}
	return pixel.MaxPlaneBytes
}

// readChunks is the general path: each intersecting chunk is read,
// decompressed, un-predicted and converted, then the wanted part copied out.
func (f *File) readChunks(d *IFD, g *geometry, sample int, r image.Rectangle, out *pixel.Plane) error {
	cx0, cx1 := r.Min.X/g.cw, (r.Max.X-1)/g.cw
	cy0, cy1 := r.Min.Y/g.ch, (r.Max.Y-1)/g.ch
	base, chunkSample := 0, sample
	if g.planar {
		base, chunkSample = sample*g.across*g.down, 0
	}
	var jpegTables []byte
	if d.Compression == CompressionJPEG {
		if t, ok := d.Tag(TagJPEGTables); ok {
			jpegTables = t.Bytes()
		}
	}
	chunkRowBytes := g.cw * g.chunkSpp * g.size
	if full := int64(chunkRowBytes) * int64(g.ch); full > formats.MaxChunkBytes {
		return formats.TooLarge("%s: the image is stored in strips or tiles of %dx%d pixels that decode to %d MiB each, more than the %d MiB Ocular decodes at once; save it again with smaller strips or tiles (e.g. tiled 512x512) and import that",
			f.displayName(), g.cw, g.ch, full>>20, formats.MaxChunkBytes>>20)
	}
	var raw, buf, tmp []byte
	for cy := cy0; cy <= cy1; cy++ {
		refs, err := f.chunkRefs(g, base+cy*g.across+cx0, cx1-cx0+1)
		if err != nil {
			return err
		}
		rows := g.ch
		if !g.tiled {
			// The last strip holds only the remaining rows.
			rows = min(g.ch, g.h-cy*g.ch)
		}
		expected := chunkRowBytes * rows
		// Some writers pad the last strip to a full RowsPerStrip; anything
		// beyond a full strip or tile is an error.
		slack := int64(chunkRowBytes) * int64(g.ch-rows)
		for i, ref := range refs {
			cx := cx0 + i
			if ref.count == 0 {
				continue // a sparse chunk reads as zeros, which out already holds
			}
			// A chunk only partly inside r is kept decoded for the next read
			// (the next band of rows), so it is decompressed once.
			partial := !image.Rect(cx*g.cw, cy*g.ch, cx*g.cw+g.cw, cy*g.ch+rows).In(r)
			if partial {
				if data := f.last.get(d.Offset, ref.index); data != nil {
					copyOut(g, data, cx*g.cw, cy*g.ch, rows, chunkSample, r, out)
					continue
				}
			}
			if int64(expected) > maxExpansion(d.Compression, ref.count) {
				return f.errorf("TIFF is corrupt: strip or tile %d holds %d bytes of %s data, too few for %d decoded bytes", ref.index, ref.count, CompressionName(d.Compression), expected)
			}
			if partial || cap(buf) < expected {
				buf = make([]byte, expected)
			}
			buf = buf[:expected]
			// Compressed data is never usefully much larger than the decoded
			// chunk, so a huge byte count is read only in part.
			n := min(ref.count, 2*int64(expected)+1<<20)
			if int64(cap(raw)) < n {
				raw = make([]byte, n)
			}
			raw = raw[:n]
			if err := f.readAt(raw, ref.off, fmt.Sprintf("strip or tile %d", ref.index)); err != nil {
				return err
			}
			if err := f.decodeChunk(d, g, raw, jpegTables, buf, rows, slack, &tmp); err != nil {
				return f.errorf("strip or tile %d of IFD at byte %d: %v", ref.index, d.Offset, err)
			}
			copyOut(g, buf, cx*g.cw, cy*g.ch, rows, chunkSample, r, out)
			if partial {
				f.last.put(d.Offset, ref.index, buf)
				buf = nil // kept: the next chunk decodes into a new buffer
			}
		}
	}
	return nil
}

// decodeChunk turns the stored bytes of one chunk into little-endian samples.
func (f *File) decodeChunk(d *IFD, g *geometry, raw, tables, buf []byte, rows int, slack int64, tmp *[]byte) error {
	if d.Compression == CompressionJPEG {
		return decodeJPEG(raw, tables, g.cw, rows, g.chunkSpp, buf)
	}
	if err := decompress(d.Compression, raw, buf, slack); err != nil {
		return err
	}
	rowLen := g.cw * g.chunkSpp
	switch d.Predictor {
	case PredictorFloat:
		if cap(*tmp) < rowLen*g.size {
			*tmp = make([]byte, rowLen*g.size)
		}
		undoFloat(buf, (*tmp)[:rowLen*g.size], g.size, rowLen, g.chunkSpp, rows)
		return nil
	}
	if g.size > 1 && f.order != littleEndian {
		swapToLE(buf, g.size)
	}
	if d.Predictor == PredictorHorizontal {
		undoHorizontal(buf, g.size, rowLen, g.chunkSpp, rows)
	}
	return nil
}

// copyOut copies sample s of the part of a decoded chunk (at x0, y0, with
// the given rows) that lies inside r into out.
func copyOut(g *geometry, buf []byte, x0, y0, rows, s int, r image.Rectangle, out *pixel.Plane) {
	ir := image.Rect(x0, y0, x0+g.cw, y0+rows).Intersect(r)
	if ir.Empty() {
		return
	}
	sz := g.size
	pixBytes := g.chunkSpp * sz
	chunkRow := g.cw * pixBytes
	outRow := out.Width * sz
	n := ir.Dx()
	for y := ir.Min.Y; y < ir.Max.Y; y++ {
		src := buf[(y-y0)*chunkRow+(ir.Min.X-x0)*pixBytes:]
		dst := out.Data[(y-r.Min.Y)*outRow+(ir.Min.X-r.Min.X)*sz:]
		if g.chunkSpp == 1 {
			copy(dst[:n*sz], src[:n*sz])
			continue
		}
		src = src[s*sz:]
		switch sz {
		case 1:
			for i := 0; i < n; i++ {
				dst[i] = src[i*pixBytes]
			}
		default:
			for i := 0; i < n; i++ {
				copy(dst[i*sz:i*sz+sz], src[i*pixBytes:])
			}
		}
	}
}
