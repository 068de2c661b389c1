package render

import "github.com/ocular-lab/ocular/core/pixel"

// renderRowFused16 renders one row of up to four 16-bit channels: one pass
// sums every channel's contribution per pixel (one table lookup and add per
// channel) into acc, a second clamps and stores. Two simple loops keep all
// their values in registers where one fused loop spilled. It reports false
// when the row does not qualify (other types or more than four channels) and
// the caller falls back to one pass per channel.
func renderRowFused16(pix []byte, chans []*channelTable, planes []*pixel.Plane, x0, y, w int) bool {
	if len(chans) == 0 || len(chans) > 4 {
		return false
	}
	for _, ct := range chans {
		if ct.key.typ != pixel.Uint16 && ct.key.typ != pixel.Int16 {
			return false
		}
	}
	var vals [4][]uint16
	var tabs [4]*[65536]uint32
	for i, ct := range chans {
		p := planes[i]
		off := 2 * (y*p.Width + x0)
		vals[i] = samples16(p.Data[off:off+2*w], w)
		tabs[i] = (*[65536]uint32)(ct.direct32)
	}
	out := pixels32(pix, w)
	if out == nil {
		return false
	}
	switch len(chans) {
	case 1:
		a, ta := vals[0][:len(out)], tabs[0]
		for i := range out {
			out[i] = pack10(ta[a[i]])
		}
	case 2:
		a, b := vals[0][:len(out)], vals[1][:len(out)]
		ta, tb := tabs[0], tabs[1]
		for i := range out {
			out[i] = pack10(ta[a[i]] + tb[b[i]])
		}
	case 3:
		a, b, c := vals[0][:len(out)], vals[1][:len(out)], vals[2][:len(out)]
		ta, tb, tc := tabs[0], tabs[1], tabs[2]
		for i := range out {
			out[i] = pack10(ta[a[i]] + tb[b[i]] + tc[c[i]])
		}
	case 4:
		a, b, c, d := vals[0][:len(out)], vals[1][:len(out)], vals[2][:len(out)], vals[3][:len(out)]
		ta, tb, tc, td := tabs[0], tabs[1], tabs[2], tabs[3]
		for i := range out {
			out[i] = pack10(ta[a[i]] + tb[b[i]] + tc[c[i]] + td[d[i]])
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
