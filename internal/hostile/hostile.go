// Package hostile writes small files that claim far more than they hold:
// a TIFF of a million by a million pixels, a zstd strip that inflates to
// gigabytes, an OME-TIFF with 2^28 channels, an ImageJ stack of 2^63-1
// images, a PNG header of 16384² RGBA16. Tests of every layer (readers,
// pyramid, importer, CLI) use them to check that Ocular refuses such files
// in bounded memory; the files are generated, never stored.
package hostile

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Entry is one IFD entry of a classic little-endian TIFF: a SHORT or LONG
// tag with its values, or an ASCII tag.
type Entry struct {
	Tag    uint16
	Longs  []uint32 // written as LONG (type 4)
	Shorts []uint16 // written as SHORT (type 3)
	ASCII  string   // written as ASCII (type 2), NUL added
}

// TIFF is a classic little-endian TIFF of one IFD whose strips are given
// raw; StripOffsets and StripByteCounts are filled in from strips (a nil
// strip is sparse: offset 0, count 0).
type TIFF struct {
	Width, Height, RowsPerStrip int
	BitsPerSample               int // default 8
	SamplesPerPixel             int // default 1 (interleaved when more)
	Compression                 int // default 1
	Description                 string
	Strips                      [][]byte
	// Pages repeats the IFD (same strips) this many times (default 1).
	Pages int
	Extra []Entry
}

// Bytes builds the file.
func (t TIFF) Bytes() []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00\x00\x00\x00\x00")
	offs := make([]uint32, len(t.Strips))
	cnts := make([]uint32, len(t.Strips))
	for i, s := range t.Strips {
		if s == nil {
			continue
		}
		offs[i], cnts[i] = uint32(len(b)), uint32(len(s))
		b = append(b, s...)
	}
	bits, comp := t.BitsPerSample, t.Compression
	if bits == 0 {
		bits = 8
	}
	if comp == 0 {
		comp = 1
	}
	entries := []Entry{
		{Tag: 256, Longs: []uint32{uint32(t.Width)}},
		{Tag: 257, Longs: []uint32{uint32(t.Height)}},
		{Tag: 258, Shorts: []uint16{uint16(bits)}},
		{Tag: 259, Shorts: []uint16{uint16(comp)}},
		{Tag: 262, Shorts: []uint16{1}},
		{Tag: 273, Longs: offs},
		{Tag: 277, Shorts: []uint16{uint16(max(1, t.SamplesPerPixel))}},
		{Tag: 278, Longs: []uint32{uint32(t.RowsPerStrip)}},
		{Tag: 279, Longs: cnts},
	}
	if t.Description != "" {
		entries = append(entries, Entry{Tag: 270, ASCII: t.Description})
	}
	entries = append(entries, t.Extra...)
	sortEntries(entries)
	pages := max(1, t.Pages)
	prevNext := 4
	for p := 0; p < pages; p++ {
		// Values that do not fit in an entry go before the IFD.
		vals := make([][]byte, len(entries))
		for i, e := range entries {
			var v []byte
			switch {
			case e.Longs != nil:
				for _, x := range e.Longs {
					v = le.AppendUint32(v, x)
				}
			case e.Shorts != nil:
				for _, x := range e.Shorts {
					v = le.AppendUint16(v, x)
				}
			default:
				v = append([]byte(e.ASCII), 0)
			}
			vals[i] = v
		}
		valAt := make([]uint32, len(entries))
		for i, v := range vals {
			if len(v) > 4 {
				if len(b)%2 == 1 {
					b = append(b, 0)
				}
				valAt[i] = uint32(len(b))
				b = append(b, v...)
			}
		}
		if len(b)%2 == 1 {
			b = append(b, 0)
		}
		le.PutUint32(b[prevNext:], uint32(len(b)))
		b = le.AppendUint16(b, uint16(len(entries)))
		for i, e := range entries {
			typ, count := uint16(4), len(e.Longs)
			switch {
			case e.Shorts != nil:
				typ, count = 3, len(e.Shorts)
			case e.Longs == nil:
				typ, count = 2, len(vals[i])
			}
			b = le.AppendUint16(b, e.Tag)
			b = le.AppendUint16(b, typ)
			b = le.AppendUint32(b, uint32(count))
			if len(vals[i]) > 4 {
				b = le.AppendUint32(b, valAt[i])
			} else {
				var v [4]byte
				copy(v[:], vals[i])
				b = append(b, v[:]...)
			}
		}
		prevNext = len(b)
		b = le.AppendUint32(b, 0)
	}
	return b
}

func sortEntries(es []Entry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].Tag < es[j-1].Tag; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// ZstdZeros is a zstd frame of RLE blocks that decodes to n zero bytes
// (n a multiple of 128 KiB) from 4 bytes per 128 KiB: a 4 GiB strip in
// 128 KiB of file.
func ZstdZeros(n int64) []byte {
	const block = 128 << 10
	b := []byte{0x28, 0xB5, 0x2F, 0xFD}
	b = append(b, 0x00)       // frame header: no checksum, no content size, not single segment
	b = append(b, (17-10)<<3) // window descriptor: 128 KiB
	for left := n; left > 0; left -= block {
		size := min(left, block)
		h := uint32(size)<<3 | 1<<1 // RLE block
		if left <= block {
			h |= 1 // last block
		}
		b = append(b, byte(h), byte(h>>8), byte(h>>16), 0)
	}
	return b
}

// HugeSparseTIFF is a TIFF claiming w×h 8-bit pixels in strips of
// rowsPerStrip rows that are all sparse (no bytes), a few KB of file.
func HugeSparseTIFF(w, h, rowsPerStrip int) []byte {
	n := (h + rowsPerStrip - 1) / rowsPerStrip
	return TIFF{Width: w, Height: h, RowsPerStrip: rowsPerStrip, Strips: make([][]byte, n)}.Bytes()
}

// ZstdBombTIFF is a single-strip 8-bit TIFF of w×h pixels whose zstd
// strip decodes to w*h zero bytes (w*h a multiple of 128 KiB).
func ZstdBombTIFF(w, h int) []byte {
	return TIFF{Width: w, Height: h, RowsPerStrip: h, Compression: 50000, Strips: [][]byte{ZstdZeros(int64(w) * int64(h))}}.Bytes()
}

// OMEChannelsTIFF is a one-page 8-bit OME-TIFF whose OME-XML claims sizeC
// channels (and sizeZ planes) while the file stores one.
func OMEChannelsTIFF(sizeZ, sizeC int) []byte {
	xml := fmt.Sprintf(`<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="4" SizeY="4" SizeZ="%d" SizeC="%d" SizeT="1"><TiffData/></Pixels></Image></OME>`, sizeZ, sizeC)
	return TIFF{Width: 4, Height: 4, RowsPerStrip: 4, Description: xml, Strips: [][]byte{make([]byte, 16)}}.Bytes()
}

// ImageJTIFF is a one-page 8-bit ImageJ TIFF whose description says
// images=images (and slices=images).
func ImageJTIFF(images string) []byte {
	desc := "ImageJ=1.54f\nimages=" + images + "\nslices=" + images + "\nloop=false\n"
	return TIFF{Width: 4, Height: 4, RowsPerStrip: 4, Description: desc, Strips: [][]byte{make([]byte, 16)}}.Bytes()
}

// PNGHeader is a PNG whose IHDR says w×h with the given bit depth and
// colour type (6: RGBA), followed by a tiny IDAT and IEND: the header of a
// huge image without its pixels.
func PNGHeader(w, h int, depth, colorType byte) []byte {
	chunk := func(b []byte, typ string, data []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		c := append([]byte(typ), data...)
		b = append(b, c...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(c))
	}
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, depth, colorType, 0, 0, 0)
	b = chunk(b, "IHDR", ihdr)
	b = chunk(b, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	return chunk(b, "IEND", nil)
}

// Write writes data to name in a new temporary folder of t and returns
// the path.
func Write(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Allocated runs fn and returns the bytes it allocated (TotalAlloc delta;
// other goroutines' allocations count too, so tests leave wide margins).
func Allocated(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}
