package tiff

import (
	"fmt"
	"sort"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/ocular-lab/ocular/core/pixel"
)

// sampleFormat is the TIFF SampleFormat of a pixel type.
func sampleFormat(t pixel.Type) int {
	switch t {
	case pixel.Int8, pixel.Int16, pixel.Int32:
		return 2
	case pixel.Float32, pixel.Float64:
		return 3
	}
	return 1
}

// writePage writes the pixel data then the IFD of one page and returns the
// IFD's offset. Its next-IFD field is left 0 and remembered in w.lastNext.
func (w *Writer) writePage(samples []*pixel.Plane, planar bool, desc string, subfileType int, subIFDs []int64) (int64, error) {
	if len(samples) == 0 || len(samples) > 1<<10 {
		return 0, fmt.Errorf("writing TIFF: a page needs 1 to 1024 samples, not %d", len(samples))
	}
	p0 := samples[0]
	for i, p := range samples {
		if p == nil || p.Type.Size() == 0 || p.Width <= 0 || p.Height <= 0 {
			return 0, fmt.Errorf("writing TIFF: sample %d is not a valid plane", i)
		}
		if p.Type != p0.Type || p.Width != p0.Width || p.Height != p0.Height {
			return 0, fmt.Errorf("writing TIFF: sample %d is %dx%d %s but sample 0 is %dx%d %s", i, p.Width, p.Height, p.Type, p0.Width, p0.Height, p0.Type)
		}
		if len(p.Data) != p.Width*p.Height*p.Type.Size() {
			return 0, fmt.Errorf("writing TIFF: sample %d holds %d bytes, not %d", i, len(p.Data), p.Width*p.Height*p.Type.Size())
		}
	}
	if w.opts.Predictor == PredictorFloat && !p0.Type.IsFloat() {
		return 0, fmt.Errorf("writing TIFF: the floating-point predictor needs float samples, not %s", p0.Type)
	}
	spp, size := len(samples), p0.Type.Size()
	if spp == 1 {
		planar = false
	}
	chunkSpp := spp
	if planar {
		chunkSpp = 1
	}
	g := geometry{w: p0.Width, h: p0.Height, spp: spp, chunkSpp: chunkSpp, size: size, planar: planar}
	if ts := w.opts.TileSize; ts > 0 {
		g.tiled, g.cw, g.ch = true, ts, ts
	} else {
		g.cw = g.w
		g.ch = max(1, rowsPerStripBytes/(g.w*chunkSpp*size))
		g.ch = min(g.ch, g.h)
	}
	g.across, g.down = (g.w+g.cw-1)/g.cw, (g.h+g.ch-1)/g.ch
	planes := 1
	if planar {
		planes = spp
	}
	n := g.across * g.down * planes
	offsets, counts := make([]int64, 0, n), make([]int64, 0, n)
	for p := 0; p < planes; p++ {
		for cy := 0; cy < g.down; cy++ {
			for cx := 0; cx < g.across; cx++ {
				data, err := w.encodeChunk(&g, samples, p, cx, cy, p0.Type)
				if err != nil {
					return 0, err
				}
				offsets = append(offsets, w.pos)
				counts = append(counts, int64(len(data)))
				if err := w.write(data); err != nil {
					return 0, err
				}
			}
		}
	}
	return w.writeIFDEntries(&g, p0.Type, desc, subfileType, subIFDs, offsets, counts)
}

// encodeChunk gathers, predicts, byte-orders and compresses one chunk.
func (w *Writer) encodeChunk(g *geometry, samples []*pixel.Plane, plane, cx, cy int, t pixel.Type) ([]byte, error) {
	rows := g.ch
	if !g.tiled {
		rows = min(g.ch, g.h-cy*g.ch)
	}
	rowBytes := g.cw * g.chunkSpp * g.size
	need := rowBytes * rows
	if cap(w.chunk) < need {
		w.chunk = make([]byte, need)
	}
	buf := w.chunk[:need]
	clear(buf) // tile padding beyond the image edge is zeros
	x0, y0 := cx*g.cw, cy*g.ch
	nx := min(g.cw, g.w-x0)
	for y := 0; y < rows && y0+y < g.h; y++ {
		if g.chunkSpp == 1 {
			src := samples[plane].Data[((y0+y)*g.w+x0)*g.size:]
			copy(buf[y*rowBytes:y*rowBytes+nx*g.size], src[:nx*g.size])
			continue
		}
		for s, sp := range samples {
			src := sp.Data[((y0+y)*g.w+x0)*g.size:]
			dst := buf[y*rowBytes+s*g.size:]
			for x := 0; x < nx; x++ {
				copy(dst[x*g.chunkSpp*g.size:x*g.chunkSpp*g.size+g.size], src[x*g.size:])
			}
		}
	}
	rowLen := g.cw * g.chunkSpp
	switch w.opts.Predictor {
	case PredictorHorizontal:
		applyHorizontal(buf, g.size, rowLen, g.chunkSpp, rows)
	case PredictorFloat:
		if cap(w.tmp) < rowBytes {
			w.tmp = make([]byte, rowBytes)
		}
		applyFloat(buf, w.tmp[:rowBytes], g.size, rowLen, g.chunkSpp, rows)
	}
	if w.opts.Predictor != PredictorFloat && g.size > 1 && w.order != littleEndian {
		swapToLE(buf, g.size)
	}
	return w.compress(buf, rowBytes)
}

// compress returns the chunk compressed with the writer's scheme.
func (w *Writer) compress(buf []byte, rowBytes int) ([]byte, error) {
	out := w.comp[:0]
	switch w.opts.Compression {
	case CompressionNone:
		return buf, nil
	case CompressionDeflate, CompressionAdobeDeflate:
		b := bytesWriter{out}
		if w.zw == nil {
			w.zw = zlib.NewWriter(&b)
		} else {
			w.zw.Reset(&b)
		}
		if _, err := w.zw.Write(buf); err != nil {
			return nil, err
		}
		if err := w.zw.Close(); err != nil {
			return nil, err
		}
		out = b.b
	case CompressionZstd:
		if w.zenc == nil {
			var err error
			w.zenc, err = zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
			if err != nil {
				return nil, err
			}
		}
		out = w.zenc.EncodeAll(buf, out)
	case CompressionLZW:
		if w.lzw == nil {
			w.lzw = new(lzwEncoder)
		}
		out = lzwCompress(w.lzw, out, buf)
	case CompressionPackBits:
		for i := 0; i < len(buf); i += rowBytes {
			out = packBits(out, buf[i:i+rowBytes])
		}
	}
	w.comp = out
	return out, nil
}

// bytesWriter appends to a slice, so the compression buffer is reused.
type bytesWriter struct{ b []byte }

func (b *bytesWriter) Write(p []byte) (int, error) {
	b.b = append(b.b, p...)
	return len(p), nil
}

// entry is one IFD entry being written.
type entry struct {
	code, typ uint16
	count     uint64
	data      []byte
}

func (w *Writer) shorts(code uint16, v ...int) entry {
	var b []byte
	for _, x := range v {
		b = w.order.AppendUint16(b, uint16(x))
	}
	return entry{code, TypeShort, uint64(len(v)), b}
}

func (w *Writer) long(code uint16, v int) entry {
	return entry{code, TypeLong, 1, w.order.AppendUint32(nil, uint32(v))}
}

// offsets writes file offsets or byte counts as LONG, or LONG8 in a BigTIFF.
func (w *Writer) offsets(code uint16, v []int64) entry {
	var b []byte
	if w.opts.BigTIFF {
		for _, x := range v {
			b = w.order.AppendUint64(b, uint64(x))
		}
		return entry{code, TypeLong8, uint64(len(v)), b}
	}
	for _, x := range v {
		b = w.order.AppendUint32(b, uint32(x))
	}
	return entry{code, TypeLong, uint64(len(v)), b}
}

func ascii(code uint16, s string) entry {
	b := append([]byte(s), 0)
	return entry{code, TypeASCII, uint64(len(b)), b}
}

func (w *Writer) writeIFDEntries(g *geometry, t pixel.Type, desc string, subfileType int, subIFDs, offsets, counts []int64) (int64, error) {
	spp := g.spp
	bits := make([]int, spp)
	formats := make([]int, spp)
	for i := range bits {
		bits[i], formats[i] = t.Size()*8, sampleFormat(t)
	}
	photometric := 1
	if spp >= 3 && (t == pixel.Uint8 || t == pixel.Uint16) {
		photometric = 2
	}
	planar := 1
	if g.planar {
		planar = 2
	}
	es := []entry{
		w.long(TagNewSubfileType, subfileType),
		w.long(TagImageWidth, g.w),
		w.long(TagImageLength, g.h),
		w.shorts(TagBitsPerSample, bits...),
		w.shorts(TagCompression, w.opts.Compression),
		w.shorts(TagPhotometric, photometric),
		w.shorts(TagSamplesPerPixel, spp),
		w.shorts(TagPlanarConfiguration, planar),
		ascii(TagSoftware, w.opts.Software),
		w.shorts(TagSampleFormat, formats...),
	}
	if desc != "" {
		es = append(es, ascii(TagImageDescription, desc))
	}
	if g.tiled {
		es = append(es, w.long(TagTileWidth, g.cw), w.long(TagTileLength, g.ch),
			w.offsets(TagTileOffsets, offsets), w.offsets(TagTileByteCounts, counts))
	} else {
		es = append(es, w.long(TagRowsPerStrip, g.ch),
			w.offsets(TagStripOffsets, offsets), w.offsets(TagStripByteCounts, counts))
	}
	if w.opts.Predictor != PredictorNone {
		es = append(es, w.shorts(TagPredictor, w.opts.Predictor))
	}
	if extra := spp - map[int]int{1: 1, 2: 3}[photometric]; extra > 0 {
		es = append(es, w.shorts(TagExtraSamples, make([]int, extra)...))
	}
	if len(subIFDs) > 0 {
		e := w.offsets(TagSubIFDs, subIFDs)
		if w.opts.BigTIFF {
			e.typ = TypeIFD8
		}
		es = append(es, e)
	}
	sort.Slice(es, func(i, j int) bool { return es[i].code < es[j].code })

	if err := w.align(); err != nil {
		return 0, err
	}
	countSize, entrySize, ptrSize := 2, 12, 4
	if w.opts.BigTIFF {
		countSize, entrySize, ptrSize = 8, 20, 8
	}
	ifdOff := w.pos
	dataOff := ifdOff + int64(countSize+len(es)*entrySize+ptrSize)
	var head, tail []byte
	if w.opts.BigTIFF {
		head = w.order.AppendUint64(head, uint64(len(es)))
	} else {
		head = w.order.AppendUint16(head, uint16(len(es)))
	}
	for _, e := range es {
		head = w.order.AppendUint16(head, e.code)
		head = w.order.AppendUint16(head, e.typ)
		if w.opts.BigTIFF {
			head = w.order.AppendUint64(head, e.count)
		} else {
			head = w.order.AppendUint32(head, uint32(e.count))
		}
		if len(e.data) <= ptrSize {
			v := make([]byte, ptrSize)
			copy(v, e.data)
			head = append(head, v...)
			continue
		}
		at := dataOff + int64(len(tail))
		if w.opts.BigTIFF {
			head = w.order.AppendUint64(head, uint64(at))
		} else {
			head = w.order.AppendUint32(head, uint32(at))
		}
		tail = append(tail, e.data...)
		if len(tail)%2 != 0 {
			tail = append(tail, 0)
		}
	}
	w.lastNext = w.pos + int64(len(head))
	head = append(head, make([]byte, ptrSize)...)
	if err := w.write(head); err != nil {
		return 0, err
	}
	if err := w.write(tail); err != nil {
		return 0, err
	}
	return ifdOff, nil
}
