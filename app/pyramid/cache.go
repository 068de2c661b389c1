// Package pyramid gives big images the resolution levels a viewer needs.
//
// Files that carry a pyramid (OME-TIFF SubIFDs, OME-Zarr multiscales) are
// served from their own levels. A plane larger than MinSide on a side in a
// file without one gets a pyramid built in the repository's cache
// (<repo>/cache/pyramids/<imageID>/z<Z>-c<C>-t<T>.tif, one tiled,
// zstd-compressed BigTIFF per plane, levels halving until the longest side
// is at most SmallestSide). The cache holds only what can be regenerated
// from the original file: a missing pyramid is rebuilt by the first request
// that needs it, and a file appears under its name only when complete.
//
// Building reads the source plane band by band through
// formats.Reader.ReadRegion and downsamples as the rows stream past, so
// memory holds a few bands whatever the plane's size. Source, the
// render.TileSource over an image, likewise reads only the tiles a viewport
// asks for.
package pyramid

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

const (
	// MinSide: planes with a side longer than this and no pyramid of
	// their own get one built.
	MinSide = 3192
	// SmallestSide bounds the longest side of a built pyramid's smallest
	// level; thumbnails are drawn from it.
	SmallestSide = 512
	// TileSize is the side of the tiles of built pyramids, and of the tiles
	// served from levels stored in strips.
	TileSize = 256
	// formatVersion changes when the cache file layout does; files of
	// another version are rebuilt.
	formatVersion = 1
)

// Cache is the folder of built pyramids of one repository. Methods are safe
// for concurrent use.
type Cache struct{ dir string }

// New returns the cache rooted at dir (created when first written).
func New(dir string) *Cache { return &Cache{dir: dir} }

// ForRepository is the pyramid cache of a local repository folder.
func ForRepository(repoDir string) *Cache {
	return New(filepath.Join(repoDir, "cache", "pyramids"))
}

// Dir is the cache's folder.
func (c *Cache) Dir() string { return c.dir }

// Needed reports whether series s needs a built pyramid: it has none of its
// own and a plane side is longer than MinSide.
func Needed(s formats.Series) bool {
	return len(s.Levels) <= 1 && max(s.SizeX, s.SizeY) > MinSide
}

// LevelSizes lists the sizes of the levels of a pyramid built for a w×h
// plane: w×h, then each level half the one above (rounding up) until the
// longest side is at most SmallestSide.
func LevelSizes(w, h int) [][2]int {
	sizes := [][2]int{{w, h}}
	for max(w, h) > SmallestSide {
		w, h = (w+1)/2, (h+1)/2
		sizes = append(sizes, [2]int{w, h})
	}
	return sizes
}

// storesLevel0 reports whether the built pyramid keeps a tiled copy of full
// resolution: when the source stores it in strips, every tile read there
// would decode whole-width strips, so the copy makes level-0 viewports cheap.
func storesLevel0(s formats.Series) bool {
	return len(s.Levels) == 0 || s.Levels[0].TileWidth <= 0 || s.Levels[0].TileHeight <= 0
}

// fileDesc is the ImageDescription of a built pyramid file: what it was
// built from, so a stale or foreign file is rebuilt rather than shown.
type fileDesc struct {
	Ocular     string `json:"ocular"` // "pyramid"
	Version    int    `json:"version"`
	SizeX      int    `json:"sizeX"`
	SizeY      int    `json:"sizeY"`
	PixelType  string `json:"pixelType"`
	FirstLevel int    `json:"firstLevel"`
	Levels     int    `json:"levels"`
	Tile       int    `json:"tile"`
}

func descFor(s formats.Series) fileDesc {
	first := 1
	if storesLevel0(s) {
		first = 0
	}
	return fileDesc{Ocular: "pyramid", Version: formatVersion, SizeX: s.SizeX, SizeY: s.SizeY,
		PixelType: s.PixelType.String(), FirstLevel: first, Levels: len(LevelSizes(s.SizeX, s.SizeY)), Tile: TileSize}
}

func (d fileDesc) String() string {
	b, _ := json.Marshal(d)
	return string(b)
}

func planeFile(z, c, t int) string { return fmt.Sprintf("z%d-c%d-t%d.tif", z, c, t) }

func (c *Cache) imageDir(image core.ID) string {
	return filepath.Join(c.dir, strconv.FormatInt(int64(image), 10))
}

// Drop removes the pyramid of an image (after the image is deleted).
func (c *Cache) Drop(image core.ID) error {
	return os.RemoveAll(c.imageDir(image))
}

// BuildPlane builds (or rebuilds) the pyramid of plane (z, ch, t) of series
// si of r as the cache's pyramid of image. It returns the plane's smallest
// and largest finite sample, computed on the way.
func (c *Cache) BuildPlane(ctx context.Context, image core.ID, r formats.Reader, si, z, ch, t int) (lo, hi float64, err error) {
	s, err := series(r, si)
	if err != nil {
		return 0, 0, err
	}
	dir := c.imageDir(image)
	if err := os.MkdirAll(dir, diskmode.Dir()); err != nil {
		return 0, 0, cacheError(err)
	}
	return buildPlane(ctx, r, si, s, z, ch, t, filepath.Join(dir, planeFile(z, ch, t)))
}

func series(r formats.Reader, si int) (formats.Series, error) {
	ss := r.Series()
	if si < 0 || si >= len(ss) {
		return formats.Series{}, fmt.Errorf("series %d does not exist (the file has %d)", si, len(ss))
	}
	s := ss[si]
	if s.SizeX <= 0 || s.SizeY <= 0 || s.SizeZ <= 0 || s.SizeC <= 0 || s.SizeT <= 0 || s.PixelType.Size() == 0 {
		return s, fmt.Errorf("series %d has invalid dimensions %dx%d z%d c%d t%d of %s", si, s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT, s.PixelType)
	}
	return s, formats.CheckDimensions(s)
}

func cacheError(err error) error {
	if err == nil {
		return nil
	}
	return core.E("pyramid cache", core.IO, err)
}

// Staged is a pyramid built during import, before its image has an ID: it
// lives in a staging folder of the cache until Commit moves it under the
// image's ID, or Discard removes it.
type Staged struct {
	cache *Cache
	dir   string
	s     formats.Series
	// Min and Max are each channel's smallest and largest sample over every
	// plane, computed while building.
	Min, Max []float64
}

// stagingPrefix names staging folders; Stage removes those older than a day
// (left by a crash).
const stagingPrefix = ".staging-"

// Stage builds the pyramid of every plane of series si of r in a staging
// folder. On error nothing is left behind.
func (c *Cache) Stage(ctx context.Context, r formats.Reader, si int) (*Staged, error) {
	s, err := series(r, si)
	if err != nil {
		return nil, err
	}
	if err := formats.CheckStreamedPlane(s.SizeX, s.SizeY, s.PixelType); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(c.dir, diskmode.Dir()); err != nil {
		return nil, cacheError(err)
	}
	c.removeStaleStaging(24 * time.Hour)
	dir, err := os.MkdirTemp(c.dir, stagingPrefix)
	if err != nil {
		return nil, cacheError(err)
	}
	st := &Staged{cache: c, dir: dir, s: s, Min: make([]float64, s.SizeC), Max: make([]float64, s.SizeC)}
	for ch := 0; ch < s.SizeC; ch++ {
		first := true
		for t := 0; t < s.SizeT; t++ {
			for z := 0; z < s.SizeZ; z++ {
				lo, hi, err := buildPlane(ctx, r, si, s, z, ch, t, filepath.Join(dir, planeFile(z, ch, t)))
				if err != nil {
					st.Discard()
					return nil, err
				}
				if first || lo < st.Min[ch] {
					st.Min[ch] = lo
				}
				if first || hi > st.Max[ch] {
					st.Max[ch] = hi
				}
				first = false
			}
		}
	}
	return st, nil
}

// ReadSmallest reads plane (z, c, t) of the staged pyramid's smallest level
// (at most SmallestSide on its longest side), for the import thumbnail.
func (st *Staged) ReadSmallest(z, c, t int) (*pixel.Plane, error) {
	f, fh, err := openPlaneFile(filepath.Join(st.dir, planeFile(z, c, t)), descFor(st.s))
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	ifds := f.IFDs()
	return f.ReadPlane(ifds[len(ifds)-1], 0)
}

// Commit moves the staged pyramid under image's ID, file by file (each
// rename is atomic), replacing any stale files there.
func (st *Staged) Commit(image core.ID) error {
	dst := st.cache.imageDir(image)
	if err := os.MkdirAll(dst, diskmode.Dir()); err != nil {
		return cacheError(err)
	}
	ents, err := os.ReadDir(st.dir)
	if err != nil {
		return cacheError(err)
	}
	for _, e := range ents {
		if err := os.Rename(filepath.Join(st.dir, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return cacheError(err)
		}
	}
	return cacheError(os.Remove(st.dir))
}

// Discard removes the staged pyramid.
func (st *Staged) Discard() { os.RemoveAll(st.dir) }

func (c *Cache) removeStaleStaging(age time.Duration) {
	ents, _ := os.ReadDir(c.dir)
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), stagingPrefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			os.RemoveAll(filepath.Join(c.dir, e.Name()))
		}
	}
}

var errStale = errors.New("the cached pyramid was built from another version of the image")
