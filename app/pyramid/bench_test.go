package pyramid

// Benchmarks on real files written by Ocular's OME-TIFF writer and read back
// through Ocular's readers (see docs/benchmarks.md, "Big images"):
//
//	go test -run '^$' -bench 'RealViewport1024|BuildPyramid8192' -benchtime 40x ./app/pyramid/
//
// The 40,000×40,000 file is generated once into $OCULAR_BENCH_DIR (default
// $TMPDIR/ocular-pyramid-bench) and reused by later runs; delete the folder
// to reclaim its ~5 GB (three variants of ~1.6 GB).

import (
	"context"
	"encoding/binary"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

func benchDir(b *testing.B) string {
	dir := os.Getenv("OCULAR_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "ocular-pyramid-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	return dir
}

// cellsRow fills row y of a w-wide fluorescence-like uint16 plane: a dim
// background with 4 bits of noise and bright disks ("cells") of varying
// size and brightness on a 128 px grid. It compresses about as well as
// real fluorescence images do with deflate, which a ramp would not.
func cellsRow(row []byte, y, w int) {
	gy := y >> 7
	for x := 0; x < w; x++ {
		gx := x >> 7
		h := uint32(gx)*2654435761 ^ uint32(gy)*2246822519
		h ^= h >> 13
		r := int(16 + h%40)
		dx, dy := x&127-64, y&127-64
		n := uint32(x)*374761393 + uint32(y)*668265263
		n = (n ^ n>>15) * 2246822519
		v := 100 + int(n>>28)
		if dx*dx+dy*dy < r*r {
			v += 800 + int(h>>20&2047)
		}
		binary.LittleEndian.PutUint16(row[2*x:], uint16(v))
	}
}

func cellsPlane(w, h int) *pixel.Plane {
	p, _ := pixel.NewPlane(pixel.Uint16, w, h)
	var wg sync.WaitGroup
	n := runtime.GOMAXPROCS(0)
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y := k; y < h; y += n {
				cellsRow(p.Data[y*w*2:][:w*2], y, w)
			}
		}()
	}
	wg.Wait()
	return p
}

// benchFile writes (once) an OME-TIFF of one w×h uint16 plane with Ocular's
// writer, deflate-compressed, and returns its path.
func benchFile(b *testing.B, name string, w, h int, opts ome.WriteOptions) string {
	path := filepath.Join(benchDir(b), name)
	if _, err := os.Stat(path); err == nil {
		return path // ome.WriteTIFF renames into place only when complete
	}
	start := time.Now()
	s := formats.Series{Name: name, SizeX: w, SizeY: h, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYCZT"}
	err := ome.WriteTIFF(path, s, nil, func(z, c, t int) (*pixel.Plane, error) { return cellsPlane(w, h), nil }, opts)
	if err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.Logf("generated %s (%d MB) in %s", path, st.Size()>>20, time.Since(start).Round(time.Second))
	runtime.GC()
	return path
}

// variants40k are the benchmark images: 40,000×40,000 uint16, 7 SubIFD
// levels (down to 313×313), BigTIFF, written by ome.WriteTIFF with
// Ocular's default (deflate) or zstd compression and 512² or 256² tiles.
// The first is the headline.
var variants40k = []struct {
	name string
	opts ome.WriteOptions
}{
	{"deflate-t512", ome.WriteOptions{TileSize: 512, PyramidLevels: 7, BigTIFF: true}},
	{"deflate-t256", ome.WriteOptions{TileSize: 256, PyramidLevels: 7, BigTIFF: true}},
	{"zstd-t512", ome.WriteOptions{TileSize: 512, PyramidLevels: 7, BigTIFF: true, Compression: tiff.CompressionZstd}},
}

func big40k(b *testing.B, variant int) string {
	v := variants40k[variant]
	return benchFile(b, "real40k-"+v.name+"-v1.ome.tif", 40000, 40000, v.opts)
}

// dropPageCache asks the kernel to forget the file's cached pages, so the
// next reads come from the disk (only this file: other processes' caches
// are untouched).
func dropPageCache(b *testing.B, path string) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		b.Fatal(err)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func viewportSetup(b *testing.B, variant int) (*Source, string, *render.Settings) {
	path := big40k(b, variant)
	r := open(b, path)
	src, err := Open(b.TempDir(), 1, r, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { src.Close() })
	if src.Built() || len(src.Levels()) != 8 {
		b.Fatalf("the file should serve its own 8 levels (got %d, built %v)", len(src.Levels()), src.Built())
	}
	s := render.Defaults(pixel.Uint16, 1, 1, []render.ChannelInfo{{StatsMin: 100, StatsMax: 3000, HasStats: true}})
	return src, path, &s
}

// coldViewports renders a 1024×1024 viewport of level 0 at a new unaligned
// position with an empty tile cache each time (9 tiles of 512², or 25 of
// 256²); with fromDisk the file's pages are evicted from the OS cache first.
func coldViewports(b *testing.B, variant int, fromDisk bool) {
	src, path, s := viewportSetup(b, variant)
	dst := image.NewRGBA(image.Rect(0, 0, 1024, 1024))
	var tiles atomic.Int64
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		if fromDisk {
			b.StopTimer()
			c0 := cpuTime()
			dropPageCache(b, path)
			cpu += cpuTime() - c0 // not the viewport's CPU
			b.StartTimer()
		}
		x, y := (i*7919*13+301)%(40000-1024), (i*104729+157)%(40000-1024)
		vr := render.NewViewportRenderer(src, render.NewTileCache(0))
		if err := vr.Render(context.Background(), dst, render.Viewport{Rect: image.Rect(x, y, x+1024, y+1024)}, s); err != nil {
			b.Fatal(err)
		}
		tiles.Add(vr.Cache().Stats().Misses)
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(tiles.Load())/float64(b.N), "tiles/op")
}

// BenchmarkRealViewport1024Cold: tiles read from the disk (page cache
// dropped for the file before each viewport), decoded and rendered.
func BenchmarkRealViewport1024Cold(b *testing.B) {
	for i, v := range variants40k {
		b.Run(v.name, func(b *testing.B) { coldViewports(b, i, true) })
	}
}

// BenchmarkRealViewport1024ColdPageCache: the same with the file's bytes in
// the OS page cache (a region viewed earlier, or a fast SSD): decode and
// render only.
func BenchmarkRealViewport1024ColdPageCache(b *testing.B) {
	for i, v := range variants40k {
		b.Run(v.name, func(b *testing.B) { coldViewports(b, i, false) })
	}
}

// BenchmarkRealViewport1024Cached re-renders a viewport whose tiles are all
// in the tile cache (panning back, or a settings change).
func BenchmarkRealViewport1024Cached(b *testing.B) {
	src, _, s := viewportSetup(b, 0)
	dst := image.NewRGBA(image.Rect(0, 0, 1024, 1024))
	vr := render.NewViewportRenderer(src, render.NewTileCache(0))
	vp := render.Viewport{Rect: image.Rect(12345, 23456, 12345+1024, 23456+1024)}
	if err := vr.Render(context.Background(), dst, vp, s); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		if err := vr.Render(context.Background(), dst, vp, s); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// buildBench times building the pyramid of an 8192×8192 uint16 plane that
// has none, and samples the heap to show memory stays bounded.
func buildBench(b *testing.B, name string, opts ome.WriteOptions) {
	buildBenchFile(b, benchFile(b, name, 8192, 8192, opts), 8192)
}

func buildBenchFile(b *testing.B, path string, side int) {
	r := open(b, path)
	cache := New(b.TempDir())
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
		}
	}()
	b.SetBytes(int64(side) * int64(side) * 2)
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, _, err := cache.BuildPlane(context.Background(), 1, r, 0, 0, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	st, _ := os.Stat(filepath.Join(cache.Dir(), "1", planeFile(0, 0, 0)))
	b.ReportMetric(float64(st.Size())/(1<<20), "pyramid-MB")
}

// BenchmarkBuildPyramid8192Strips: the source stores the plane in deflate
// strips (as most big TIFFs without pyramid do), so the pyramid includes a
// tiled copy of full resolution: 5 levels, 8192² down to 512².
func BenchmarkBuildPyramid8192Strips(b *testing.B) {
	buildBench(b, "real8192-deflate-strips-v1.ome.tif", ome.WriteOptions{})
}

// BenchmarkBuildPyramid8192Tiled: the source is tiled (512² deflate), so
// full resolution is served from it and 4 reduced levels are built.
func BenchmarkBuildPyramid8192Tiled(b *testing.B) {
	buildBench(b, "real8192-deflate-t512-v1.ome.tif", ome.WriteOptions{TileSize: 512})
}

// BenchmarkBuildPyramid40kTiled builds a pyramid from full resolution of
// the 40,000² deflate-t512 file (ignoring its own levels) to show that
// memory stays bounded whatever the plane's size (the plane is 3.2 GB).
// Run it with -benchtime 1x.
func BenchmarkBuildPyramid40kTiled(b *testing.B) {
	path := big40k(b, 0)
	buildBenchFile(b, path, 40000)
}
