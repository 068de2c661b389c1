package tiff

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// build groups the IFDs into series: pages, their pyramid levels and axes.
func (r *Reader) build() {
	if isQPTIFF(r.file.IFDs()[0]) && r.buildQPTIFF() {
		return
	}
	var pages []*IFD
	var levels [][]*IFD
	for _, d := range r.file.IFDs() {
		if d.NewSubfileType&1 != 0 && len(pages) > 0 {
			// A reduced-resolution page in the main chain (openslide's boxes.tiff,
			// libtiff/vips pyramids) belongs to the full-resolution page before it.
			levels[len(levels)-1] = append(levels[len(levels)-1], d)
			continue
		}
		pages = append(pages, d)
		levels = append(levels, append([]*IFD(nil), d.SubIFDs...))
	}
	// A chain of pages that shrink at every step, with no other levels, is a
	// pyramid written without NewSubfileType.
	if len(pages) > 1 && shrinking(pages) {
		all := levels[0]
		for i := 1; i < len(pages); i++ {
			all = append(all, pages[i])
		}
		pages, levels = pages[:1], [][]*IFD{all}
	}
	for i := range levels {
		sort.SliceStable(levels[i], func(a, b int) bool { return levels[i][a].Width > levels[i][b].Width })
	}
	// Consecutive pages of the same shape form one series.
	start := 0
	for i := 1; i <= len(pages); i++ {
		if i < len(pages) && sameShape(pages[start], pages[i]) && len(levels[i]) == len(levels[start]) {
			continue
		}
		r.addSeries(pages[start:i], levels[start:i])
		start = i
	}
	if len(r.series) > 1 {
		for i := range r.series {
			r.series[i].Name = fmt.Sprintf("%s #%d", r.series[i].Name, i+1)
		}
	}
}

func shrinking(pages []*IFD) bool {
	for i := 1; i < len(pages); i++ {
		a, b := pages[i-1], pages[i]
		if b.Width >= a.Width || b.Height >= a.Height || b.PixelType != a.PixelType ||
			b.SamplesPerPixel != a.SamplesPerPixel || len(a.SubIFDs) > 0 || len(b.SubIFDs) > 0 {
			return false
		}
	}
	return true
}

func sameShape(a, b *IFD) bool {
	return a.Width == b.Width && a.Height == b.Height && a.PixelType == b.PixelType && a.SamplesPerPixel == b.SamplesPerPixel
}

func (r *Reader) addSeries(pages []*IFD, levels [][]*IFD) {
	p := pages[0]
	if p.PixelType == pixel.Invalid || p.Width <= 0 || p.Height <= 0 {
		return // e.g. a 1-bit mask page: not something Ocular can show
	}
	l := &seriesLayout{pages: pages, levels: levels, sizeZ: 1, sizeC: 1, sizeT: 1}
	spp := p.SamplesPerPixel
	if spp > 1 {
		l.cFromSamples = true
		l.sizeC = spp
	}
	l.dims = shapeDims(p.ImageDescription, len(pages), p.Height, p.Width, spp)
	for _, d := range l.dims {
		switch d.axis {
		case 'Z':
			l.sizeZ = d.size
		case 'C':
			l.sizeC = d.size
		case 'T':
			l.sizeT = d.size
		}
	}
	s := formats.Series{
		Name:        filepath.Base(r.path),
		Description: p.ImageDescription,
		SizeX:       p.Width, SizeY: p.Height,
		SizeZ: l.sizeZ, SizeC: l.sizeC, SizeT: l.sizeT,
		PixelType:      p.PixelType,
		DimensionOrder: dimensionOrder(l.dims, l.cFromSamples),
		Original:       originalMetadata(r.file, p, len(pages)),
	}
	s.PhysicalSizeX = physicalSize(p, TagXResolution)
	s.PhysicalSizeY = physicalSize(p, TagYResolution)
	s.Levels = append(s.Levels, formats.Level{SizeX: p.Width, SizeY: p.Height, TileWidth: p.TileWidth, TileHeight: p.TileHeight})
	for _, d := range levels[0] {
		s.Levels = append(s.Levels, formats.Level{SizeX: d.Width, SizeY: d.Height, TileWidth: d.TileWidth, TileHeight: d.TileHeight})
	}
	for c := 0; c < s.SizeC; c++ {
		ch := formats.Channel{}
		if l.cFromSamples && spp >= 3 && (p.Photometric == 2 || p.Photometric == 6) {
			if c < 3 {
				ch.Name = []string{"Red", "Green", "Blue"}[c]
				ch.Color = [][4]uint8{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}}[c]
				ch.HasColor = true
			}
		}
		s.Channels = append(s.Channels, ch)
	}
	r.series = append(r.series, s)
	r.layout = append(r.layout, l)
}

// shapeDims returns the page axes (slowest first). tifffile writes
// {"shape": [...]} (and sometimes "axes") into the description of plain
// TIFFs; without it, every page is a Z plane.
func shapeDims(desc string, n, h, w, spp int) []dim {
	def := []dim{{'Z', n}}
	desc = strings.TrimSpace(desc)
	if !strings.HasPrefix(desc, "{") || len(desc) > 1<<16 {
		return def
	}
	var meta struct {
		Shape []int  `json:"shape"`
		Axes  string `json:"axes"`
	}
	if json.Unmarshal([]byte(desc), &meta) != nil || len(meta.Shape) < 2 || len(meta.Shape) > 32 {
		return def
	}
	shape, axes := meta.Shape, strings.ToUpper(meta.Axes)
	if len(axes) != len(shape) {
		axes = ""
	}
	if spp > 1 && shape[len(shape)-1] == spp {
		shape = shape[:len(shape)-1]
		if axes != "" {
			axes = axes[:len(axes)-1]
		}
	}
	if len(shape) < 2 || shape[len(shape)-2] != h || shape[len(shape)-1] != w {
		return def
	}
	lead := shape[:len(shape)-2]
	prod := 1
	for _, v := range lead {
		if v <= 0 || v > n {
			return def
		}
		// Checked at each step, so 32 axes cannot overflow back to n.
		if prod *= v; prod > n {
			return def
		}
	}
	if prod != n {
		return def
	}
	if len(lead) == 0 {
		return def
	}
	if axes != "" {
		if d := axesDims(lead, axes[:len(lead)], spp > 1); d != nil {
			return d
		}
		return def
	}
	switch len(lead) {
	case 1:
		return []dim{{'Z', lead[0]}}
	case 2:
		if lead[1] <= 8 && spp == 1 {
			return []dim{{'Z', lead[0]}, {'C', lead[1]}}
		}
		return []dim{{'T', lead[0]}, {'Z', lead[1]}}
	}
	// T, Z, C with any extra leading axes folded into T.
	k := len(lead)
	t := 1
	for _, v := range lead[:k-2] {
		t *= v
	}
	if spp > 1 {
		return []dim{{'T', t * lead[k-2]}, {'Z', lead[k-1]}}
	}
	return []dim{{'T', t}, {'Z', lead[k-2]}, {'C', lead[k-1]}}
}

// axesDims maps tifffile axis letters to Z, C and T. A letter that is not
// one of them (Q, I, S, ...) or repeats one becomes the first of Z, T, C
// still free; nil when there are more axes than that.
func axesDims(lead []int, axes string, cFromSamples bool) []dim {
	var out []dim
	used := map[byte]bool{}
	ok := func(a byte) bool { return (a == 'Z' || a == 'T' || a == 'C' && !cFromSamples) && !used[a] }
	for i, v := range lead {
		a := axes[i]
		if !ok(a) {
			a = 0
			for _, cand := range []byte("ZTC") {
				if ok(cand) {
					a = cand
					break
				}
			}
			if a == 0 {
				return nil
			}
		}
		used[a] = true
		out = append(out, dim{a, v})
	}
	return out
}

// dimensionOrder renders the OME order: X, Y, then the axes fastest first.
func dimensionOrder(dims []dim, cFromSamples bool) string {
	order := "XY"
	if cFromSamples {
		order += "C"
	}
	for i := len(dims) - 1; i >= 0; i-- {
		order += string(dims[i].axis)
	}
	for _, a := range "ZCT" {
		if !strings.ContainsRune(order, a) {
			order += string(a)
		}
	}
	return order
}

// physicalSize converts a resolution tag to micrometres per pixel. Values
// above a millimetre per pixel are writer defaults (72 dpi, 1 pixel/cm),
// not calibrations, and are ignored.
func physicalSize(d *IFD, code uint16) float64 {
	t, ok := d.Tag(code)
	if !ok || t.Count == 0 {
		return 0
	}
	v := t.Floats()
	if len(v) == 0 || v[0] <= 0 {
		return 0
	}
	unit := int64(2)
	if u, ok := d.Tag(TagResolutionUnit); ok {
		unit = u.Int(2)
	}
	var um float64
	switch unit {
	case 2:
		um = 25400 / v[0]
	case 3:
		um = 10000 / v[0]
	default:
		return 0
	}
	if um >= 1000 {
		return 0
	}
	return um
}

// originalMetadata lists the tags of the first page for display.
func originalMetadata(f *File, d *IFD, pages int) []formats.KeyValue {
	kv := []formats.KeyValue{{Key: "Format", Value: map[bool]string{true: "BigTIFF", false: "TIFF"}[f.BigTIFF()]}}
	order := "little-endian"
	if f.ByteOrder() != littleEndian {
		order = "big-endian"
	}
	kv = append(kv, formats.KeyValue{Key: "Byte order", Value: order}, formats.KeyValue{Key: "Pages", Value: fmt.Sprint(pages)})
	for _, t := range d.Tags {
		v := t.String()
		switch t.Code {
		case TagCompression:
			v = CompressionName(int(t.Int(1)))
		case TagStripOffsets, TagStripByteCounts, TagTileOffsets, TagTileByteCounts, TagJPEGTables:
			v = fmt.Sprintf("(%d values)", t.Count)
		}
		kv = append(kv, formats.KeyValue{Key: t.Name(), Value: v})
	}
	return kv
}
