package tiff_test

import (
	"bytes"
	"errors"
	"image"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/hostile"
)

// A 32 KB zstd strip that inflates to 1 GiB is refused before anything is
// inflated, with a sentence saying what to do.
func TestHugeCompressedStripIsRefusedInBoundedMemory(t *testing.T) {
	data := hostile.ZstdBombTIFF(32768, 32768)
	var rerr error
	alloc := hostile.Allocated(func() {
		var f *tiff.File
		if f, rerr = tiff.Open(bytes.NewReader(data), int64(len(data))); rerr == nil {
			_, rerr = f.ReadRegion(f.IFDs()[0], 0, image.Rect(0, 0, 32768, 512))
		}
	})
	if !errors.Is(rerr, formats.ErrTooLarge) || !strings.Contains(rerr.Error(), "smaller strips or tiles") {
		t.Fatalf("error = %v, want a refusal saying to save with smaller strips", rerr)
	}
	if alloc > 64<<20 {
		t.Fatalf("refusing the strip allocated %d MiB", alloc>>20)
	}
}

// A big strip read band by band (as pyramid building and statistics do) is
// inflated once, not once per band.
func TestTallStripIsInflatedOncePerPlane(t *testing.T) {
	const w, h = 4096, 4096 // one 16 MiB strip
	raw := make([]byte, w*h)
	for i := range raw {
		raw[i] = byte(i/w + i%w/64)
	}
	enc, _ := zstd.NewWriter(nil)
	strip := enc.EncodeAll(raw, nil)
	data := hostile.TIFF{Width: w, Height: h, RowsPerStrip: h, Compression: tiff.CompressionZstd, Strips: [][]byte{strip}}.Bytes()
	f, err := tiff.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	const band = 256
	alloc := hostile.Allocated(func() {
		for y := 0; y < h; y += band {
			p, err := f.ReadRegion(f.IFDs()[0], 0, image.Rect(0, y, w, y+band))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(p.Data, raw[y*w:(y+band)*w]) {
				t.Fatalf("rows %d..%d differ from what was written", y, y+band)
			}
		}
	})
	// 16 bands of 1 MiB plus one decoded strip of 16 MiB; inflating the
	// strip for every band would cost 16 × 16 MiB.
	if alloc > 64<<20 {
		t.Fatalf("reading the plane in %d bands allocated %d MiB: the strip is inflated again for each band", h/band, alloc>>20)
	}
}

// A strip that inflates to more than its rows need is damaged: an error,
// not a silent cut; a last strip padded to a full RowsPerStrip is fine.
func TestStripInflatingBeyondItsSizeIsAnError(t *testing.T) {
	const w = 1024
	over := hostile.TIFF{Width: w, Height: 128, RowsPerStrip: 128, Compression: tiff.CompressionZstd, Strips: [][]byte{hostile.ZstdZeros(w * 256)}}.Bytes()
	f, err := tiff.Open(bytes.NewReader(over), int64(len(over)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadPlane(f.IFDs()[0], 0); err == nil || !strings.Contains(err.Error(), "longer than the strip") {
		t.Fatalf("error = %v, want one saying the strip decompresses to more than it must", err)
	}
	padded := hostile.TIFF{Width: w, Height: 192, RowsPerStrip: 128, Compression: tiff.CompressionZstd,
		Strips: [][]byte{hostile.ZstdZeros(w * 128), hostile.ZstdZeros(w * 128)}}.Bytes()
	f, err = tiff.Open(bytes.NewReader(padded), int64(len(padded)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ReadPlane(f.IFDs()[0], 0); err != nil {
		t.Fatalf("a last strip padded to full RowsPerStrip: %v", err)
	}
}

// A region of a single-strip uncompressed RGB image reads only the bytes of
// the region, not the whole strip (which is the whole plane).
func TestRegionOfAnUncompressedRGBStripReadsOnlyItsRows(t *testing.T) {
	const w, h = 2048, 2048
	raw := make([]byte, w*h*3)
	for i := range raw {
		raw[i] = byte(i/3%w + 7*(i%3))
	}
	data := hostile.TIFF{Width: w, Height: h, RowsPerStrip: h, SamplesPerPixel: 3, Strips: [][]byte{raw}}.Bytes()
	f, err := tiff.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	r := image.Rect(100, 200, 356, 456)
	for sample := 0; sample < 3; sample++ {
		var p *pixel.Plane
		alloc := hostile.Allocated(func() {
			p, err = f.ReadRegion(f.IFDs()[0], sample, r)
		})
		if err != nil {
			t.Fatal(err)
		}
		if alloc > 1<<20 {
			t.Errorf("a 256x256 region allocated %d KiB: the whole %d MiB strip was read", alloc>>10, len(raw)>>20)
		}
		for y := 0; y < r.Dy(); y++ {
			for x := 0; x < r.Dx(); x++ {
				if got, want := p.Data[y*r.Dx()+x], raw[((r.Min.Y+y)*w+r.Min.X+x)*3+sample]; got != want {
					t.Fatalf("sample %d at (%d,%d) = %d, want %d", sample, x, y, got, want)
				}
			}
		}
	}
}
