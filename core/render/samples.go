package render

import (
	"encoding/binary"
	"unsafe"
)

// littleEndianHost is true on the machines Ocular ships for (amd64, arm64).
var littleEndianHost = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// samples16 returns the first n little-endian 16-bit samples of row as
// []uint16. On little-endian hosts with aligned data this is a view of row
// (no copy, no per-sample byte assembly); otherwise the samples are decoded
// into a new slice.
func samples16(row []byte, n int) []uint16 {
	row = row[:2*n]
	if n == 0 {
		return nil
	}
	if littleEndianHost && uintptr(unsafe.Pointer(&row[0]))%2 == 0 {
		return unsafe.Slice((*uint16)(unsafe.Pointer(&row[0])), n)
	}
	out := make([]uint16, n)
	for i := range out {
		out[i] = binary.LittleEndian.Uint16(row[2*i:])
	}
	return out
}

// pixels32 returns the first n RGBA pixels of pix as a []uint32 view
// (little-endian R, G, B, A) on little-endian hosts with aligned data, and
// nil elsewhere, where callers write bytes instead.
func pixels32(pix []byte, n int) []uint32 {
	pix = pix[:4*n]
	if n > 0 && littleEndianHost && uintptr(unsafe.Pointer(&pix[0]))%4 == 0 {
		return unsafe.Slice((*uint32)(unsafe.Pointer(&pix[0])), n)
	}
	return nil
}
