package blosc

// unshuffle undoes Blosc's byte shuffle of one block: the shuffled block
// holds byte 0 of every element, then byte 1 of every element, and so on;
// trailing bytes that do not fill an element are stored as they are.
func unshuffle(typeSize int, src, dst []byte) {
	n := len(src) / typeSize
	for j := 0; j < typeSize; j++ {
		row := src[j*n : (j+1)*n]
		for i, b := range row {
			dst[i*typeSize+j] = b
		}
	}
	tail := n * typeSize
	copy(dst[tail:], src[tail:])
}

// shuffle is the inverse of unshuffle (used by Compress and tests).
func shuffle(typeSize int, src, dst []byte) {
	n := len(src) / typeSize
	for j := 0; j < typeSize; j++ {
		for i := 0; i < n; i++ {
			dst[j*n+i] = src[i*typeSize+j]
		}
	}
	tail := n * typeSize
	copy(dst[tail:], src[tail:])
}

// bitUnshuffle undoes the bitshuffle filter (Masui's bitshuffle as used by
// Blosc): the shuffled block is 8*typeSize bit planes, plane 8*j+b holding
// bit b of byte j of every element, element i at bit i%8 of byte i/8. Only
// a multiple of 8 elements is shuffled; the rest is stored as it is. Frames
// of format version 2 left blocks whose element count is not a multiple of
// 8 entirely unshuffled.
func bitUnshuffle(version uint8, typeSize int, src, dst []byte) {
	n := len(src) / typeSize
	if version <= 2 && n%8 != 0 {
		copy(dst, src)
		return
	}
	n8 := n - n%8
	for i := range dst[:n8*typeSize] {
		dst[i] = 0
	}
	rowBytes := n8 / 8
	for j := 0; j < typeSize; j++ {
		for b := 0; b < 8; b++ {
			row := src[(j*8+b)*rowBytes : (j*8+b+1)*rowBytes]
			for k, v := range row {
				if v == 0 {
					continue
				}
				for e := 0; e < 8; e++ {
					if v&(1<<e) != 0 {
						dst[(k*8+e)*typeSize+j] |= 1 << b
					}
				}
			}
		}
	}
	tail := n8 * typeSize
	copy(dst[tail:], src[tail:])
}

// bitShuffle is the inverse of bitUnshuffle for format versions above 2.
func bitShuffle(typeSize int, src, dst []byte) {
	n := len(src) / typeSize
	n8 := n - n%8
	rowBytes := n8 / 8
	for i := range dst[:n8*typeSize] {
		dst[i] = 0
	}
	for i := 0; i < n8; i++ {
		for j := 0; j < typeSize; j++ {
			v := src[i*typeSize+j]
			for b := 0; b < 8; b++ {
				if v&(1<<b) != 0 {
					dst[(j*8+b)*rowBytes+i/8] |= 1 << (i % 8)
				}
			}
		}
	}
	tail := n8 * typeSize
	copy(dst[tail:], src[tail:])
}
