package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// A picture over the memory budget of one render is exported full size as
// PNG in bands, the same pixels as when it fits; JPEG and TIFF are refused
// with a sentence naming the options that make it smaller.
func TestRenderExportStreamsAPictureOverTheBudget(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	img := importForRender(t, bob, "", []float64{457, 528})[0]
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.png")
	bob.ok("render", "export", img, "-o", whole)

	// 40×30 pixels of two uint16 channels and RGBA cost about 14 KB: a
	// budget of 4 KB makes the picture too large and each band a few rows.
	bob.env = map[string]string{"OCULAR_TEST_RENDER_BYTES": "4000"}
	streamed := filepath.Join(dir, "streamed.png")
	var res exported
	if err := json.Unmarshal([]byte(bob.ok("render", "export", img, "-o", streamed, "--json")), &res); err != nil || res.Width != 40 || res.Height != 30 {
		t.Fatalf("streamed export: %+v, %v", res, err)
	}
	a, _ := decodeFile(t, whole)
	b, _ := decodeFile(t, streamed)
	if a.Bounds() != b.Bounds() {
		t.Fatalf("streamed picture is %v, want %v", b.Bounds(), a.Bounds())
	}
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				t.Fatalf("pixel (%d,%d) is %v streamed, %v whole", x, y, b.At(x, y), a.At(x, y))
			}
		}
	}

	msg := bob.fails(1, "render", "export", img, "-o", filepath.Join(dir, "x.jpg"))
	if !strings.Contains(msg, "--size N") || !strings.Contains(msg, "--region x,y,w,h") || !strings.Contains(msg, "--level N") {
		t.Errorf("JPEG over the budget: %q does not say how to export a smaller picture", msg)
	}
}
