package render

import (
	"image"
	"math"

	"github.com/ocular-lab/ocular/core/pixel"
)

// This file is the reference renderer: written for clarity, pixel by pixel,
// straight from OMERO's description, with no tables, no packing and no
// goroutines. The fast renderer must agree with it exactly.

// refCurve is the family's transform f, in OMERO's literal form.
func refCurve(f Family, k, v float64) float64 {
	switch f {
	case Polynomial:
		return math.Pow(v, k)
	case Exponential:
		return math.Exp(math.Pow(v, k))
	case Logarithmic:
		if v < 1 {
			v = 1
		}
		return math.Log(v)
	}
	return v
}

func refLevel(c ChannelSettings, cdStart, cdEnd int, x float64) int {
	var out int
	switch {
	case math.IsNaN(x) || x < c.Start:
		out = cdStart
	case x >= c.End:
		out = cdEnd
	default:
		a := 255 / (c.End - c.Start)
		v := a*x - a*c.Start
		fam := c.Family
		if fam == Polynomial && c.Coefficient == 1 {
			fam = Linear
		}
		ys, ye := refCurve(fam, c.Coefficient, 0), refCurve(fam, c.Coefficient, 255)
		n := math.Round(255 / (ye - ys) * (refCurve(fam, c.Coefficient, v) - ys))
		out = int(math.Round(float64(cdEnd-cdStart)/255*n + float64(cdStart)))
		out = max(cdStart, min(cdEnd, out))
	}
	if c.Reverse {
		out = cdEnd - out + cdStart
	}
	return out
}

// refRender renders planes with s the slow, obvious way.
func refRender(planes []*pixel.Plane, s *Settings) *image.RGBA {
	var w, h int
	for _, p := range planes {
		if p != nil {
			w, h = p.Width, p.Height
			break
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r, g, b int
			for i, c := range s.Channels {
				if !c.Active {
					continue
				}
				l := refLevel(c, s.CdStart, s.CdEnd, planes[i].At(x, y))
				if s.Model == Greyscale {
					r, g, b = l, l, l
					break
				}
				if c.LUT != "" {
					lut, err := LookupLUT(c.LUT)
					if err != nil {
						panic(err)
					}
					r += int(lut.R[l])
					g += int(lut.G[l])
					b += int(lut.B[l])
					continue
				}
				share := func(comp uint8) int {
					v := l * int(comp) / 255
					if c.Color[3] != 255 {
						v = v * int(c.Color[3]) / 255
					}
					return v
				}
				r += share(c.Color[0])
				g += share(c.Color[1])
				b += share(c.Color[2])
			}
			o := img.PixOffset(x, y)
			img.Pix[o] = uint8(min(r, 255))
			img.Pix[o+1] = uint8(min(g, 255))
			img.Pix[o+2] = uint8(min(b, 255))
			img.Pix[o+3] = 255
		}
	}
	return img
}
