package testrepo

import (
	"os"
	"testing"

	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// WriteTIFF writes a plain one-plane uint16 TIFF of w×h pixels holding a
// gradient (each file's value offset by seed, so files differ).
func WriteTIFF(t testing.TB, path string, w, h, seed int) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	tw, err := tiff.NewWriter(out, tiff.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := pixel.NewPlane(pixel.Uint16, w, h)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p.Set(x, y, float64(seed*100+x+y))
		}
	}
	if err := tw.WriteIFD(p, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}

// WriteTruncatedTIFF writes a TIFF like WriteTIFF and cuts it in half: its
// header is fine, its pixels are missing.
func WriteTruncatedTIFF(t testing.TB, path string, w, h int) {
	t.Helper()
	WriteTIFF(t, path, w, h, 0)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, st.Size()/2); err != nil {
		t.Fatal(err)
	}
}
