package blosc

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Shuffle filters.
const (
	NoShuffle   = 0
	ByteShuffle = 1
	BitShuffle  = 2
)

// Options selects how Compress writes a frame.
type Options struct {
	Codec     string // "lz4" (default), "zlib", "zstd" or "blosclz" (literal-only)
	Shuffle   int    // NoShuffle, ByteShuffle or BitShuffle
	BlockSize int    // 0 picks 64 KiB
	DontSplit bool
	Memcpy    bool // store the data uncompressed (clevel 0)
}

// Compress writes a Blosc 1 frame (format version 2) the way c-blosc lays
// it out, so that tests and writers can produce what zarr-python reads.
// It favours simplicity over ratio.
func Compress(data []byte, typeSize int, o Options) ([]byte, error) {
	if typeSize < 1 || typeSize > maxTypeSize {
		return nil, fmt.Errorf("blosc: type size %d out of range 1..255", typeSize)
	}
	codec := map[string]uint8{"": codecLZ4, "lz4": codecLZ4, "zlib": codecZlib, "zstd": codecZstd, "blosclz": codecBloscLZ}
	code, ok := codec[o.Codec]
	if !ok {
		return nil, fmt.Errorf("blosc: unknown codec %q", o.Codec)
	}
	bs := o.BlockSize
	if bs <= 0 {
		bs = 64 << 10
	}
	if bs > len(data) {
		bs = len(data)
	}
	if bs > typeSize {
		bs = bs / typeSize * typeSize
	}
	flags := code << 5
	switch o.Shuffle {
	case ByteShuffle:
		flags |= flagShuffle
	case BitShuffle:
		flags |= flagBitShuffle
	}
	version := uint8(2)
	if o.Shuffle == BitShuffle {
		version = 3 // leftover elements handled the version-3 way
	}
	if o.DontSplit {
		flags |= flagDontSplit
	}
	hdr := make([]byte, headerSize)
	hdr[0], hdr[1], hdr[3] = version, 1, uint8(typeSize)
	binary.LittleEndian.PutUint32(hdr[4:], uint32(len(data)))
	binary.LittleEndian.PutUint32(hdr[8:], uint32(bs))
	if o.Memcpy || len(data) == 0 {
		hdr[2] = flags | flagMemcpyed
		out := append(hdr, data...)
		binary.LittleEndian.PutUint32(out[12:], uint32(len(out)))
		return out, nil
	}
	hdr[2] = flags
	nblocks := (len(data) + bs - 1) / bs
	out := append(hdr, make([]byte, 4*nblocks)...)
	tmp := make([]byte, bs)
	for j := 0; j < nblocks; j++ {
		blk := data[j*bs : min((j+1)*bs, len(data))]
		leftover := len(blk) < bs
		binary.LittleEndian.PutUint32(out[headerSize+4*j:], uint32(len(out)))
		src := blk
		switch {
		case o.Shuffle == ByteShuffle && typeSize > 1:
			shuffle(typeSize, blk, tmp[:len(blk)])
			src = tmp[:len(blk)]
		case o.Shuffle == BitShuffle:
			bitShuffle(typeSize, blk, tmp[:len(blk)])
			src = tmp[:len(blk)]
		}
		nsplits := 1
		if !o.DontSplit && typeSize <= maxSplits && len(blk)/typeSize >= minBufferSize && !leftover {
			nsplits = typeSize
		}
		ne := len(src) / nsplits
		for s := 0; s < nsplits; s++ {
			part := src[s*ne : (s+1)*ne]
			c, err := compressStream(code, part)
			if err != nil {
				return nil, err
			}
			if len(c) == 0 || len(c) >= len(part) {
				c = part // incompressible: stored as is, marked by cbytes == size
			}
			out = binary.LittleEndian.AppendUint32(out, uint32(len(c)))
			out = append(out, c...)
		}
	}
	binary.LittleEndian.PutUint32(out[12:], uint32(len(out)))
	return out, nil
}

func compressStream(code uint8, part []byte) ([]byte, error) {
	switch code {
	case codecLZ4:
		buf := make([]byte, lz4.CompressBlockBound(len(part)))
		n, err := lz4.CompressBlock(part, buf, nil)
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	case codecZlib:
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		w.Write(part)
		w.Close()
		return b.Bytes(), nil
	case codecZstd:
		enc, err := zstd.NewWriter(nil)
		if err != nil {
			return nil, err
		}
		defer enc.Close()
		return enc.EncodeAll(part, nil), nil
	case codecBloscLZ:
		// Literal runs of at most 32 bytes: valid BloscLZ, no compression.
		var out []byte
		for i := 0; i < len(part); i += 32 {
			n := min(32, len(part)-i)
			out = append(out, byte(n-1))
			out = append(out, part[i:i+n]...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("blosc: cannot compress with codec %d", code)
}
