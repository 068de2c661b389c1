package render

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

var allTypes = []pixel.Type{pixel.Uint8, pixel.Int8, pixel.Uint16, pixel.Int16, pixel.Uint32, pixel.Int32, pixel.Float32, pixel.Float64}

// randomPlane fills a plane with values spread over lo..hi, with some exact
// window edges and, for floats, NaN and infinities.
func randomPlane(t pixel.Type, w, h int, lo, hi float64, edges []float64, rng *rand.Rand) *pixel.Plane {
	p, err := pixel.NewPlane(t, w, h)
	if err != nil {
		panic(err)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := lo + rng.Float64()*(hi-lo)
			switch rng.IntN(20) {
			case 0:
				v = edges[rng.IntN(len(edges))]
			case 1:
				if t.IsFloat() {
					v = []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rng.IntN(3)]
				}
			}
			p.Set(x, y, v)
		}
	}
	return p
}

// windowFor picks a window inside the type's range and a data range wider
// than the window.
func windowFor(t pixel.Type) (start, end, lo, hi float64) {
	switch t {
	case pixel.Uint8:
		return 20, 200, 0, 255
	case pixel.Int8:
		return -50, 90, -128, 127
	case pixel.Uint16:
		return 1000, 30000, 0, 40000
	case pixel.Int16:
		return -2000, 12000, -5000, 15000
	case pixel.Uint32:
		return 1e5, 3e9, 0, 4e9
	case pixel.Int32:
		return -1e6, 2e9, -2e9, 2.1e9
	}
	return -0.3, 0.7, -1, 2
}

func diffImages(got, want *image.RGBA) string {
	if got.Rect.Size() != want.Rect.Size() {
		return fmt.Sprintf("size %v, want %v", got.Rect.Size(), want.Rect.Size())
	}
	for y := 0; y < want.Rect.Dy(); y++ {
		for x := 0; x < want.Rect.Dx(); x++ {
			a := got.Pix[got.PixOffset(got.Rect.Min.X+x, got.Rect.Min.Y+y):][:4]
			b := want.Pix[want.PixOffset(x, y):][:4]
			if a[0] != b[0] || a[1] != b[1] || a[2] != b[2] || a[3] != b[3] {
				return fmt.Sprintf("pixel (%d, %d) = %v, reference %v", x, y, a, b)
			}
		}
	}
	return ""
}

// TestRenderMatchesReference compares the fast renderer with the reference
// pixel by pixel for every pixel type, family, reverse, model and LUT use,
// with each row kernel this machine has (the AVX2 one and the portable one).
func TestRenderMatchesReference(t *testing.T) {
	for _, simd := range rowKernels() {
		t.Run(fmt.Sprintf("simd=%v", simd), func(t *testing.T) {
			defer func(was bool) { useSIMD = was }(useSIMD)
			useSIMD = simd
			renderMatchesReference(t)
		})
	}
}

// rowKernels are the values of useSIMD worth testing here.
func rowKernels() []bool {
	if useSIMD {
		return []bool{true, false}
	}
	return []bool{false}
}

func renderMatchesReference(t *testing.T) {
	families := []struct {
		f Family
		k float64
	}{{Linear, 1}, {Polynomial, 2}, {Polynomial, 0.5}, {Polynomial, 1}, {Exponential, 1.1}, {Exponential, 0.5}, {Logarithmic, 1}}
	// 5 is narrower than one vector of 8 pixels; 37 and 300 leave a tail;
	// 300x230 is large enough to be rendered in parallel bands.
	sizes := []image.Point{{5, 3}, {37, 11}, {300, 230}}
	for _, typ := range allTypes {
		for _, sz := range sizes {
			rng := rand.New(rand.NewPCG(uint64(typ), uint64(sz.X)))
			start, end, lo, hi := windowFor(typ)
			edges := []float64{start, end, start - 1, end + 1, lo, hi, (start + end) / 2}
			planes := []*pixel.Plane{
				randomPlane(typ, sz.X, sz.Y, lo, hi, edges, rng),
				randomPlane(typ, sz.X, sz.Y, lo, hi, edges, rng),
				randomPlane(typ, sz.X, sz.Y, lo, hi, edges, rng),
				nil, // inactive channel without a plane
			}
			for _, fam := range families {
				if sz.X > 100 && fam.f != Linear && fam.k != 2 {
					continue // the large size checks the parallel bands; the small one covers every curve
				}
				for _, reverse := range []bool{false, true} {
					for _, model := range []Model{RGB, Greyscale} {
						for _, lut := range []string{"", "fire"} {
							if sz.X > 100 && (lut != "" || model != RGB) {
								continue // the small size covers these
							}
							s := &Settings{Model: model, CdStart: 0, CdEnd: 255, Channels: []ChannelSettings{
								{Active: true, Start: start, End: end, Color: Color{255, 0, 0, 255}, Reverse: reverse, Family: fam.f, Coefficient: fam.k, LUT: lut},
								{Active: true, Start: start, End: (start + end) / 2, Color: Color{0, 200, 255, 255}, Family: fam.f, Coefficient: fam.k},
								{Active: true, Start: (start + end) / 2, End: (start + end) / 2, Color: Color{255, 255, 0, 128}, Reverse: reverse, Family: Linear, Coefficient: 1},
								{Active: false},
							}}
							if reverse {
								s.CdStart, s.CdEnd = 10, 240
							}
							name := fmt.Sprintf("%s/%dx%d/%s%g/rev=%v/%s/lut=%q", typ, sz.X, sz.Y, fam.f, fam.k, reverse, model, lut)
							got := image.NewRGBA(image.Rect(5, 7, 5+sz.X, 7+sz.Y)) // non-zero origin on purpose
							if err := NewRenderer().Render(got, planes, s); err != nil {
								t.Fatalf("%s: %v", name, err)
							}
							if d := diffImages(got, refRender(planes, s)); d != "" {
								t.Fatalf("%s: %s", name, d)
							}
						}
					}
				}
			}
		}
	}
}

func TestRenderColoursWhatAUserExpects(t *testing.T) {
	p, _ := pixel.NewPlane(pixel.Uint16, 4, 1)
	for x, v := range []float64{0, 100, 1100, 5000} {
		p.Set(x, 0, v)
	}
	s := &Settings{Model: RGB, CdEnd: 255, Channels: []ChannelSettings{{Active: true, Start: 100, End: 1100, Color: Green, Family: Linear, Coefficient: 1}}}
	img := image.NewRGBA(image.Rect(0, 0, 4, 1))
	if err := NewRenderer().Render(img, []*pixel.Plane{p}, s); err != nil {
		t.Fatal(err)
	}
	want := []uint8{0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 0, 255, 0, 255, 0, 255}
	for i := range want {
		if img.Pix[i] != want[i] {
			t.Fatalf("pixels %v, want %v", img.Pix, want)
		}
	}
	// Two channels in the same colour saturate instead of wrapping.
	s.Channels = append(s.Channels, s.Channels[0])
	if err := NewRenderer().Render(img, []*pixel.Plane{p, p}, s); err != nil {
		t.Fatal(err)
	}
	if img.Pix[4*3+1] != 255 {
		t.Fatalf("saturated green = %d, want 255", img.Pix[4*3+1])
	}
}

func TestRenderRejectsMismatchedPlanes(t *testing.T) {
	a, _ := pixel.NewPlane(pixel.Uint8, 4, 4)
	b, _ := pixel.NewPlane(pixel.Uint16, 4, 4)
	s := &Settings{Model: RGB, CdEnd: 255, Channels: []ChannelSettings{
		{Active: true, End: 255, Color: Red, Family: Linear}, {Active: true, End: 255, Color: Green, Family: Linear}}}
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	r := NewRenderer()
	if err := r.Render(img, []*pixel.Plane{a, b}, s); err == nil {
		t.Fatal("planes of different types rendered without error")
	}
	if err := r.Render(img, []*pixel.Plane{a}, s); err == nil {
		t.Fatal("fewer planes than channels rendered without error")
	}
	if err := r.Render(image.NewRGBA(image.Rect(0, 0, 3, 4)), []*pixel.Plane{a, a}, s); err == nil {
		t.Fatal("wrong destination size rendered without error")
	}
	if err := r.Render(img, []*pixel.Plane{a, {Type: pixel.Uint8, Width: 4, Height: 4, Data: make([]byte, 3)}}, s); err == nil {
		t.Fatal("short plane data rendered without error")
	}
}

// TestRerenderRebuildsOnlyTheChangedChannel checks the per-channel cache.
func TestRerenderRebuildsOnlyTheChangedChannel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	planes := []*pixel.Plane{
		randomPlane(pixel.Uint16, 64, 64, 0, 4000, []float64{0}, rng),
		randomPlane(pixel.Uint16, 64, 64, 0, 4000, []float64{0}, rng),
	}
	s := &Settings{Model: RGB, CdEnd: 255, Channels: []ChannelSettings{
		{Active: true, Start: 0, End: 4000, Color: Red, Family: Linear, Coefficient: 1},
		{Active: true, Start: 0, End: 4000, Color: Green, Family: Linear, Coefficient: 1}}}
	r := NewRenderer()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	if err := r.Render(img, planes, s); err != nil {
		t.Fatal(err)
	}
	b0, b1 := r.chans[0].builds, r.chans[1].builds
	s.Channels[1].End = 2000
	if err := r.Render(img, planes, s); err != nil {
		t.Fatal(err)
	}
	if r.chans[0].builds != b0 || r.chans[1].builds != b1+1 {
		t.Fatalf("builds after changing channel 2: %d, %d; want %d, %d", r.chans[0].builds, r.chans[1].builds, b0, b1+1)
	}
	if d := diffImages(img, refRender(planes, s)); d != "" {
		t.Fatal(d)
	}
}

// More than four channels take the 16-bit-lane path; it must agree too.
func TestRenderManyChannelsMatchesReference(t *testing.T) {
	for _, typ := range []pixel.Type{pixel.Uint8, pixel.Uint16, pixel.Int16, pixel.Float32} {
		rng := rand.New(rand.NewPCG(9, uint64(typ)))
		start, end, lo, hi := windowFor(typ)
		s := &Settings{Model: RGB, CdEnd: 255}
		var planes []*pixel.Plane
		cols := []Color{Red, Green, Blue, White, {255, 0, 255, 255}, {0, 255, 255, 200}}
		for c := 0; c < 6; c++ {
			planes = append(planes, randomPlane(typ, 260, 260, lo, hi, []float64{start, end}, rng))
			s.Channels = append(s.Channels, ChannelSettings{Active: true, Start: start, End: end, Color: cols[c], Family: Linear, Coefficient: 1, Reverse: c == 3})
		}
		got := image.NewRGBA(image.Rect(0, 0, 260, 260))
		if err := NewRenderer().Render(got, planes, s); err != nil {
			t.Fatal(err)
		}
		if d := diffImages(got, refRender(planes, s)); d != "" {
			t.Fatalf("%s, 6 channels: %s", typ, d)
		}
	}
}
