package synth

import (
	"bytes"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

var allStains = []Stain{Nuclei, Cytoplasm, Spots, Outline}

func field(t testing.TB, seed uint64, typ pixel.Type) *Field {
	t.Helper()
	f, err := New(Spec{Seed: seed, SizeX: 128, SizeY: 96, SizeZ: 3, SizeT: 2, Stains: allStains, Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mean16(p *pixel.Plane) float64 {
	var s float64
	for i := 0; i < len(p.Data); i += 2 {
		s += float64(uint16(p.Data[i]) | uint16(p.Data[i+1])<<8)
	}
	return s / float64(len(p.Data)/2)
}

func TestDeterministic(t *testing.T) {
	a, _ := field(t, 1, pixel.Uint16).Plane(1, 0, 1)
	b, _ := field(t, 1, pixel.Uint16).Plane(1, 0, 1)
	c, _ := field(t, 2, pixel.Uint16).Plane(1, 0, 1)
	if !bytes.Equal(a.Data, b.Data) {
		t.Fatal("the same seed gave different pixels")
	}
	if bytes.Equal(a.Data, c.Data) {
		t.Fatal("different seeds gave the same pixels")
	}
	if a.Width != 128 || a.Height != 96 || a.Type != pixel.Uint16 || len(a.Data) != 128*96*2 {
		t.Fatalf("plane %dx%d %s with %d bytes", a.Width, a.Height, a.Type, len(a.Data))
	}
}

// TestLooksLikeFluorescence checks what a microscopist sees: a dark
// background with a camera offset, structures well above it, noise, and
// a dimmer, softer picture away from the focal plane.
func TestLooksLikeFluorescence(t *testing.T) {
	f := field(t, 3, pixel.Uint16)
	for c := range allStains {
		p, err := f.Plane(1, c, 0)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := uint16(65535), uint16(0)
		for i := 0; i < len(p.Data); i += 2 {
			v := uint16(p.Data[i]) | uint16(p.Data[i+1])<<8
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo < 50 || lo > 200 || hi < 600 || hi > 4095 {
			t.Errorf("channel %s: range %d..%d, want a camera offset near 100 and signal well above it in 12 bits", allStains[c], lo, hi)
		}
	}
	inFocus, _ := f.Plane(1, 0, 0)
	// A one-plane image has no defocus; a 3-plane one is dimmer off focus on average.
	g, _ := New(Spec{Seed: 3, SizeX: 128, SizeY: 96, SizeZ: 9, SizeT: 1, Stains: allStains, Type: pixel.Uint16})
	mid, _ := g.Plane(4, 0, 0)
	edge, _ := g.Plane(0, 0, 0)
	if mean16(edge) >= mean16(mid) {
		t.Errorf("z=0 mean %.1f is not dimmer than the focal plane's %.1f", mean16(edge), mean16(mid))
	}
	_ = inFocus
	p8, err := field(t, 3, pixel.Uint8).Plane(0, 0, 0)
	if err != nil || p8.Type != pixel.Uint8 || len(p8.Data) != 128*96 {
		t.Fatalf("uint8 plane: %v", err)
	}
}

func TestBadSpec(t *testing.T) {
	for _, s := range []Spec{
		{SizeX: 0, SizeY: 10, SizeZ: 1, SizeT: 1, Stains: allStains, Type: pixel.Uint16},
		{SizeX: 10, SizeY: 10, SizeZ: 1, SizeT: 1, Type: pixel.Uint16},
		{SizeX: 10, SizeY: 10, SizeZ: 1, SizeT: 1, Stains: allStains, Type: pixel.Float32},
	} {
		if _, err := New(s); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
	if _, err := field(t, 1, pixel.Uint16).Plane(3, 0, 0); err == nil {
		t.Error("plane z=3 of a 3-plane image rendered")
	}
}

func BenchmarkPlane512(b *testing.B) {
	f, _ := New(Spec{Seed: 1, SizeX: 512, SizeY: 512, SizeZ: 5, SizeT: 1, Stains: allStains, Type: pixel.Uint16})
	b.SetBytes(512 * 512 * 2)
	for i := 0; i < b.N; i++ {
		if _, err := f.Plane(2, i%4, 0); err != nil {
			b.Fatal(err)
		}
	}
}
