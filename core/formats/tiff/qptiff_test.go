package tiff

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

// qpiXML is a page description as Vectra and PhenoImager scanners write it
// (the wrong utf-16 declaration included).
func qpiXML(imageType, name, biomarker, color string) string {
	x := `<?xml version="1.0" encoding="utf-16"?><PerkinElmer-QPI-ImageDescription><DescriptionVersion>2</DescriptionVersion>` +
		`<AcquisitionSoftware>Vectra</AcquisitionSoftware><ImageType>` + imageType + `</ImageType>`
	if name != "" {
		x += `<Name>` + name + `</Name>`
	}
	if biomarker != "" {
		x += `<Biomarker>` + biomarker + `</Biomarker>`
	}
	if color != "" {
		x += `<Color>` + color + `</Color><ExposureTime>2500</ExposureTime><Objective>20x</Objective>`
	}
	return x + `<ScanProfile><root><Version>1</Version></root></ScanProfile></PerkinElmer-QPI-ImageDescription>`
}

// qpPlane fills a plane with values that say which page it is.
func qpPlane(t pixel.Type, w, h, seed int) *pixel.Plane {
	p, _ := pixel.NewPlane(t, w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.Set(x, y, float64((x+3*y+17*seed)%200))
		}
	}
	return p
}

func rgbPage(w, h, seed int) []*pixel.Plane {
	return []*pixel.Plane{qpPlane(pixel.Uint8, w, h, seed), qpPlane(pixel.Uint8, w, h, seed+1), qpPlane(pixel.Uint8, w, h, seed+2)}
}

// writeMainPage appends a page to the main IFD chain with the given
// NewSubfileType (QPTIFF keeps its reduced levels there, not in SubIFDs).
func writeMainPage(t *testing.T, w *Writer, samples []*pixel.Plane, desc string, subfileType int) {
	t.Helper()
	off, err := w.writePage(samples, false, desc, subfileType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.patch(w.nextPtr, off); err != nil {
		t.Fatal(err)
	}
	w.nextPtr = w.lastNext
	w.pages++
}

type qpPage struct {
	samples []*pixel.Plane
	desc    string
	reduced bool
}

func writeQPTIFF(t *testing.T, path string, pages []qpPage) {
	t.Helper()
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	w, err := NewWriter(fh, WriterOptions{Compression: CompressionDeflate, Software: "PerkinElmer-QPI"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		sub := 0
		if p.reduced {
			sub = 1
		}
		writeMainPage(t, w, p.samples, p.desc, sub)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// A fluorescence QPTIFF: three channel pages, an RGB thumbnail, two reduced
// levels of three pages each, an overview and a label.
func TestQPTIFFFluorescence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "slide.qptiff")
	channels := []struct{ name, biomarker, color string }{
		{"DAPI", "", "0,0,255"}, {"Opal 570", "CD8", "255,255,0"}, {"", "PD-L1", "255,0,0"},
	}
	var pages []qpPage
	for c, ch := range channels {
		pages = append(pages, qpPage{samples: []*pixel.Plane{qpPlane(pixel.Uint16, 64, 48, c)}, desc: qpiXML("FullResolution", ch.name, ch.biomarker, ch.color)})
	}
	pages = append(pages, qpPage{samples: rgbPage(32, 24, 50), desc: qpiXML("Thumbnail", "", "", ""), reduced: true})
	for lv, size := range [][2]int{{32, 24}, {16, 12}} {
		for c := range channels {
			pages = append(pages, qpPage{samples: []*pixel.Plane{qpPlane(pixel.Uint16, size[0], size[1], 10*(lv+1)+c)}, desc: qpiXML("ReducedResolution", "", "", ""), reduced: true})
		}
	}
	pages = append(pages, qpPage{samples: rgbPage(40, 20, 60), desc: qpiXML("Overview", "", "", "")})
	pages = append(pages, qpPage{samples: rgbPage(20, 20, 70), desc: qpiXML("Label", "", "", "")})
	writeQPTIFF(t, path, pages)

	r := openReader(t, path)
	if r.Format() != "PerkinElmer QPTIFF" {
		t.Errorf("format %q", r.Format())
	}
	ss := r.Series()
	var names []string
	for _, s := range ss {
		names = append(names, s.Name)
	}
	want := []string{"slide.qptiff", "slide.qptiff [thumbnail]", "slide.qptiff [macro]", "slide.qptiff [label]"}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("images %q, want %q", names, want)
	}
	s := ss[0]
	if s.SizeX != 64 || s.SizeY != 48 || s.SizeC != 3 || s.SizeZ != 1 || s.SizeT != 1 || s.PixelType != pixel.Uint16 {
		t.Fatalf("channels read as %dx%d z%d c%d t%d %s, want 64x48 c3", s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT, s.PixelType)
	}
	if len(s.Levels) != 3 || s.Levels[1].SizeX != 32 || s.Levels[2].SizeX != 16 {
		t.Fatalf("levels %+v, want 64, 32, 16", s.Levels)
	}
	for c, name := range []string{"DAPI", "Opal 570", "PD-L1"} {
		ch := s.Channels[c]
		if ch.Name != name || !ch.HasColor {
			t.Errorf("channel %d: %q colour %v, want %q", c, ch.Name, ch.Color, name)
		}
	}
	if s.Channels[1].Color != [4]uint8{255, 255, 0, 255} {
		t.Errorf("channel 1 colour %v", s.Channels[1].Color)
	}
	if original(s, "Channel 1 Biomarker") != "CD8" {
		t.Errorf("biomarker of channel 1 not kept: %v", s.Original)
	}
	if len(s.Planes) != 3 || !s.Planes[0].HasExposure || s.Planes[0].ExposureTime != 0.0025 {
		t.Errorf("exposures %+v, want 2500 µs per channel", s.Planes)
	}
	if s.Acquisition == nil || len(s.Acquisition.Objective) < 2 || s.Acquisition.Objective[1].Value != "20" {
		t.Errorf("objective %+v", s.Acquisition)
	}
	for c := 0; c < 3; c++ {
		p, err := r.ReadPlane(0, 0, 0, c, 0)
		if err != nil {
			t.Fatal(err)
		}
		if string(p.Data) != string(qpPlane(pixel.Uint16, 64, 48, c).Data) {
			t.Errorf("channel %d reads another page", c)
		}
		p, err = r.ReadPlane(0, 2, 0, c, 0)
		if err != nil {
			t.Fatal(err)
		}
		if string(p.Data) != string(qpPlane(pixel.Uint16, 16, 12, 20+c).Data) {
			t.Errorf("level 2 of channel %d reads another page", c)
		}
	}
	for i, size := range [][2]int{{32, 24}, {40, 20}, {20, 20}} {
		a := ss[i+1]
		if a.SizeX != size[0] || a.SizeY != size[1] || a.SizeC != 3 || len(a.Levels) != 1 {
			t.Errorf("%s: %dx%d c%d levels %d", a.Name, a.SizeX, a.SizeY, a.SizeC, len(a.Levels))
		}
	}
	p, err := r.ReadPlane(3, 0, 0, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Data) != string(qpPlane(pixel.Uint8, 20, 20, 71).Data) {
		t.Error("the label's green channel reads another page")
	}
}

// A brightfield QPTIFF (one RGB page per level) whose auxiliary pages carry
// no XML: Bio-Formats' page order decides, and the unnamed extra is the macro.
func TestQPTIFFBrightfieldByPageOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "he.qptiff")
	writeQPTIFF(t, path, []qpPage{
		{samples: rgbPage(64, 64, 0)},
		{samples: rgbPage(16, 16, 1), reduced: true},
		{samples: rgbPage(32, 32, 2), reduced: true},
		{samples: rgbPage(30, 10, 3)},
	})
	r := openReader(t, path)
	ss := r.Series()
	if len(ss) != 3 || ss[1].Name != "he.qptiff [thumbnail]" || ss[2].Name != "he.qptiff [macro]" {
		t.Fatalf("%d images: %+v", len(ss), ss)
	}
	if s := ss[0]; s.SizeC != 3 || s.SizeZ != 1 || len(s.Levels) != 2 || s.Levels[1].SizeX != 32 || s.Channels[0].Name != "Red" {
		t.Fatalf("series 0: c%d z%d levels %+v channels %+v", s.SizeC, s.SizeZ, s.Levels, s.Channels)
	}
	p, err := r.ReadPlane(0, 1, 0, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Data) != string(qpPlane(pixel.Uint8, 32, 32, 4).Data) {
		t.Error("level 1 blue reads another page")
	}
}
