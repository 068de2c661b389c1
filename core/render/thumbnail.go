package render

import (
	"encoding/binary"
	"fmt"
	"image"
	"math"

	"github.com/nfnt/resize"
	"github.com/ocular-lab/ocular/core/pixel"
)

// ThumbnailSize returns the size of a thumbnail of a w x h image whose
// longest side is longest, preserving the aspect ratio (at least 1 pixel).
func ThumbnailSize(w, h, longest int) (tw, th int) {
	if w <= 0 || h <= 0 || longest <= 0 {
		return 0, 0
	}
	if w >= h {
		return longest, max(1, int(math.Round(float64(h)*float64(longest)/float64(w))))
	}
	return max(1, int(math.Round(float64(w)*float64(longest)/float64(h)))), longest
}

// Thumbnail scales rgba so that its longest side is longestSide, preserving
// the aspect ratio: an integer box-filter reduction (averaging) first brings
// it within 2x of the target, then a bilinear resample gives the exact size.
// Images smaller than the target are enlarged with nearest-neighbour so that
// pixels stay crisp.
func Thumbnail(rgba *image.RGBA, longestSide int) *image.RGBA {
	w, h := rgba.Rect.Dx(), rgba.Rect.Dy()
	tw, th := ThumbnailSize(w, h, longestSide)
	if tw == 0 {
		return image.NewRGBA(image.Rect(0, 0, 0, 0))
	}
	if tw == w && th == h {
		out := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			copy(out.Pix[y*out.Stride:y*out.Stride+4*w], rgba.Pix[rgba.PixOffset(rgba.Rect.Min.X, rgba.Rect.Min.Y+y):])
		}
		return out
	}
	if tw > w || th > h {
		return toRGBA(resize.Resize(uint(tw), uint(th), rgba, resize.NearestNeighbor))
	}
	f := min(w/tw, h/th)
	img := rgba
	if f >= 2 {
		img = boxReduce(rgba, f)
	}
	if img.Rect.Dx() == tw && img.Rect.Dy() == th {
		return img
	}
	return toRGBA(resize.Resize(uint(tw), uint(th), img, resize.Bilinear))
}

func toRGBA(m image.Image) *image.RGBA {
	if r, ok := m.(*image.RGBA); ok {
		return r
	}
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(x, y, m.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

// boxReduce averages f x f blocks; a remainder narrower than f at the right
// and bottom edges is dropped.
func boxReduce(src *image.RGBA, f int) *image.RGBA {
	w, h := src.Rect.Dx()/f, src.Rect.Dy()/f
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sums := make([]uint32, 4*w)
	n := uint32(f * f)
	for y := 0; y < h; y++ {
		clear(sums)
		for dy := 0; dy < f; dy++ {
			row := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y*f+dy):]
			for x := 0; x < w; x++ {
				s := sums[4*x : 4*x+4 : 4*x+4]
				p := row[4*x*f:]
				for dx := 0; dx < f; dx++ {
					s[0] += uint32(p[4*dx])
					s[1] += uint32(p[4*dx+1])
					s[2] += uint32(p[4*dx+2])
					s[3] += uint32(p[4*dx+3])
				}
			}
		}
		out := dst.Pix[y*dst.Stride:]
		for i, s := range sums {
			out[i] = uint8((s + n/2) / n)
		}
	}
	return dst
}

// RenderThumbnail renders a thumbnail whose longest side is longestSide
// straight from planes in memory. It first reduces the planes' values to
// twice the thumbnail size by averaging 2x2 samples spread over each pixel's
// area (reading a small part of the data), colours that, then halves it with
// a box filter: 16 samples per thumbnail pixel at a fraction of the cost of
// rendering the full planes.
func (r *Renderer) RenderThumbnail(planes []*pixel.Plane, s *Settings, longestSide int) (*image.RGBA, error) {
	w, h, _, err := checkPlanes(planes, s)
	if err != nil {
		return nil, err
	}
	tw, th := ThumbnailSize(w, h, longestSide)
	if tw == 0 {
		return nil, fmt.Errorf("thumbnail size %d is invalid", longestSide)
	}
	iw, ih := min(w, 2*tw), min(h, 2*th)
	mid := image.NewRGBA(image.Rect(0, 0, iw, ih))
	if err := r.RenderScaled(mid, planes, s); err != nil {
		return nil, err
	}
	return Thumbnail(mid, longestSide), nil
}

// ReducePlane returns a w x h plane of p's type in which each pixel is the
// mean of up to 2x2 samples placed at the quarter points of the source area
// it covers (rounded for integer types).
//
// RenderScaled reduces its planes with it on every call; a viewer that
// redraws the same planes at the same size many times (a slider moving)
// reduces them once with ReducePlane and calls Render on the result, which
// gives the same picture.
func ReducePlane(p *pixel.Plane, w, h int) (*pixel.Plane, error) {
	out, err := pixel.NewPlane(p.Type, w, h)
	if err != nil {
		return nil, err
	}
	// Sample coordinates: for output column x, source columns at 1/4 and
	// 3/4 of [x*W/w, (x+1)*W/w).
	xs0, xs1 := samplePoints(p.Width, w)
	ys0, ys1 := samplePoints(p.Height, h)
	switch p.Type {
	case pixel.Uint8:
		for y := 0; y < h; y++ {
			r0, r1 := p.Data[ys0[y]*p.Width:], p.Data[ys1[y]*p.Width:]
			o := out.Data[y*w:]
			for x := 0; x < w; x++ {
				s := uint32(r0[xs0[x]]) + uint32(r0[xs1[x]]) + uint32(r1[xs0[x]]) + uint32(r1[xs1[x]])
				o[x] = uint8((s + 2) / 4)
			}
		}
	case pixel.Uint16:
		for y := 0; y < h; y++ {
			r0, r1 := p.Data[2*ys0[y]*p.Width:], p.Data[2*ys1[y]*p.Width:]
			o := out.Data[2*y*w:]
			for x := 0; x < w; x++ {
				a, b := 2*xs0[x], 2*xs1[x]
				s := uint32(binary.LittleEndian.Uint16(r0[a:])) + uint32(binary.LittleEndian.Uint16(r0[b:])) +
					uint32(binary.LittleEndian.Uint16(r1[a:])) + uint32(binary.LittleEndian.Uint16(r1[b:]))
				binary.LittleEndian.PutUint16(o[2*x:], uint16((s+2)/4))
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				v := (p.At(xs0[x], ys0[y]) + p.At(xs1[x], ys0[y]) + p.At(xs0[x], ys1[y]) + p.At(xs1[x], ys1[y])) / 4
				out.Set(x, y, v) // Set rounds and saturates for integer types
			}
		}
	}
	return out, nil
}

func samplePoints(src, dst int) (a, b []int) {
	a, b = make([]int, dst), make([]int, dst)
	for i := 0; i < dst; i++ {
		lo := i * src / dst
		hi := max((i+1)*src/dst, lo+1)
		span := hi - lo
		a[i] = lo + span/4
		b[i] = min(lo+(3*span)/4, hi-1)
	}
	return a, b
}
