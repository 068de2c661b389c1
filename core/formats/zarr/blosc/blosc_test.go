package blosc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/internal/realdata"
)

func sample(n int) []byte {
	r := rand.New(rand.NewSource(int64(n)))
	b := make([]byte, n)
	for i := range b {
		// Smooth data with noise in the low bits: compressible after shuffling.
		b[i] = byte(i/97) ^ byte(r.Intn(4))
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	for _, codec := range []string{"lz4", "zlib", "zstd", "blosclz"} {
		for _, sh := range []int{NoShuffle, ByteShuffle, BitShuffle} {
			for _, ts := range []int{1, 2, 4, 8, 3} {
				for _, n := range []int{0, 5, 127, 4096, 70001} {
					for _, split := range []bool{false, true} {
						data := sample(n)
						c, err := Compress(data, ts, Options{Codec: codec, Shuffle: sh, BlockSize: 8192, DontSplit: split})
						if err != nil {
							t.Fatal(err)
						}
						got, err := Decompress(c, n)
						if err != nil {
							t.Fatalf("%s shuffle=%d typesize=%d n=%d: %v", codec, sh, ts, n, err)
						}
						if !bytes.Equal(got, data) {
							t.Fatalf("%s shuffle=%d typesize=%d n=%d: round trip differs", codec, sh, ts, n)
						}
					}
				}
			}
		}
	}
}

func TestMemcpyed(t *testing.T) {
	data := sample(1000)
	c, _ := Compress(data, 2, Options{Memcpy: true})
	got, err := Decompress(c, len(data))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("memcpyed frame: %v", err)
	}
}

// A version-2 bitshuffled block whose element count is not a multiple of 8
// was stored without shuffling by c-blosc 1.x.
func TestBitShuffleVersion2Leftover(t *testing.T) {
	src := []byte{1, 2, 3, 4, 5, 6}
	dst := make([]byte, 6)
	bitUnshuffle(2, 2, src, dst)
	if !bytes.Equal(src, dst) {
		t.Fatalf("got %v", dst)
	}
}

func TestBloscLZMatches(t *testing.T) {
	// Literal "abc", then a match of length 6 at distance 3 (biased: 2),
	// then a run of 5 copies of 'c' (distance 1, biased 0).
	stream := []byte{
		2, 'a', 'b', 'c', // literal of 3
		(4 << 5) | 0, 2, // len code 4 -> 4-1+3 = 6 bytes, distance 2+1 = 3
		(3 << 5) | 0, 0, // len 3-1+3 = 5 bytes, distance 1
	}
	out := make([]byte, 14)
	n, err := blosclzDecompress(stream, out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "abcabcabccccccc"[:14]; string(out[:n]) != want {
		t.Fatalf("got %q want %q", out[:n], want)
	}
	// A long match (length code 7 plus extension bytes) and a far match.
	long := []byte{0, 'x', (7 << 5) | 0, 3, 0} // 6+3+3 = 12 copies of x
	out = make([]byte, 13)
	if n, err := blosclzDecompress(long, out); err != nil || n != 13 || string(out) != "xxxxxxxxxxxxx" {
		t.Fatalf("long match: n=%d err=%v out=%q", n, err, out)
	}
	// Back-reference before the output start must fail, not panic.
	if _, err := blosclzDecompress([]byte{0, 'x', (1 << 5) | 5, 9}, make([]byte, 10)); err == nil {
		t.Fatal("expected an error for a reference before the start")
	}
}

func TestCorruptFramesGiveErrors(t *testing.T) {
	data := sample(5000)
	c, _ := Compress(data, 2, Options{Shuffle: ByteShuffle, BlockSize: 1024})
	cases := map[string][]byte{
		"short":         c[:10],
		"truncated":     c[:len(c)-5],
		"huge nbytes":   patch(c, 4, 0x7fffffff),
		"bad blocksize": patch(c, 8, 0),
		"bad bstart":    patch(c, 16, 0xffffff),
	}
	for name, b := range cases {
		if _, err := Decompress(b, 10000); err == nil {
			t.Errorf("%s: expected an error", name)
		} else if !errors.Is(err, ErrCorrupt) && name != "huge nbytes" {
			t.Logf("%s: %v", name, err)
		}
	}
}

func patch(b []byte, off int, v uint32) []byte {
	c := append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(c[off:], v)
	return c
}

// The README states that zarr-python finds a mean of 127.45 for level 0 of
// the bioformats2raw plate (blosc lz4, byte shuffle with typesize 1).
func TestRealPlateChunkMean(t *testing.T) {
	p := filepath.Join(realdata.Dir(t), "ome-zarr", "bf2raw", "plate-rows-2.zarr", "A", "1", "0", "0", "0", "0", "0", "0", "0")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decompress(raw, 512*512)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 512*512 {
		t.Fatalf("decoded %d bytes, want %d", len(got), 512*512)
	}
	sum := 0.0
	for _, b := range got {
		sum += float64(b)
	}
	if mean := sum / float64(len(got)); math.Abs(mean-127.45) > 0.005 {
		t.Fatalf("mean %.4f, want 127.45", mean)
	}
}

// The float64 blobs chunk is lz4 with byte shuffle and typesize 8.
func TestRealShuffledFloat64Chunk(t *testing.T) {
	p := filepath.Join(realdata.Dir(t), "ome-zarr", "spatialdata-blobs", "blobs_image_v04.ome.zarr", "0", "0", "0", "0")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseHeader(raw)
	if err != nil || h.TypeSize != 8 {
		t.Fatalf("header %+v, %v", h, err)
	}
	got, err := Decompress(raw, 3*12*12*8)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(got); i += 8 {
		v := math.Float64frombits(binary.LittleEndian.Uint64(got[i:]))
		if math.IsNaN(v) || v < 0 || v > 1 {
			t.Fatalf("value %d = %v, want a blob intensity in [0,1]", i/8, v)
		}
	}
}

func FuzzBloscDecompress(f *testing.F) {
	for _, o := range []Options{{}, {Shuffle: ByteShuffle}, {Shuffle: BitShuffle}, {Codec: "zlib"}, {Codec: "zstd"}, {Codec: "blosclz"}, {Memcpy: true}} {
		c, _ := Compress(sample(600), 2, o)
		f.Add(c)
	}
	f.Add([]byte{2, 1, 0, 1, 10, 0, 0, 0, 10, 0, 0, 0, 30, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Bounded output: a frame claiming more than 1 MiB is rejected up front.
		out, err := Decompress(b, 1<<20)
		if err == nil && len(out) > 1<<20 {
			t.Fatalf("decoded %d bytes past the limit", len(out))
		}
	})
}

func BenchmarkDecompressPlateChunk(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join(realdata.Dir(b), "ome-zarr", "bf2raw", "plate-rows-2.zarr", "A", "1", "0", "0", "0", "0", "0", "0", "0"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(512 * 512)
	for i := 0; i < b.N; i++ {
		if _, err := Decompress(raw, 512*512); err != nil {
			b.Fatal(err)
		}
	}
}
