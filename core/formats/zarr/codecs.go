package zarr

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"

	"github.com/ocular-lab/ocular/core/formats/zarr/blosc"
	"github.com/ocular-lab/ocular/core/pixel"
)

// stage is one decoding step of a chunk: it wraps the stream of encoded
// bytes in a stream of decoded ones. size is the decoded size the whole
// chunk must have; a stage never buffers more than it allows, so a small
// file cannot make a read allocate without bound.
type stage func(r io.Reader, size int) (io.Reader, error)

// maxEncodedOverhead bounds how much larger than the decoded chunk an
// encoded one may be (block tables, checksums, incompressible data), for
// the codecs that must hold their whole input.
func maxEncodedOverhead(size int) int { return size/8 + 64<<10 }

// compressorV2 builds the decoding stages of a Zarr v2 "compressor" object.
func compressorV2(raw json.RawMessage, typeSize int) ([]stage, error) {
	if s := strings.TrimSpace(string(raw)); s == "" || s == "null" {
		return nil, nil
	}
	var c struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("compressor %s is not an object", raw)
	}
	st, err := codecByName(c.ID)
	if err != nil {
		return nil, err
	}
	return []stage{st}, nil
}

func codecByName(id string) (stage, error) {
	switch id {
	case "blosc":
		return wholeInput("blosc", func(raw []byte, size int) ([]byte, error) { return blosc.Decompress(raw, size) }), nil
	case "zstd":
		return unzstd, nil
	case "gzip":
		return func(r io.Reader, size int) (io.Reader, error) {
			zr, err := gzip.NewReader(r)
			if err != nil {
				return nil, fmt.Errorf("gzip: %v", err)
			}
			return named{zr, "gzip"}, nil
		}, nil
	case "zlib":
		return func(r io.Reader, size int) (io.Reader, error) {
			zr, err := zlib.NewReader(r)
			if err != nil {
				return nil, fmt.Errorf("zlib: %v", err)
			}
			return named{zr, "zlib"}, nil
		}, nil
	case "lz4":
		// numcodecs LZ4: a little-endian uint32 size, then an LZ4 block.
		return wholeInput("lz4", func(raw []byte, size int) ([]byte, error) {
			if len(raw) < 4 {
				return nil, fmt.Errorf("chunk is truncated")
			}
			n := int(binary.LittleEndian.Uint32(raw))
			if n != size {
				return nil, fmt.Errorf("chunk holds %d bytes, expected %d", n, size)
			}
			out := make([]byte, n)
			m, err := lz4.UncompressBlock(raw[4:], out)
			if err != nil || m != n {
				return nil, fmt.Errorf("chunk is corrupt")
			}
			return out, nil
		}), nil
	}
	return nil, fmt.Errorf("compressor %q is not supported (supported: blosc, zstd, gzip, zlib, lz4, none)", id)
}

// named prefixes a decompressor's errors with the codec's name.
type named struct {
	r    io.Reader
	name string
}

func (n named) Read(b []byte) (int, error) {
	k, err := n.r.Read(b)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %v", n.name, err)
	}
	return k, err
}

// wholeInput adapts a codec that needs its whole input at once (a block
// format): the input is read up to the size an encoding of size bytes can
// have, and the codec must produce exactly size bytes.
func wholeInput(name string, decode func(raw []byte, size int) ([]byte, error)) stage {
	return func(r io.Reader, size int) (io.Reader, error) {
		limit := size + maxEncodedOverhead(size)
		raw, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
		if err != nil {
			return nil, err
		}
		if len(raw) > limit {
			return nil, fmt.Errorf("%s: encoded chunk is larger than its %d decoded bytes could need", name, size)
		}
		out, err := decode(raw, size)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		return bytes.NewReader(out), nil
	}
}

// unzstd streams a zstd frame; its window is bounded so that a frame
// header cannot make the decoder allocate more than a chunk needs.
func unzstd(r io.Reader, size int) (io.Reader, error) {
	d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(uint64(max(size, 1<<20))), zstd.WithDecoderMaxMemory(uint64(size)+1<<20))
	if err != nil {
		return nil, fmt.Errorf("zstd: %v", err)
	}
	return &zstdStream{d}, nil
}

// zstdStream releases the decoder's goroutine-free state at the end.
type zstdStream struct{ d *zstd.Decoder }

func (z *zstdStream) Read(b []byte) (int, error) {
	n, err := z.d.Read(b)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("zstd: %v", err)
	}
	return n, err
}

func (z *zstdStream) Close() error { z.d.Close(); return nil }

// dropTail passes a stream through without its last n bytes (the crc32c
// codec's checksum), holding back only those bytes.
type dropTail struct {
	r          io.Reader
	n          int
	buf        []byte
	start, end int
	err        error
}

func (d *dropTail) Read(b []byte) (int, error) {
	if d.buf == nil {
		d.buf = make([]byte, 32<<10)
	}
	for d.end-d.start <= d.n && d.err == nil {
		copy(d.buf, d.buf[d.start:d.end])
		d.end -= d.start
		d.start = 0
		k, err := d.r.Read(d.buf[d.end:])
		d.end += k
		d.err = err
	}
	avail := d.end - d.start - d.n
	if avail <= 0 {
		if d.err == io.EOF && d.end-d.start < d.n {
			return 0, fmt.Errorf("crc32c: chunk is truncated")
		}
		return 0, d.err
	}
	k := copy(b, d.buf[d.start:d.start+avail])
	d.start += k
	return k, nil
}

type zarrJSON struct {
	ZarrFormat int             `json:"zarr_format"`
	NodeType   string          `json:"node_type"`
	Shape      []int64         `json:"shape"`
	DataType   json.RawMessage `json:"data_type"`
	ChunkGrid  struct {
		Name          string `json:"name"`
		Configuration struct {
			ChunkShape []int64 `json:"chunk_shape"`
		} `json:"configuration"`
	} `json:"chunk_grid"`
	ChunkKeyEncoding struct {
		Name          string `json:"name"`
		Configuration struct {
			Separator string `json:"separator"`
		} `json:"configuration"`
	} `json:"chunk_key_encoding"`
	FillValue      json.RawMessage `json:"fill_value"`
	Codecs         []codecV3       `json:"codecs"`
	DimensionNames []*string       `json:"dimension_names"`
	Attributes     json.RawMessage `json:"attributes"`
}

type codecV3 struct {
	Name          string          `json:"name"`
	Configuration json.RawMessage `json:"configuration"`
}

// ParseArrayV3 parses the zarr.json of a Zarr v3 array.
func ParseArrayV3(b []byte) (*Array, error) {
	var z zarrJSON
	if err := json.Unmarshal(b, &z); err != nil {
		return nil, fmt.Errorf("invalid zarr.json: %v", err)
	}
	if z.ZarrFormat != 3 || z.NodeType != "array" {
		return nil, fmt.Errorf("not a Zarr v3 array (zarr_format %d, node_type %q)", z.ZarrFormat, z.NodeType)
	}
	var dt string
	if err := json.Unmarshal(z.DataType, &dt); err != nil {
		return nil, fmt.Errorf("data_type %s is not supported", z.DataType)
	}
	a := &Array{}
	var err error
	if a.Type, err = pixel.ParseType(dt); err != nil || dt == "float" || dt == "double" {
		return nil, fmt.Errorf("data_type %q is not a supported pixel type", dt)
	}
	if z.ChunkGrid.Name != "regular" {
		return nil, fmt.Errorf("chunk grid %q is not supported (only regular)", z.ChunkGrid.Name)
	}
	if err := a.setShape(z.Shape, z.ChunkGrid.Configuration.ChunkShape); err != nil {
		return nil, err
	}
	switch z.ChunkKeyEncoding.Name {
	case "default", "":
		a.keyPrefix, a.sep = "c", "/"
		if z.ChunkKeyEncoding.Configuration.Separator == "." {
			a.sep = "."
		}
	case "v2":
		a.sep = "."
		if z.ChunkKeyEncoding.Configuration.Separator == "/" {
			a.sep = "/"
		}
	default:
		return nil, fmt.Errorf("chunk key encoding %q is not supported", z.ChunkKeyEncoding.Name)
	}
	if a.Fill, err = parseFill(z.FillValue); err != nil {
		return nil, err
	}
	for _, n := range z.DimensionNames {
		if n != nil {
			a.DimensionNames = append(a.DimensionNames, *n)
		} else {
			a.DimensionNames = append(a.DimensionNames, "")
		}
	}
	if a.stages, a.BigEndian, err = codecsV3(z.Codecs, a.Type.Size()); err != nil {
		return nil, err
	}
	return a, nil
}

// codecsV3 builds the decoding stages of a v3 codec chain: array-to-bytes
// "bytes" and bytes-to-bytes compressors, applied in reverse to decode.
func codecsV3(codecs []codecV3, typeSize int) ([]stage, bool, error) {
	bigEndian := false
	var chain []stage
	seenBytes := false
	for _, c := range codecs {
		switch c.Name {
		case "bytes", "endian":
			var cfg struct {
				Endian string `json:"endian"`
			}
			json.Unmarshal(c.Configuration, &cfg)
			bigEndian = cfg.Endian == "big" && typeSize > 1
			seenBytes = true
		case "transpose":
			return nil, false, fmt.Errorf("the transpose codec is not supported; rewrite the array in C order")
		case "sharding_indexed":
			return nil, false, fmt.Errorf("sharded Zarr v3 arrays are not supported yet")
		case "crc32c":
			chain = append(chain, func(r io.Reader, size int) (io.Reader, error) { return &dropTail{r: r, n: 4}, nil })
		case "zstd", "gzip", "blosc", "zlib":
			f, err := codecByName(c.Name)
			if err != nil {
				return nil, false, err
			}
			chain = append(chain, f)
		default:
			return nil, false, fmt.Errorf("codec %q is not supported (supported: bytes, zstd, gzip, blosc, crc32c)", c.Name)
		}
	}
	if !seenBytes && len(codecs) > 0 {
		return nil, false, fmt.Errorf("codec chain has no \"bytes\" codec")
	}
	// Decoding runs the chain backwards: the last encoder is the first decoder.
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain, bigEndian, nil
}
