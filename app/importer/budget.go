package importer

import (
	"context"
	"fmt"
	"image"
	"math"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/core/formats"
)

// statsBandBytes bounds the rows of a plane read at once for statistics.
const statsBandBytes = 32 << 20

// checkBudget refuses, before any file is copied, a series whose import
// would read more than the memory budget allows (formats/limits.go): too
// many planes or channels, or a plane that must be streamed whole (to build
// its pyramid or compute its statistics) and is too big for that.
func checkBudget(s formats.Series, opts Options, pyrs *pyramid.Cache) error {
	if err := formats.CheckDimensions(s); err != nil {
		return err
	}
	if pyramid.Needed(s) && (pyrs != nil || !opts.SkipMinMax) {
		return formats.CheckStreamedPlane(s.SizeX, s.SizeY, s.PixelType)
	}
	if !opts.SkipMinMax {
		_, err := statsLevel(s)
		return err
	}
	return nil
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
func channelMinMax(ctx context.Context, r formats.Reader, si int, s formats.Series, c int) (float64, float64, error) {
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
				band, err := r.ReadRegion(si, level, z, c, t, image.Rect(0, y, w, min(h, y+rows)))
				if err != nil {
					return 0, 0, fmt.Errorf("reading plane z=%d c=%d t=%d: %w", z, c, t, err)
				}
				a, b := band.MinMax()
				lo, hi = math.Min(lo, a), math.Max(hi, b)
			}
		}
	}
	if lo > hi {
		return 0, 0, nil
	}
	return lo, hi, nil
}
