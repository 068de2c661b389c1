package render

import (
	"encoding/binary"
	"math"

	"github.com/ocular-lab/ocular/core/pixel"
)

// A contribution is a channel's colour for one pixel packed into 16-bit
// lanes of a uint64 (red in bits 0-15, green 16-31, blue 32-47). Summing up
// to 256 channels cannot carry between lanes, so compositing is one add per
// channel and one clamp per pixel at the end.
func pack(r, g, b uint8) uint64 { return uint64(r) | uint64(g)<<16 | uint64(b)<<32 }

// channelKey is everything a channel's tables depend on.
type channelKey struct {
	typ            pixel.Type
	grey           bool
	cdStart, cdEnd int
	c              ChannelSettings
}

// channelTable holds a channel's quantizer, its contribution per output
// level, and for 8- and 16-bit types the contribution per raw sample value,
// so that a pixel costs one lookup and one add.
type channelTable struct {
	key    channelKey
	valid  bool
	q      quantizer
	levels [256]uint64
	direct []uint64 // 256 or 65536 entries indexed by the raw sample bits
	builds int      // how many times the tables were built (for tests)
}

func (ct *channelTable) build(key channelKey) {
	ct.key = key
	ct.valid = true
	ct.builds++
	ct.q = newQuantizer(&key.c, key.cdStart, key.cdEnd)
	var lut *LUT
	if key.c.LUT != "" && !key.grey {
		lut, _ = LookupLUT(key.c.LUT) // validated settings name a known table; unknown falls back to the colour
	}
	col := key.c.Color
	for l := 0; l < 256; l++ {
		switch {
		case key.grey:
			ct.levels[l] = pack(uint8(l), uint8(l), uint8(l))
		case lut != nil:
			ct.levels[l] = pack(lut.R[l], lut.G[l], lut.B[l])
		default:
			ct.levels[l] = pack(tint(l, col[0], col[3]), tint(l, col[1], col[3]), tint(l, col[2], col[3]))
		}
	}
	switch key.typ {
	case pixel.Uint8, pixel.Int8:
		ct.direct = grow(ct.direct, 256)
		for bits := 0; bits < 256; bits++ {
			x := float64(bits)
			if key.typ == pixel.Int8 {
				x = float64(int8(bits))
			}
			ct.direct[bits] = ct.levels[ct.q.level(x)]
		}
	case pixel.Uint16:
		ct.direct = grow(ct.direct, 65536)
		ct.fill16(0, 65535, func(bits int) float64 { return float64(bits) })
	case pixel.Int16:
		ct.direct = grow(ct.direct, 65536)
		// Raw bits 0x8000..0xFFFF are -32768..-1: fill in value order.
		ct.fill16(-32768, 32767, func(v int) float64 { return float64(v) })
	default:
		ct.direct = nil
	}
}

// fill16 fills the 16-bit table for values lo..hi. Values outside the window
// share one level, so only the window is evaluated value by value.
func (ct *channelTable) fill16(lo, hi int, val func(int) float64) {
	below := ct.levels[ct.q.level(math.Inf(-1))]
	above := ct.levels[ct.q.level(math.Inf(1))]
	wlo, whi := lo, hi
	if s, e := ct.q.start, ct.q.end; !math.IsNaN(s) && !math.IsNaN(e) {
		wlo = int(math.Min(math.Max(float64(lo), math.Ceil(s)), float64(hi)+1))
		whi = int(math.Max(math.Min(float64(hi), math.Floor(e)), float64(lo)-1))
	}
	for v := lo; v <= hi; v++ {
		var c uint64
		switch {
		case v < wlo:
			c = below
		case v > whi:
			c = above
		default:
			c = ct.levels[ct.q.level(val(v))]
		}
		ct.direct[uint16(v)] = c
	}
}

func grow(s []uint64, n int) []uint64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]uint64, n)
}

// tint is a colour component's share of level l, with alpha premultiplied,
// truncated as OMERO's renderer does.
func tint(l int, comp, alpha uint8) uint8 {
	v := l * int(comp) / 255
	if alpha != 255 {
		v = v * int(alpha) / 255
	}
	return uint8(v)
}

// accumulate adds this channel's contribution for each sample of row to acc
// (or stores it when first is set).
func (ct *channelTable) accumulate(acc []uint64, row []byte, first bool) {
	n := len(acc)
	switch ct.key.typ {
	case pixel.Uint8, pixel.Int8:
		tab := (*[256]uint64)(ct.direct)
		row = row[:n]
		if first {
			for i, v := range row {
				acc[i] = tab[v]
			}
			return
		}
		for i, v := range row {
			acc[i] += tab[v]
		}
	case pixel.Uint16, pixel.Int16:
		tab := (*[65536]uint64)(ct.direct)
		vals := samples16(row, n)
		if first {
			for i, v := range vals {
				acc[i] = tab[v]
			}
			return
		}
		for i, v := range vals {
			acc[i] += tab[v]
		}
	default:
		if first {
			clear(acc)
		}
		ct.accumulateSlow(acc, row)
	}
}

// accumulateAndPack is accumulate for the last channel of a row, fused with
// packRow for the common 16-bit case to save a pass over acc.
func (ct *channelTable) accumulateAndPack(pix []byte, acc []uint64, row []byte, first bool) {
	out := pixels32(pix, len(acc))
	if (ct.key.typ != pixel.Uint16 && ct.key.typ != pixel.Int16) || first || out == nil {
		ct.accumulate(acc, row, first)
		packRow(pix, acc)
		return
	}
	tab := (*[65536]uint64)(ct.direct)
	vals := samples16(row, len(acc))
	acc = acc[:len(vals)]
	out = out[:len(vals)]
	for i, v := range vals {
		out[i] = packPixel(acc[i] + tab[v])
	}
}

// accumulateSlow evaluates the quantizer per pixel for 32-bit and float
// types, whose value range is too large for a table.
func (ct *channelTable) accumulateSlow(acc []uint64, row []byte) {
	q := &ct.q
	switch ct.key.typ {
	case pixel.Uint32:
		for i := range acc {
			acc[i] += ct.levels[q.level(float64(binary.LittleEndian.Uint32(row[4*i:])))]
		}
	case pixel.Int32:
		for i := range acc {
			acc[i] += ct.levels[q.level(float64(int32(binary.LittleEndian.Uint32(row[4*i:]))))]
		}
	case pixel.Float32:
		for i := range acc {
			acc[i] += ct.levels[q.level(float64(math.Float32frombits(binary.LittleEndian.Uint32(row[4*i:]))))]
		}
	case pixel.Float64:
		for i := range acc {
			acc[i] += ct.levels[q.level(math.Float64frombits(binary.LittleEndian.Uint64(row[8*i:])))]
		}
	}
}
