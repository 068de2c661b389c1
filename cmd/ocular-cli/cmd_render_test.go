package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
)

// writeRenderOME writes a 40x30 uint16 OME-TIFF with 3 planes and one
// channel per emission wavelength; samples grow with x, z and c.
func writeRenderOME(t *testing.T, path string, emissions ...float64) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	s := formats.Series{Name: strings.TrimSuffix(filepath.Base(path), ".ome.tiff"), SizeX: 40, SizeY: 30, SizeZ: 3,
		SizeC: len(emissions), SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYZCT"}
	for _, w := range emissions {
		s.Channels = append(s.Channels, formats.Channel{EmissionWavelength: w})
	}
	err := ome.WriteTIFF(path, s, nil, func(z, c, _ int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, 40, 30)
		for y := 0; y < 30; y++ {
			for x := 0; x < 40; x++ {
				p.Set(x, y, float64(1000*c+100*z+20*x+y))
			}
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

// importForRender imports one image per channel list into dataset ds
// ("" for none) and returns the new images' refs.
func importForRender(t *testing.T, who *testCLI, ds string, channels ...[]float64) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, chs := range channels {
		p := filepath.Join(dir, string(rune('a'+i))+".ome.tiff")
		writeRenderOME(t, p, chs...)
		paths = append(paths, p)
	}
	args := append([]string{"import"}, paths...)
	if ds != "" {
		args = append(args, "-d", ds)
	}
	var imgs []string
	for _, line := range strings.Split(who.ok(args...), "\n") {
		if strings.HasPrefix(line, "Image:") {
			imgs = append(imgs, strings.TrimSpace(line))
		}
	}
	if len(imgs) != len(channels) {
		t.Fatalf("imported %v, want %d images", imgs, len(channels))
	}
	return imgs
}

func writeYAML(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "settings.yml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRenderSetAndInfo(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	img := importForRender(t, bob, "", []float64{457, 528})[0]
	out := bob.ok("render", "info", img)
	if !strings.Contains(out, "40x30, Z=3 C=2 T=1, uint16") || !strings.Contains(out, "ch1: active=true color=0000FF") || !strings.Contains(out, "owner=Bob Crick") {
		t.Errorf("info after import:\n%s", out)
	}
	file := writeYAML(t, "channels:\n  1: {label: DAPI, color: 00FFFF, min: 0, max: 255, active: true}\n  2:\n    lut: Fire\n    start: 10\n    end: 2000\ngreyscale: false\nz: 2\nt: 1\n")
	if out := bob.ok("render", "set", img, file); !strings.Contains(out, "Saved RenderingDef:") {
		t.Errorf("set: %s", out)
	}
	out = bob.ok("render", "info", img)
	for _, want := range []string{"model=rgb z=2 t=1", "ch1: active=true color=00FFFF label=DAPI start=0 end=255", "ch2: active=true", "start=10 end=2000 lut=fire"} {
		if !strings.Contains(out, want) {
			t.Errorf("info lacks %q:\n%s", want, out)
		}
	}
	var info renderInfo
	if err := json.Unmarshal([]byte(bob.ok("render", "info", img, "--json")), &info); err != nil {
		t.Fatal(err)
	}
	if len(info.Settings) != 1 || info.Settings[0].Settings.Channels[1].LUT != "fire" || info.Viewer.Settings.DefaultZ != 1 {
		t.Errorf("info --json: %+v", info)
	}
	// Greyscale, and a list with one entry per channel.
	bob.ok("render", "set", img, writeYAML(t, "channels:\n  - {active: true}\n  - {active: false}\ngreyscale: true\n"))
	if out := bob.ok("render", "info", img); !strings.Contains(out, "model=greyscale") || !strings.Contains(out, "ch2: active=false") {
		t.Errorf("greyscale:\n%s", out)
	}
	// A reader in the group keeps their own; the owner's stay.
	carol := c.as("carol")
	carol.ok("render", "set", img, writeYAML(t, "channels:\n  1: {color: FF0000}\n"))
	out = carol.ok("render", "info", img)
	if !strings.Contains(out, "You see: RenderingDef:") || !strings.Contains(out, "(Carol Greider's)") || strings.Count(out, "owner=") != 2 {
		t.Errorf("info with two users' settings:\n%s", out)
	}
	if !strings.Contains(bob.ok("render", "info", img), "(Bob Crick's)") {
		t.Error("bob no longer sees his own settings")
	}
}

// Bad input: a clear error, and the stored settings unchanged.
func TestRenderSetBadInputChangesNothing(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	img := importForRender(t, bob, "", []float64{457, 528})[0]
	dan := c.as("dan")
	hidden := importForRender(t, dan, "", []float64{457})[0]
	for _, tc := range []struct {
		yaml, want string
		target     string
	}{
		{"channels:\n  1: {start: 0, end: 70000}\n", "window 0..70000 is outside the uint16 range", img},
		{"channels:\n  2: {min: -5, max: 10}\n", "outside the uint16 range", img},
		{"channels:\n  1: {lut: sparkles}\n", "sparkles", img},
		{"channels:\n  3: {color: FF0000}\n", "names channel 3 but " + img + " has 2 channels", img},
		{"channels:\n  - {active: true}\n  - {active: true}\n  - {active: true}\n", "lists 3 channels but " + img + " has 2", img},
		{"channels:\n  1: {colour: FF0000}\n", "colour", img},
		{"channels:\n  1: {color: red}\n", "hex digits", img},
		{"channels:\n  1: {active: true}\nz: 0\n", "1-based", img},
		{"channels:\n  1: {active: true}\nz: 9\n", "default Z 8 is outside", img},
		{"greyscale: true\n", "no channels: section", img},
		{"channels:\n  1: {active: true}\n", hidden + " not found", hidden},
	} {
		file := writeYAML(t, tc.yaml)
		c.unchanged(func() { bob.failsWith(1, tc.want, "render", "set", tc.target, file) })
	}
	// In a private group an administrator cannot keep settings on another
	// user's image.
	c.unchanged(func() {
		c.failsWith(1, "only the image's owner keeps rendering settings", "render", "set", hidden, writeYAML(t, "channels:\n  1: {color: FF0000}\n"))
	})
	c.failsWith(ExitUsage, "missing arguments", "render", "set", img)
}

func TestRenderCopyResetAndOwner(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	ds := strings.TrimSpace(bob.ok("obj", "new", "Dataset", "name=D"))
	imgs := importForRender(t, bob, ds, []float64{457, 528}, []float64{528, 457}, []float64{457})
	carol := c.as("carol")
	carol.ok("render", "set", imgs[0], writeYAML(t, "channels:\n  1: {color: FF00FF, start: 5, end: 500}\n"))
	out := carol.ok("render", "copy", imgs[0], ds)
	if !strings.Contains(out, "to 2 image(s): "+imgs[0]+", "+imgs[1]) || !strings.Contains(out, "Skipped "+imgs[2]+": channel count differs") {
		t.Errorf("copy:\n%s", out)
	}
	if out := carol.ok("render", "info", imgs[1]); !strings.Contains(out, "ch1: active=true color=FF00FF label=528 start=5 end=500") {
		t.Errorf("pasted settings:\n%s", out)
	}
	if strings.Contains(bob.ok("render", "info", imgs[1]), "owner=Carol") == false {
		t.Error("carol's paste made no settings of hers on the target")
	}
	var res struct {
		Changed []struct{ Class string }
		Skipped []struct{ Reason string }
	}
	if err := json.Unmarshal([]byte(carol.ok("render", "copy", imgs[0], imgs[2], "--json")), &res); err != nil || len(res.Changed) != 0 || len(res.Skipped) != 1 {
		t.Errorf("copy --json: %+v, %v", res, err)
	}
	// Set Imported, then Set Owner's.
	if out := carol.ok("render", "reset", imgs[1]); !strings.Contains(out, "Reset the settings of 1 image(s)") {
		t.Errorf("reset: %s", out)
	}
	if out := carol.ok("render", "info", imgs[1]); strings.Contains(out, "FF00FF") {
		t.Errorf("reset kept the pasted colour:\n%s", out)
	}
	bob.ok("render", "set", imgs[0], writeYAML(t, "channels:\n  2: {color: FFFF00}\n"))
	if out := carol.ok("render", "owner", imgs[0]); !strings.Contains(out, "Applied the owner's settings to 1 image(s)") {
		t.Errorf("owner: %s", out)
	}
	out = carol.ok("render", "info", imgs[0])
	if strings.Count(out, "ch2: active=true color=FFFF00") != 2 {
		t.Errorf("after Set Owner's both rdefs show the owner's channel 2:\n%s", out)
	}
	if out := bob.ok("render", "owner", imgs[0]); !strings.Contains(out, "Skipped "+imgs[0]+": you own this image") {
		t.Errorf("owner on own image: %s", out)
	}
	c.unchanged(func() { carol.failsWith(1, "Image:99999 not found", "render", "copy", imgs[0], "Image:99999") })
	c.unchanged(func() { carol.failsWith(1, "cannot hold images", "render", "reset", "Well:1") })
}

func TestRenderEditChannels(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	ds := strings.TrimSpace(bob.ok("obj", "new", "Dataset", "name=D"))
	imgs := importForRender(t, bob, ds, []float64{457, 528}, []float64{457})
	out := bob.ok("render", "edit-channels", ds, "--names", "DAPI,GFP")
	if !strings.Contains(out, "Renamed the channels of 1 image(s): "+imgs[0]) || !strings.Contains(out, "Skipped "+imgs[1]+": 2 names given") {
		t.Errorf("edit-channels:\n%s", out)
	}
	if out := bob.ok("render", "info", imgs[0]); !strings.Contains(out, "label=DAPI") || !strings.Contains(out, "label=GFP") {
		t.Errorf("names not shown:\n%s", out)
	}
	bob.ok("render", "edit-channels", imgs[0], "--names", ",EGFP")
	if out := bob.ok("render", "info", imgs[0]); !strings.Contains(out, "label=DAPI") || !strings.Contains(out, "label=EGFP") {
		t.Errorf("partial rename:\n%s", out)
	}
	carol := c.as("carol")
	c.unchanged(func() {
		carol.failsWith(1, "may not rename the channels", "render", "edit-channels", imgs[0], "--names", "x,y")
	})
	c.unchanged(func() { bob.failsWith(1, "1 names given but", "render", "edit-channels", imgs[0], "--names", "x") })
	bob.failsWith(ExitUsage, "--names", "render", "edit-channels", imgs[0])
}
