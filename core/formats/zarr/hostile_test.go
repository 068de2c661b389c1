package zarr

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// inChild runs fn in a child test process, so that a regression which
// allocates without bound ("fatal error: out of memory" cannot be
// recovered) kills the child and fails this test, not the test binary.
func inChild(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	if os.Getenv("ZARR_TEST_CHILD") == t.Name() {
		fn(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), "ZARR_TEST_CHILD="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS")) {
		if len(out) > 4000 {
			out = out[:4000]
		}
		t.Fatalf("child test failed (%v):\n%s", err, out)
	}
}

// allocated returns the bytes fn allocated on the heap (TotalAlloc grows
// with every allocation and never shrinks, so it catches a huge make even
// when the collector frees it at once).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// writeZarr writes an OME-Zarr v2 image with axes "cyx" whose level-0
// array has the given .zarray fields; chunks maps chunk keys to bytes.
func writeZarr(t *testing.T, shape, chunks, dtype, compressor string, stored map[string][]byte) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "hostile.zarr")
	write(t, filepath.Join(root, ".zgroup"), []byte(`{"zarr_format":2}`))
	write(t, filepath.Join(root, ".zattrs"), []byte(`{"multiscales":[{"version":"0.4","axes":[{"name":"c","type":"channel"},{"name":"y","type":"space"},{"name":"x","type":"space"}],"datasets":[{"path":"0"}]}]}`))
	write(t, filepath.Join(root, "0", ".zarray"), []byte(fmt.Sprintf(`{"zarr_format":2,"shape":%s,"chunks":%s,"dtype":%q,"compressor":%s,"fill_value":0,"order":"C","filters":null}`, shape, chunks, dtype, compressor)))
	for k, b := range stored {
		write(t, filepath.Join(root, "0", k), b)
	}
	return root
}

// A channel axis of 2^40 in three JSON files under 1 KB used to end the
// process with "fatal error: out of memory" (the channel list was made
// SizeC long); it is refused with a sentence before anything is allocated.
func TestHugeChannelAxisIsRefusedBeforeAllocating(t *testing.T) {
	inChild(t, func(t *testing.T) {
		root := writeZarr(t, "[1099511627776,4,4]", "[1,4,4]", "|u1", "null", nil)
		var err error
		n := allocated(func() { _, err = Open(root) })
		if err == nil {
			t.Fatal("a 2^40-channel image of three JSON files was accepted")
		}
		if !strings.Contains(err.Error(), "chunks are stored") || !strings.Contains(err.Error(), "real shape") {
			t.Errorf("the error should say the shape is not backed and what to do: %v", err)
		}
		if n > 64<<20 {
			t.Errorf("opening allocated %d MiB", n>>20)
		}
	})
}

// A channel axis that every chunk backs is still refused past maxChannels:
// each channel costs rows and settings in the repository.
func TestTooManyChannelsIsRefused(t *testing.T) {
	stored := map[string][]byte{}
	for c := 0; c < maxChannels+1; c += minStoredFraction - 1 {
		stored[fmt.Sprintf("%d.0.0", c)] = []byte{1}
	}
	root := writeZarr(t, fmt.Sprintf("[%d,1,1]", maxChannels+1), "[1,1,1]", "|u1", "null", stored)
	_, err := Open(root)
	if err == nil || !strings.Contains(err.Error(), "channels") {
		t.Fatalf("want a sentence about the channel count, got %v", err)
	}
}

// Huge shapes made of missing chunks (fill value) are refused at Open, in
// seconds; before, Open accepted them and import read terabytes of zeros.
func TestHugeFillValueShapeIsRefused(t *testing.T) {
	inChild(t, func(t *testing.T) {
		for _, shape := range []string{"[1,1048576,1048576]", "[1000000,1024,1024]", "[1,4194304,65536]"} {
			root := writeZarr(t, shape, "[1,1024,1024]", "<u2", "null", map[string][]byte{"0.0.0": make([]byte, 2<<20)})
			var err error
			n := allocated(func() { _, err = Open(root) })
			if err == nil || !strings.Contains(err.Error(), "fill value") {
				t.Errorf("shape %s: want a refusal naming the fill value, got %v", shape, err)
			}
			if n > 64<<20 {
				t.Errorf("shape %s: opening allocated %d MiB", shape, n>>20)
			}
		}
	})
}

// Sparse arrays written without their empty chunks are still read: the
// chunks left out read as the fill value, and reading a small region of a
// missing chunk allocates the region, not the chunk.
func TestSparseArraysStillRead(t *testing.T) {
	// 64 chunks of 256×256, 5 stored (over 1 in 16).
	stored := map[string][]byte{}
	for i := 0; i < 5; i++ {
		stored[fmt.Sprintf("0.%d.%d", i, i+3)] = bytes.Repeat([]byte{9}, 256*256)
	}
	root := writeZarr(t, "[1,2048,2048]", "[1,256,256]", "|u1", "null", stored)
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.ReadRegion(0, 0, 0, 0, 0, rect(765, 0, 775, 10))
	if err != nil {
		t.Fatal(err)
	}
	if p.At(9, 0) != 9 || p.At(0, 0) != 0 {
		t.Errorf("stored chunk reads %v, missing chunk reads %v", p.At(9, 0), p.At(0, 0))
	}
	// A whole image of fill value within maxFillBytes opens; a small read
	// of its single 64 MiB chunk allocates kilobytes.
	root = writeZarr(t, "[1,8192,8192]", "[1,8192,8192]", "|u1", "null", nil)
	if r, err = Open(root); err != nil {
		t.Fatal(err)
	}
	n := allocated(func() { p, err = r.ReadRegion(0, 0, 0, 0, 0, rect(0, 0, 16, 16)) })
	if err != nil || p.At(3, 3) != 0 {
		t.Fatal(err)
	}
	if n > 1<<20 {
		t.Errorf("a 16×16 read of a missing chunk allocated %d KiB", n>>10)
	}
}

// zlibOf compresses n zero bytes (written a block at a time, so the test
// itself stays small) followed by tail.
func zlibOf(t *testing.T, n int, tail []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	block := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(block))
		w.Write(block[:k])
		n -= k
	}
	w.Write(tail)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A zlib chunk is decoded as a stream: reading a small region of a 128 MiB
// chunk (the largest accepted) holds a small buffer, not the chunk; a
// chunk declared at 1 GiB is refused at Open with what to do; and a stream
// holding more than the chunk's size is stopped there with an error.
func TestZlibBombChunk(t *testing.T) {
	inChild(t, func(t *testing.T) {
		const w, h = 16384, 8192 // 128 MiB of uint8
		chunk := zlibOf(t, w*h, nil)
		root := writeZarr(t, fmt.Sprintf("[1,%d,%d]", h, w), fmt.Sprintf("[1,%d,%d]", h, w), "|u1", `{"id":"zlib","level":1}`, map[string][]byte{"0.0.0": chunk})
		r, err := Open(root)
		if err != nil {
			t.Fatal(err)
		}
		var n uint64
		n = allocated(func() { _, err = r.ReadRegion(0, 0, 0, 0, 0, rect(100, 100, 164, 164)) })
		if err != nil {
			t.Fatal(err)
		}
		if n > 16<<20 {
			t.Errorf("a 64×64 read of a 128 MiB zlib chunk allocated %d MiB", n>>20)
		}

		big := writeZarr(t, "[1,32768,32768]", "[1,32768,32768]", "|u1", `{"id":"zlib","level":1}`, map[string][]byte{"0.0.0": chunk})
		n = allocated(func() { _, err = Open(big) })
		if err == nil || !strings.Contains(err.Error(), "rechunk") {
			t.Errorf("a 1 GiB chunk should be refused with what to do, got %v", err)
		}
		if n > 16<<20 {
			t.Errorf("refusing a 1 GiB chunk allocated %d MiB", n>>20)
		}

		over := writeZarr(t, "[1,64,64]", "[1,64,64]", "|u1", `{"id":"zlib","level":1}`, map[string][]byte{"0.0.0": zlibOf(t, 64*64, make([]byte, 1<<20))})
		r, err = Open(over)
		if err != nil {
			t.Fatal(err)
		}
		if _, err = r.ReadPlane(0, 0, 0, 0, 0); err == nil || !strings.Contains(err.Error(), "more than") {
			t.Errorf("a chunk decoding past its size should fail, got %v", err)
		}
	})
}

// Every codec stops at the chunk's size: short and long streams are errors.
func TestCodecsCheckTheChunkSize(t *testing.T) {
	for _, tc := range []struct {
		comp string
		data []byte
	}{
		{"null", make([]byte, 15)},
		{`{"id":"zlib"}`, zlibOf(t, 15, nil)},
		{`{"id":"zlib"}`, zlibOf(t, 17, nil)},
	} {
		root := writeZarr(t, "[1,4,4]", "[1,4,4]", "|u1", tc.comp, map[string][]byte{"0.0.0": tc.data})
		r, err := Open(root)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.ReadPlane(0, 0, 0, 0, 0); err == nil {
			t.Errorf("%s chunk of the wrong size was read", tc.comp)
		}
	}
}

// A FIFO where a chunk should be would block a read for ever.
func TestChunkThatIsNotAFileIsRefused(t *testing.T) {
	root := writeZarr(t, "[1,4,4]", "[1,4,4]", "|u1", "null", nil)
	if err := mkfifo(filepath.Join(root, "0", "0.0.0")); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadPlane(0, 0, 0, 0, 0); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("want a refusal of the FIFO chunk, got %v", err)
	}
}

// Every chunk stored, but as a few bytes each: 64 files of 16 bytes cannot
// stand for 4 GiB of pixels (a compression bomb per chunk), so the array
// is refused at Open with what to do.
func TestTinyChunksClaimingHugeImageAreRefused(t *testing.T) {
	stored := map[string][]byte{}
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			stored[fmt.Sprintf("0.%d.%d", y, x)] = make([]byte, 16)
		}
	}
	root := writeZarr(t, "[1,65536,65536]", "[1,8192,8192]", "|u1", `{"id":"zstd"}`, stored)
	_, err := Open(root)
	if err == nil || !strings.Contains(err.Error(), "expand more than") || !strings.Contains(err.Error(), "4.0 GiB") {
		t.Fatalf("want a refusal saying the chunk files are far too small for the shape, got %v", err)
	}
}

// An in-place import keeps links to the original chunks: the links are
// counted as the files they lead to, so the repository's copy opens.
func TestLinkedChunksCountAsTheirFiles(t *testing.T) {
	orig := t.TempDir()
	stored := map[string][]byte{}
	for y := 0; y < 3; y++ {
		for x := 0; x < 2; x++ {
			stored[fmt.Sprintf("0.%d.%d", y, x)] = nil
			// Opening checks only how much the chunk files hold.
			write(t, filepath.Join(orig, fmt.Sprintf("0.%d.%d", y, x)), make([]byte, 16<<10))
		}
	}
	root := writeZarr(t, "[1,24576,16384]", "[1,8192,8192]", "|u1", `{"id":"zlib"}`, nil)
	for k := range stored {
		if err := os.Symlink(filepath.Join(orig, k), filepath.Join(root, "0", k)); err != nil {
			t.Skipf("cannot make links: %v", err)
		}
	}
	if _, err := Open(root); err != nil {
		t.Fatalf("a Zarr of linked chunks should open: %v", err)
	}
}

// Chunks are streamed in offset order whatever the axis order: channel
// innermost ("yxc") and x before y ("cxy") read the same pixels as "cyx".
func TestUnusualAxisOrdersReadInOffsetOrder(t *testing.T) {
	for _, axes := range []string{"yxc", "cxy", "cyx"} {
		dims := map[byte]int{'c': 2, 'y': 5, 'x': 7}
		chunkOf := map[byte]int{'c': 2, 'y': 3, 'x': 4}
		var shape, chunks []string
		var names []string
		for i := 0; i < 3; i++ {
			shape = append(shape, fmt.Sprint(dims[axes[i]]))
			chunks = append(chunks, fmt.Sprint(chunkOf[axes[i]]))
			typ := "space"
			if axes[i] == 'c' {
				typ = "channel"
			}
			names = append(names, fmt.Sprintf(`{"name":"%c","type":%q}`, axes[i], typ))
		}
		root := filepath.Join(t.TempDir(), "axes.zarr")
		write(t, filepath.Join(root, ".zgroup"), []byte(`{"zarr_format":2}`))
		write(t, filepath.Join(root, ".zattrs"), []byte(`{"multiscales":[{"version":"0.4","axes":[`+strings.Join(names, ",")+`],"datasets":[{"path":"0"}]}]}`))
		write(t, filepath.Join(root, "0", ".zarray"), []byte(`{"zarr_format":2,"shape":[`+strings.Join(shape, ",")+`],"chunks":[`+strings.Join(chunks, ",")+`],"dtype":"|u1","compressor":null,"fill_value":0}`))
		// Chunk grid index (i0,i1,i2); sample value 100c + 10y + x.
		n := [3]int{}
		for i := 0; i < 3; i++ {
			n[i] = (dims[axes[i]] + chunkOf[axes[i]] - 1) / chunkOf[axes[i]]
		}
		for i0 := 0; i0 < n[0]; i0++ {
			for i1 := 0; i1 < n[1]; i1++ {
				for i2 := 0; i2 < n[2]; i2++ {
					var b []byte
					for a := 0; a < chunkOf[axes[0]]; a++ {
						for bb := 0; bb < chunkOf[axes[1]]; bb++ {
							for cc := 0; cc < chunkOf[axes[2]]; cc++ {
								v := map[byte]int{}
								v[axes[0]] = i0*chunkOf[axes[0]] + a
								v[axes[1]] = i1*chunkOf[axes[1]] + bb
								v[axes[2]] = i2*chunkOf[axes[2]] + cc
								b = append(b, byte(100*v['c']+10*v['y']+v['x']))
							}
						}
					}
					write(t, filepath.Join(root, "0", fmt.Sprintf("%d.%d.%d", i0, i1, i2)), b)
				}
			}
		}
		r, err := Open(root)
		if err != nil {
			t.Fatalf("%s: %v", axes, err)
		}
		for c := 0; c < 2; c++ {
			p, err := r.ReadRegion(0, 0, 0, c, 0, rect(1, 1, 7, 5))
			if err != nil {
				t.Fatalf("%s: %v", axes, err)
			}
			for y := 1; y < 5; y++ {
				for x := 1; x < 7; x++ {
					if got := p.At(x-1, y-1); got != float64(100*c+10*y+x) {
						t.Fatalf("%s c%d (%d,%d) = %v", axes, c, x, y, got)
					}
				}
			}
		}
	}
}

// A v3 chain of zstd then crc32c decodes in reverse, streaming: the
// checksum is held back, not read as pixels.
func TestV3ZstdWithChecksumStreams(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "zarr.json"), []byte(`{"zarr_format":3,"node_type":"group","attributes":{"ome":{"version":"0.5","multiscales":[{"axes":[{"name":"y","type":"space"},{"name":"x","type":"space"}],"datasets":[{"path":"0"}]}]}}}`))
	write(t, filepath.Join(root, "0", "zarr.json"), []byte(`{"zarr_format":3,"node_type":"array","shape":[300,200],"data_type":"uint16","chunk_grid":{"name":"regular","configuration":{"chunk_shape":[300,200]}},"chunk_key_encoding":{"name":"default"},"fill_value":0,"codecs":[{"name":"bytes","configuration":{"endian":"little"}},{"name":"zstd"},{"name":"crc32c"}]}`))
	raw := make([]byte, 300*200*2)
	for i := 0; i < 300*200; i++ {
		raw[2*i], raw[2*i+1] = byte(i), byte(i>>8)
	}
	enc, _ := zstd.NewWriter(nil)
	write(t, filepath.Join(root, "0", "c", "0", "0"), append(enc.EncodeAll(raw, nil), 1, 2, 3, 4))
	r, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.ReadRegion(0, 0, 0, 0, 0, rect(150, 250, 200, 300))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.At(49, 49), float64(uint16(299*200+199)); got != want {
		t.Errorf("last pixel %v, want %v", got, want)
	}
}
