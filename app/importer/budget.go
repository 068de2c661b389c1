package importer

import (
	"context"
	"fmt"
	"image"
	"math"
	"sync"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// statsBandBytes bounds the rows of a plane read at once for statistics.
const statsBandBytes = 32 << 20

// Pixels streamed at import are bounded by the bytes of the files too: no
// real image stores more than maxPixelsPerByte pixels per byte (deflate
// cannot exceed about 1032:1, and microscopy rarely 50:1), so a few
// kilobytes claiming billions of pixels in sparse strips or missing chunks
// are refused instead of streamed for minutes; freeStreamedPixels lets a
// small file hold a small image of a single value.
const (
	maxPixelsPerByte   = 4096
	freeStreamedPixels = 1 << 24
)

// checkBudget refuses, before any file is copied, a file whose import
// would read more than the memory budget allows (formats/limits.go): too
// many planes or channels, a plane that must be streamed whole (to build
// its pyramid or compute its statistics) and is too big for that, or more
// pixels to stream than the files' bytes (fileBytes) can hold.
func checkBudget(series []formats.Series, fileBytes int64, opts Options, pyrs *pyramid.Cache) error {
	var streamed int64
	for i, s := range series {
		n, err := seriesBudget(s, opts, pyrs)
		if err != nil {
			if len(series) > 1 {
				err = fmt.Errorf("image %d of the file: %w", i, err)
			}
			return err
		}
		streamed += n
		if streamed < 0 {
			streamed = 1<<63 - 1
		}
	}
	if limit := fileBytes*maxPixelsPerByte + freeStreamedPixels; fileBytes >= 0 && fileBytes < 1<<40 && streamed > limit {
		return formats.TooLarge("the file claims %d pixels in %d bytes, more than %d pixels per byte, which no real image compresses to; it is damaged or was made to exhaust memory (if it is genuine, convert it to OME-TIFF and import that)", streamed, fileBytes, maxPixelsPerByte)
	}
	return nil
}

// seriesBudget checks one series and returns how many pixels its import
// streams.
func seriesBudget(s formats.Series, opts Options, pyrs *pyramid.Cache) (int64, error) {
	if err := formats.CheckDimensions(s); err != nil {
		return 0, err
	}
	planes := int64(s.SizeZ) * int64(s.SizeC) * int64(s.SizeT) // bounded by CheckDimensions
	if pyramid.Needed(s) && (pyrs != nil || !opts.SkipMinMax) {
		if err := formats.CheckStreamedPlane(s.SizeX, s.SizeY, s.PixelType); err != nil {
			return 0, err
		}
		return planes * int64(s.SizeX) * int64(s.SizeY), nil
	}
	if !opts.SkipMinMax {
		l, err := statsLevel(s)
		if err != nil {
			return 0, err
		}
		w, h := s.SizeX, s.SizeY
		if l > 0 {
			w, h = s.Levels[l].SizeX, s.Levels[l].SizeY
		}
		if n, ok := formats.MulChecked(planes, int64(w), int64(h)); ok {
			return n, nil
		}
		return 1<<63 - 1, nil
	}
	return 0, nil
}

// statsLevel is the pyramid level whose planes give the statistics: full
// resolution, or, for a plane too big to stream whose file has its own
// pyramid, the largest level within the budget (min and max of a reduced
// level are those of the image up to the averaging of its writer).
func statsLevel(s formats.Series) (int, error) {
	first := formats.CheckStreamedPlane(s.SizeX, s.SizeY, s.PixelType)
	if first == nil {
		return 0, nil
	}
	for l := 1; l < len(s.Levels); l++ {
		lv := s.Levels[l]
		if lv.SizeX > 0 && lv.SizeY > 0 && formats.CheckStreamedPlane(lv.SizeX, lv.SizeY, s.PixelType) == nil {
			return l, nil
		}
	}
	return 0, first
}

// channelMinMax reads every plane of channel c, at the statistics level, in
// bands of rows, so memory stays at one band whatever the plane's size.
// A whole plane read in one band is offered to grab (nil: none wanted). A
// whole plane whose bytes are kept is viewed there instead of read.
func channelMinMax(ctx context.Context, r formats.Reader, si int, s formats.Series, c int, kept keptBytes, grab *thumbGrab) (float64, float64, error) {
	level, err := statsLevel(s)
	if err != nil {
		return 0, 0, err
	}
	w, h := s.SizeX, s.SizeY
	if level > 0 {
		w, h = s.Levels[level].SizeX, s.Levels[level].SizeY
	}
	rows := max(1, min(h, statsBandBytes/(w*s.PixelType.Size())))
	lo, hi := math.Inf(1), math.Inf(-1)
	for t := 0; t < s.SizeT; t++ {
		for z := 0; z < s.SizeZ; z++ {
			for y := 0; y < h; y += rows {
				if err := ctx.Err(); err != nil {
					return 0, 0, err
				}
				var band *pixel.Plane
				done := func() {}
				if rows == h {
					band = kept.plane(r, si, level, z, c, t, w, h, s.PixelType)
				}
				if band == nil {
					band, done, err = readBand(r, si, level, z, c, t, image.Rect(0, y, w, min(h, y+rows)), s.PixelType)
					if err != nil {
						return 0, 0, fmt.Errorf("reading plane z=%d c=%d t=%d: %w", z, c, t, err)
					}
				}
				a, b := band.MinMax()
				lo, hi = math.Min(lo, a), math.Max(hi, b)
				if level == 0 && y == 0 && rows == h {
					grab.keep(z, c, t, band)
				}
				done()
			}
		}
	}
	if lo > hi {
		return 0, 0, nil
	}
	return lo, hi, nil
}

// bandBufs holds the buffers of bands read for statistics, shared by the
// workers and by the files of a batch: allocating (and so clearing) a new
// plane for every band cost as much as decoding an uncompressed one.
var bandBufs sync.Pool // of *[]byte

// readBand reads a band of a plane, into a pooled buffer when the reader
// can (formats.RegionInto); done gives the buffer back, after which the
// band must not be used.
func readBand(r formats.Reader, si, level, z, c, t int, rect image.Rectangle, typ pixel.Type) (*pixel.Plane, func(), error) {
	if ri, ok := r.(formats.RegionInto); ok {
		n := rect.Dx() * rect.Dy() * typ.Size()
		bp, _ := bandBufs.Get().(*[]byte)
		if bp == nil || cap(*bp) < n {
			b := make([]byte, n)
			bp = &b
		}
		p := &pixel.Plane{Type: typ, Width: rect.Dx(), Height: rect.Dy(), Data: (*bp)[:n]}
		if ri.ReadRegionInto(si, level, z, c, t, rect, p) == nil {
			return p, func() { bandBufs.Put(bp) }, nil
		}
		// A band this reader cannot read into a buffer (another pixel
		// type, say) is read the ordinary way, which explains a real error.
		bandBufs.Put(bp)
	}
	p, err := r.ReadRegion(si, level, z, c, t, rect)
	return p, func() {}, err
}
