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
	if s.remote != nil {
		return s.remote.Levels(ctx, img)
	}
	o, err := s.open(ctx, img)
	if err != nil {
		return nil, err
	}
	defer o.close()
	out := make([]image.Point, 0, len(o.ser.Levels))
	for _, l := range o.ser.Levels {
		out = append(out, image.Pt(l.SizeX, l.SizeY))
	}
	return out, nil
}
