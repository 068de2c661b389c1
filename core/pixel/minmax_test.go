package pixel

import "testing"

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
