package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// A QPTIFF as an import sees it through Open: the channel pages are the
// channels of one image (not Z planes), and the thumbnail and label pages
// are images of their own, named so.
func TestOpenQPTIFF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tonsil.qptiff")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tiff.NewWriter(fh, tiff.WriterOptions{Software: "PerkinElmer-QPI"})
	if err != nil {
		t.Fatal(err)
	}
	plane := func(typ pixel.Type, wd, h, v int) *pixel.Plane {
		p, _ := pixel.NewPlane(typ, wd, h)
		for i := 0; i < wd*h; i++ {
			p.Set(i%wd, i/wd, float64(v))
		}
		return p
	}
	desc := func(kind, name string) string {
		return `<?xml version="1.0" encoding="utf-16"?><PerkinElmer-QPI-ImageDescription><ImageType>` + kind +
			`</ImageType><Name>` + name + `</Name><Color>0,255,0</Color></PerkinElmer-QPI-ImageDescription>`
	}
	for c, name := range []string{"DAPI", "FITC", "Cy5", "Texas Red"} {
		if err := w.WriteIFD(plane(pixel.Uint16, 40, 30, 100*c), desc("FullResolution", name), nil); err != nil {
			t.Fatal(err)
		}
	}
	rgb := func(wd, h int) []*pixel.Plane {
		return []*pixel.Plane{plane(pixel.Uint8, wd, h, 1), plane(pixel.Uint8, wd, h, 2), plane(pixel.Uint8, wd, h, 3)}
	}
	if err := w.WriteSamples(rgb(20, 15), false, desc("Thumbnail", "")); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteSamples(rgb(12, 12), false, desc("Label", "")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()

	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Format() != "PerkinElmer QPTIFF" {
		t.Errorf("format %q", r.Format())
	}
	ss := r.Series()
	var got []string
	for _, s := range ss {
		got = append(got, fmt.Sprintf("%s %dx%d z%d c%d", s.Name, s.SizeX, s.SizeY, s.SizeZ, s.SizeC))
	}
	want := []string{"tonsil.qptiff 40x30 z1 c4", "tonsil.qptiff [thumbnail] 20x15 z1 c3", "tonsil.qptiff [label] 12x12 z1 c3"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("images %q,\nwant %q", got, want)
	}
	if ch := ss[0].Channels[3]; ch.Name != "Texas Red" || ch.Color != [4]uint8{0, 255, 0, 255} {
		t.Errorf("channel 3: %+v", ch)
	}
	p, err := r.ReadPlane(0, 0, 0, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v := p.At(5, 5); v != 200 {
		t.Errorf("channel 2 reads %v, want the third page's 200", v)
	}
}
