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

type decodeFunc func(raw []byte, size int) ([]byte, error)

// compressorV2 builds the decoder of a Zarr v2 "compressor" object.
func compressorV2(raw json.RawMessage, typeSize int) (decodeFunc, error) {
	if s := strings.TrimSpace(string(raw)); s == "" || s == "null" {
		return identity, nil
	}
	var c struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("compressor %s is not an object", raw)
	}
	return codecByName(c.ID)
}

func codecByName(id string) (decodeFunc, error) {
	switch id {
	case "blosc":
		return func(raw []byte, size int) ([]byte, error) { return blosc.Decompress(raw, size) }, nil
	case "zstd":
		return unzstd, nil
	case "gzip":
		return func(raw []byte, size int) ([]byte, error) {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				return nil, fmt.Errorf("gzip: %v", err)
			}
			return readAtMost(zr, size, "gzip")
		}, nil
	case "zlib":
		return func(raw []byte, size int) ([]byte, error) {
			zr, err := zlib.NewReader(bytes.NewReader(raw))
			if err != nil {
				return nil, fmt.Errorf("zlib: %v", err)
			}
			return readAtMost(zr, size, "zlib")
		}, nil
	case "lz4":
		// numcodecs LZ4: a little-endian uint32 size, then an LZ4 block.
		return func(raw []byte, size int) ([]byte, error) {
			if len(raw) < 4 {
				return nil, fmt.Errorf("lz4 chunk is truncated")
			}
			n := int(binary.LittleEndian.Uint32(raw))
			if n != size {
				return nil, fmt.Errorf("lz4 chunk holds %d bytes, expected %d", n, size)
			}
			out := make([]byte, n)
			m, err := lz4.UncompressBlock(raw[4:], out)
			if err != nil || m != n {
				return nil, fmt.Errorf("lz4 chunk is corrupt")
			}
			return out, nil
		}, nil
	}
	return nil, fmt.Errorf("compressor %q is not supported (supported: blosc, zstd, gzip, zlib, lz4, none)", id)
}

func identity(raw []byte, size int) ([]byte, error) {
	if len(raw) != size {
		return nil, fmt.Errorf("uncompressed chunk has %d bytes, expected %d", len(raw), size)
	}
	return raw, nil
}

func unzstd(raw []byte, size int) ([]byte, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(size)+1<<20))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	out, err := d.DecodeAll(raw, make([]byte, 0, size))
	if err != nil {
		return nil, fmt.Errorf("zstd: %v", err)
	}
	return out, nil
}

// readAtMost reads a stream that must produce exactly size bytes, without
// ever buffering more.
func readAtMost(r io.Reader, size int, name string) ([]byte, error) {
	out := make([]byte, size)
	if _, err := io.ReadFull(r, out); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var one [1]byte
	if n, _ := r.Read(one[:]); n > 0 {
		return nil, fmt.Errorf("%s: chunk decodes to more than %d bytes", name, size)
	}
	return out, nil
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
	if a.decode, a.BigEndian, err = codecsV3(z.Codecs, a.Type.Size()); err != nil {
		return nil, err
	}
	return a, nil
}

// codecsV3 builds the decoder of a v3 codec chain: array-to-bytes "bytes"
// and bytes-to-bytes compressors, applied in reverse to decode.
func codecsV3(codecs []codecV3, typeSize int) (decodeFunc, bool, error) {
	bigEndian := false
	var chain []decodeFunc
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
			chain = append(chain, func(raw []byte, size int) ([]byte, error) {
				if len(raw) < 4 {
					return nil, fmt.Errorf("crc32c: chunk is truncated")
				}
				return raw[:len(raw)-4], nil
			})
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
	dec := func(raw []byte, size int) ([]byte, error) {
		var err error
		for i := len(chain) - 1; i >= 0; i-- {
			// Intermediate results may be larger than size only for checksums.
			if raw, err = chain[i](raw, size); err != nil {
				return nil, err
			}
		}
		if len(raw) != size {
			return nil, fmt.Errorf("chunk decodes to %d bytes, expected %d", len(raw), size)
		}
		return raw, nil
	}
	return dec, bigEndian, nil
}
