// Package blosc decompresses Blosc version-1 frames (the "blosc" codec of
// Zarr v2 and of numcodecs) in pure Go, so the OME-Zarr reader needs no cgo.
//
// A frame is a 16-byte header, a table of block offsets, and blocks. Each
// block is compressed by one of the inner codecs (BloscLZ, LZ4, zlib, zstd),
// optionally split into one stream per byte of the element type, and
// optionally byte- or bit-shuffled before compression. Only decompression is
// implemented; Compress exists for tests and writes LZ4 frames.
//
// Every size in the header is checked against the frame length and the
// caller's limit before anything is allocated.
package blosc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Header flag bits (blosc.h).
const (
	flagShuffle    = 0x01
	flagMemcpyed   = 0x02
	flagBitShuffle = 0x04
	flagDontSplit  = 0x10
)

// Compressor codes stored in bits 5-7 of the flags byte.
const (
	codecBloscLZ = 0
	codecLZ4     = 1
	codecSnappy  = 2
	codecZlib    = 3
	codecZstd    = 4
)

const (
	headerSize    = 16
	maxSplits     = 16  // MAX_SPLITS in c-blosc
	minBufferSize = 128 // MIN_BUFFERSIZE in c-blosc
	maxTypeSize   = 255
)

// ErrCorrupt is wrapped by every error about a malformed frame.
var ErrCorrupt = errors.New("corrupt blosc data")

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// Header is the decoded 16-byte frame header.
type Header struct {
	Version, VersionLZ uint8
	Flags              uint8
	TypeSize           int
	NBytes             int // uncompressed size
	BlockSize          int
	CBytes             int // size of the whole frame
}

// Codec names the inner compressor ("blosclz", "lz4", "snappy", "zlib", "zstd").
func (h Header) Codec() string {
	switch h.Flags >> 5 {
	case codecBloscLZ:
		return "blosclz"
	case codecLZ4:
		return "lz4"
	case codecSnappy:
		return "snappy"
	case codecZlib:
		return "zlib"
	case codecZstd:
		return "zstd"
	}
	return fmt.Sprintf("unknown codec %d", h.Flags>>5)
}

// ParseHeader decodes and sanity-checks the frame header of src.
func ParseHeader(src []byte) (Header, error) {
	if len(src) < headerSize {
		return Header{}, corrupt("frame of %d bytes is shorter than the 16-byte header", len(src))
	}
	h := Header{
		Version:   src[0],
		VersionLZ: src[1],
		Flags:     src[2],
		TypeSize:  int(src[3]),
		NBytes:    int(binary.LittleEndian.Uint32(src[4:])),
		BlockSize: int(binary.LittleEndian.Uint32(src[8:])),
		CBytes:    int(binary.LittleEndian.Uint32(src[12:])),
	}
	if h.Version == 0 || h.Version > 4 {
		return h, corrupt("unsupported blosc format version %d (this reader handles Blosc 1 frames, versions 1-4)", h.Version)
	}
	if h.NBytes < 0 || h.BlockSize < 0 || h.CBytes < 0 {
		return h, corrupt("negative size in header")
	}
	if h.CBytes > len(src) {
		return h, corrupt("header says the frame has %d bytes but only %d are present", h.CBytes, len(src))
	}
	if h.CBytes < headerSize {
		return h, corrupt("header says the frame has %d bytes, fewer than its own header", h.CBytes)
	}
	if h.NBytes > 0 && (h.BlockSize <= 0 || h.TypeSize <= 0) {
		return h, corrupt("block size %d or type size %d is zero", h.BlockSize, h.TypeSize)
	}
	return h, nil
}

// Decompress decodes a whole frame. maxSize bounds the output: a frame
// claiming more is rejected before allocation.
func Decompress(src []byte, maxSize int) ([]byte, error) {
	h, err := ParseHeader(src)
	if err != nil {
		return nil, err
	}
	if h.NBytes > maxSize {
		return nil, corrupt("frame would decompress to %d bytes, more than the %d expected", h.NBytes, maxSize)
	}
	dst := make([]byte, h.NBytes)
	if err := decompressInto(h, src[:h.CBytes], dst); err != nil {
		return nil, err
	}
	return dst, nil
}

// DecompressInto decodes a frame into dst, which must be exactly the frame's
// uncompressed size; chunk readers use it to decode straight into a buffer
// whose size they already know.
func DecompressInto(src, dst []byte) error {
	h, err := ParseHeader(src)
	if err != nil {
		return err
	}
	if h.NBytes != len(dst) {
		return corrupt("frame decompresses to %d bytes, expected %d", h.NBytes, len(dst))
	}
	return decompressInto(h, src[:h.CBytes], dst)
}

func decompressInto(h Header, src, dst []byte) error {
	if h.NBytes == 0 {
		return nil
	}
	if h.Flags&flagMemcpyed != 0 {
		if h.CBytes != headerSize+h.NBytes {
			return corrupt("uncompressed frame has %d bytes, expected %d", h.CBytes, headerSize+h.NBytes)
		}
		copy(dst, src[headerSize:])
		return nil
	}
	if h.BlockSize > h.NBytes {
		// c-blosc never writes this, but a smaller buffer than a block is harmless.
		h.BlockSize = h.NBytes
	}
	nblocks := h.NBytes / h.BlockSize
	leftover := h.NBytes % h.BlockSize
	if leftover > 0 {
		nblocks++
	}
	if nblocks > (len(src)-headerSize)/4 {
		return corrupt("%d blocks do not fit in a frame of %d bytes", nblocks, len(src))
	}
	d := decoder{h: h, src: src}
	defer d.close()
	tmp := make([]byte, h.BlockSize)
	for j := 0; j < nblocks; j++ {
		bsize := h.BlockSize
		last := j == nblocks-1 && leftover > 0
		if last {
			bsize = leftover
		}
		start := int(binary.LittleEndian.Uint32(src[headerSize+4*j:]))
		out := dst[j*h.BlockSize : j*h.BlockSize+bsize]
		if err := d.block(start, out, tmp[:bsize], last); err != nil {
			return fmt.Errorf("block %d: %w", j, err)
		}
	}
	return nil
}

type decoder struct {
	h    Header
	src  []byte
	zstd *zstd.Decoder
}

func (d *decoder) close() {
	if d.zstd != nil {
		d.zstd.Close()
	}
}

// block decodes one block starting at src offset start into out.
func (d *decoder) block(start int, out, tmp []byte, leftover bool) error {
	h := d.h
	shuffled := (h.Flags&flagShuffle != 0 && h.TypeSize > 1) || h.Flags&flagBitShuffle != 0
	dst := out
	if shuffled {
		dst = tmp
	}
	nsplits := 1
	if h.Flags&flagDontSplit == 0 && h.TypeSize <= maxSplits && len(out)/h.TypeSize >= minBufferSize && !leftover {
		nsplits = h.TypeSize
	}
	neblock := len(out) / nsplits
	off := start
	for s := 0; s < nsplits; s++ {
		if off < headerSize || off > len(d.src)-4 {
			return corrupt("stream %d starts at byte %d, outside the %d-byte frame", s, off, len(d.src))
		}
		cbytes := int(int32(binary.LittleEndian.Uint32(d.src[off:])))
		off += 4
		if cbytes < 0 || cbytes > len(d.src)-off {
			return corrupt("stream %d claims %d compressed bytes but %d remain", s, cbytes, len(d.src)-off)
		}
		in := d.src[off : off+cbytes]
		part := dst[s*neblock : (s+1)*neblock]
		if cbytes == neblock {
			copy(part, in) // stored uncompressed
		} else if err := d.inner(in, part); err != nil {
			return fmt.Errorf("stream %d (%s): %w", s, h.Codec(), err)
		}
		off += cbytes
	}
	switch {
	case h.Flags&flagShuffle != 0 && h.TypeSize > 1:
		unshuffle(h.TypeSize, tmp, out)
	case h.Flags&flagBitShuffle != 0:
		bitUnshuffle(h.Version, h.TypeSize, tmp, out)
	}
	return nil
}

// inner decompresses one stream with the frame's codec into exactly len(out) bytes.
func (d *decoder) inner(in, out []byte) error {
	switch d.h.Flags >> 5 {
	case codecBloscLZ:
		n, err := blosclzDecompress(in, out)
		if err != nil {
			return err
		}
		if n != len(out) {
			return corrupt("decoded %d bytes, expected %d", n, len(out))
		}
	case codecLZ4:
		n, err := lz4.UncompressBlock(in, out)
		if err != nil {
			return corrupt("lz4: %v", err)
		}
		if n != len(out) {
			return corrupt("lz4 decoded %d bytes, expected %d", n, len(out))
		}
	case codecZlib:
		zr, err := zlib.NewReader(bytes.NewReader(in))
		if err != nil {
			return corrupt("zlib: %v", err)
		}
		defer zr.Close()
		if _, err := io.ReadFull(zr, out); err != nil {
			return corrupt("zlib: %v", err)
		}
	case codecZstd:
		if d.zstd == nil {
			zd, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(d.h.BlockSize)+1<<20))
			if err != nil {
				return err
			}
			d.zstd = zd
		}
		res, err := d.zstd.DecodeAll(in, make([]byte, 0, len(out)))
		if err != nil {
			return corrupt("zstd: %v", err)
		}
		if len(res) != len(out) {
			return corrupt("zstd decoded %d bytes, expected %d", len(res), len(out))
		}
		copy(out, res)
	case codecSnappy:
		return fmt.Errorf("blosc frames compressed with snappy are not supported")
	default:
		return corrupt("unknown inner compressor %d", d.h.Flags>>5)
	}
	return nil
}
