package formats

import (
	"errors"
	"fmt"
	"math/bits"

	"github.com/ocular-lab/ocular/core/pixel"
)

// The memory budget of reading, importing and exporting: whatever a file
// claims, the work on it stays under about 1 GiB. Each limit below is one
// share of that budget; a file that needs more is refused with
// ErrTooLarge, in seconds, before anything big is allocated.
const (
	// MaxStreamedPlanePixels bounds a plane Ocular reads whole at full
	// resolution, band by band, to compute statistics or build a pyramid:
	// 2^31 pixels (46340×46340). Larger planes are read only through the
	// levels of their own pyramid.
	MaxStreamedPlanePixels = 1 << 31
	// MaxRowBytes bounds one row of a plane that is streamed (512 KiB, e.g.
	// 524288 8-bit or 65536 64-bit samples): a pyramid keeps a band of 256
	// rows per level, so this keeps those bands under 256 MiB.
	MaxRowBytes = 512 << 10
	// MaxChunkBytes bounds one decoded strip, tile or chunk (256 MiB): a
	// compressed chunk is decoded whole, so this is what one costs.
	MaxChunkBytes = 256 << 20
	// MaxDecodeBytes bounds what decoding a whole-file format (PNG, JPEG)
	// may hold at once: the decoded image plus its channel planes (512 MiB).
	MaxDecodeBytes = 512 << 20
	// MaxPlanes bounds SizeZ×SizeC×SizeT of one image (2^28), checked on
	// top of each reader's check that its file stores that many planes.
	MaxPlanes = 1 << 28
	// MaxChannels bounds SizeC of one image (65536): every channel carries
	// metadata and settings held in memory.
	MaxChannels = 1 << 16
)

// ErrTooLarge is wrapped by the errors of files and requests that are over
// the memory budget, so callers can tell them from damaged files.
var ErrTooLarge = errors.New("too large for Ocular's memory budget")

// MulChecked multiplies non-negative sizes and reports false when a factor
// is negative or the product overflows an int64, so a size check on a
// product cannot be passed by wrapping around.
func MulChecked(factors ...int64) (int64, bool) {
	p := uint64(1)
	for _, f := range factors {
		if f < 0 {
			return 0, false
		}
		hi, lo := bits.Mul64(p, uint64(f))
		if hi != 0 || lo > 1<<63-1 {
			return 0, false
		}
		p = lo
	}
	return int64(p), true
}

// TooLarge returns an error wrapping ErrTooLarge whose text is the
// sentence given.
func TooLarge(format string, args ...any) error {
	return &tooLarge{msg: fmt.Sprintf(format, args...)}
}

type tooLarge struct{ msg string }

func (e *tooLarge) Error() string { return e.msg }
func (e *tooLarge) Unwrap() error { return ErrTooLarge }

// CheckDimensions checks a series' plane count (overflow-safe) and channel
// count against MaxPlanes and MaxChannels.
func CheckDimensions(s Series) error {
	if s.SizeX <= 0 || s.SizeY <= 0 || s.SizeZ <= 0 || s.SizeC <= 0 || s.SizeT <= 0 {
		return fmt.Errorf("the image has invalid dimensions %d×%d×%d×%d×%d (X×Y×Z×C×T)", s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT)
	}
	if s.SizeC > MaxChannels {
		return TooLarge("the image claims %d channels, more than the %d Ocular reads; the file is damaged or was not written for import", s.SizeC, MaxChannels)
	}
	if n, ok := MulChecked(int64(s.SizeZ), int64(s.SizeC), int64(s.SizeT)); !ok || n > MaxPlanes {
		return TooLarge("the image claims %d×%d×%d (Z×C×T) planes, more than the %d Ocular reads; the file is damaged or was not written for import", s.SizeZ, s.SizeC, s.SizeT, MaxPlanes)
	}
	return nil
}

// CheckStreamedPlane checks that a w×h plane of type t can be read whole,
// band by band, within the budget: at most MaxStreamedPlanePixels pixels
// and rows of at most MaxRowBytes. The error says why and what to do.
func CheckStreamedPlane(w, h int, t pixel.Type) error {
	n, ok := MulChecked(int64(w), int64(h))
	if !ok || n > MaxStreamedPlanePixels {
		return TooLarge("a plane of %d×%d pixels is larger than the %d pixels (46340×46340) Ocular can read at full resolution without a pyramid of its own; convert the file to a tiled, pyramidal OME-TIFF (e.g. with bioformats2raw and raw2ometiff) or crop it, and import that", w, h, int64(MaxStreamedPlanePixels))
	}
	if rb, ok := MulChecked(int64(w), int64(t.Size())); !ok || rb > MaxRowBytes {
		return TooLarge("rows of %d %s pixels are wider than the %d KiB Ocular reads at once; convert the file to a tiled, pyramidal OME-TIFF or crop it, and import that", w, t, MaxRowBytes>>10)
	}
	return nil
}
