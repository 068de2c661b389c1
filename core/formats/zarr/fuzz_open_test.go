package zarr

import (
	"bytes"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// fuzzAllocLimit is the most one input may make Open and the reads below
// allocate; a huge make from a header value shows up far above it.
const fuzzAllocLimit = 256 << 20

// fuzzReadSide bounds the region read of a big first plane: the plane's
// own size is what the caller asks for, not what the reader chooses.
const fuzzReadSide = 2048

// writeFuzzZarr lays out a one-array OME-Zarr from fuzzed parts: the
// group's attributes, the array's metadata (v2 .zarray or v3 zarr.json),
// and the bytes of its first chunk.
func writeFuzzZarr(t *testing.T, attrsDoc, arrayDoc, chunk []byte) string {
	root := filepath.Join(t.TempDir(), "f.zarr")
	os.MkdirAll(filepath.Join(root, "0"), 0o755)
	v3, err3 := ParseArrayV3(arrayDoc)
	if err3 == nil {
		os.WriteFile(filepath.Join(root, "0", "zarr.json"), arrayDoc, 0o644)
		group := attrsDoc
		if json.Valid(attrsDoc) {
			group = []byte(`{"zarr_format":3,"node_type":"group","attributes":` + string(attrsDoc) + `}`)
		}
		os.WriteFile(filepath.Join(root, "zarr.json"), group, 0o644)
		v3.Dir = filepath.Join(root, "0")
		writeFirstChunk(v3, chunk)
		return root
	}
	os.WriteFile(filepath.Join(root, ".zgroup"), []byte(`{"zarr_format":2}`), 0o644)
	os.WriteFile(filepath.Join(root, ".zattrs"), attrsDoc, 0o644)
	os.WriteFile(filepath.Join(root, "0", ".zarray"), arrayDoc, 0o644)
	if v2, err := ParseArrayV2(arrayDoc); err == nil {
		v2.Dir = filepath.Join(root, "0")
		writeFirstChunk(v2, chunk)
	}
	return root
}

func writeFirstChunk(a *Array, chunk []byte) {
	p := a.chunkPath(make([]int, len(a.Shape)))
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, chunk, 0o644)
}

// FuzzOpenZarr opens a generated Zarr folder and reads the first plane of
// every image (a corner of it when the plane is big), failing when one
// input allocates more than fuzzAllocLimit.
func FuzzOpenZarr(f *testing.F) {
	cyx := []byte(`{"multiscales":[{"version":"0.4","axes":[{"name":"c","type":"channel"},{"name":"y","type":"space"},{"name":"x","type":"space"}],"datasets":[{"path":"0"}]}],"omero":{"channels":[{"label":"DNA","color":"0000FF","window":{"start":0,"end":9,"min":0,"max":255}}]}}`)
	raw := bytes.Repeat([]byte{1, 2, 3, 4}, 12)
	var zl bytes.Buffer
	w := zlib.NewWriter(&zl)
	w.Write(raw)
	w.Close()
	enc, _ := zstd.NewWriter(nil)
	zs := enc.EncodeAll(raw, nil)
	f.Add(cyx, []byte(`{"zarr_format":2,"shape":[1,6,8],"chunks":[1,6,8],"dtype":"|u1","compressor":null,"fill_value":0,"order":"C"}`), raw)
	f.Add(cyx, []byte(`{"zarr_format":2,"shape":[2,6,8],"chunks":[1,3,4],"dtype":"<u2","compressor":{"id":"zlib"},"fill_value":7,"order":"C","dimension_separator":"/"}`), zl.Bytes())
	f.Add(cyx, []byte(`{"zarr_format":2,"shape":[1099511627776,4,4],"chunks":[1,4,4],"dtype":"|u1","compressor":null}`), raw[:16])
	f.Add(cyx, []byte(`{"zarr_format":3,"node_type":"array","shape":[1,6,8],"data_type":"uint8","chunk_grid":{"name":"regular","configuration":{"chunk_shape":[1,6,8]}},"chunk_key_encoding":{"name":"default"},"fill_value":0,"codecs":[{"name":"bytes"},{"name":"zstd"},{"name":"crc32c"}]}`), append(zs, 0, 0, 0, 0))
	f.Add([]byte(`{"plate":{"rows":[{"name":"A"}],"columns":[{"name":"1"}],"wells":[{"path":"0","rowIndex":0,"columnIndex":0}]},"well":{"images":[{"path":"0"}]}}`), []byte(`{"zarr_format":2,"shape":[4,4],"chunks":[4,4],"dtype":"|u1","compressor":null}`), raw[:16])
	f.Add([]byte(`{"bioformats2raw.layout":3}`), []byte(`{"zarr_format":2,"shape":[4,4],"chunks":[4,4],"dtype":">f8","compressor":{"id":"gzip"},"fill_value":"NaN"}`), []byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, attrsDoc, arrayDoc, chunk []byte) {
		if len(attrsDoc)+len(arrayDoc)+len(chunk) > 1<<20 {
			return
		}
		root := writeFuzzZarr(t, attrsDoc, arrayDoc, chunk)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r, err := Open(root)
		if err == nil {
			for s, se := range r.Series() {
				if len(se.Channels) != se.SizeC {
					t.Fatalf("series %d: %d channels for SizeC %d", s, len(se.Channels), se.SizeC)
				}
				rect := image.Rect(0, 0, min(se.SizeX, fuzzReadSide), min(se.SizeY, fuzzReadSide))
				if p, err := r.ReadRegion(s, 0, 0, 0, 0, rect); err == nil && (p.Width != rect.Dx() || p.Height != rect.Dy()) {
					t.Fatalf("series %d: read %dx%d for %v", s, p.Width, p.Height, rect)
				} else if err != nil && strings.Contains(err.Error(), "internal error") {
					t.Fatal(err)
				}
			}
			r.Close()
		}
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > fuzzAllocLimit {
			t.Fatalf("one input allocated %d MiB (limit %d MiB)", n>>20, fuzzAllocLimit>>20)
		}
	})
}
