package pyramid

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sync"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// Source serves the levels of one image as a render.TileSource: the file's
// own levels when it has a pyramid (or is small enough not to need one),
// else full resolution from the file (or from the cache's tiled copy when
// the file stores it in strips) and the reduced levels from the cache
// pyramid, which is built for a plane the first time one of its tiles is
// asked for and is missing, stale or unreadable.
//
// Every read goes through ReadRegion for exactly the tile asked for, so a
// viewport costs the tiles it covers. Source is safe for concurrent use.
type Source struct {
	r      formats.Reader
	si     int
	s      formats.Series
	cache  *Cache
	image  core.ID
	levels []render.LevelInfo
	desc   fileDesc
	// fromReader is how many leading levels are read from r; the others
	// are pages of the cache file, the first being level desc.FirstLevel.
	fromReader int

	mu     sync.Mutex
	planes map[[3]int]*cachedPlane
	closed bool
}

// cachedPlane is the open cache file of one plane, or why it could not be
// built; its mutex makes concurrent first requests build the file once.
type cachedPlane struct {
	mu  sync.Mutex
	f   *tiff.File
	fh  *os.File
	err error
}

var _ render.TileSource = (*Source)(nil)

// Open returns the tile source of series si of r, shown as image, with
// built pyramids in repoCacheDir/pyramids (repoCacheDir is the
// repository's cache folder, <repo>/cache). The caller keeps r open while
// the source is used and closes both.
func Open(repoCacheDir string, image core.ID, r formats.Reader, si int) (*Source, error) {
	return New(filepath.Join(repoCacheDir, "pyramids")).Open(image, r, si)
}

// Open returns the tile source of series si of r, shown as image. A nil
// cache serves the file's own levels only.
func (c *Cache) Open(image core.ID, r formats.Reader, si int) (*Source, error) {
	s, err := series(r, si)
	if err != nil {
		return nil, err
	}
	src := &Source{r: r, si: si, s: s, cache: c, image: image, planes: map[[3]int]*cachedPlane{}}
	if c == nil || !Needed(s) {
		levels := s.Levels
		if len(levels) == 0 {
			levels = []formats.Level{{SizeX: s.SizeX, SizeY: s.SizeY}}
		}
		for _, l := range levels {
			if l.SizeX <= 0 || l.SizeY <= 0 {
				return nil, fmt.Errorf("pyramid level of %d×%d pixels is invalid", l.SizeX, l.SizeY)
			}
			tw, th := readerTile(l)
			src.levels = append(src.levels, render.LevelInfo{SizeX: l.SizeX, SizeY: l.SizeY, TileW: tw, TileH: th})
		}
		src.fromReader = len(src.levels)
		return src, nil
	}
	src.desc = descFor(s)
	src.fromReader = src.desc.FirstLevel
	for i, sz := range LevelSizes(s.SizeX, s.SizeY) {
		tw, th := TileSize, TileSize
		if i < src.fromReader {
			tw, th = readerTile(s.Levels[0])
		}
		src.levels = append(src.levels, render.LevelInfo{SizeX: sz[0], SizeY: sz[1], TileW: tw, TileH: th})
	}
	return src, nil
}

// readerTile is the tile served from a level of the file: its natural tile
// or chunk when that is a sensible read unit; for strips, whole-width bands
// (a strip is decoded whole, so narrower tiles would decode it again for
// each), up to 4096 pixels wide.
func readerTile(l formats.Level) (int, int) {
	switch {
	case l.TileWidth >= 16 && l.TileHeight >= 16 && l.TileWidth <= 2048 && l.TileHeight <= 2048:
		return l.TileWidth, l.TileHeight
	case l.TileWidth > 0 && l.TileHeight > 0: // tiny or huge chunks
		return 2 * TileSize, 2 * TileSize
	case l.SizeX <= 4096:
		return l.SizeX, TileSize
	}
	return 4 * TileSize, TileSize
}

// Levels implements render.TileSource.
func (s *Source) Levels() []render.LevelInfo { return s.levels }

// LevelAtLeast returns the smallest level whose longest side is at least
// side pixels (level 0 when none is that large): the level to draw a
// thumbnail from, e.g. LevelAtLeast(256) for a 96 px thumbnail, as import
// does.
func (s *Source) LevelAtLeast(side int) int {
	best := 0
	for i, l := range s.levels {
		if max(l.SizeX, l.SizeY) >= side {
			best = i
		}
	}
	return best
}

// Series is the image's metadata.
func (s *Source) Series() formats.Series { return s.s }

// Built reports whether the reduced levels come from a pyramid built in
// the cache (false when the file has its own, or the image is small).
func (s *Source) Built() bool { return s.fromReader < len(s.levels) }

// ReadTile implements render.TileSource: the part of tile (tx, ty) inside
// the level.
func (s *Source) ReadTile(level, z, c, t, tx, ty int) (*pixel.Plane, error) {
	if level < 0 || level >= len(s.levels) {
		return nil, fmt.Errorf("level %d does not exist (the image has %d)", level, len(s.levels))
	}
	l := s.levels[level]
	rect := image.Rect(tx*l.TileW, ty*l.TileH, (tx+1)*l.TileW, (ty+1)*l.TileH).Intersect(image.Rect(0, 0, l.SizeX, l.SizeY))
	if tx < 0 || ty < 0 || rect.Empty() {
		return nil, fmt.Errorf("tile (%d, %d) is outside level %d (%d×%d)", tx, ty, level, l.SizeX, l.SizeY)
	}
	return s.ReadRegion(level, z, c, t, rect)
}

// ReadRegion reads rectangle rect (in the level's pixel coordinates) of
// plane (z, c, t) at a level, for exports and thumbnails. A whole level is
// ReadRegion(level, z, c, t, image.Rect(0, 0, SizeX, SizeY)).
func (s *Source) ReadRegion(level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	if level < 0 || level >= len(s.levels) {
		return nil, fmt.Errorf("level %d does not exist (the image has %d)", level, len(s.levels))
	}
	if z < 0 || z >= s.s.SizeZ || c < 0 || c >= s.s.SizeC || t < 0 || t >= s.s.SizeT {
		return nil, fmt.Errorf("plane z=%d c=%d t=%d does not exist in a %d×%d×%d (Z×C×T) image", z, c, t, s.s.SizeZ, s.s.SizeC, s.s.SizeT)
	}
	l := s.levels[level]
	if rect.Empty() || !rect.In(image.Rect(0, 0, l.SizeX, l.SizeY)) {
		return nil, fmt.Errorf("region %v is outside level %d (%d×%d)", rect, level, l.SizeX, l.SizeY)
	}
	if level < s.fromReader {
		return s.r.ReadRegion(s.si, level, z, c, t, rect)
	}
	f, err := s.plane(z, c, t)
	if err != nil {
		return nil, err
	}
	return f.ReadRegion(f.IFDs()[level-s.desc.FirstLevel], 0, rect)
}

// plane returns the open cache file of a plane, building it when missing.
// A failed build is remembered for the life of the Source, so a broken
// file is not re-read for every tile of a viewport.
func (s *Source) plane(z, c, t int) (*tiff.File, error) {
	k := [3]int{z, c, t}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errors.New("the image's tile source is closed")
	}
	e := s.planes[k]
	if e == nil {
		e = &cachedPlane{}
		s.planes[k] = e
	}
	s.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.f != nil || e.err != nil {
		return e.f, e.err
	}
	path := filepath.Join(s.cache.imageDir(s.image), planeFile(z, c, t))
	f, fh, err := openPlaneFile(path, s.desc)
	if err != nil {
		// Missing (the cache was deleted), stale or damaged: rebuild.
		if _, _, err := s.cache.BuildPlane(context.Background(), s.image, s.r, s.si, z, c, t); err != nil {
			e.err = err
			return nil, err
		}
		if f, fh, err = openPlaneFile(path, s.desc); err != nil {
			e.err = err
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		fh.Close()
		return nil, errors.New("the image's tile source is closed")
	}
	e.f, e.fh = f, fh
	return f, nil
}

// Close closes the cache files the source opened. It does not close the
// reader.
func (s *Source) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var first error
	for _, e := range s.planes {
		if e.fh != nil {
			if err := e.fh.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// openPlaneFile opens a built pyramid file and checks that it is the one
// want describes, level by level.
func openPlaneFile(path string, want fileDesc) (*tiff.File, *os.File, error) {
	f, fh, err := tiff.OpenFile(path)
	if err != nil {
		return nil, nil, err
	}
	bad := func(why string) (*tiff.File, *os.File, error) {
		fh.Close()
		return nil, nil, fmt.Errorf("%s: %w (%s)", path, errStale, why)
	}
	ifds := f.IFDs()
	sizes := LevelSizes(want.SizeX, want.SizeY)[want.FirstLevel:]
	if len(ifds) != len(sizes) {
		return bad(fmt.Sprintf("%d levels instead of %d", len(ifds), len(sizes)))
	}
	var got fileDesc
	if err := json.Unmarshal([]byte(ifds[0].ImageDescription), &got); err != nil || got != want {
		return bad("its description differs")
	}
	for i, d := range ifds {
		if d.Width != sizes[i][0] || d.Height != sizes[i][1] || d.TileWidth != TileSize || d.TileHeight != TileSize || d.PixelType.String() != want.PixelType {
			return bad(fmt.Sprintf("level %d is %d×%d", i+want.FirstLevel, d.Width, d.Height))
		}
	}
	return f, fh, nil
}
