package tiff

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core/formats"
)

// PerkinElmer (now Akoya) Vectra and PhenoImager slide scanners write
// QPTIFF: a TIFF whose pages carry a <PerkinElmer-QPI-ImageDescription>
// XML each, laid out as Bio-Formats' VectraReader documents it:
//
//	pages 0..n-1   full resolution: one grey page per channel (or one RGB page)
//	page n         an RGB thumbnail
//	then           n pages per reduced resolution level (NewSubfileType 1)
//	then           optional overview (macro) and label images
//
// As in Bio-Formats, the full-resolution channels with their levels are the
// first image, and the thumbnail, macro and label are images of their own.

// qptiffSoftware starts the Software tag of every QPTIFF (Bio-Formats tests
// the same prefix).
const qptiffSoftware = "PerkinElmer-QPI"

// qpiDesc is what Ocular reads of a page's PerkinElmer XML.
type qpiDesc struct {
	XMLName      xml.Name
	ImageType    string `xml:"ImageType"`
	Name         string `xml:"Name"`
	Biomarker    string `xml:"Biomarker"`
	Color        string `xml:"Color"`
	ExposureTime string `xml:"ExposureTime"`
	Objective    string `xml:"Objective"`
}

// isQPTIFF reports whether the first page says the file is a QPTIFF.
func isQPTIFF(d *IFD) bool {
	return strings.HasPrefix(d.Software, qptiffSoftware) ||
		strings.Contains(d.ImageDescription, "<PerkinElmer-QPI-ImageDescription")
}

// parseQPI reads a page's description; a page without (valid) PerkinElmer
// XML gives the zero value, and the layout rules fall back on page order.
func parseQPI(d *IFD) qpiDesc {
	var q qpiDesc
	if !strings.Contains(d.ImageDescription, "<PerkinElmer-QPI-ImageDescription") {
		return q
	}
	dec := xml.NewDecoder(strings.NewReader(d.ImageDescription))
	// The files declare encoding="utf-16" but are UTF-8 (Bio-Formats notes
	// the same); read the bytes as they are.
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	if dec.Decode(&q) != nil || q.XMLName.Local != "PerkinElmer-QPI-ImageDescription" {
		return qpiDesc{}
	}
	q.ImageType = strings.TrimSpace(q.ImageType)
	return q
}

// buildQPTIFF lays the pages of a QPTIFF out as Bio-Formats does. It
// returns false when the pages do not follow the layout, and the generic
// classification applies instead.
func (r *Reader) buildQPTIFF() bool {
	ifds := r.file.IFDs()
	first := ifds[0]
	if first.PixelType.Size() == 0 || first.Width <= 0 || first.Height <= 0 {
		return false
	}
	descs := make([]qpiDesc, len(ifds))
	for i, d := range ifds {
		descs[i] = parseQPI(d)
	}
	// known reports whether a page's XML names a type other than want.
	other := func(i int, want string) bool {
		return descs[i].ImageType != "" && !strings.EqualFold(descs[i].ImageType, want)
	}
	if other(0, "FullResolution") {
		return false
	}
	// The channels: the leading pages of the first page's shape (one page
	// when it is RGB, whose samples are the channels).
	n := 1
	if first.SamplesPerPixel == 1 {
		for n < len(ifds) && sameShape(ifds[n], first) && !other(n, "FullResolution") && len(ifds[n].SubIFDs) == len(first.SubIFDs) {
			n++
		}
	}
	pos := n
	thumb := -1
	if pos < len(ifds) && !other(pos, "Thumbnail") {
		thumb = pos
		pos++
	}
	// Reduced levels: whole groups of n pages marked reduced-resolution,
	// each smaller than the level above.
	levels := make([][]*IFD, n)
	prevW := first.Width
	for pos+n <= len(ifds) && ifds[pos].NewSubfileType&1 != 0 && !other(pos, "ReducedResolution") {
		g := ifds[pos : pos+n]
		ok := g[0].Width < prevW && g[0].Width > 0 && g[0].Height > 0
		for _, d := range g {
			ok = ok && sameShape(d, g[0]) && d.PixelType == first.PixelType && d.SamplesPerPixel == first.SamplesPerPixel
		}
		if !ok {
			break
		}
		for c, d := range g {
			levels[c] = append(levels[c], d)
		}
		prevW = g[0].Width
		pos += n
	}
	// Pages keep their own SubIFDs (none in files seen so far) below the
	// main-chain levels.
	for c := range levels {
		levels[c] = append(levels[c], ifds[c].SubIFDs...)
	}
	r.addQPTIFFChannels(ifds[:n], levels, descs[:n])
	if thumb >= 0 {
		r.addQPTIFFAux(ifds[thumb], "thumbnail")
	}
	for i := pos; i < len(ifds); i++ {
		r.addQPTIFFAux(ifds[i], auxName(descs[i].ImageType))
	}
	r.qptiff = len(r.series) > 0
	return r.qptiff
}

// auxName names an auxiliary page by its ImageType, in the words slide
// scanners use; a page that does not say is the macro (overview), as in
// Bio-Formats.
func auxName(imageType string) string {
	switch strings.ToLower(imageType) {
	case "", "overview", "macro":
		return "macro"
	case "label":
		return "label"
	case "thumbnail":
		return "thumbnail"
	}
	return imageType
}

// addQPTIFFChannels adds the first image: one channel per page (or per
// sample of an RGB page), named and coloured from the pages' XML.
func (r *Reader) addQPTIFFChannels(pages []*IFD, levels [][]*IFD, descs []qpiDesc) {
	n := len(pages)
	before := len(r.series)
	if n == 1 {
		r.addSeries(pages, levels)
	} else {
		p := pages[0]
		l := &seriesLayout{pages: pages, levels: levels, dims: []dim{{'C', n}}, sizeZ: 1, sizeC: n, sizeT: 1}
		s := formats.Series{
			SizeX: p.Width, SizeY: p.Height, SizeZ: 1, SizeC: n, SizeT: 1,
			PixelType: p.PixelType, DimensionOrder: "XYCZT",
			Original: originalMetadata(r.file, p, n),
		}
		s.PhysicalSizeX = physicalSize(p, TagXResolution)
		s.PhysicalSizeY = physicalSize(p, TagYResolution)
		s.Levels = append(s.Levels, formats.Level{SizeX: p.Width, SizeY: p.Height, TileWidth: p.TileWidth, TileHeight: p.TileHeight})
		for _, d := range levels[0] {
			s.Levels = append(s.Levels, formats.Level{SizeX: d.Width, SizeY: d.Height, TileWidth: d.TileWidth, TileHeight: d.TileHeight})
		}
		s.Channels = make([]formats.Channel, n)
		r.series = append(r.series, s)
		r.layout = append(r.layout, l)
	}
	if len(r.series) == before {
		return
	}
	s := &r.series[before]
	s.Name = filepath.Base(r.path)
	s.Description = ""
	for c, q := range descs {
		if c >= len(s.Channels) || n == 1 && len(s.Channels) > 1 {
			break // an RGB page: its samples keep their red, green and blue
		}
		ch := &s.Channels[c]
		ch.Name = strings.TrimSpace(q.Name)
		if ch.Name == "" {
			ch.Name = strings.TrimSpace(q.Biomarker)
		}
		if rgb, ok := parseRGB(q.Color); ok {
			ch.Color, ch.HasColor = rgb, true
		}
		if us, err := strconv.ParseFloat(strings.TrimSpace(q.ExposureTime), 64); err == nil && us > 0 {
			s.Planes = append(s.Planes, formats.PlaneInfo{C: c, ExposureTime: us / 1e6, HasExposure: true})
		}
		prefix := fmt.Sprintf("Channel %d ", c)
		for _, kv := range [][2]string{{"Name", q.Name}, {"Biomarker", q.Biomarker}, {"Color", q.Color}, {"ExposureTime (µs)", q.ExposureTime}} {
			if v := strings.TrimSpace(kv[1]); v != "" {
				s.Original = append(s.Original, formats.KeyValue{Key: prefix + kv[0], Value: v})
			}
		}
	}
	if len(descs) > 0 {
		if obj := strings.TrimSpace(descs[0].Objective); obj != "" {
			o := []formats.KeyValue{{Key: "Model", Value: obj}}
			// "20x" is the usual spelling: the magnification, when it parses.
			if mag, err := strconv.ParseFloat(strings.TrimSuffix(strings.ToLower(obj), "x"), 64); err == nil && mag > 0 {
				o = append(o, formats.KeyValue{Key: "Nominal magnification", Value: strconv.FormatFloat(mag, 'g', -1, 64)})
			}
			s.Acquisition = &formats.Acquisition{Objective: o}
		}
	}
}

// addQPTIFFAux adds a thumbnail, macro or label page as an image of its own.
func (r *Reader) addQPTIFFAux(d *IFD, kind string) {
	before := len(r.series)
	r.addSeries([]*IFD{d}, [][]*IFD{append([]*IFD(nil), d.SubIFDs...)})
	if len(r.series) == before {
		return
	}
	s := &r.series[before]
	s.Name = filepath.Base(r.path) + " [" + kind + "]"
	s.Description = ""
}

// parseRGB reads a PerkinElmer colour, "R,G,B" with components 0-255.
func parseRGB(s string) ([4]uint8, bool) {
	parts := strings.Split(strings.TrimSpace(s), ",")
	if len(parts) != 3 {
		return [4]uint8{}, false
	}
	var c [4]uint8
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 0 || v > 255 {
			return [4]uint8{}, false
		}
		c[i] = uint8(v)
	}
	c[3] = 255
	return c, true
}
