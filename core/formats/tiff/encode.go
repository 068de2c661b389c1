package tiff

// Encoders for the writer. TIFF's LZW differs from compress/lzw (codes grow
// one code early, and libtiff expects a leading Clear code), and neither x/image
// nor klauspost/compress offer a TIFF LZW encoder, so a small one lives here.
// PackBits is a few lines.

const (
	lzwClear    = 256
	lzwEOI      = 257
	lzwMaxWidth = 12
	lzwHashBits = 14
	lzwHashMask = 1<<lzwHashBits - 1
)

type lzwEncoder struct {
	out      []byte
	bits     uint32
	nBits    uint
	width    uint
	hi       uint32
	overflow uint32
	table    [1 << lzwHashBits]uint32 // key<<12 | code; 0 is empty
}

func (e *lzwEncoder) emit(code uint32) {
	e.bits |= code << (32 - e.width - e.nBits)
	e.nBits += e.width
	for e.nBits >= 8 {
		e.out = append(e.out, byte(e.bits>>24))
		e.bits <<= 8
		e.nBits -= 8
	}
}

func (e *lzwEncoder) reset() {
	e.width, e.hi, e.overflow = 9, lzwEOI, 512
	clear(e.table[:])
}

// next advances the highest code after a code was emitted. It returns false
// when the table is full: a Clear code was sent and the table restarted.
func (e *lzwEncoder) next() bool {
	e.hi++
	if e.hi == 1<<lzwMaxWidth-2 {
		// libtiff clears when the next free code reaches 4094.
		e.emit(lzwClear)
		e.reset()
		return false
	}
	if e.hi+1 == e.overflow { // the TIFF "early change"
		e.width++
		e.overflow <<= 1
	}
	return true
}

// lzwCompress appends the TIFF-LZW encoding of src to dst.
func lzwCompress(e *lzwEncoder, dst, src []byte) []byte {
	e.out, e.bits, e.nBits = dst, 0, 0
	e.reset()
	e.emit(lzwClear)
	if len(src) == 0 {
		e.emit(lzwEOI)
		return e.flush()
	}
	code := uint32(src[0])
	for _, b := range src[1:] {
		lit := uint32(b)
		key := code<<8 | lit
		h := (key>>lzwHashBits ^ key) & lzwHashMask
		found := false
		for {
			t := e.table[h]
			if t == 0 {
				break
			}
			if t>>12 == key {
				code, found = t&0xfff, true
				break
			}
			h = (h + 1) & lzwHashMask
		}
		if found {
			continue
		}
		e.emit(code)
		code = lit
		if e.next() {
			e.table[h] = key<<12 | e.hi
		}
	}
	e.emit(code)
	e.next()
	e.emit(lzwEOI)
	return e.flush()
}

func (e *lzwEncoder) flush() []byte {
	if e.nBits > 0 {
		e.out = append(e.out, byte(e.bits>>24))
	}
	out := e.out
	e.out = nil
	return out
}

// packBits appends the PackBits encoding of one row to dst.
func packBits(dst, src []byte) []byte {
	i := 0
	for i < len(src) {
		j := i + 1
		for j < len(src) && j-i < 128 && src[j] == src[i] {
			j++
		}
		if j-i >= 3 {
			dst = append(dst, byte(int8(1-(j-i))), src[i])
			i = j
			continue
		}
		start := i
		for i < len(src) && i-start < 128 {
			if i+2 < len(src) && src[i] == src[i+1] && src[i+1] == src[i+2] {
				break
			}
			i++
		}
		dst = append(dst, byte(i-start-1))
		dst = append(dst, src[start:i]...)
	}
	return dst
}
