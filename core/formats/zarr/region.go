package zarr

import (
	"fmt"
	"image"

	"github.com/ocular-lab/ocular/core/pixel"
)

// Read2D reads rectangle r of the 2-D slice of the array spanned by
// dimensions yDim and xDim, with every other dimension fixed at fixed[d].
// Only the chunks that intersect r are read; edge chunks are stored whole
// (padded) as Zarr requires, so the chunk layout is the same everywhere.
func (a *Array) Read2D(fixed []int, yDim, xDim int, r image.Rectangle) (*pixel.Plane, error) {
	nd := len(a.Shape)
	if len(fixed) != nd || yDim < 0 || yDim >= nd || xDim < 0 || xDim >= nd || yDim == xDim {
		return nil, fmt.Errorf("%s: invalid slice of a %d-D array", a.Dir, nd)
	}
	for d, v := range fixed {
		if d != yDim && d != xDim && (v < 0 || v >= a.Shape[d]) {
			return nil, fmt.Errorf("%s: index %d is outside dimension %d of size %d", a.Dir, v, d, a.Shape[d])
		}
	}
	if r.Empty() || !r.In(image.Rect(0, 0, a.Shape[xDim], a.Shape[yDim])) {
		return nil, fmt.Errorf("%s: region %v is outside the %dx%d image", a.Dir, r, a.Shape[xDim], a.Shape[yDim])
	}
	out, err := pixel.NewPlane(a.Type, r.Dx(), r.Dy())
	if err != nil {
		return nil, err
	}
	bps := a.Type.Size()
	// C-order strides of a chunk, in samples.
	strides := make([]int, nd)
	s := 1
	for d := nd - 1; d >= 0; d-- {
		strides[d] = s
		s *= a.Chunks[d]
	}
	idx := make([]int, nd)
	base := 0 // offset within the chunk of the fixed coordinates
	for d := 0; d < nd; d++ {
		if d != yDim && d != xDim {
			idx[d] = fixed[d] / a.Chunks[d]
			base += (fixed[d] % a.Chunks[d]) * strides[d]
		}
	}
	cy, cx := a.Chunks[yDim], a.Chunks[xDim]
	for iy := r.Min.Y / cy; iy <= (r.Max.Y-1)/cy; iy++ {
		for ix := r.Min.X / cx; ix <= (r.Max.X-1)/cx; ix++ {
			idx[yDim], idx[xDim] = iy, ix
			chunk, err := a.ReadChunk(idx)
			if err != nil {
				return nil, err
			}
			// Intersection of the chunk with r, in image coordinates.
			cr := image.Rect(ix*cx, iy*cy, (ix+1)*cx, (iy+1)*cy).Intersect(r)
			for y := cr.Min.Y; y < cr.Max.Y; y++ {
				for x := cr.Min.X; x < cr.Max.X; {
					// Contiguous run along x when x is the innermost dimension.
					run := 1
					if strides[xDim] == 1 {
						run = cr.Max.X - x
					}
					src := (base + (y-iy*cy)*strides[yDim] + (x-ix*cx)*strides[xDim]) * bps
					dst := ((y-r.Min.Y)*r.Dx() + (x - r.Min.X)) * bps
					copy(out.Data[dst:dst+run*bps], chunk[src:src+run*bps])
					x += run
				}
			}
		}
	}
	return out, nil
}
