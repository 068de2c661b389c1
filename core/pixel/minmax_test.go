package pixel

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// TestMinMaxUint16Tail checks the four-at-a-time scan on every length and
// position of the extremes, including the samples after the last full word.
func TestMinMaxUint16Tail(t *testing.T) {
	for n := 1; n <= 11; n++ {
		for at := 0; at < n; at++ {
			p, _ := NewPlane(Uint16, n, 1)
			for x := 0; x < n; x++ {
				p.Set(x, 0, 100)
			}
			p.Set(at, 0, 7)
			p.Set((at+1)%n, 0, 60000)
			lo, hi := p.MinMax()
			if n == 1 {
				if lo != 60000 || hi != 60000 {
					t.Fatalf("n=1: %v %v", lo, hi)
				}
				continue
			}
			if lo != 7 || hi != 60000 {
				t.Fatalf("n=%d at=%d: MinMax = %v, %v; want 7, 60000", n, at, lo, hi)
			}
		}
	}
}

func BenchmarkMinMaxUint16(b *testing.B) {
	p, _ := NewPlane(Uint16, 2048, 2048)
	for i := range p.Data {
		p.Data[i] = byte(i * 7)
	}
	b.SetBytes(int64(len(p.Data)))
	for b.Loop() {
		p.MinMax()
	}
}

// TestMinMaxUint16MatchesScalar compares the scan with one sample per step
// on random data of every length up to a few blocks, at odd offsets (so the
// loads are unaligned), with the extremes 0 and 65535 placed anywhere.
func TestMinMaxUint16MatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 600)
	for n := 0; n <= 520; n++ {
		for _, off := range []int{0, 1, 2, 7} {
			d := buf[off : off+n]
			for trial := 0; trial < 4; trial++ {
				for i := range d {
					d[i] = byte(rng.IntN(256))
				}
				if n >= 2 && trial > 0 {
					at := rng.IntN(n/2) * 2
					v := []uint16{0, 65535, 0x8000, 0x7fff}[trial]
					binary.LittleEndian.PutUint16(d[at:], v)
				}
				wl, wh := uint16(65535), uint16(0)
				for i := 0; i+1 < len(d); i += 2 {
					v := binary.LittleEndian.Uint16(d[i:])
					wl, wh = min(wl, v), max(wh, v)
				}
				if l, h := minMaxUint16(d); l != wl || h != wh {
					t.Fatalf("n=%d off=%d: got %d..%d, want %d..%d", n, off, l, h, wl, wh)
				}
			}
		}
	}
}

func BenchmarkMinMaxUint16Generic(b *testing.B) {
	p, _ := NewPlane(Uint16, 2048, 2048)
	for i := range p.Data {
		p.Data[i] = byte(i * 7)
	}
	b.SetBytes(int64(len(p.Data)))
	for b.Loop() {
		minMaxUint16Generic(p.Data)
	}
}
