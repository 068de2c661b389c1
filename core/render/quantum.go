package render

import "math"

// quantizer maps a channel's pixel values to an output level in
// [cdStart, cdEnd], as OMERO's Quantization_8_16_bit builds its table:
//
//   - values below the window start give cdStart, values at or above the
//     window end give cdEnd (so start == end is a step);
//   - in between, v = a*x - a*start with a = 255/(end-start) is passed through the
//     family's curve f and normalised: n = round(255*(f(v)-f(0))/(f(255)-f(0)));
//   - the level is round(cdStart + n*(cdEnd-cdStart)/255);
//   - reverse intensity then mirrors it within [cdStart, cdEnd].
//
// Curves, normalised in OMERO's literal form so results match it to the bit:
// linear f(v)=v; polynomial f(v)=v^k; exponential f(v)=e^(v^k),
// evaluated in a form that cannot overflow; logarithmic f(v)=ln(max(v,1)),
// OMERO maps v<=0 to 1 and we also clamp 0<v<1, where OMERO's byte cast
// would wrap a negative result.
//
// NaN pixels are treated as below the window.
type quantizer struct {
	start, end     float64
	family         Family
	k              float64
	cdStart, cdEnd int
	reverse        bool
	scale, offset  float64 // 255/(end-start) and scale*start (OMERO's aDecile, bDecile)
	a1             float64 // (cdEnd-cdStart)/255
	expB           float64 // 255^k for the exponential family
	ys, aNorm      float64 // f(0) and 255/(f(255)-f(0)), OMERO's normalisation
}

func newQuantizer(c *ChannelSettings, cdStart, cdEnd int) quantizer {
	q := quantizer{
		start: c.Start, end: c.End, family: c.Family, k: c.Coefficient,
		cdStart: cdStart, cdEnd: cdEnd, reverse: c.Reverse,
		a1: float64(cdEnd-cdStart) / 255,
	}
	if c.End > c.Start {
		q.scale = 255 / (c.End - c.Start)
		q.offset = q.scale * c.Start
	}
	if q.family == Polynomial && q.k == 1 {
		q.family = Linear // OMERO skips the transform for k == 1
	}
	switch q.family {
	case Polynomial:
		q.ys = math.Pow(0, q.k)
		q.aNorm = 255 / (math.Pow(255, q.k) - q.ys)
	case Exponential:
		q.expB = math.Pow(255, q.k)
		q.ys = math.Exp(math.Pow(0, q.k))
		q.aNorm = 255 / (math.Exp(q.expB) - q.ys)
	case Logarithmic:
		q.aNorm = 255 / math.Log(255)
	}
	return q
}

// level returns the output level for value x.
func (q *quantizer) level(x float64) uint8 {
	var out int
	switch {
	case x < q.start || x != x: // below the window, or NaN
		out = q.cdStart
	case x >= q.end:
		out = q.cdEnd
	default:
		v := q.scale*x - q.offset
		var n float64
		switch q.family {
		case Polynomial:
			n = q.aNorm * (math.Pow(v, q.k) - q.ys)
		case Exponential:
			a := math.Pow(v, q.k)
			if q.expB <= 700 {
				n = q.aNorm * (math.Exp(a) - q.ys)
			} else {
				// e^(255^k) overflows: 255*(e^a - 1)/(e^b - 1) rewritten
				// as 255*e^(a-b)*(1 - e^-a), exact for b this large.
				n = 255 * math.Exp(a-q.expB) * -math.Expm1(-a)
			}
		case Logarithmic:
			n = q.aNorm * math.Log(math.Max(v, 1))
		default:
			n = v
		}
		out = int(math.Round(q.a1*math.Round(n) + float64(q.cdStart)))
		if out < q.cdStart {
			out = q.cdStart
		} else if out > q.cdEnd {
			out = q.cdEnd
		}
	}
	if q.reverse {
		out = q.cdEnd - out + q.cdStart
	}
	return uint8(out)
}
