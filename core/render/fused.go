package render

import "github.com/ocular-lab/ocular/core/pixel"

// fusedTables holds the 10-bit-lane tables of up to four 16-bit channels
// side by side, so the fused loop addresses all four from one base register
// (four separate tables left too few registers and the loop spilled). A slot
// is refreshed only when its channel's table was rebuilt.
type fusedTables struct {
	t      [4][65536]uint32
	owner  [4]*channelTable
	builds [4]int
}

func (f *fusedTables) update(chans []*channelTable) {
	for i, ct := range chans {
		if f.owner[i] == ct && f.builds[i] == ct.builds {
			continue
		}
		copy(f.t[i][:], ct.direct32)
		f.owner[i], f.builds[i] = ct, ct.builds
	}
}

// renderRowFused16 renders one row of n (1..4) 16-bit channels in a single
// pass: per pixel one table lookup and add per channel, then one clamped
// store, with no intermediate buffer. It reports false when the destination
// cannot be viewed as []uint32, and the caller falls back to one pass per
// channel.
func renderRowFused16(pix []byte, f *fusedTables, n int, planes []*pixel.Plane, x0, y, w int) bool {
	out := pixels32(pix, w)
	if out == nil {
		return false
	}
	var vals [4][]uint16
	for i := 0; i < n; i++ {
		p := planes[i]
		off := 2 * (y*p.Width + x0)
		vals[i] = samples16(p.Data[off:off+2*w], w)
	}
	t := &f.t
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
	return true
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

// build32 derives the 10-bit-lane form of the 16-bit table. It runs in
// build, before any goroutine reads the tables.
func (ct *channelTable) build32() {
	if cap(ct.direct32) < 65536 {
		ct.direct32 = make([]uint32, 65536)
	}
	ct.direct32 = ct.direct32[:65536]
	for i, c := range ct.direct[:65536] {
		ct.direct32[i] = uint32(c&0x3FF) | uint32(c>>16&0x3FF)<<10 | uint32(c>>32&0x3FF)<<20
	}
}
