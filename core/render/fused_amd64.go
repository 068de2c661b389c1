//go:build !purego

package render

import "golang.org/x/sys/cpu"

// useSIMD selects the AVX2 row kernel (fused_amd64.s) for the fused 16-bit
// path. Tests turn it off to check the portable loop on the same machine.
var useSIMD = cpu.X86.HasAVX2

// addRowsAVX2 renders n pixels (a multiple of 8) of nch (1..4) 16-bit
// channels into out: per channel 8 samples are widened, looked up in the
// channel's byte-form table with one gather, and added with unsigned byte
// saturation; alpha is set last.
//
//go:noescape
func addRowsAVX2(out *uint32, rows *[4]*uint16, tabs *[4][65536]uint32, nch, n int)

// rowSIMD renders the longest prefix of out whose length is a multiple of
// 8 and returns its length.
func rowSIMD(out []uint32, vals *[4][]uint16, t *[4][65536]uint32, nch int) int {
	m := len(out) &^ 7
	if m == 0 {
		return 0
	}
	var rows [4]*uint16
	for c := 0; c < nch; c++ {
		rows[c] = &vals[c][:m][0]
	}
	addRowsAVX2(&out[0], &rows, t, nch, m)
	return m
}
