package pngrgb

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"testing"

	"github.com/klauspost/compress/zlib"
)

func picture(w, h int, seed int64) *image.RGBA {
	rng := rand.New(rand.NewSource(seed))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 3), uint8(y*5) + uint8(rng.Intn(8)), uint8(rng.Intn(256)), 0xff})
		}
	}
	return img
}

// A picture written in bands (as `render export` streams it) by a reused
// Writer decodes with image/png to exactly its pixels, IDAT chunks cut
// included (the 300x200 noisy picture compresses to more than 64 KiB).
func TestBandsDecodeToThePicture(t *testing.T) {
	w := NewWriter(zlib.DefaultCompression)
	for _, size := range []image.Point{{300, 200}, {1, 1}, {7, 3}} {
		img := picture(size.X, size.Y, int64(size.X))
		var out bytes.Buffer
		if err := w.Start(&out, size.X, size.Y); err != nil {
			t.Fatal(err)
		}
		for y := 0; y < size.Y; y += 64 {
			band := img.SubImage(image.Rect(0, y, size.X, min(y+64, size.Y))).(*image.RGBA)
			if err := w.WriteRows(band); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(&out)
		if err != nil {
			t.Fatalf("%v: the PNG does not decode: %v", size, err)
		}
		if got.Bounds().Size() != size {
			t.Fatalf("size %v, want %v", got.Bounds().Size(), size)
		}
		for y := 0; y < size.Y; y++ {
			for x := 0; x < size.X; x++ {
				r, g, b, a := got.At(x, y).RGBA()
				want := img.RGBAAt(x, y)
				if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(b>>8) != want.B || a != 0xffff {
					t.Fatalf("%v: pixel (%d,%d) = %d,%d,%d, want %v", size, x, y, r>>8, g>>8, b>>8, want)
				}
			}
		}
	}
}

// What does not fit the picture is refused, and a picture is not ended
// before all its rows are written.
func TestRowsMustFitThePicture(t *testing.T) {
	w := NewWriter(zlib.BestSpeed)
	if err := w.Start(&bytes.Buffer{}, 0, 5); err == nil {
		t.Error("a picture 0 pixels wide was started")
	}
	if err := w.Start(&bytes.Buffer{}, 10, 4); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRows(picture(11, 2, 1)); err == nil {
		t.Error("a band wider than the picture was written")
	}
	if err := w.WriteRows(picture(10, 3, 1)); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRows(picture(10, 2, 1)); err == nil {
		t.Error("rows past the picture's height were written")
	}
	if err := w.Close(); err == nil {
		t.Error("a picture missing a row was ended")
	}
}
