package rendering

import (
	"context"
	"image"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// RenderBands renders view v (at its full size: v.Size must be 0) band by
// band, top to bottom, and calls fn with each band and the row of the
// picture it starts at: an export of a picture too large to hold (a
// 46000² image is 8 GB of RGBA) streams in bounded memory. Each band is
// rendered as Render would render that region, within the budget. It
// returns the picture's size.
func (s *Service) RenderBands(ctx context.Context, img core.Ref, settings render.Settings, v View, begin func(size image.Point) error, fn func(y int, band *image.RGBA) error) (image.Point, error) {
	if v.Size != 0 {
		return image.Point{}, core.Errorf("render", core.Invalid, "a picture scaled to %d pixels is rendered whole, not in bands", v.Size)
	}
	if s.remote != nil {
		return s.renderBandsRemote(ctx, img, settings, v, begin, fn)
	}
	o, err := s.open(ctx, img)
	if err != nil {
		return image.Point{}, err
	}
	region, err := checkView(o.src, o.ser, &v)
	typeSize := o.ser.PixelType.Size()
	o.close()
	if err != nil {
		return image.Point{}, err
	}
	if err := begin(region.Size()); err != nil {
		return image.Point{}, err
	}
	// Rows per band: a quarter of the budget, leaving room for the band
	// being encoded, the planes the plane cache keeps and the collector.
	row := renderCost(settings, typeSize, v, image.Rect(0, 0, region.Dx(), 1))
	rows := int(max(1, min(int64(region.Dy()), s.budget()/4/max(1, row))))
	for y := region.Min.Y; y < region.Max.Y; y += rows {
		if err := ctx.Err(); err != nil {
			return image.Point{}, err
		}
		bv := v
		bv.Region = image.Rect(region.Min.X, y, region.Max.X, min(region.Max.Y, y+rows))
		band, err := s.Render(ctx, img, settings, bv)
		if err != nil {
			return image.Point{}, err
		}
		if err := fn(y-region.Min.Y, band); err != nil {
			return image.Point{}, err
		}
	}
	return region.Size(), nil
}
