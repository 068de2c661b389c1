package render

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/nfnt/resize"
	"github.com/ocular-lab/ocular/core/pixel"
)

// LevelInfo describes one resolution level of a tiled image; level 0 is full
// resolution. Tiles at the right and bottom edges may be smaller.
type LevelInfo struct {
	SizeX, SizeY int
	TileW, TileH int
}

// TileSource gives access to the tiles of a pyramidal image. ReadTile returns
// tile (tx, ty) of one channel of one plane: a plane of at most TileW x TileH
// pixels (exactly the part inside the image, or a full tile padded at the
// edges). Implementations must be safe for concurrent use.
type TileSource interface {
	Levels() []LevelInfo
	ReadTile(level, z, c, t, tx, ty int) (*pixel.Plane, error)
}

// Viewport is the part of a level to render: Rect is in that level's pixel
// coordinates; it may extend beyond the image, whose outside is left
// transparent.
type Viewport struct {
	Level int
	Z, T  int
	Rect  image.Rectangle
}

var sourceIDs atomic.Uint64

// ViewportRenderer renders viewports of a TileSource, fetching only the tiles
// a viewport needs, in parallel, through a bounded LRU TileCache.
type ViewportRenderer struct {
	src   TileSource
	cache *TileCache
	id    uint64
	r     *Renderer
	// Workers bounds the goroutines fetching and rendering tiles
	// (default: GOMAXPROCS, at least 4 so that I/O-bound sources overlap).
	Workers int
}

// NewViewportRenderer returns a renderer for src. A nil cache gets a private
// cache of DefaultTileCacheBytes.
func NewViewportRenderer(src TileSource, cache *TileCache) *ViewportRenderer {
	if cache == nil {
		cache = NewTileCache(0)
	}
	return &ViewportRenderer{src: src, cache: cache, id: sourceIDs.Add(1), r: NewRenderer()}
}

// Cache returns the tile cache in use.
func (v *ViewportRenderer) Cache() *TileCache { return v.cache }

// LevelFor returns the coarsest level whose resolution is still at least
// full resolution divided by downsample (downsample >= 1 when zoomed out).
func LevelFor(levels []LevelInfo, downsample float64) int {
	best := 0
	for i, l := range levels {
		if l.SizeX <= 0 {
			continue
		}
		if float64(levels[0].SizeX)/float64(l.SizeX) <= downsample*1.0001 {
			best = i
		}
	}
	return best
}

type cell struct {
	tileOrigin image.Point
	region     image.Rectangle // in level coordinates
	tx, ty     int
	planes     []*pixel.Plane
}

// Render renders the viewport vp with settings s into dst. When dst's size
// differs from vp.Rect's, the rendered level pixels are resampled to it
// (bilinear when shrinking, nearest-neighbour when enlarging).
func (v *ViewportRenderer) Render(ctx context.Context, dst *image.RGBA, vp Viewport, s *Settings) error {
	levels := v.src.Levels()
	if vp.Level < 0 || vp.Level >= len(levels) {
		return fmt.Errorf("level %d does not exist (the image has %d levels)", vp.Level, len(levels))
	}
	li := levels[vp.Level]
	if li.TileW <= 0 || li.TileH <= 0 || li.SizeX <= 0 || li.SizeY <= 0 {
		return fmt.Errorf("level %d has an invalid size %dx%d or tile size %dx%d", vp.Level, li.SizeX, li.SizeY, li.TileW, li.TileH)
	}
	if vp.Rect.Empty() || dst == nil || dst.Rect.Empty() {
		return errors.New("viewport and destination must not be empty")
	}
	if s == nil {
		return errors.New("no rendering settings given")
	}
	if int64(vp.Rect.Dx())*int64(vp.Rect.Dy()) > 1<<28 {
		return fmt.Errorf("viewport %dx%d is too large; render a coarser level", vp.Rect.Dx(), vp.Rect.Dy())
	}
	target := dst
	if dst.Rect.Dx() != vp.Rect.Dx() || dst.Rect.Dy() != vp.Rect.Dy() {
		target = image.NewRGBA(image.Rect(0, 0, vp.Rect.Dx(), vp.Rect.Dy()))
	}
	clip := vp.Rect.Intersect(image.Rect(0, 0, li.SizeX, li.SizeY))
	clearOutside(target, clip.Sub(vp.Rect.Min).Add(target.Rect.Min))

	var active []int
	for i := range s.Channels {
		if s.Channels[i].Active {
			active = append(active, i)
			if s.Model == Greyscale {
				break
			}
		}
	}
	if !clip.Empty() && len(active) > 0 {
		cells := v.cells(li, clip)
		if err := v.fetch(ctx, vp, cells, active); err != nil {
			return err
		}
		if err := v.renderCells(target, vp, cells, s); err != nil {
			return err
		}
	} else if !clip.Empty() {
		fillOpaqueBlack(target, clip.Sub(vp.Rect.Min).Add(target.Rect.Min))
	}
	if target != dst {
		filter := resize.Bilinear
		if dst.Rect.Dx() > target.Rect.Dx() {
			filter = resize.NearestNeighbor
		}
		scaled := toRGBA(resize.Resize(uint(dst.Rect.Dx()), uint(dst.Rect.Dy()), target, filter))
		for y := 0; y < dst.Rect.Dy(); y++ {
			copy(dst.Pix[dst.PixOffset(dst.Rect.Min.X, dst.Rect.Min.Y+y):][:4*dst.Rect.Dx()], scaled.Pix[y*scaled.Stride:])
		}
	}
	return nil
}

func (v *ViewportRenderer) cells(li LevelInfo, clip image.Rectangle) []*cell {
	var cells []*cell
	for ty := clip.Min.Y / li.TileH; ty*li.TileH < clip.Max.Y; ty++ {
		for tx := clip.Min.X / li.TileW; tx*li.TileW < clip.Max.X; tx++ {
			o := image.Pt(tx*li.TileW, ty*li.TileH)
			tile := image.Rectangle{o, o.Add(image.Pt(li.TileW, li.TileH))}
			cells = append(cells, &cell{tileOrigin: o, region: tile.Intersect(clip), tx: tx, ty: ty})
		}
	}
	return cells
}

func (v *ViewportRenderer) workers(n int) int {
	w := v.Workers
	if w <= 0 {
		w = max(runtime.GOMAXPROCS(0), 4)
	}
	return max(1, min(w, n))
}

// fetch loads every cell's tiles for the active channels, in parallel.
func (v *ViewportRenderer) fetch(ctx context.Context, vp Viewport, cells []*cell, active []int) error {
	type job struct {
		c  *cell
		ch int // index into active
	}
	var jobs []job
	for _, c := range cells {
		c.planes = make([]*pixel.Plane, len(active))
		for i := range active {
			k := tileKey{src: v.id, level: vp.Level, z: vp.Z, c: active[i], t: vp.T, tx: c.tx, ty: c.ty}
			if p := v.cache.cached(k); p != nil {
				c.planes[i] = p
			} else {
				jobs = append(jobs, job{c, i})
			}
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
	)
	for range v.workers(len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1) - 1)
				if j >= len(jobs) {
					return
				}
				if err := ctx.Err(); err != nil {
					errOnce.Do(func() { first = err })
					return
				}
				jb := jobs[j]
				ch := active[jb.ch]
				k := tileKey{src: v.id, level: vp.Level, z: vp.Z, c: ch, t: vp.T, tx: jb.c.tx, ty: jb.c.ty}
				p, err := v.cache.get(k, func() (*pixel.Plane, error) {
					return v.src.ReadTile(vp.Level, vp.Z, ch, vp.T, jb.c.tx, jb.c.ty)
				})
				if err != nil {
					errOnce.Do(func() {
						first = fmt.Errorf("reading tile (%d, %d) of level %d, channel %d: %w", jb.c.tx, jb.c.ty, vp.Level, ch+1, err)
					})
					return
				}
				jb.c.planes[jb.ch] = p
			}
		}()
	}
	wg.Wait()
	return first
}

// renderCells composites every cell into target, cells in parallel.
func (v *ViewportRenderer) renderCells(target *image.RGBA, vp Viewport, cells []*cell, s *Settings) error {
	var t pixel.Type
	for _, c := range cells {
		for i, p := range c.planes {
			need := c.region.Max.Sub(c.tileOrigin)
			if p == nil || p.Type.Size() == 0 || p.Width < need.X || p.Height < need.Y || len(p.Data) < p.Width*p.Height*p.Type.Size() {
				return fmt.Errorf("tile (%d, %d) of level %d is too small or empty: need %dx%d", c.tx, c.ty, vp.Level, need.X, need.Y)
			}
			if t == pixel.Invalid {
				t = p.Type
			} else if p.Type != t {
				return fmt.Errorf("tile (%d, %d) of level %d, active channel %d is %s but other tiles are %s", c.tx, c.ty, vp.Level, i+1, p.Type, t)
			}
		}
	}
	v.r.mu.Lock()
	defer v.r.mu.Unlock()
	tabs, _ := v.r.prepare(s, t)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range v.workers(len(cells)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j := int(next.Add(1) - 1)
				if j >= len(cells) {
					return
				}
				c := cells[j]
				dr := c.region.Sub(vp.Rect.Min).Add(target.Rect.Min)
				renderRegion(target, dr, c.planes, c.region.Min.Sub(c.tileOrigin), tabs, 1)
			}
		}()
	}
	wg.Wait()
	return nil
}

// clearOutside makes every pixel of img outside keep transparent.
func clearOutside(img *image.RGBA, keep image.Rectangle) {
	b := img.Rect
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:4*b.Dx()]
		if y < keep.Min.Y || y >= keep.Max.Y || keep.Empty() {
			clear(row)
			continue
		}
		clear(row[:4*max(0, keep.Min.X-b.Min.X)])
		clear(row[4*min(b.Dx(), max(0, keep.Max.X-b.Min.X)):])
	}
}

func fillOpaqueBlack(img *image.RGBA, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):][:4*r.Dx()]
		for i := 0; i < len(row); i += 4 {
			row[i], row[i+1], row[i+2], row[i+3] = 0, 0, 0, 255
		}
	}
}
