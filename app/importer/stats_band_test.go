package importer

import (
	"context"
	"image"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// regionRecorder is a reader of one huge uint8 plane that records the
// largest read asked of it and answers each with a 1×1 plane of value 5.
type regionRecorder struct {
	s        formats.Series
	largest  int64
	coverage int64
}

func (r *regionRecorder) Format() string           { return "test" }
func (r *regionRecorder) Files() []string          { return nil }
func (r *regionRecorder) Series() []formats.Series { return []formats.Series{r.s} }
func (r *regionRecorder) Plate() *formats.Plate    { return nil }
func (r *regionRecorder) Close() error             { return nil }
func (r *regionRecorder) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	return r.ReadRegion(s, level, z, c, t, image.Rect(0, 0, r.s.SizeX, r.s.SizeY))
}
func (r *regionRecorder) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	n := int64(rect.Dx()) * int64(rect.Dy())
	r.largest = max(r.largest, n)
	r.coverage += n
	p, _ := pixel.NewPlane(pixel.Uint8, 1, 1)
	p.Data[0] = 5
	return p, nil
}

// The statistics of a huge level 0 (a multiscale Zarr's, which has its own
// pyramid so none is built) are read in bands: no read asks for more than
// statsBandBytes, where the whole 10-gigapixel plane used to be asked for
// (and refused as too large to allocate, failing the import). A plane over
// the streaming budget has its statistics read from its largest own level
// within it, whole.
func TestStatisticsReadHugePlanesInBands(t *testing.T) {
	s := formats.Series{SizeX: 100000, SizeY: 100000, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint8,
		Levels: []formats.Level{{SizeX: 100000, SizeY: 100000, TileWidth: 1024, TileHeight: 1024}, {SizeX: 50000, SizeY: 50000}, {SizeX: 25000, SizeY: 25000}}}
	r := &regionRecorder{s: s}
	lo, hi, err := channelMinMax(context.Background(), r, 0, s, 0, nil, nil)
	if err != nil || lo != 5 || hi != 5 {
		t.Fatalf("min %v max %v err %v", lo, hi, err)
	}
	if r.largest > statsBandBytes {
		t.Errorf("one read asked for %d MiB of pixels (band limit %d MiB)", r.largest>>20, statsBandBytes>>20)
	}
	if r.coverage != 25000*25000 {
		t.Errorf("the bands cover %d pixels, not the whole of the largest level within the budget", r.coverage)
	}
}
