package pyramid

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// tileWriter writes a tiled, zstd-compressed BigTIFF whose pages are the
// levels of one plane's pyramid, streaming: tiles are written as their rows
// of tiles (bands) are complete, in any level order, and the IFDs, which
// need every tile's offset, go at the end. Memory holds one band of tiles per
// level and the offset tables, never a level.
//
// core/formats/tiff.Writer writes whole planes (it takes a *pixel.Plane per
// page), which for a 40,000 px plane means gigabytes; hence this writer.
type tileWriter struct {
	f      *os.File
	bw     *bufio.Writer
	pos    int64
	tile   int
	typ    pixel.Type
	levels []*tileLevel
	enc    *zstd.Encoder
}

type tileLevel struct {
	w, h         int
	across, down int
	offsets      []uint64
	counts       []uint64
}

// newTileWriter starts a BigTIFF at f (which must be empty) for levels of the
// given sizes, largest first.
func newTileWriter(f *os.File, typ pixel.Type, tile int, sizes [][2]int) (*tileWriter, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
	if err != nil {
		return nil, err
	}
	w := &tileWriter{f: f, bw: bufio.NewWriterSize(f, 1<<20), tile: tile, typ: typ, enc: enc}
	for _, s := range sizes {
		l := &tileLevel{w: s[0], h: s[1], across: (s[0] + tile - 1) / tile, down: (s[1] + tile - 1) / tile}
		l.offsets = make([]uint64, l.across*l.down)
		l.counts = make([]uint64, l.across*l.down)
		w.levels = append(w.levels, l)
	}
	// Header: "II", 43, offset size 8, 0, first IFD offset (patched by finish).
	hdr := []byte{'I', 'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if err := w.write(hdr); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *tileWriter) write(b []byte) error {
	n, err := w.bw.Write(b)
	w.pos += int64(n)
	if err != nil {
		return fmt.Errorf("writing the pyramid file: %w", err)
	}
	return nil
}

// writeBand compresses and writes the tiles of band `ty` of level l. band
// holds rows ty*tile .. ty*tile+rows-1 of the level (rows <= tile), each
// rowBytes long. Edge tiles are padded with zeros to the full tile size, as
// TIFF requires. Tiles are compressed in parallel.
func (w *tileWriter) writeBand(l, ty int, band []byte, rows int) error {
	lv := w.levels[l]
	bpp := w.typ.Size()
	rowBytes := lv.w * bpp
	tileRow := w.tile * bpp
	out := make([][]byte, lv.across)
	var wg sync.WaitGroup
	next := make(chan int, lv.across)
	for tx := range lv.across {
		next <- tx
	}
	close(next)
	for range min(runtime.GOMAXPROCS(0), lv.across) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			raw := make([]byte, w.tile*tileRow)
			for tx := range next {
				clear(raw)
				x0 := tx * tileRow
				n := min(tileRow, rowBytes-x0)
				for y := 0; y < rows; y++ {
					copy(raw[y*tileRow:][:n], band[y*rowBytes+x0:][:n])
				}
				out[tx] = w.enc.EncodeAll(raw, nil)
			}
		}()
	}
	wg.Wait()
	for tx, b := range out {
		i := ty*lv.across + tx
		lv.offsets[i], lv.counts[i] = uint64(w.pos), uint64(len(b))
		if err := w.write(b); err != nil {
			return err
		}
	}
	return nil
}

// finish writes one IFD per level (desc goes into the first one's
// ImageDescription), links them, and flushes. The caller syncs and closes.
func (w *tileWriter) finish(desc string) error {
	for i, lv := range w.levels {
		for j, c := range lv.counts {
			if c == 0 {
				return fmt.Errorf("pyramid level %d: tile %d was never written", i, j)
			}
		}
	}
	bits, format := uint64(8*w.typ.Size()), uint64(1)
	switch w.typ {
	case pixel.Int8, pixel.Int16, pixel.Int32:
		format = 2
	case pixel.Float32, pixel.Float64:
		format = 3
	}
	var ifdOffsets []int64
	var nextFields []int64
	for i, lv := range w.levels {
		if w.pos%2 != 0 {
			if err := w.write([]byte{0}); err != nil {
				return err
			}
		}
		// Large values (offset arrays, the description) go before the IFD.
		offAt, err := w.writeArray(lv.offsets)
		if err != nil {
			return err
		}
		cntAt, err := w.writeArray(lv.counts)
		if err != nil {
			return err
		}
		var entries []ifdEntry
		add := func(tag, typ uint16, count, value uint64) {
			entries = append(entries, ifdEntry{tag, typ, count, value})
		}
		const short, long, ascii, long8 = 3, 4, 2, 16
		sub := uint64(0)
		if i > 0 {
			sub = 1 // reduced-resolution image
		}
		add(254, long, 1, sub)
		add(256, long, 1, uint64(lv.w))
		add(257, long, 1, uint64(lv.h))
		add(258, short, 1, bits)
		add(259, short, 1, tiff.CompressionZstd)
		add(262, short, 1, 1) // BlackIsZero
		if i == 0 && desc != "" {
			b := append([]byte(desc), 0)
			if len(b) <= 8 {
				var v [8]byte
				copy(v[:], b)
				add(270, ascii, uint64(len(b)), binary.LittleEndian.Uint64(v[:]))
			} else {
				at := w.pos
				if err := w.write(b); err != nil {
					return err
				}
				add(270, ascii, uint64(len(b)), uint64(at))
			}
		}
		add(277, short, 1, 1)
		add(284, short, 1, 1)
		add(322, short, 1, uint64(w.tile))
		add(323, short, 1, uint64(w.tile))
		add(324, long8, uint64(len(lv.offsets)), uint64(offAt))
		add(325, long8, uint64(len(lv.counts)), uint64(cntAt))
		add(339, short, 1, format)
		sort.Slice(entries, func(a, b int) bool { return entries[a].tag < entries[b].tag })
		if w.pos%2 != 0 {
			if err := w.write([]byte{0}); err != nil {
				return err
			}
		}
		ifdOffsets = append(ifdOffsets, w.pos)
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(entries)))
		for _, e := range entries {
			b = binary.LittleEndian.AppendUint16(b, e.tag)
			b = binary.LittleEndian.AppendUint16(b, e.typ)
			b = binary.LittleEndian.AppendUint64(b, e.count)
			b = binary.LittleEndian.AppendUint64(b, e.value)
		}
		nextFields = append(nextFields, w.pos+int64(len(b)))
		b = binary.LittleEndian.AppendUint64(b, 0)
		if err := w.write(b); err != nil {
			return err
		}
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("writing the pyramid file: %w", err)
	}
	// Link the header to the first IFD and each IFD to the next.
	if err := w.patch(8, ifdOffsets[0]); err != nil {
		return err
	}
	for i := 0; i+1 < len(ifdOffsets); i++ {
		if err := w.patch(nextFields[i], ifdOffsets[i+1]); err != nil {
			return err
		}
	}
	return nil
}

type ifdEntry struct {
	tag, typ     uint16
	count, value uint64
}

// writeArray writes a LONG8 array and returns what the IFD entry holds: its
// offset, or, for a single value (which fits in the entry itself, where
// TIFF requires it to be), that value.
func (w *tileWriter) writeArray(v []uint64) (int64, error) {
	if len(v) == 1 {
		return int64(v[0]), nil
	}
	at := w.pos
	b := make([]byte, 0, 8*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	return at, w.write(b)
}

func (w *tileWriter) patch(at, v int64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(v))
	if _, err := w.f.WriteAt(b[:], at); err != nil {
		return fmt.Errorf("writing the pyramid file: %w", err)
	}
	return nil
}

// close releases the encoder.
func (w *tileWriter) close() { w.enc.Close() }
