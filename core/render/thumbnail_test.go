package render

import (
	"image"
	"image/color"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

func TestThumbnailSizeAndAspect(t *testing.T) {
	cases := []struct{ w, h, l, tw, th int }{
		{2048, 2048, 96, 96, 96}, {2000, 1000, 96, 96, 48}, {300, 900, 96, 32, 96}, {10, 5, 96, 96, 48}, {5000, 3, 96, 96, 1},
	}
	for _, c := range cases {
		src := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		got := Thumbnail(src, c.l)
		if got.Rect.Dx() != c.tw || got.Rect.Dy() != c.th {
			t.Errorf("%dx%d -> %v, want %dx%d", c.w, c.h, got.Rect.Size(), c.tw, c.th)
		}
	}
}

func TestThumbnailKeepsAFlatColour(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 1000, 700))
	for i := 0; i < len(src.Pix); i += 4 {
		src.Pix[i], src.Pix[i+1], src.Pix[i+2], src.Pix[i+3] = 200, 100, 50, 255
	}
	th := Thumbnail(src, 96)
	for y := 0; y < th.Rect.Dy(); y++ {
		for x := 0; x < th.Rect.Dx(); x++ {
			if c := th.RGBAAt(x, y); c != (color.RGBA{200, 100, 50, 255}) {
				t.Fatalf("pixel (%d, %d) = %v", x, y, c)
			}
		}
	}
}

func TestRenderThumbnailFromPlanes(t *testing.T) {
	planes := cameraPlanes(3, 1024, 512)
	s := fourChannelSettings()
	s.Channels = s.Channels[:3]
	r := NewRenderer()
	th, err := r.RenderThumbnail(planes, s, 96)
	if err != nil {
		t.Fatal(err)
	}
	if th.Rect.Dx() != 96 || th.Rect.Dy() != 48 {
		t.Fatalf("thumbnail size %v", th.Rect.Size())
	}
	// It must look like the full render scaled down: compare the mean colour.
	full := image.NewRGBA(image.Rect(0, 0, 1024, 512))
	if err := r.Render(full, planes, s); err != nil {
		t.Fatal(err)
	}
	ref := Thumbnail(full, 96)
	var d [3]float64
	for i := 0; i < len(ref.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			d[c] += float64(th.Pix[i+c]) - float64(ref.Pix[i+c])
		}
	}
	n := float64(len(ref.Pix) / 4)
	for c := 0; c < 3; c++ {
		if d[c]/n > 4 || d[c]/n < -4 {
			t.Fatalf("thumbnail from planes differs from the scaled full render by %.1f levels on average in component %d", d[c]/n, c)
		}
	}
}

func TestRenderScaledAllTypes(t *testing.T) {
	for _, typ := range allTypes {
		p, _ := pixel.NewPlane(typ, 50, 40)
		for y := 0; y < 40; y++ {
			for x := 0; x < 50; x++ {
				p.Set(x, y, 10)
			}
		}
		s := &Settings{Model: Greyscale, CdEnd: 255, Channels: []ChannelSettings{{Active: true, Start: 0, End: 20, Family: Linear, Coefficient: 1}}}
		dst := image.NewRGBA(image.Rect(0, 0, 7, 5))
		if err := NewRenderer().RenderScaled(dst, []*pixel.Plane{p}, s); err != nil {
			t.Fatal(err)
		}
		if g := dst.Pix[0]; g != 128 {
			t.Errorf("%s: flat value 10 in window 0..20 rendered %d, want 128", typ, g)
		}
	}
}
