package pyramid

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// bandBytes bounds the part of the source plane read at once.
const bandBytes = 32 << 20

// buildLevel is the streaming state of one level while a pyramid is built:
// rows arrive top to bottom; stored levels collect a band of TileSize rows
// before writing its tiles; every level but the last pairs its rows and
// hands their average to the next.
type buildLevel struct {
	w, h     int
	page     int // page in the file, -1 when the level is not stored
	band     []byte
	bandRows int
	pending  []byte // the even row waiting for its odd partner
	half     []byte // the averaged row handed to the next level
	y        int    // rows received
}

type builder struct {
	typ    pixel.Type
	levels []*buildLevel
	tw     *tileWriter
}

func (b *builder) push(k int, row []byte) error {
	l := b.levels[k]
	rowBytes := l.w * b.typ.Size()
	if l.page >= 0 {
		copy(l.band[l.bandRows*rowBytes:], row[:rowBytes])
		l.bandRows++
		if l.bandRows == TileSize || l.y == l.h-1 {
			if err := b.tw.writeBand(l.page, l.y/TileSize, l.band, l.bandRows); err != nil {
				return err
			}
			l.bandRows = 0
		}
	}
	var err error
	if k+1 < len(b.levels) {
		switch {
		case l.y%2 == 0 && l.y == l.h-1: // odd height: the last row stands alone
			halveRows(b.typ, l.w, row, nil, l.half)
			err = b.push(k+1, l.half)
		case l.y%2 == 0:
			copy(l.pending, row[:rowBytes])
		default:
			halveRows(b.typ, l.w, l.pending, row, l.half)
			err = b.push(k+1, l.half)
		}
	}
	l.y++
	return err
}

// buildPlane writes the pyramid of plane (z, c, t) of series si to path,
// through a temporary file renamed into place when complete, and returns
// the plane's finite minimum and maximum.
func buildPlane(ctx context.Context, r formats.Reader, si int, s formats.Series, z, c, t int, path string) (lo, hi float64, err error) {
	if z < 0 || z >= s.SizeZ || c < 0 || c >= s.SizeC || t < 0 || t >= s.SizeT {
		return 0, 0, fmt.Errorf("plane z=%d c=%d t=%d does not exist in a %d×%d×%d (Z×C×T) image", z, c, t, s.SizeZ, s.SizeC, s.SizeT)
	}
	fail := func(err error) (float64, float64, error) {
		return 0, 0, fmt.Errorf("building the pyramid of plane z=%d c=%d t=%d: %w", z, c, t, err)
	}
	// Building streams the plane band by band and keeps a band of rows per
	// level: a plane over the budget is refused before anything is read.
	if err := formats.CheckStreamedPlane(s.SizeX, s.SizeY, s.PixelType); err != nil {
		return fail(err)
	}
	desc := descFor(s)
	sizes := LevelSizes(s.SizeX, s.SizeY)
	if len(sizes) < 2 && desc.FirstLevel == 1 {
		return fail(fmt.Errorf("a %d×%d plane needs no pyramid", s.SizeX, s.SizeY))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".building-*.tif")
	if err != nil {
		return fail(cacheError(err))
	}
	// CreateTemp makes 0600 files; a shared repository's group reads them too.
	if err := tmp.Chmod(diskmode.File()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fail(cacheError(err))
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	tw, err := newTileWriter(tmp, s.PixelType, TileSize, sizes[desc.FirstLevel:])
	if err != nil {
		return fail(err)
	}
	defer tw.close()
	b := &builder{typ: s.PixelType, tw: tw}
	bpp := s.PixelType.Size()
	for i, sz := range sizes {
		l := &buildLevel{w: sz[0], h: sz[1], page: i - desc.FirstLevel}
		if l.page >= 0 {
			l.band = make([]byte, TileSize*l.w*bpp)
		}
		if i+1 < len(sizes) {
			l.pending = make([]byte, l.w*bpp)
			l.half = make([]byte, sizes[i+1][0]*bpp)
		}
		b.levels = append(b.levels, l)
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	err = readBands(ctx, r, si, s, z, c, t, func(band *pixel.Plane) error {
		a, b2 := bandMinMax(band)
		lo, hi = min(lo, a), max(hi, b2)
		rowBytes := band.Width * bpp
		for y := 0; y < band.Height; y++ {
			if err := b.push(0, band.Data[y*rowBytes:][:rowBytes]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	for i, l := range b.levels {
		if l.y != l.h {
			return fail(fmt.Errorf("level %d received %d of its %d rows", i, l.y, l.h))
		}
	}
	if err := tw.finish(desc.String()); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(cacheError(err))
	}
	if err := tmp.Close(); err != nil {
		return fail(cacheError(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fail(cacheError(err))
	}
	done = true
	if lo > hi {
		lo, hi = 0, 0 // no finite sample
	}
	return lo, hi, nil
}

// readBands reads the full-resolution plane top to bottom in bands of whole
// rows, aligned to the source's tiles, bounded by bandBytes, and calls fn on
// each in order. The next band is read while fn works on the current one.
func readBands(ctx context.Context, r formats.Reader, si int, s formats.Series, z, c, t int, fn func(*pixel.Plane) error) error {
	rows := max(1, min(1024, bandBytes/(s.SizeX*s.PixelType.Size())))
	if len(s.Levels) > 0 && s.Levels[0].TileHeight > 0 {
		// Bands aligned to tiles read each tile once; a file's tiles so
		// tall that a band of them is over 4 bands' worth are not followed.
		if th := s.Levels[0].TileHeight; int64(th)*int64(s.SizeX*s.PixelType.Size()) <= 4*bandBytes {
			rows = max(th, rows/th*th)
		}
	}
	type band struct {
		y   int
		p   *pixel.Plane
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	ch := make(chan band, 1)
	go func() {
		defer close(ch)
		for y := 0; y < s.SizeY; y += rows {
			var b band
			if err := ctx.Err(); err != nil {
				b.err = err
			} else {
				rect := image.Rect(0, y, s.SizeX, min(s.SizeY, y+rows))
				b.y = y
				b.p, b.err = r.ReadRegion(si, 0, z, c, t, rect)
				if errors.Is(b.err, io.ErrUnexpectedEOF) || errors.Is(b.err, io.EOF) {
					b.err = fmt.Errorf("reading rows %d–%d: the image file ends early (it is truncated or damaged; re-import it from the original): %w", rect.Min.Y, rect.Max.Y-1, b.err)
				} else if b.err != nil {
					b.err = fmt.Errorf("reading rows %d–%d: %w", rect.Min.Y, rect.Max.Y-1, b.err)
				} else if b.p == nil || b.p.Type != s.PixelType || b.p.Width != rect.Dx() || b.p.Height != rect.Dy() || len(b.p.Data) < rect.Dx()*rect.Dy()*s.PixelType.Size() {
					b.err = fmt.Errorf("reading rows %d–%d: the reader returned a plane of the wrong size or type", rect.Min.Y, rect.Max.Y-1)
				}
			}
			select {
			case ch <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	defer func() {
		cancel()
		for range ch { // let the reading goroutine finish before returning
		}
	}()
	for b := range ch {
		if b.err != nil {
			return b.err
		}
		if err := fn(b.p); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// bandMinMax is the minimum and maximum of a band, telling an all-zero band
// from one without finite samples (pixel.Plane.MinMax gives 0, 0 for both).
func bandMinMax(p *pixel.Plane) (float64, float64) {
	lo, hi := p.MinMax()
	if lo == 0 && hi == 0 {
		// MinMax gives 0, 0 both for an all-zero band and for one without
		// finite samples; only the first counts.
		for y := 0; y < p.Height; y++ {
			for x := 0; x < p.Width; x++ {
				if v := p.At(x, y); !math.IsNaN(v) && !math.IsInf(v, 0) {
					return 0, 0
				}
			}
		}
		return math.Inf(1), math.Inf(-1)
	}
	return lo, hi
}
