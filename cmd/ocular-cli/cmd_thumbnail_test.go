package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Thumbnails show the image owner's settings to everyone and follow them
// (spec §5.5, ruling 6).
func TestThumbnailFollowsTheOwnersSettings(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	img := importForRender(t, bob, "", []float64{457, 528})[0]
	dir := t.TempDir()
	get := func(who *testCLI, name string, args ...string) []byte {
		t.Helper()
		p := filepath.Join(dir, name)
		who.ok(append([]string{"thumbnail", img, "-o", p}, args...)...)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	owners := get(bob, "bob1.png")
	m, format := decodeFile(t, filepath.Join(dir, "bob1.png"))
	if format != "png" || m.Bounds().Dx() != 96 || m.Bounds().Dy() != 72 {
		t.Fatalf("default thumbnail: %s %v, want a 96x72 PNG", format, m.Bounds())
	}
	carol := c.as("carol")
	carol.ok("render", "set", img, writeYAML(t, "channels:\n  1: {color: FF0000}\n  2: {active: false}\n"))
	if !bytes.Equal(get(carol, "carol1.png"), owners) {
		t.Error("carol's thumbnail is not the owner's")
	}
	bob.ok("render", "set", img, writeYAML(t, "channels:\n  1: {color: FFFF00, end: 800}\n"))
	after := get(carol, "carol2.png")
	if bytes.Equal(after, owners) {
		t.Error("carol's thumbnail did not change after the owner saved new settings")
	}
	if !bytes.Equal(after, get(bob, "bob2.png")) {
		t.Error("carol's thumbnail is not byte-identical to the owner's")
	}
	var res thumbnailOut
	if err := json.Unmarshal([]byte(carol.ok("thumbnail", img, "--size", "32", "-o", filepath.Join(dir, "s.png"), "--json")), &res); err != nil || res.Size != 32 || res.Bytes == 0 {
		t.Errorf("--json: %+v, %v", res, err)
	}
	dan := c.as("dan")
	dan.failsWith(1, img+" not found", "thumbnail", img, "-o", filepath.Join(dir, "x.png"))
	bob.failsWith(1, "between 1 and 1024", "thumbnail", img, "--size", "5000", "-o", filepath.Join(dir, "x.png"))
	bob.failsWith(ExitUsage, "-o FILE", "thumbnail", img)
}
