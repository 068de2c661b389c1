package render

import (
	"context"
	"encoding/binary"
	"image"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/ocular-lab/ocular/core/pixel"
)

// cameraPlanes makes n w x h uint16 planes that look like 12-bit camera data:
// a smooth signal with blobs plus noise, so the values a table sees are
// spread as in real images rather than uniform over 0..65535.
func cameraPlanes(n, w, h int) []*pixel.Plane {
	planes := make([]*pixel.Plane, n)
	rng := rand.New(rand.NewPCG(42, 7))
	for c := range planes {
		p, _ := pixel.NewPlane(pixel.Uint16, w, h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				bx, by := (x+c*97)%256-128, (y+c*53)%256-128
				v := 100 + 3000*max(0, 1-float64(bx*bx+by*by)/9000) + rng.Float64()*200
				binary.LittleEndian.PutUint16(p.Data[2*(y*w+x):], uint16(v))
			}
		}
		planes[c] = p
	}
	return planes
}

func fourChannelSettings() *Settings {
	cols := []Color{Blue, Green, Red, {255, 0, 255, 255}}
	s := &Settings{Model: RGB, CdEnd: 255}
	for c := 0; c < 4; c++ {
		s.Channels = append(s.Channels, ChannelSettings{Active: true, Start: 150, End: 2500 + float64(c)*100, Color: cols[c], Family: Linear, Coefficient: 1})
	}
	return s
}

var sink uint64

// cpuTime is the CPU time this process has used (all threads, user+system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureCPU reports CPU time per operation next to wall time: on a machine
// shared with other work, wall time grows with the load while CPU time
// mostly does not. Call it right before the b.Loop loop; the returned
// function reports after it.
func measureCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/1e6/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkRenderPlane2048x4 renders 4 uint16 channels of 2048x2048 with
// windows and colours; tables are built once before the timer.
func BenchmarkRenderPlane2048x4(b *testing.B) {
	planes := cameraPlanes(4, 2048, 2048)
	s := fourChannelSettings()
	r := NewRenderer()
	dst := image.NewRGBA(image.Rect(0, 0, 2048, 2048))
	if err := r.Render(dst, planes, s); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(4 * 2048 * 2048 * 2)
	b.ResetTimer()
	done := measureCPU(b)
	for b.Loop() {
		if err := r.Render(dst, planes, s); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// BenchmarkRenderPlane2048x3Uint8 renders an 8-bit RGB-like image (three
// 2048x2048 uint8 channels, red, green and blue), as brightfield cameras and
// PNG/JPEG imports give.
func BenchmarkRenderPlane2048x3Uint8(b *testing.B) {
	planes := make([]*pixel.Plane, 3)
	s := &Settings{Model: RGB, CdEnd: 255}
	for c, col := range []Color{Red, Green, Blue} {
		p, _ := pixel.NewPlane(pixel.Uint8, 2048, 2048)
		for i := range p.Data {
			p.Data[i] = uint8(i*7 + c*31 + i/2048)
		}
		planes[c] = p
		s.Channels = append(s.Channels, ChannelSettings{Active: true, Start: 10, End: 240, Color: col, Family: Linear, Coefficient: 1})
	}
	r := NewRenderer()
	dst := image.NewRGBA(image.Rect(0, 0, 2048, 2048))
	if err := r.Render(dst, planes, s); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(3 * 2048 * 2048)
	b.ResetTimer()
	done := measureCPU(b)
	for b.Loop() {
		if err := r.Render(dst, planes, s); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// BenchmarkReadFloor2048x4 is the memory-bandwidth floor of the render above:
// read the same 4 x 2048x2048 uint16 planes once and write every RGBA pixel
// once, with the same number of goroutines, doing nothing else.
func BenchmarkReadFloor2048x4(b *testing.B) {
	planes := cameraPlanes(4, 2048, 2048)
	dst := image.NewRGBA(image.Rect(0, 0, 2048, 2048))
	b.SetBytes(4 * 2048 * 2048 * 2)
	b.ResetTimer()
	done := measureCPU(b)
	for b.Loop() {
		parallelRows(2048, func(y0, y1 int) {
			var s uint64
			for y := y0; y < y1; y++ {
				var rows [4][]uint64
				for c := range rows {
					rows[c] = words(planes[c].Data[y*4096 : (y+1)*4096])
				}
				out := words(dst.Pix[y*dst.Stride : y*dst.Stride+4*2048])
				for i := range rows[0] {
					v := rows[0][i] + rows[1][i] + rows[2][i] + rows[3][i]
					s += v
					out[2*i] = v | 0xff000000ff000000
					out[2*i+1] = v | 0xff000000ff000000
				}
			}
			sink += s
		})
	}
	done()
}

// words views b (8-byte aligned, length a multiple of 8) as []uint64.
func words(b []byte) []uint64 {
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
}

// BenchmarkRerenderOneWindowChange2048x4 changes one channel's window and
// re-renders: one 16-bit table rebuild plus the render.
func BenchmarkRerenderOneWindowChange2048x4(b *testing.B) {
	planes := cameraPlanes(4, 2048, 2048)
	s := fourChannelSettings()
	r := NewRenderer()
	dst := image.NewRGBA(image.Rect(0, 0, 2048, 2048))
	if err := r.Render(dst, planes, s); err != nil {
		b.Fatal(err)
	}
	i := 0
	done := measureCPU(b)
	for b.Loop() {
		i++
		s.Channels[1].End = 2000 + float64(i%500)
		if err := r.Render(dst, planes, s); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// BenchmarkThumbnail96FromMemory renders a 96 px thumbnail of 4 x 2048x2048
// uint16 planes held in memory.
func BenchmarkThumbnail96FromMemory(b *testing.B) {
	planes := cameraPlanes(4, 2048, 2048)
	s := fourChannelSettings()
	r := NewRenderer()
	if _, err := r.RenderThumbnail(planes, s, 96); err != nil {
		b.Fatal(err)
	}
	done := measureCPU(b)
	for b.Loop() {
		if _, err := r.RenderThumbnail(planes, s, 96); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// The 40,000 x 40,000 pyramid of the viewport benchmarks: 4 uint16
// channels, 512 x 512 tiles, levels 40000, 20000, ... down to 625.
func bigPyramid() *synthSource { return newSynthSource(40000, 40000, 512, 512, 4, 1024) }

// BenchmarkViewport1024Cold renders a 1024x1024 viewport of level 0 at a new,
// unaligned position with an empty cache each time: 9 tile positions x 4
// channels are generated (fetched in parallel), then composited.
func BenchmarkViewport1024Cold(b *testing.B) {
	src := bigPyramid()
	s := fourChannelSettings()
	dst := image.NewRGBA(image.Rect(0, 0, 1024, 1024))
	i := 0
	done := measureCPU(b)
	for b.Loop() {
		i++
		x, y := (i*7919*13)%(40000-1024), (i*104729)%(40000-1024)
		vr := NewViewportRenderer(src, NewTileCache(0))
		if err := vr.Render(context.Background(), dst, Viewport{Level: 0, Rect: image.Rect(x, y, x+1024, y+1024)}, s); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// BenchmarkViewport1024Cached re-renders a 1024x1024 viewport of level 0
// whose tiles are all in the cache (panning back, or a settings change).
func BenchmarkViewport1024Cached(b *testing.B) {
	src := bigPyramid()
	s := fourChannelSettings()
	dst := image.NewRGBA(image.Rect(0, 0, 1024, 1024))
	vr := NewViewportRenderer(src, NewTileCache(0))
	vp := Viewport{Level: 0, Rect: image.Rect(12345, 23456, 12345+1024, 23456+1024)}
	if err := vr.Render(context.Background(), dst, vp, s); err != nil {
		b.Fatal(err)
	}
	done := measureCPU(b)
	for b.Loop() {
		if err := vr.Render(context.Background(), dst, vp, s); err != nil {
			b.Fatal(err)
		}
	}
	done()
}

// BenchmarkSynthTile is the cost of one 512x512 uint16 tile of the synthetic
// pyramid, the "decode" cost a cold viewport pays per tile.
func BenchmarkSynthTile(b *testing.B) {
	src := bigPyramid()
	b.SetBytes(512 * 512 * 2)
	i := 0
	done := measureCPU(b)
	for b.Loop() {
		i++
		if _, err := src.ReadTile(0, 0, i%4, 0, i%78, i%77); err != nil {
			b.Fatal(err)
		}
	}
	done()
}
