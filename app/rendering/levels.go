package rendering

import (
	"context"
	"image"

	"github.com/ocular-lab/ocular/core"
)

// Levels lists the sizes of img's resolution levels, full resolution first,
// each smaller than the one before: the file's own pyramid (OME-TIFF
// SubIFDs, OME-Zarr multiscales), else the pyramid the cache builds for a
// big image (listed without building it), else the full resolution alone.
// A viewer picks from them the level to read for the zoom it shows.
func (s *Service) Levels(ctx context.Context, img core.Ref) ([]image.Point, error) {
	src, err := s.sess.PixelSource(ctx, img)
	if err != nil {
		return nil, err
	}
	r, release, err := s.readers.acquire(src)
	if err != nil {
		return nil, err
	}
	defer release()
	ser, ps, err := s.levels(r, src)
	if err != nil {
		return nil, err
	}
	defer ps.Close()
	out := make([]image.Point, 0, len(ser.Levels))
	for _, l := range ser.Levels {
		out = append(out, image.Pt(l.SizeX, l.SizeY))
	}
	return out, nil
}
