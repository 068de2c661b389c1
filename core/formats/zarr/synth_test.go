package zarr

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/ocular-lab/ocular/core/formats/zarr/blosc"
)

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

const multiscalesYX = `{"multiscales":[{"version":"0.4","axes":[{"name":"c","type":"channel"},{"name":"y","type":"space","unit":"nanometer"},{"name":"x","type":"space","unit":"nanometer"}],"datasets":[{"path":"0","coordinateTransformations":[{"type":"scale","scale":[1,250,250]}]}]}],"omero":{"channels":[{"label":"DNA","color":"0000FF"},{"label":"Actin","color":"00FF00"}]}}`

// chunkData returns the big-endian uint16 chunk (c, iy, ix) of a 2×5×7
// image with 3×4 chunks, values 1000*c + 10*y + x, padded at the edges.
func chunkData(c, iy, ix int) []byte {
	var b []byte
	for y := 0; y < 3; y++ {
		for x := 0; x < 4; x++ {
			gy, gx := iy*3+y, ix*4+x
			v := uint16(1000*c + 10*gy + gx)
			if gy >= 5 || gx >= 7 {
				v = 0xdead // padding, never read
			}
			b = binary.BigEndian.AppendUint16(b, v)
		}
	}
	return b
}

func TestSyntheticV2Codecs(t *testing.T) {
	compress := map[string]func([]byte) []byte{
		"null": func(b []byte) []byte { return b },
		`{"id":"zstd","level":3}`: func(b []byte) []byte {
			e, _ := zstd.NewWriter(nil)
			return e.EncodeAll(b, nil)
		},
		`{"id":"gzip","level":5}`: func(b []byte) []byte {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			w.Write(b)
			w.Close()
			return buf.Bytes()
		},
		`{"id":"blosc","cname":"zstd","clevel":5,"shuffle":2}`: func(b []byte) []byte {
			c, _ := blosc.Compress(b, 2, blosc.Options{Codec: "zstd", Shuffle: blosc.BitShuffle})
			return c
		},
	}
	for comp, fn := range compress {
		for _, sep := range []string{".", "/"} {
			root := t.TempDir()
			write(t, filepath.Join(root, ".zgroup"), []byte(`{"zarr_format":2}`))
			write(t, filepath.Join(root, ".zattrs"), []byte(multiscalesYX))
			write(t, filepath.Join(root, "0", ".zarray"), []byte(`{"zarr_format":2,"shape":[2,5,7],"chunks":[1,3,4],"dtype":">u2","compressor":`+comp+`,"fill_value":7,"order":"C","filters":null,"dimension_separator":"`+sep+`"}`))
			for c := 0; c < 2; c++ {
				for iy := 0; iy < 2; iy++ {
					for ix := 0; ix < 2; ix++ {
						if c == 1 && iy == 1 && ix == 1 {
							continue // missing chunk: reads as fill_value
						}
						key := strings.Join([]string{itoa(c), itoa(iy), itoa(ix)}, sep)
						write(t, filepath.Join(root, "0", filepath.FromSlash(key)), fn(chunkData(c, iy, ix)))
					}
				}
			}
			r, err := Open(root)
			if err != nil {
				t.Fatalf("%s %s: %v", comp, sep, err)
			}
			s := r.Series()[0]
			if s.SizeX != 7 || s.SizeY != 5 || s.SizeC != 2 || s.PhysicalSizeX != 0.25 || s.Channels[1].Name != "Actin" || s.Levels[0].TileWidth != 4 {
				t.Fatalf("%+v", s)
			}
			for c := 0; c < 2; c++ {
				p, err := r.ReadPlane(0, 0, 0, c, 0)
				if err != nil {
					t.Fatalf("%s %s: %v", comp, sep, err)
				}
				for y := 0; y < 5; y++ {
					for x := 0; x < 7; x++ {
						want := float64(1000*c + 10*y + x)
						if c == 1 && y >= 3 && x >= 4 {
							want = 7
						}
						if p.At(x, y) != want {
							t.Fatalf("%s sep %q: c%d (%d,%d) = %v, want %v", comp, sep, c, x, y, p.At(x, y), want)
						}
					}
				}
			}
		}
	}
}

func TestSyntheticV3(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "zarr.json"), []byte(`{"zarr_format":3,"node_type":"group","attributes":{"ome":{"version":"0.5",`+multiscalesYX[1:len(multiscalesYX)-1]+`}}}`))
	arr := `{"zarr_format":3,"node_type":"array","shape":[2,5,7],"data_type":"uint16","chunk_grid":{"name":"regular","configuration":{"chunk_shape":[1,3,4]}},"chunk_key_encoding":{"name":"default"},"fill_value":0,"codecs":[{"name":"bytes","configuration":{"endian":"big"}},{"name":"gzip","configuration":{"level":1}}]}`
	write(t, filepath.Join(root, "0", "zarr.json"), []byte(arr))
	for c := 0; c < 2; c++ {
		for iy := 0; iy < 2; iy++ {
			for ix := 0; ix < 2; ix++ {
				var buf bytes.Buffer
				w := gzip.NewWriter(&buf)
				w.Write(chunkData(c, iy, ix))
				w.Close()
				write(t, filepath.Join(root, "0", "c", itoa(c), itoa(iy), itoa(ix)), buf.Bytes())
			}
		}
	}
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.ReadRegion(0, 0, 0, 1, 0, rect(3, 2, 6, 5))
	if err != nil {
		t.Fatal(err)
	}
	if p.At(0, 0) != 1023 || p.At(2, 2) != 1045 {
		t.Fatalf("got %v %v", p.At(0, 0), p.At(2, 2))
	}
	write(t, filepath.Join(root, "0", "zarr.json"), []byte(strings.Replace(arr, `{"name":"bytes"`, `{"name":"transpose","configuration":{"order":[2,1,0]}},{"name":"bytes"`, 1)))
	if _, err := Open(root); err == nil || !strings.Contains(err.Error(), "transpose") {
		t.Fatalf("transpose: %v", err)
	}
}

func TestHostileMetadata(t *testing.T) {
	bad := []string{
		`{"zarr_format":2,"shape":[100000,100000],"chunks":[100000,100000],"dtype":"<u2","compressor":null}`,
		`{"zarr_format":2,"shape":[-1,5],"chunks":[1,5],"dtype":"<u2","compressor":null}`,
		`{"zarr_format":2,"shape":[5,5],"chunks":[0,5],"dtype":"<u2","compressor":null}`,
		`{"zarr_format":2,"shape":[5,5],"chunks":[5,5],"dtype":"<c16","compressor":null}`,
		`{"zarr_format":2,"shape":[5,5],"chunks":[5,5],"dtype":"<u2","compressor":{"id":"bz2"}}`,
		`{"zarr_format":2,"shape":[5,5],"chunks":[5,5],"dtype":"<u2","compressor":null,"order":"F"}`,
	}
	for _, b := range bad {
		if _, err := ParseArrayV2([]byte(b)); err == nil {
			t.Errorf("accepted %s", b)
		}
	}
	if _, _, err := ParseAttributes([]byte(`{"multiscales":[{"datasets":[{"path":"../../etc"}]}]}`)); err == nil {
		t.Error("accepted a dataset path leaving the image")
	}
	if _, _, err := ParseAttributes([]byte(`{"plate":{"wells":[{"path":"/abs/1","rowIndex":0,"columnIndex":0}]}}`)); err == nil {
		t.Error("accepted an absolute well path")
	}
}

func itoa(i int) string { return string(rune('0' + i)) }
