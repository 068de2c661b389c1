package stdimage

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func writePNG(t *testing.T, img image.Image) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "x.png")
	os.WriteFile(p, b.Bytes(), 0o644)
	return p
}

func TestPNGKinds(t *testing.T) {
	g16 := image.NewGray16(image.Rect(0, 0, 3, 2))
	g16.SetGray16(2, 1, color.Gray16{Y: 0x1234})
	rgba := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	rgba.SetNRGBA(1, 0, color.NRGBA{R: 10, G: 20, B: 30, A: 128})
	opaque := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	for i := range opaque.Pix {
		opaque.Pix[i] = 255
	}
	pal := image.NewPaletted(image.Rect(0, 0, 2, 1), color.Palette{color.RGBA{200, 100, 50, 255}, color.RGBA{0, 0, 0, 255}})
	rgb16 := image.NewRGBA64(image.Rect(0, 0, 1, 1))
	rgb16.SetRGBA64(0, 0, color.RGBA64{R: 1000, G: 2000, B: 3000, A: 0xffff})
	cases := []struct {
		name  string
		img   image.Image
		c     int
		typ   string
		check func(r *Reader) bool
	}{
		{"gray16", g16, 1, "uint16", func(r *Reader) bool { p, _ := r.ReadPlane(0, 0, 0, 0, 0); return p.At(2, 1) == 0x1234 }},
		{"rgba", rgba, 4, "uint8", func(r *Reader) bool {
			p, _ := r.ReadPlane(0, 0, 0, 2, 0)
			a, _ := r.ReadPlane(0, 0, 0, 3, 0)
			return p.At(1, 0) == 30 && a.At(1, 0) == 128
		}},
		{"opaque rgba drops alpha", opaque, 3, "uint8", nil},
		{"palette", pal, 3, "uint8", func(r *Reader) bool { p, _ := r.ReadPlane(0, 0, 0, 1, 0); return p.At(0, 0) == 100 }},
		{"rgb16", rgb16, 3, "uint16", func(r *Reader) bool { p, _ := r.ReadPlane(0, 0, 0, 2, 0); return p.At(0, 0) == 3000 }},
	}
	for _, tc := range cases {
		r, err := Open(writePNG(t, tc.img))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		s := r.Series()[0]
		if s.SizeC != tc.c || s.PixelType.String() != tc.typ || r.Format() != "PNG" {
			t.Errorf("%s: c=%d %s %s", tc.name, s.SizeC, s.PixelType, r.Format())
		}
		if tc.check != nil && !tc.check(r) {
			t.Errorf("%s: pixel check failed", tc.name)
		}
	}
}

func TestCorrupt(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.png")
	os.WriteFile(p, []byte("\x89PNG\r\n\x1a\nxxxxxxxxxxxx"), 0o644)
	if _, err := Open(p); err == nil {
		t.Fatal("corrupt PNG accepted")
	}
	// A header claiming 100000x100000 pixels is refused before decoding.
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	data := b.Bytes()
	data[16], data[17], data[18], data[19] = 0, 1, 0x86, 0xa0
	data[20], data[21], data[22], data[23] = 0, 1, 0x86, 0xa0
	os.WriteFile(p, data, 0o644)
	if _, err := Open(p); err == nil {
		t.Fatal("huge PNG accepted")
	}
}
