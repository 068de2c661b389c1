package blosc

// blosclzDecompress decodes one BloscLZ stream (a FastLZ level-1 variant
// with an extra 16-bit "far" distance) into out, returning the number of
// bytes written. Every read and back-reference is bounds-checked.
func blosclzDecompress(in, out []byte) (int, error) {
	const maxDistance = 8191
	if len(in) == 0 {
		return 0, corrupt("blosclz: empty stream")
	}
	ip, op := 0, 0
	ctrl := int(in[ip] & 31)
	ip++
	for {
		if ctrl >= 32 {
			length := (ctrl >> 5) - 1
			ofs := (ctrl & 31) << 8
			if length == 7-1 {
				for {
					if ip >= len(in) {
						return op, corrupt("blosclz: truncated match length")
					}
					code := int(in[ip])
					ip++
					length += code
					if code != 255 {
						break
					}
				}
			}
			if ip >= len(in) {
				return op, corrupt("blosclz: truncated match distance")
			}
			code := int(in[ip])
			ip++
			ref := op - ofs - code
			if code == 255 && ofs == 31<<8 {
				if ip+2 > len(in) {
					return op, corrupt("blosclz: truncated far distance")
				}
				ofs = int(in[ip])<<8 | int(in[ip+1])
				ip += 2
				ref = op - ofs - maxDistance
			}
			length += 3
			ref-- // distances are biased by one
			if op+length > len(out) {
				return op, corrupt("blosclz: match overruns the %d-byte output", len(out))
			}
			if ref < 0 {
				return op, corrupt("blosclz: match refers before the start of the output")
			}
			// Byte by byte: the source may overlap the destination (runs).
			for k := 0; k < length; k++ {
				out[op+k] = out[ref+k]
			}
			op += length
		} else {
			n := ctrl + 1
			if op+n > len(out) {
				return op, corrupt("blosclz: literal run overruns the %d-byte output", len(out))
			}
			if ip+n > len(in) {
				return op, corrupt("blosclz: literal run overruns the input")
			}
			copy(out[op:], in[ip:ip+n])
			op += n
			ip += n
		}
		if ip >= len(in) {
			return op, nil
		}
		ctrl = int(in[ip])
		ip++
	}
}
