package render

import "github.com/ocular-lab/ocular/core/pixel"

// fusedTables holds the tables of up to four 8- or 16-bit channels side by side,
// so the fused loop addresses all four from one base register (four
// separate tables left too few registers and the loop spilled). A slot is
// refreshed only when its channel's table was rebuilt.
//
// The entries come in one of two forms, chosen when the slots are filled:
//   - bytes (simd set): red, green and blue in bytes 0-2, alpha 0. Every
//     contribution is non-negative, so adding them with per-byte unsigned
//     saturation, one channel after another, gives the clamped sum: the
//     vector kernel (fused_amd64.s) needs no packing step at all.
//   - 10-bit lanes (simd unset): red in bits 0-9, green 10-19, blue 20-29;
//     four channels sum to at most 1020 per lane without carrying, and
//     pack10 clamps the sum. This is the portable scalar form.
type fusedTables struct {
	t      [4][65536]uint32
	simd   bool
	owner  [4]*channelTable
	builds [4]int
}

func (f *fusedTables) update(chans []*channelTable) {
	if f.simd != useSIMD {
		f.simd = useSIMD
		f.owner = [4]*channelTable{} // every slot is in the other form
	}
	for i, ct := range chans {
		if f.owner[i] == ct && f.builds[i] == ct.builds {
			continue
		}
		dst := &f.t[i]
		for v, c := range ct.direct { // 256 entries for 8-bit types, 65536 for 16-bit
			r, g, b := uint32(c&0x3FF), uint32(c>>16&0x3FF), uint32(c>>32&0x3FF)
			if f.simd {
				dst[v] = r | g<<8 | b<<16
			} else {
				dst[v] = r | g<<10 | b<<20
			}
		}
		f.owner[i], f.builds[i] = ct, ct.builds
	}
}

// renderRowFused renders one row of n (1..4) 8- or 16-bit channels in a
// single pass: per pixel one table lookup and add per channel, then one
// clamped store, with no intermediate buffer. It reports false when the
// destination cannot be viewed as []uint32, and the caller falls back to one
// pass per channel.
func renderRowFused(pix []byte, f *fusedTables, n int, planes []*pixel.Plane, x0, y, w int) bool {
	out := pixels32(pix, w)
	if out == nil {
		return false
	}
	if planes[0].Type.Size() == 1 {
		var vals [4][]uint8
		for i := 0; i < n; i++ {
			p := planes[i]
			off := y*p.Width + x0
			vals[i] = p.Data[off : off+len(out)]
		}
		fusedRow(out, &vals, f, n, rowSIMD8)
		return true
	}
	var vals [4][]uint16
	for i := 0; i < n; i++ {
		p := planes[i]
		off := 2 * (y*p.Width + x0)
		vals[i] = samples16(p.Data[off:off+2*w], w)[:len(out)]
	}
	fusedRow(out, &vals, f, n, rowSIMD16)
	return true
}

// fusedRow renders a row from the samples of n channels with the tables'
// form: the vector kernel (then the scalar tail it leaves) or the portable
// loop.
func fusedRow[S uint8 | uint16](out []uint32, vals *[4][]S, f *fusedTables, n int,
	kernel func([]uint32, *[4][]S, *[4][65536]uint32, int) int) {
	if f.simd {
		done := kernel(out, vals, &f.t, n)
		saturatingTail(out[done:], vals, &f.t, n, done)
		return
	}
	fusedLoop(out, vals, &f.t, n)
}

// fusedLoop is the portable row loop over 10-bit-lane tables.
func fusedLoop[S uint8 | uint16](out []uint32, vals *[4][]S, t *[4][65536]uint32, n int) {
	switch n {
	case 1:
		a := vals[0][:len(out)]
		for i := range out {
			out[i] = pack10(t[0][a[i]])
		}
	case 2:
		a, b := vals[0][:len(out)], vals[1][:len(out)]
		for i := range out {
			out[i] = pack10(t[0][a[i]] + t[1][b[i]])
		}
	case 3:
		a, b, c := vals[0][:len(out)], vals[1][:len(out)], vals[2][:len(out)]
		for i := range out {
			out[i] = pack10(t[0][a[i]] + t[1][b[i]] + t[2][c[i]])
		}
	case 4:
		a, b, c, d := vals[0][:len(out)], vals[1][:len(out)], vals[2][:len(out)], vals[3][:len(out)]
		for i := range out {
			out[i] = pack10(t[0][a[i]] + t[1][b[i]] + t[2][c[i]] + t[3][d[i]])
		}
	}
}

// saturatingTail renders the pixels from index from on of a row whose
// first pixels the vector kernel rendered, with byte-form tables.
func saturatingTail[S uint8 | uint16](out []uint32, vals *[4][]S, t *[4][65536]uint32, n, from int) {
	for i := range out {
		var r, g, b uint32
		for c := 0; c < n; c++ {
			e := t[c][vals[c][from+i]]
			r, g, b = r+e&0xFF, g+e>>8&0xFF, b+e>>16&0xFF
		}
		out[i] = min(r, 255) | min(g, 255)<<8 | min(b, 255)<<16 | 0xFF000000
	}
}

// pack10 clamps a sum of 10-bit-lane contributions (red in bits 0-9, green
// 10-19, blue 20-29; at most four channels, so a lane holds at most 1020)
// to 255 per lane and returns the opaque RGBA pixel. All constants fit in
// 32 bits, so the loop keeps everything in registers.
func pack10(a uint32) uint32 {
	hi := (a >> 8) & 0x300C03                         // bits 8-9 of each lane
	sat := (((hi + 0x300C03) >> 2) & 0x100401) * 0xFF // 0xFF in lanes that overflowed
	v := a&0x0FF3FCFF | sat
	return v&0xFF | (v>>2)&0xFF00 | (v>>4)&0xFF0000 | 0xFF000000
}
