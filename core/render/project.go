package render

import (
	"errors"
	"fmt"
	"math"

	"github.com/ocular-lab/ocular/core/pixel"
)

// ProjectedType is the pixel type of a projection of planes of type t.
// Max and mean keep the type. Sum widens so that it cannot overflow:
// uint8 and uint16 give uint32, int8 and int16 give int32, and 32-bit and
// float types give double. (OMERO stores a sum in the source type or a type
// the user picks, clamping; we widen instead so no value is lost.)
func ProjectedType(t pixel.Type, kind ProjectionKind) pixel.Type {
	if kind != ProjectSum {
		return t
	}
	switch t {
	case pixel.Uint8, pixel.Uint16:
		return pixel.Uint32
	case pixel.Int8, pixel.Int16:
		return pixel.Int32
	}
	return pixel.Float64
}

// Project computes an intensity projection of planes (the Z range of one
// channel, all the same size and type). Max keeps the type; mean keeps the
// type, rounded half away from zero for integer types; sum widens (see
// ProjectedType). NaN samples of float planes are skipped.
func Project(planes []*pixel.Plane, kind ProjectionKind) (*pixel.Plane, error) {
	if len(planes) == 0 {
		return nil, errors.New("projection needs at least one plane")
	}
	if len(planes) > 1<<16 {
		return nil, fmt.Errorf("projection over %d planes is too many (at most 65536)", len(planes))
	}
	p0 := planes[0]
	for i, p := range planes {
		if p == nil || p.Type != p0.Type || p.Width != p0.Width || p.Height != p0.Height ||
			len(p.Data) < p.Width*p.Height*p.Type.Size() {
			return nil, fmt.Errorf("projection plane %d does not match the first plane (%dx%d %s)", i, p0.Width, p0.Height, p0.Type)
		}
	}
	switch kind {
	case ProjectMax, ProjectMean, ProjectSum:
	default:
		return nil, fmt.Errorf("unknown projection %q (known: max, mean, sum)", kind)
	}
	out, err := pixel.NewPlane(ProjectedType(p0.Type, kind), p0.Width, p0.Height)
	if err != nil {
		return nil, err
	}
	n := p0.Width * p0.Height
	switch {
	case p0.Type == pixel.Uint16 || p0.Type == pixel.Uint8:
		projectUnsigned(out, planes, kind, n)
	default:
		projectGeneric(out, planes, kind)
	}
	return out, nil
}

// projectUnsigned is the fast path for the common 8- and 16-bit camera data.
func projectUnsigned(out *pixel.Plane, planes []*pixel.Plane, kind ProjectionKind, n int) {
	bs := planes[0].Type.Size()
	acc := make([]uint32, n)
	for _, p := range planes {
		d := p.Data
		for i := range acc {
			var v uint32
			if bs == 1 {
				v = uint32(d[i])
			} else {
				v = uint32(d[2*i]) | uint32(d[2*i+1])<<8
			}
			if kind == ProjectMax {
				acc[i] = max(acc[i], v)
			} else {
				acc[i] += v
			}
		}
	}
	k := uint32(len(planes))
	for i, v := range acc {
		switch kind {
		case ProjectSum:
			out.Data[4*i], out.Data[4*i+1], out.Data[4*i+2], out.Data[4*i+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
			continue
		case ProjectMean:
			v = (v + k/2) / k
		}
		if bs == 1 {
			out.Data[i] = byte(v)
		} else {
			out.Data[2*i], out.Data[2*i+1] = byte(v), byte(v>>8)
		}
	}
}

func projectGeneric(out *pixel.Plane, planes []*pixel.Plane, kind ProjectionKind) {
	w, h := out.Width, out.Height
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			acc, cnt := 0.0, 0
			if kind == ProjectMax {
				acc = math.Inf(-1)
			}
			for _, p := range planes {
				v := p.At(x, y)
				if math.IsNaN(v) {
					continue
				}
				cnt++
				if kind == ProjectMax {
					acc = math.Max(acc, v)
				} else {
					acc += v
				}
			}
			switch {
			case cnt == 0:
				acc = math.NaN()
			case kind == ProjectMean:
				acc /= float64(cnt)
			}
			out.Set(x, y, acc)
		}
	}
}
