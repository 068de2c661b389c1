// Package zarr reads OME-Zarr (NGFF 0.1-0.5) images and plates stored on a
// local file system: Zarr v2 (.zarray/.zattrs) and Zarr v3 (zarr.json)
// arrays, the multiscales, omero, plate and well metadata, and the
// bioformats2raw layout with its OME-XML. Reading a region reads only the
// chunks that intersect it; missing chunks read as the fill value.
package zarr

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core/pixel"
)

// maxChunkBytes bounds one decoded chunk (128 MiB, the chunk size Dask
// aims at; OME-Zarr writers use a few MiB) and maxMetaBytes one metadata
// document. Stream codecs never hold a whole chunk, but blosc and lz4 do.
const (
	maxChunkBytes = 128 << 20
	maxMetaBytes  = 16 << 20
	maxDims       = 32
)

// Array is an opened Zarr array (v2 or v3).
type Array struct {
	Dir       string
	Shape     []int
	Chunks    []int
	Type      pixel.Type
	BigEndian bool
	Fill      float64
	// DimensionNames from zarr v3 metadata, when present.
	DimensionNames []string

	keyPrefix string // "" (v2) or "c" (v3 default encoding)
	sep       string
	stages    []stage // decoding steps, in decoding order; none for raw chunks
}

func readJSON(path string, v any) error {
	b, err := readMeta(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: invalid JSON: %v", path, err)
	}
	return nil
}

// readMeta reads a metadata document of at most maxMetaBytes; anything
// but a regular file (a FIFO would block for ever) is refused.
func readMeta(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if st.Size() > maxMetaBytes {
		return nil, fmt.Errorf("%s: metadata file of %d bytes is too large (at most %d MiB)", path, st.Size(), maxMetaBytes>>20)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxMetaBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxMetaBytes {
		return nil, fmt.Errorf("%s: metadata file is too large (at most %d MiB)", path, maxMetaBytes>>20)
	}
	return b, nil
}

// OpenArray opens the array in dir, trying zarr.json (v3) then .zarray (v2).
func OpenArray(dir string) (*Array, error) {
	if _, err := os.Lstat(filepath.Join(dir, "zarr.json")); err == nil {
		b, err := readMeta(filepath.Join(dir, "zarr.json"))
		if err != nil {
			return nil, err
		}
		a, err := ParseArrayV3(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", filepath.Join(dir, "zarr.json"), err)
		}
		a.Dir = dir
		return a, nil
	}
	if _, err := os.Lstat(filepath.Join(dir, ".zarray")); err != nil {
		return nil, fmt.Errorf("%s holds no Zarr array (no zarr.json or .zarray)", dir)
	}
	b, err := readMeta(filepath.Join(dir, ".zarray"))
	if err != nil {
		return nil, err
	}
	a, err := ParseArrayV2(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, ".zarray"), err)
	}
	a.Dir = dir
	return a, nil
}

type zarrayV2 struct {
	ZarrFormat int             `json:"zarr_format"`
	Shape      []int64         `json:"shape"`
	Chunks     []int64         `json:"chunks"`
	DType      json.RawMessage `json:"dtype"`
	Compressor json.RawMessage `json:"compressor"`
	FillValue  json.RawMessage `json:"fill_value"`
	Order      string          `json:"order"`
	Filters    json.RawMessage `json:"filters"`
	Separator  string          `json:"dimension_separator"`
}

// ParseArrayV2 parses a .zarray document.
func ParseArrayV2(b []byte) (*Array, error) {
	var z zarrayV2
	if err := json.Unmarshal(b, &z); err != nil {
		return nil, fmt.Errorf("invalid .zarray: %v", err)
	}
	if z.ZarrFormat != 2 {
		return nil, fmt.Errorf("zarr_format %d is not 2", z.ZarrFormat)
	}
	a := &Array{sep: "."}
	if z.Separator == "/" {
		a.sep = "/"
	} else if z.Separator != "" && z.Separator != "." {
		return nil, fmt.Errorf("dimension_separator %q is not \".\" or \"/\"", z.Separator)
	}
	if z.Order != "" && z.Order != "C" {
		return nil, fmt.Errorf("order %q is not supported (only C order)", z.Order)
	}
	if f := strings.TrimSpace(string(z.Filters)); f != "" && f != "null" && f != "[]" {
		return nil, fmt.Errorf("filters %s are not supported", f)
	}
	var dt string
	if err := json.Unmarshal(z.DType, &dt); err != nil {
		return nil, fmt.Errorf("dtype %s is not supported (structured dtypes are not images)", z.DType)
	}
	var err error
	if a.Type, a.BigEndian, err = parseDType(dt); err != nil {
		return nil, err
	}
	if err := a.setShape(z.Shape, z.Chunks); err != nil {
		return nil, err
	}
	if a.Fill, err = parseFill(z.FillValue); err != nil {
		return nil, err
	}
	if a.stages, err = compressorV2(z.Compressor, a.Type.Size()); err != nil {
		return nil, err
	}
	return a, nil
}

// parseDType maps a numpy dtype string ("<u2", ">f8", "|u1") to a pixel type.
func parseDType(dt string) (pixel.Type, bool, error) {
	if len(dt) < 2 {
		return pixel.Invalid, false, fmt.Errorf("dtype %q is not supported", dt)
	}
	big := dt[0] == '>'
	if dt[0] != '<' && dt[0] != '>' && dt[0] != '|' {
		return pixel.Invalid, false, fmt.Errorf("dtype %q has no byte-order mark", dt)
	}
	t, err := pixel.ParseType(dt[1:])
	if err != nil {
		return pixel.Invalid, false, fmt.Errorf("dtype %q is not a supported pixel type (uint8..uint32, int8..int32, float32, float64)", dt)
	}
	return t, big && t.Size() > 1, nil
}

func (a *Array) setShape(shape, chunks []int64) error {
	if len(shape) == 0 || len(shape) > maxDims || len(chunks) != len(shape) {
		return fmt.Errorf("shape %v and chunks %v do not describe an image", shape, chunks)
	}
	n := int64(a.Type.Size())
	for i := range shape {
		if shape[i] < 0 || shape[i] > 1<<40 || chunks[i] <= 0 || chunks[i] > 1<<31 {
			return fmt.Errorf("shape %v or chunks %v has an invalid size", shape, chunks)
		}
		n *= chunks[i]
		if n > maxChunkBytes {
			return fmt.Errorf("chunks %v hold more than %d MiB each, more than Ocular reads in one piece; rechunk the array into smaller chunks (for example with zarr-python or ome-zarr)", chunks, maxChunkBytes>>20)
		}
		a.Shape = append(a.Shape, int(shape[i]))
		a.Chunks = append(a.Chunks, int(chunks[i]))
	}
	return nil
}

// parseFill reads fill_value: a number, null, or "NaN"/"Infinity" strings.
func parseFill(raw json.RawMessage) (float64, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, nil
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err == nil {
		return v, nil
	}
	var str string
	if err := json.Unmarshal(raw, &str); err == nil {
		switch str {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
		if f, err := strconv.ParseFloat(str, 64); err == nil {
			return f, nil
		}
	}
	if s == "true" {
		return 1, nil
	}
	if s == "false" {
		return 0, nil
	}
	return 0, fmt.Errorf("fill_value %s is not a number", s)
}

// ChunkBytes is the decoded size of one chunk.
func (a *Array) ChunkBytes() int {
	n := a.Type.Size()
	for _, c := range a.Chunks {
		n *= c
	}
	return n
}

func swap(b []byte, size int) {
	switch size {
	case 2:
		for i := 0; i+1 < len(b); i += 2 {
			binary.LittleEndian.PutUint16(b[i:], binary.BigEndian.Uint16(b[i:]))
		}
	case 4:
		for i := 0; i+3 < len(b); i += 4 {
			binary.LittleEndian.PutUint32(b[i:], binary.BigEndian.Uint32(b[i:]))
		}
	case 8:
		for i := 0; i+7 < len(b); i += 8 {
			binary.LittleEndian.PutUint64(b[i:], binary.BigEndian.Uint64(b[i:]))
		}
	}
}
