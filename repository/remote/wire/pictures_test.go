package wire

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand"
	"testing"
)

// testPicture is a 1000² picture like a rendered fluorescence view: smooth
// channels with noise.
func testPicture() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 1000, 1000))
	r := rand.New(rand.NewSource(1))
	for y := 0; y < 1000; y++ {
		for x := 0; x < 1000; x++ {
			o := m.PixOffset(x, y)
			m.Pix[o] = uint8((x*13+y*7)/40) + uint8(r.Intn(8))
			m.Pix[o+1] = uint8((x*y)/4000) + uint8(r.Intn(8))
			m.Pix[o+2] = uint8(r.Intn(4))
			m.Pix[o+3] = 255
		}
	}
	return m
}

func TestPictureRoundTrip(t *testing.T) {
	m := testPicture()
	sub := m.SubImage(image.Rect(10, 10, 300, 200)).(*image.RGBA)
	clear := image.NewRGBA(image.Rect(0, 0, 30, 20)) // not opaque: alpha travels too
	clear.Pix[3], clear.Pix[7] = 255, 128
	for _, in := range []*image.RGBA{m, sub, clear} {
		b := EncodePicture(in)
		out, err := DecodePicture(b)
		if err != nil {
			t.Fatal(err)
		}
		if out.Rect.Size() != in.Rect.Size() {
			t.Fatalf("size %v, want %v", out.Rect.Size(), in.Rect.Size())
		}
		for y := 0; y < in.Rect.Dy(); y++ {
			a := in.Pix[in.PixOffset(in.Rect.Min.X, in.Rect.Min.Y+y):][:4*in.Rect.Dx()]
			if !bytes.Equal(a, out.Pix[y*out.Stride:][:4*in.Rect.Dx()]) {
				t.Fatalf("row %d differs", y)
			}
		}
		ReleasePicture(b)
	}
	// Damaged or hostile bodies are refused before any large allocation.
	for _, bad := range [][]byte{nil, {1, 0, 0, 0}, {0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0, 0}, append([]byte{10, 0, 0, 0, 10, 0, 0, 0, 0}, 1, 2, 3), {1, 0, 0, 0, 1, 0, 0, 0, 7, 0}} {
		if _, err := DecodePicture(bad); err == nil {
			t.Errorf("%v decoded", bad)
		}
	}
}

// smoothPicture is a 1000² picture without noise.
func smoothPicture() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 1000, 1000))
	for y := 0; y < 1000; y++ {
		for x := 0; x < 1000; x++ {
			o := m.PixOffset(x, y)
			m.Pix[o], m.Pix[o+1], m.Pix[o+3] = uint8((x*13+y*7)/40), uint8((x*y)/4000), 255
		}
	}
	return m
}

// The encodings the viewer's picture could travel in, for a 1000² view:
// encode and decode each (docs/benchmarks.md).
func BenchmarkPictureS2(b *testing.B)       { benchS2(b, testPicture()) }
func BenchmarkPictureS2Smooth(b *testing.B) { benchS2(b, smoothPicture()) }

func benchS2(b *testing.B, m *image.RGBA) {
	var n int
	for i := 0; i < b.N; i++ {
		e := EncodePicture(m)
		n = len(e)
		if _, err := DecodePicture(e); err != nil {
			b.Fatal(err)
		}
		ReleasePicture(e)
	}
	b.ReportMetric(float64(n)/1e6, "MB")
}

func BenchmarkPicturePNGBestSpeed(b *testing.B) {
	m := testPicture()
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	var n int
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		enc.Encode(&buf, m)
		n = buf.Len()
		if _, err := png.Decode(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/1e6, "MB")
}

func BenchmarkPictureJPEG90(b *testing.B) {
	m := testPicture()
	var n int
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90})
		n = buf.Len()
		if _, err := jpeg.Decode(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/1e6, "MB")
}
