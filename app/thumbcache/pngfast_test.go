package thumbcache

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"testing"
)

func testPicture(w, h int, seed int64) *image.RGBA {
	rng := rand.New(rand.NewSource(seed))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 3), uint8(y*5) + uint8(rng.Intn(8)), uint8(rng.Intn(256)), 0xff})
		}
	}
	return img
}

// A thumbnail encoded by the fast path decodes, with any PNG decoder, to
// exactly the picture drawn: also a sub-picture whose bounds do not start
// at the origin.
func TestEncode_OpaquePicturesDecodeToTheSamePixels(t *testing.T) {
	full := testPicture(96, 71, 1)
	for _, img := range []*image.RGBA{full, full.SubImage(image.Rect(5, 7, 60, 50)).(*image.RGBA), testPicture(1, 1, 2)} {
		b, err := Encode(img)
		if err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("the PNG does not decode: %v", err)
		}
		if got.Bounds().Dx() != img.Bounds().Dx() || got.Bounds().Dy() != img.Bounds().Dy() {
			t.Fatalf("size %v, want %v", got.Bounds(), img.Bounds())
		}
		for y := 0; y < img.Bounds().Dy(); y++ {
			for x := 0; x < img.Bounds().Dx(); x++ {
				r, g, bl, a := got.At(x, y).RGBA()
				want := img.RGBAAt(img.Bounds().Min.X+x, img.Bounds().Min.Y+y)
				if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(bl>>8) != want.B || a != 0xffff {
					t.Fatalf("pixel (%d,%d) = %d,%d,%d,%d, want %v", x, y, r>>8, g>>8, bl>>8, a>>8, want)
				}
			}
		}
	}
}

// A picture with transparency keeps it (the standard encoder).
func TestEncode_TransparencyIsKept(t *testing.T) {
	img := testPicture(8, 8, 3)
	img.SetRGBA(2, 2, color.RGBA{10, 20, 30, 40})
	b, err := Encode(img)
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := got.At(2, 2).RGBA(); a>>8 != 40 {
		t.Fatalf("alpha %d, want 40", a>>8)
	}
}

func BenchmarkEncodeThumbnail(b *testing.B) {
	img := testPicture(96, 96, 4)
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			Encode(img)
		}
	})
	b.Run("image/png", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			encoder.Encode(&buf, img)
		}
	})
}
