package pixel

// minMaxUint16Blocks is the SSE2 scan of minmax_amd64.s; len(d) must be a
// non-zero multiple of 64.
//
//go:noescape
func minMaxUint16Blocks(d []byte) (lo, hi uint16)

// minMaxUint16 scans little-endian uint16 samples: the 64-byte blocks with
// SSE2 (eight samples per instruction; the scalar loop ran at about a
// sixth of the memory's speed and was a sixth of an import's CPU time),
// the rest with the portable loop.
func minMaxUint16(d []byte) (uint16, uint16) {
	n := len(d) &^ 63
	if n == 0 {
		return minMaxUint16Generic(d)
	}
	lo, hi := minMaxUint16Blocks(d[:n])
	if n+1 < len(d) {
		l, h := minMaxUint16Generic(d[n:])
		lo, hi = min(lo, l), max(hi, h)
	}
	return lo, hi
}
