package pixel

import (
	"math"
	"testing"
)

func TestSetAtAndMinMaxForEveryType(t *testing.T) {
	for _, typ := range []Type{Uint8, Int8, Uint16, Int16, Uint32, Int32, Float32, Float64} {
		p, err := NewPlane(typ, 3, 2)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := typ.Range()
		if typ.IsFloat() {
			lo, hi = -2.5, 7.25
		}
		p.Set(0, 0, lo)
		p.Set(2, 1, hi)
		p.Set(1, 0, 3)
		if got := p.At(2, 1); got != hi {
			t.Errorf("%s: At = %v, want %v", typ, got, hi)
		}
		gl, gh := p.MinMax()
		if gl != lo || gh != hi {
			t.Errorf("%s: MinMax = %v, %v; want %v, %v", typ, gl, gh, lo, hi)
		}
	}
}

func TestSetSaturatesAndMinMaxSkipsNaN(t *testing.T) {
	p, _ := NewPlane(Uint8, 2, 1)
	p.Set(0, 0, 300)
	p.Set(1, 0, -4)
	if p.At(0, 0) != 255 || p.At(1, 0) != 0 {
		t.Errorf("saturation: %v %v", p.At(0, 0), p.At(1, 0))
	}
	f, _ := NewPlane(Float32, 2, 1)
	f.Set(0, 0, math.NaN())
	f.Set(1, 0, 4)
	if lo, hi := f.MinMax(); lo != 4 || hi != 4 {
		t.Errorf("NaN must be skipped: %v %v", lo, hi)
	}
}

func TestNewPlaneRefusesAbsurdSizes(t *testing.T) {
	if _, err := NewPlane(Uint16, 1<<20, 1<<20); err == nil {
		t.Error("a 2 TiB plane was allocated")
	}
	if _, err := NewPlane(Uint8, 0, 5); err == nil {
		t.Error("an empty plane was accepted")
	}
	if _, err := ParseType("complex"); err == nil {
		t.Error("an unknown pixel type was accepted")
	}
}
