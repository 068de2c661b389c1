package pyramid

import (
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
)

// halveRows averages the 2×2 blocks of rows a and b (b is nil for the last
// row of a level of odd height) of a w-sample-wide level into dst, which has
// (w+1)/2 samples. The result is exactly ome.Downsample's, the reference the
// OME-TIFF writer uses for its pyramids: the mean of the samples present,
// rounded half away from zero for integer types. uint8 and uint16, the
// common microscopy types, take an integer fast path; other types go through
// ome.Downsample itself on the two rows.
func halveRows(t pixel.Type, w int, a, b, dst []byte) {
	switch t {
	case pixel.Uint16:
		halve16(w, a, b, dst)
	case pixel.Uint8:
		halve8(w, a, b, dst)
	default:
		rows := 1
		data := a[:w*t.Size()]
		if b != nil {
			rows = 2
			data = append(append(make([]byte, 0, 2*len(data)), data...), b[:w*t.Size()]...)
		}
		out := ome.Downsample(&pixel.Plane{Type: t, Width: w, Height: rows, Data: data})
		copy(dst, out.Data)
	}
}

// For non-negative sums of n ∈ {1, 2, 4} samples, (sum + n/2) / n is
// math.Round(sum / n).

func halve16(w int, a, b, dst []byte) {
	at := func(r []byte, x int) uint32 { return uint32(r[2*x]) | uint32(r[2*x+1])<<8 }
	put := func(x int, v uint32) { dst[2*x], dst[2*x+1] = byte(v), byte(v>>8) }
	half := w / 2
	if b != nil {
		for x := 0; x < half; x++ {
			put(x, (at(a, 2*x)+at(a, 2*x+1)+at(b, 2*x)+at(b, 2*x+1)+2)/4)
		}
		if w%2 == 1 {
			put(half, (at(a, w-1)+at(b, w-1)+1)/2)
		}
		return
	}
	for x := 0; x < half; x++ {
		put(x, (at(a, 2*x)+at(a, 2*x+1)+1)/2)
	}
	if w%2 == 1 {
		put(half, at(a, w-1))
	}
}

func halve8(w int, a, b, dst []byte) {
	half := w / 2
	if b != nil {
		for x := 0; x < half; x++ {
			dst[x] = byte((uint32(a[2*x]) + uint32(a[2*x+1]) + uint32(b[2*x]) + uint32(b[2*x+1]) + 2) / 4)
		}
		if w%2 == 1 {
			dst[half] = byte((uint32(a[w-1]) + uint32(b[w-1]) + 1) / 2)
		}
		return
	}
	for x := 0; x < half; x++ {
		dst[x] = byte((uint32(a[2*x]) + uint32(a[2*x+1]) + 1) / 2)
	}
	if w%2 == 1 {
		dst[half] = a[w-1]
	}
}
