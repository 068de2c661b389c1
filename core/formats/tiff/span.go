package tiff

// PlaneSpan reports where one sample of the IFD lies in the file when the
// bytes there are exactly what ReadPlane returns: uncompressed, without
// predictor, full-width strips holding that sample alone, one after the
// other with nothing between them, none sparse, in little-endian order (or
// of 8-bit samples). A caller that already holds the file's bytes (the
// import, which has just copied them) then uses them as the plane instead
// of reading the file again. ok is false for every other layout, and for a
// corrupt one: ReadPlane then explains what is wrong.
func (f *File) PlaneSpan(d *IFD, sample int) (off, n int64, ok bool) {
	g, err := f.geometry(d)
	if err != nil || sample < 0 || sample >= g.spp {
		return 0, 0, false
	}
	if d.Compression != CompressionNone || d.Predictor != PredictorNone || g.chunkSpp != 1 || g.tiled {
		return 0, 0, false
	}
	if g.size > 1 && f.order != littleEndian {
		return 0, 0, false
	}
	base := 0
	if g.planar {
		base = sample * g.down
	}
	refs, err := f.chunkRefs(g, base, g.down)
	if err != nil || len(refs) == 0 {
		return 0, 0, false
	}
	rowBytes := int64(g.w) * int64(g.size)
	off = refs[0].off
	for i, ref := range refs {
		rows := min(g.ch, g.h-i*g.ch)
		need := int64(rows) * rowBytes
		if ref.count < need || ref.off != off+n {
			return 0, 0, false
		}
		n += need
	}
	return off, n, true
}
