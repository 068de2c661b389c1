//go:build !purego

package render

import "golang.org/x/sys/cpu"

// useSIMD selects the AVX2 row kernel (fused_amd64.s) for the fused 16-bit
// path. Tests turn it off to check the portable loop on the same machine.
var useSIMD = cpu.X86.HasAVX2

// addRows16AVX2 and addRows8AVX2 render n pixels (a multiple of 8) of nch
// (1..4) 16- or 8-bit channels into out: per channel 8 samples are widened,
// looked up in the channel's byte-form table with one gather, and added
// with unsigned byte saturation; alpha is set last.
//
//go:noescape
func addRows16AVX2(out *uint32, rows *[4]*uint16, tabs *[4][65536]uint32, nch, n int)

//go:noescape
func addRows8AVX2(out *uint32, rows *[4]*uint8, tabs *[4][65536]uint32, nch, n int)

// rowSIMD16 renders the longest prefix of out whose length is a multiple
// of 8 and returns its length.
func rowSIMD16(out []uint32, vals *[4][]uint16, t *[4][65536]uint32, nch int) int {
	m := len(out) &^ 7
	if m == 0 {
		return 0
	}
	var rows [4]*uint16
	for c := 0; c < nch; c++ {
		rows[c] = &vals[c][:m][0]
	}
	addRows16AVX2(&out[0], &rows, t, nch, m)
	return m
}

// rowSIMD8 is rowSIMD16 for 8-bit samples.
func rowSIMD8(out []uint32, vals *[4][]uint8, t *[4][65536]uint32, nch int) int {
	m := len(out) &^ 7
	if m == 0 {
		return 0
	}
	var rows [4]*uint8
	for c := 0; c < nch; c++ {
		rows[c] = &vals[c][:m][0]
	}
	addRows8AVX2(&out[0], &rows, t, nch, m)
	return m
}
