// Package synth generates pixel data that looks like widefield fluorescence
// microscopy of cultured cells: nuclei with chromatin texture, cytoplasm
// around them, bright spots, cell outlines, out-of-focus blur along Z, drift
// and division along T, a camera background and shot noise. The training
// demo uses it so that a freshly built repository has images worth
// rendering, without shipping any image files.
//
// Everything is deterministic: the same Spec gives the same planes, on every
// machine, so tests and screenshots are repeatable.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ocular-lab/ocular/core/pixel"
)

// Stain is the structure a channel shows.
type Stain int

const (
	// Nuclei is a DNA stain (DAPI, Hoechst): bright textured ellipses,
	// condensed in dividing cells.
	Nuclei Stain = iota
	// Cytoplasm is a cytoplasmic protein (GFP): dim irregular cell bodies
	// with the nucleus left darker.
	Cytoplasm
	// Spots are small bright foci (Aurora-B at the metaphase plate of
	// dividing cells, a few in interphase nuclei).
	Spots
	// Outline is a cortical/membrane stain: a ring at the cell edge.
	Outline
)

// String names the stain.
func (s Stain) String() string {
	switch s {
	case Nuclei:
		return "nuclei"
	case Cytoplasm:
		return "cytoplasm"
	case Spots:
		return "spots"
	case Outline:
		return "outline"
	}
	return fmt.Sprintf("stain(%d)", int(s))
}

// Spec describes one synthetic image.
type Spec struct {
	Seed                       uint64
	SizeX, SizeY, SizeZ, SizeT int
	// Stains gives the structure of each channel; its length is SizeC.
	Stains []Stain
	// Cells is the number of cells in the field; 0 picks a density that
	// fills about a third of the field.
	Cells int
	// Type is pixel.Uint16 (a 12-bit camera range) or pixel.Uint8.
	Type pixel.Type
}

// cell is one simulated cell.
type cell struct {
	x, y, z      float64 // centre; z in planes
	vx, vy       float64 // drift per time point, pixels
	a, b, angle  float64 // nucleus semi-axes and orientation
	cyto         float64 // cytoplasm radius factor relative to the nucleus
	bright       float64 // stain amount, around 1
	wobble       [4]float64
	dividing     bool
	spots        [][2]float64 // interphase foci, in nucleus-relative units
	platePhase   float64      // offset of metaphase spots along the plate
	cosA, sinA   float64
	cytoBright   float64
	harm         [6]float64 // cos and sin of the outline harmonics' phases
	outlineWidth float64
}

// Field is a prepared image: the cells and a chromatin texture, ready to
// render any plane.
type Field struct {
	spec    Spec
	cells   []cell
	texture []float32 // multiplicative texture, around 1
}

// New prepares a field. It fails on sizes the demo never needs (over 4096
// pixels on a side) or an unsupported pixel type.
func New(spec Spec) (*Field, error) {
	if spec.SizeX < 8 || spec.SizeY < 8 || spec.SizeX > 4096 || spec.SizeY > 4096 || spec.SizeZ < 1 || spec.SizeT < 1 || len(spec.Stains) == 0 {
		return nil, fmt.Errorf("synth: unsupported image %dx%d z%d c%d t%d", spec.SizeX, spec.SizeY, spec.SizeZ, len(spec.Stains), spec.SizeT)
	}
	if spec.Type != pixel.Uint16 && spec.Type != pixel.Uint8 {
		return nil, fmt.Errorf("synth: pixel type %s is not supported (uint8 or uint16)", spec.Type)
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0x0c0a1a))
	f := &Field{spec: spec}
	side := math.Sqrt(float64(spec.SizeX * spec.SizeY))
	meanA := math.Max(6, side/22)
	n := spec.Cells
	if n <= 0 {
		n = int(float64(spec.SizeX*spec.SizeY) / (math.Pi * meanA * meanA * 9))
		if n < 3 {
			n = 3
		}
	}
	for i := 0; i < n; i++ {
		c := cell{
			x: rng.Float64() * float64(spec.SizeX), y: rng.Float64() * float64(spec.SizeY),
			z:  (float64(spec.SizeZ)-1)/2 + rng.NormFloat64()*float64(spec.SizeZ)/6,
			vx: rng.NormFloat64() * 1.5, vy: rng.NormFloat64() * 1.5,
			a: meanA * (0.8 + 0.4*rng.Float64()), angle: rng.Float64() * math.Pi,
			cyto: 2 + 0.6*rng.Float64(), bright: 0.7 + 0.6*rng.Float64(),
			dividing: rng.Float64() < 0.2, platePhase: rng.Float64(),
			cytoBright: 0.6 + 0.8*rng.Float64(), outlineWidth: 0.06 + 0.04*rng.Float64(),
		}
		c.b = c.a * (0.65 + 0.3*rng.Float64())
		for k := range c.wobble {
			c.wobble[k] = rng.Float64() * 2 * math.Pi
		}
		for k := 0; k < 3; k++ {
			c.harm[2*k], c.harm[2*k+1] = math.Cos(c.wobble[k]), math.Sin(c.wobble[k])
		}
		for k := 1 + rng.IntN(4); k > 0; k-- {
			r, t := 0.7*math.Sqrt(rng.Float64()), rng.Float64()*2*math.Pi
			c.spots = append(c.spots, [2]float64{r * math.Cos(t), r * math.Sin(t)})
		}
		c.cosA, c.sinA = math.Cos(c.angle), math.Sin(c.angle)
		f.cells = append(f.cells, c)
	}
	f.texture = valueNoise(rng, spec.SizeX, spec.SizeY, meanA/2.5)
	return f, nil
}

// Spec returns the field's spec.
func (f *Field) Spec() Spec { return f.spec }

// valueNoise is smooth random texture with features of about `scale`
// pixels: random values on a coarse grid, bilinearly interpolated.
func valueNoise(rng *rand.Rand, w, h int, scale float64) []float32 {
	gw, gh := int(float64(w)/scale)+2, int(float64(h)/scale)+2
	grid := make([]float32, gw*gh)
	for i := range grid {
		grid[i] = 0.55 + 0.9*rng.Float32()
	}
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		fy := float64(y) / scale
		iy := int(fy)
		ty := float32(fy - float64(iy))
		for x := 0; x < w; x++ {
			fx := float64(x) / scale
			ix := int(fx)
			tx := float32(fx - float64(ix))
			g := grid[iy*gw+ix:]
			top := g[0] + (g[1]-g[0])*tx
			bot := g[gw] + (g[gw+1]-g[gw])*tx
			out[y*w+x] = top + (bot-top)*ty
		}
	}
	return out
}

// Plane renders plane (z, c, t).
func (f *Field) Plane(z, c, t int) (*pixel.Plane, error) {
	s := f.spec
	if z < 0 || z >= s.SizeZ || c < 0 || c >= len(s.Stains) || t < 0 || t >= s.SizeT {
		return nil, fmt.Errorf("synth: plane z=%d c=%d t=%d is outside the %d×%d×%d image", z, c, t, s.SizeZ, len(s.Stains), s.SizeT)
	}
	sig := make([]float32, s.SizeX*s.SizeY)
	stain := s.Stains[c]
	for i := range f.cells {
		f.drawCell(sig, &f.cells[i], stain, float64(z), float64(t))
	}
	return f.expose(sig, stain, z, c, t)
}

// focus is how a cell at depth cz looks from plane z: its brightness
// falls off and its edges soften with defocus.
func focus(cz, z float64, sizeZ int) (gain, soft float64) {
	if sizeZ == 1 {
		return 1, 0.12
	}
	d := (z - cz) / 1.8
	return 1 / (1 + d*d), 0.12 + 0.12*math.Abs(d)
}

func smooth(t float64) float64 {
	if t <= 0 {
		return 0
	}
	if t >= 1 {
		return 1
	}
	return t * t * (3 - 2*t)
}

func (f *Field) drawCell(sig []float32, c *cell, stain Stain, z, t float64) {
	gain, soft := focus(c.z, z, f.spec.SizeZ)
	cx, cy := c.x+c.vx*t, c.y+c.vy*t
	// A dividing cell separates its chromatin along its long axis over time.
	split := 0.0
	if c.dividing && f.spec.SizeT > 1 {
		split = 1.3 * c.a * t / float64(f.spec.SizeT-1)
	}
	switch stain {
	case Nuclei:
		if c.dividing {
			// Condensed chromatin: brighter, narrower.
			for _, sgn := range []float64{-1, 1} {
				if split == 0 && sgn > 0 {
					break
				}
				dx, dy := sgn*split/2*c.cosA, sgn*split/2*c.sinA
				f.ellipse(sig, cx+dx, cy+dy, c.a*0.3, c.b*0.9, c.angle, soft, float32(1.7*c.bright*gain), true)
			}
			return
		}
		f.ellipse(sig, cx, cy, c.a, c.b, c.angle, soft, float32(c.bright*gain), true)
	case Cytoplasm:
		f.cytoplasm(sig, c, cx, cy, soft, float32(0.35*c.cytoBright*gain))
	case Spots:
		if c.dividing {
			// Aurora-B on the metaphase plate (or the midzone once split).
			n := 7
			for k := 0; k < n; k++ {
				u := (float64(k)+c.platePhase)/float64(n)*2 - 1
				px := cx + u*c.b*0.9*-c.sinA
				py := cy + u*c.b*0.9*c.cosA
				f.spot(sig, px, py, 1.2+soft*4, float32(1.6*gain))
			}
			return
		}
		for _, sp := range c.spots {
			px := cx + (sp[0]*c.a*c.cosA - sp[1]*c.b*c.sinA)
			py := cy + (sp[0]*c.a*c.sinA + sp[1]*c.b*c.cosA)
			f.spot(sig, px, py, 1.1+soft*4, float32(0.9*gain))
		}
	case Outline:
		f.outline(sig, c, cx, cy, soft, float32(0.35*gain))
	}
}

// box clips a square of half-size r around (x, y) to the image.
func (f *Field) box(x, y, r float64) (x0, y0, x1, y1 int) {
	x0, y0 = max(0, int(x-r)), max(0, int(y-r))
	x1, y1 = min(f.spec.SizeX, int(x+r)+2), min(f.spec.SizeY, int(y+r)+2)
	return
}

// ellipse adds a soft-edged ellipse, textured like chromatin when textured.
func (f *Field) ellipse(sig []float32, cx, cy, a, b, angle, soft float64, amp float32, textured bool) {
	ca, sa := math.Cos(angle), math.Sin(angle)
	w := f.spec.SizeX
	x0, y0, x1, y1 := f.box(cx, cy, a*(1+soft*2)+1)
	for y := y0; y < y1; y++ {
		dy := float64(y) - cy
		for x := x0; x < x1; x++ {
			dx := float64(x) - cx
			u, v := (dx*ca+dy*sa)/a, (-dx*sa+dy*ca)/b
			r := math.Sqrt(u*u + v*v)
			k := smooth((1 + soft - r) / (2 * soft))
			if k == 0 {
				continue
			}
			val := amp * float32(k)
			if textured {
				val *= f.texture[y*w+x]
			}
			sig[y*w+x] += val
		}
	}
}

// radius is the cell's irregular outline in the direction (u, v) at
// distance r from the centre, relative to the nucleus: a few harmonics of
// the polar angle, computed from powers of (u + iv)/r instead of
// trigonometric calls because it runs for every pixel of every cell.
func (c *cell) radius(u, v, r float64) float64 {
	if r == 0 {
		return c.cyto
	}
	x, y := u/r, v/r               // e^{iθ}
	x2, y2 := x*x-y*y, 2*x*y       // e^{2iθ}
	x3, y3 := x2*x-y2*y, x2*y+y2*x // e^{3iθ}
	y5 := x3*y2 + y3*x2            // Im e^{5iθ}
	x5 := x3*x2 - y3*y2            // Re e^{5iθ}
	h := c.harm                    // sin(kθ+φ) = sin kθ cos φ + cos kθ sin φ
	return c.cyto * (1 + 0.12*(y3*h[0]+x3*h[1]) + 0.08*(y5*h[2]+x5*h[3]) + 0.05*(y2*h[4]+x2*h[5]))
}

// cytoplasm fills the cell body, dimmer over the nucleus.
func (f *Field) cytoplasm(sig []float32, c *cell, cx, cy, soft float64, amp float32) {
	w := f.spec.SizeX
	reach := c.a * c.cyto * 1.3
	x0, y0, x1, y1 := f.box(cx, cy, reach)
	for y := y0; y < y1; y++ {
		dy := float64(y) - cy
		for x := x0; x < x1; x++ {
			dx := float64(x) - cx
			u, v := (dx*c.cosA+dy*c.sinA)/c.a, (-dx*c.sinA+dy*c.cosA)/c.a
			r := math.Sqrt(u*u + v*v)
			edge := c.radius(u, v, r)
			k := smooth((edge - r) / (edge * (0.25 + soft)))
			if k == 0 {
				continue
			}
			// The nucleus excludes most cytoplasmic protein.
			rn := math.Sqrt(u*u + v*v*(c.a*c.a)/(c.b*c.b))
			k *= 0.35 + 0.65*smooth((rn-0.8)/0.4)
			sig[y*w+x] += amp * float32(k) * (0.8 + 0.4*f.texture[(y*w+x+w*7)%len(f.texture)])
		}
	}
}

// outline draws a thin ring at the cell edge.
func (f *Field) outline(sig []float32, c *cell, cx, cy, soft float64, amp float32) {
	w := f.spec.SizeX
	reach := c.a * c.cyto * 1.35
	width := c.outlineWidth + soft/3
	x0, y0, x1, y1 := f.box(cx, cy, reach)
	for y := y0; y < y1; y++ {
		dy := float64(y) - cy
		for x := x0; x < x1; x++ {
			dx := float64(x) - cx
			u, v := (dx*c.cosA+dy*c.sinA)/c.a, (-dx*c.sinA+dy*c.cosA)/c.a
			r := math.Sqrt(u*u + v*v)
			d := (r/c.radius(u, v, r) - 1) / width
			if d <= -1 || d >= 1 {
				continue
			}
			k := 1 - d*d
			sig[y*w+x] += amp * float32(k*k)
		}
	}
}

// spot adds a small Gaussian focus.
func (f *Field) spot(sig []float32, cx, cy, sigma float64, amp float32) {
	w := f.spec.SizeX
	x0, y0, x1, y1 := f.box(cx, cy, 3*sigma)
	inv := 1 / (2 * sigma * sigma)
	for y := y0; y < y1; y++ {
		dy := float64(y) - cy
		for x := x0; x < x1; x++ {
			dx := float64(x) - cx
			sig[y*w+x] += amp * float32(math.Exp(-(dx*dx+dy*dy)*inv))
		}
	}
}

// Camera model: offset, signal scale and read noise in counts. uint16
// images use a 12-bit range as most scientific cameras do.
const (
	offset16, scale16, read16 = 100, 1400, 4
	offset8, scale8, read8    = 8, 90, 1
)

// expose turns the signal into camera counts with shot and read noise.
func (f *Field) expose(sig []float32, stain Stain, z, c, t int) (*pixel.Plane, error) {
	s := f.spec
	p, err := pixel.NewPlane(s.Type, s.SizeX, s.SizeY)
	if err != nil {
		return nil, err
	}
	seed := uint64(z) | uint64(c)<<20 | uint64(t)<<40
	rng := rand.New(rand.NewPCG(s.Seed, seed^0x5eed))
	offset, scale, read, maxv := float64(offset16), float64(scale16), float64(read16), 4095.0
	if s.Type == pixel.Uint8 {
		offset, scale, read, maxv = offset8, scale8, read8, 255
	}
	// A little autofluorescence differs per channel, and a gentle
	// illumination fall-off towards the corners (vignetting).
	bg := 0.04 + 0.02*float64(stain)
	cx, cy := float64(s.SizeX)/2, float64(s.SizeY)/2
	norm := 1 / (cx*cx + cy*cy)
	for y := 0; y < s.SizeY; y++ {
		dy := float64(y) - cy
		for x := 0; x < s.SizeX; x++ {
			dx := float64(x) - cx
			vig := 1 - 0.25*(dx*dx+dy*dy)*norm
			mean := (float64(sig[y*s.SizeX+x]) + bg) * scale * vig
			// Shot noise: Poisson, approximated by a Gaussian of equal variance.
			v := offset + mean + math.Sqrt(mean+read*read)*rng.NormFloat64()
			v = math.Round(math.Min(math.Max(v, 0), maxv))
			i := y*s.SizeX + x
			if s.Type == pixel.Uint8 {
				p.Data[i] = uint8(v)
			} else {
				p.Data[2*i] = uint8(uint16(v))
				p.Data[2*i+1] = uint8(uint16(v) >> 8)
			}
		}
	}
	return p, nil
}
