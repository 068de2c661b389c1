package zarr

import (
	"fmt"
	"image"
	"math"

	"github.com/ocular-lab/ocular/core/pixel"
)

// Read2D reads rectangle r of the 2-D slice of the array spanned by
// dimensions yDim and xDim, with every other dimension fixed at fixed[d].
// Only the chunks that intersect r are read; edge chunks are stored whole
// (padded) as Zarr requires, so the chunk layout is the same everywhere.
// The only large allocation is the plane asked for: chunks are streamed
// through, and missing chunks are written as the fill value directly.
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
	fill := a.fillSample()
	cy, cx := a.Chunks[yDim], a.Chunks[xDim]
	for iy := r.Min.Y / cy; iy <= (r.Max.Y-1)/cy; iy++ {
		for ix := r.Min.X / cx; ix <= (r.Max.X-1)/cx; ix++ {
			idx[yDim], idx[xDim] = iy, ix
			// Intersection of the chunk with r, in image coordinates.
			cr := image.Rect(ix*cx, iy*cy, (ix+1)*cx, (iy+1)*cy).Intersect(r)
			ch, err := a.openChunk(idx)
			if err != nil {
				return nil, err
			}
			if ch == nil {
				fillRect(out, cr.Sub(r.Min), fill)
				continue
			}
			err = eachRun(cr, strides[yDim], strides[xDim], func(y, x, run int) error {
				src := (base + (y-iy*cy)*strides[yDim] + (x-ix*cx)*strides[xDim]) * bps
				dst := ((y-r.Min.Y)*r.Dx() + (x - r.Min.X)) * bps
				return ch.copyAt(out.Data[dst:dst+run*bps], src)
			})
			if err == nil {
				err = ch.finish()
			}
			ch.close()
			if err != nil {
				return nil, err
			}
			if a.BigEndian {
				rowBytes := cr.Dx() * bps
				for y := cr.Min.Y; y < cr.Max.Y; y++ {
					dst := ((y-r.Min.Y)*r.Dx() + (cr.Min.X - r.Min.X)) * bps
					swap(out.Data[dst:dst+rowBytes], bps)
				}
			}
		}
	}
	return out, nil
}

// eachRun calls fn for the runs of samples of rectangle cr in increasing
// chunk offset order (chunks are streamed, so offsets must only grow): row
// by row when y varies slower than x in the chunk, else column by column.
// A run is contiguous in the chunk when x is its innermost dimension.
func eachRun(cr image.Rectangle, strideY, strideX int, fn func(y, x, run int) error) error {
	if strideY > strideX {
		for y := cr.Min.Y; y < cr.Max.Y; y++ {
			if strideX == 1 {
				if err := fn(y, cr.Min.X, cr.Dx()); err != nil {
					return err
				}
				continue
			}
			for x := cr.Min.X; x < cr.Max.X; x++ {
				if err := fn(y, x, 1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for x := cr.Min.X; x < cr.Max.X; x++ {
		for y := cr.Min.Y; y < cr.Max.Y; y++ {
			if err := fn(y, x, 1); err != nil {
				return err
			}
		}
	}
	return nil
}

// fillSample is one sample of the fill value, little-endian, or nil when
// the fill value is zero (a new plane is already zero).
func (a *Array) fillSample() []byte {
	if a.Fill == 0 && !math.Signbit(a.Fill) {
		return nil
	}
	one, _ := pixel.NewPlane(a.Type, 1, 1)
	one.Set(0, 0, a.Fill)
	return one.Data
}

// fillRect writes the fill sample over rectangle r of p.
func fillRect(p *pixel.Plane, r image.Rectangle, sample []byte) {
	if sample == nil {
		return
	}
	bps := len(sample)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := p.Data[(y*p.Width+r.Min.X)*bps : (y*p.Width+r.Max.X)*bps]
		copy(row, sample)
		for n := bps; n < len(row); n *= 2 {
			copy(row[n:], row[:n])
		}
	}
}
