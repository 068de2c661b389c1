package main

import (
	"encoding/json"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "golang.org/x/image/tiff"
)

func decodeFile(t *testing.T, path string) (image.Image, string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, format, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m, format
}

func TestRenderExport(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	img := importForRender(t, bob, "", []float64{457, 528})[0]
	dir := t.TempDir()
	for _, tc := range []struct {
		file, format string
		args         []string
		w, h         int
	}{
		{"full.png", "png", nil, 40, 30},
		{"view.jpg", "jpeg", []string{"--z", "0"}, 40, 30},
		{"view.tif", "tiff", []string{"--region", "10,5,20,10"}, 20, 10},
		{"proj.out", "png", []string{"--projection", "max:0-2", "--format", "png", "--size", "80"}, 80, 60},
	} {
		out := filepath.Join(dir, tc.file)
		bob.ok(append([]string{"render", "export", img, "-o", out}, tc.args...)...)
		m, format := decodeFile(t, out)
		if format != tc.format || m.Bounds().Dx() != tc.w || m.Bounds().Dy() != tc.h {
			t.Errorf("%s: %s %v, want %s %dx%d", tc.file, format, m.Bounds(), tc.format, tc.w, tc.h)
		}
	}
	// The region is the same pixels as the full view.
	full, _ := decodeFile(t, filepath.Join(dir, "full.png"))
	bob.ok("render", "export", img, "--region", "10,5,20,10", "-o", filepath.Join(dir, "region.png"))
	region, _ := decodeFile(t, filepath.Join(dir, "region.png"))
	if full.At(15, 9) != region.At(5, 4) {
		t.Errorf("region pixel %v differs from the full view's %v", region.At(5, 4), full.At(15, 9))
	}
	var res exported
	if err := json.Unmarshal([]byte(bob.ok("render", "export", img, "-o", filepath.Join(dir, "j.png"), "--json")), &res); err != nil || res.Width != 40 || res.Format != "png" {
		t.Errorf("--json: %+v, %v", res, err)
	}
	bad := filepath.Join(dir, "bad.png")
	bob.failsWith(1, "Z 7 is outside", "render", "export", img, "--z", "7", "-o", bad)
	bob.failsWith(1, "not level 3", "render", "export", img, "--level", "3", "-o", bad)
	bob.failsWith(1, "projection range", "render", "export", img, "--projection", "max:0-10", "-o", bad)
	bob.failsWith(1, "outside the 40x30 image", "render", "export", img, "--region", "100,100,5,5", "-o", bad)
	bob.failsWith(ExitUsage, "unknown format", "render", "export", img, "--format", "gif", "-o", bad)
	bob.failsWith(ExitUsage, "KIND:START-END", "render", "export", img, "--projection", "median:0-2", "-o", bad)
	bob.failsWith(ExitUsage, "x,y,w,h", "render", "export", img, "--region", "1,2,3", "-o", bad)
	bob.failsWith(ExitUsage, "-o FILE", "render", "export", img)
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Error("a failed export left a file behind")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
