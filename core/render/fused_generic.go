//go:build !amd64 || purego

package render

// useSIMD is false where there is no vector kernel: the fused path uses the
// portable 10-bit-lane loop.
var useSIMD = false

func rowSIMD16(out []uint32, vals *[4][]uint16, t *[4][65536]uint32, nch int) int { return 0 }

func rowSIMD8(out []uint32, vals *[4][]uint8, t *[4][65536]uint32, nch int) int { return 0 }
