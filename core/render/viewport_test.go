package render

import (
	"context"
	"errors"
	"image"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

func threeChannelSettings() *Settings {
	return &Settings{Model: RGB, CdEnd: 255, Channels: []ChannelSettings{
		{Active: true, Start: 150, End: 3000, Color: Red, Family: Linear, Coefficient: 1},
		{Active: true, Start: 300, End: 2500, Color: Green, Family: Polynomial, Coefficient: 0.7},
		{Active: true, Start: 100, End: 3500, Color: Blue, Family: Linear, Coefficient: 1, LUT: "fire"},
	}}
}

func TestViewportMatchesFullRender(t *testing.T) {
	for _, pad := range []bool{false, true} {
		src := newSynthSource(1000, 700, 128, 96, 3, 200)
		src.padEdges = pad
		s := threeChannelSettings()
		for level := 0; level < 2; level++ {
			li := src.Levels()[level]
			full := image.NewRGBA(image.Rect(0, 0, li.SizeX, li.SizeY))
			planes := []*pixel.Plane{src.fullPlane(level, 0), src.fullPlane(level, 1), src.fullPlane(level, 2)}
			if err := NewRenderer().Render(full, planes, s); err != nil {
				t.Fatal(err)
			}
			// A viewport overlapping the top-left corner and one over the bottom-right edge.
			for _, rect := range []image.Rectangle{image.Rect(-20, -10, 300, 250), image.Rect(li.SizeX-150, li.SizeY-77, li.SizeX+30, li.SizeY+5)} {
				vr := NewViewportRenderer(src, nil)
				dst := image.NewRGBA(image.Rect(0, 0, rect.Dx(), rect.Dy()))
				if err := vr.Render(context.Background(), dst, Viewport{Level: level, Rect: rect}, s); err != nil {
					t.Fatal(err)
				}
				for y := rect.Min.Y; y < rect.Max.Y; y++ {
					for x := rect.Min.X; x < rect.Max.X; x++ {
						got := dst.RGBAAt(x-rect.Min.X, y-rect.Min.Y)
						inside := image.Pt(x, y).In(full.Rect)
						if !inside {
							if got.A != 0 {
								t.Fatalf("pad=%v level %d: pixel (%d, %d) outside the image is %v, want transparent", pad, level, x, y, got)
							}
							continue
						}
						if want := full.RGBAAt(x, y); got != want {
							t.Fatalf("pad=%v level %d rect %v: pixel (%d, %d) = %v, full render %v", pad, level, rect, x, y, got, want)
						}
					}
				}
			}
		}
	}
}

func TestViewportFetchesOnlyNeededTilesOnce(t *testing.T) {
	src := newSynthSource(4096, 4096, 256, 256, 4, 512)
	s := threeChannelSettings()
	s.Channels = append(s.Channels, ChannelSettings{Active: false, Start: 0, End: 1000, Color: White, Family: Linear, Coefficient: 1})
	vr := NewViewportRenderer(src, NewTileCache(64<<20))
	dst := image.NewRGBA(image.Rect(0, 0, 600, 400))
	vp := Viewport{Level: 0, Rect: image.Rect(1000, 1000, 1600, 1400)}
	if err := vr.Render(context.Background(), dst, vp, s); err != nil {
		t.Fatal(err)
	}
	// Columns 3..6 (768..1791) and rows 3..5 (768..1535): 4 x 3 tiles, 3 active channels.
	if got := src.reads.Load(); got != 4*3*3 {
		t.Fatalf("first render read %d tiles, want %d (only the active channels' tiles under the viewport)", got, 4*3*3)
	}
	if err := vr.Render(context.Background(), dst, vp, s); err != nil {
		t.Fatal(err)
	}
	if got := src.reads.Load(); got != 36 {
		t.Fatalf("second render of the same viewport read %d more tiles, want none", got-36)
	}
	if st := vr.Cache().Stats(); st.Tiles != 36 || st.Hits < 36 {
		t.Fatalf("cache stats %+v, want 36 tiles and at least 36 hits", st)
	}
}

func TestViewportScaledOutput(t *testing.T) {
	src := newSynthSource(2000, 1000, 256, 256, 3, 500)
	vr := NewViewportRenderer(src, nil)
	for _, size := range []image.Point{{100, 50}, {800, 400}} {
		dst := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		if err := vr.Render(context.Background(), dst, Viewport{Level: 1, Rect: image.Rect(0, 0, 400, 200)}, threeChannelSettings()); err != nil {
			t.Fatal(err)
		}
		for i := 3; i < len(dst.Pix); i += 4 {
			if dst.Pix[i] != 255 {
				t.Fatalf("%v: pixel %d inside the image is not opaque", size, i/4)
			}
		}
	}
}

func TestViewportErrors(t *testing.T) {
	src := newSynthSource(1000, 1000, 256, 256, 3, 300)
	src.fail = func(level, c, tx, ty int) error {
		if tx == 1 && ty == 1 {
			return errors.New("tile data is truncated")
		}
		return nil
	}
	vr := NewViewportRenderer(src, nil)
	dst := image.NewRGBA(image.Rect(0, 0, 500, 500))
	err := vr.Render(context.Background(), dst, Viewport{Level: 0, Rect: image.Rect(0, 0, 500, 500)}, threeChannelSettings())
	if err == nil || !strings.Contains(err.Error(), "tile (1, 1)") || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("error = %v, want one naming tile (1, 1) and the cause", err)
	}
	if err := vr.Render(context.Background(), dst, Viewport{Level: 9, Rect: image.Rect(0, 0, 5, 5)}, threeChannelSettings()); err == nil {
		t.Fatal("rendering a missing level gave no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src.fail = nil
	if err := vr.Render(ctx, dst, Viewport{Level: 0, Rect: image.Rect(500, 500, 1000, 1000)}, threeChannelSettings()); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled render returned %v, want context.Canceled", err)
	}
}

func TestTileCacheStaysWithinItsBound(t *testing.T) {
	c := NewTileCache(10 * (2*256*256 + 64))
	for i := 0; i < 50; i++ {
		_, err := c.get(tileKey{tx: i}, func() (*pixel.Plane, error) { return pixel.NewPlane(pixel.Uint16, 256, 256) })
		if err != nil {
			t.Fatal(err)
		}
	}
	st := c.Stats()
	if st.Bytes > st.Max || st.Tiles != 10 {
		t.Fatalf("stats %+v: want 10 tiles within the bound", st)
	}
	// The most recent tiles are kept, the oldest evicted.
	if c.cached(tileKey{tx: 49}) == nil || c.cached(tileKey{tx: 0}) != nil {
		t.Fatal("LRU order not respected")
	}
}

func TestTileCacheFetchesAMissingTileOnce(t *testing.T) {
	c := NewTileCache(0)
	var calls int
	release := make(chan struct{})
	const n = 8
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.get(tileKey{tx: 1}, func() (*pixel.Plane, error) {
				calls++
				<-release
				return pixel.NewPlane(pixel.Uint8, 4, 4)
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	// Wait until every other goroutine waits on the one fetch in flight.
	for c.waiting.Load() < n-1 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	if calls != 1 {
		t.Fatalf("fetch called %d times, want 1", calls)
	}
}
