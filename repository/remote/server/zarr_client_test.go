package server_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// zarritaModules is the node_modules folder holding zarrita, as
// `scripts/install-deps.sh test` installs it; ZARRITA_MODULES overrides it.
func zarritaModules() string {
	if d := os.Getenv("ZARRITA_MODULES"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "ocular-test", "node", "node_modules")
}

// zarritaOutput is what testdata/zarrita_read.mjs prints.
type zarritaOutput struct {
	Axes   []string `json:"axes"`
	Levels []struct {
		Path   string    `json:"path"`
		Shape  []int     `json:"shape"`
		Chunks []int     `json:"chunks"`
		Dtype  string    `json:"dtype"`
		Scale  []float64 `json:"scale"`
	} `json:"levels"`
	Omero struct {
		Channels []struct {
			Label string `json:"label"`
		} `json:"channels"`
	} `json:"omero"`
	Chunk struct {
		Coords []int `json:"coords"`
		Shape  []int `json:"shape"`
		Data   []int `json:"data"`
	} `json:"chunk"`
	Reduced struct {
		Path  string `json:"path"`
		Shape []int  `json:"shape"`
		Data  []int  `json:"data"`
	} `json:"reduced"`
	Hidden string `json:"hidden"`
}

// zarrita, an OME-Zarr client no one here wrote (zarrita.js from npm,
// run by Node.js), opens an image from the server with the session header
// and reads its shape, a chunk of full resolution and a whole reduced
// level: they are the original file's sizes and values.
func TestZarritaReadsTheImage(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; install Node.js 20 and run scripts/install-deps.sh test to run this test")
	}
	modules := zarritaModules()
	if _, err := os.Stat(filepath.Join(modules, "zarrita", "package.json")); err != nil {
		t.Skipf("zarrita is not installed in %s; run scripts/install-deps.sh test (or set ZARRITA_MODULES)", modules)
	}
	f := newZarrFixture(t)
	// Plain HTTP on loopback: node would not trust the test's certificate.
	ts := httptest.NewServer(f.handler())
	defer ts.Close()
	url := ts.URL + "/zarr/v1/images/" + strconv.FormatInt(int64(f.image.ID), 10) + "/"
	other := ts.URL + "/zarr/v1/images/" + strconv.FormatInt(int64(f.image.ID)+1000, 10) + "/"

	cmd := exec.CommandContext(t.Context(), node, filepath.Join("testdata", "zarrita_read.mjs"), url, f.ada.Key(), other)
	cmd.Env = append(os.Environ(), "ZARRITA_MODULES="+modules)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("zarrita: %v\n%s", err, stderr.Bytes())
	}
	var got zarritaOutput
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("zarrita printed %q: %v", out, err)
	}

	if !stringsEqual(got.Axes, []string{"t", "c", "z", "y", "x"}) || len(got.Levels) != 3 {
		t.Fatalf("zarrita sees axes %v and %d levels", got.Axes, len(got.Levels))
	}
	for i, want := range [][]int{{1, zc, zz, zh, zw}, {1, zc, zz, 301, 550}, {1, zc, zz, 151, 275}} {
		if l := got.Levels[i]; !intsEqual(l.Shape, want) || l.Dtype != "uint16" {
			t.Errorf("level %d: zarrita reads shape %v dtype %s, want %v uint16", i, l.Shape, l.Dtype, want)
		}
	}
	if n := len(got.Omero.Channels); n != zc || got.Omero.Channels[1].Label != "GFP" {
		t.Errorf("zarrita reads channels %+v", got.Omero.Channels)
	}

	// The chunk: the last one of level 0 (x 1024..1100, y 512..601) of
	// plane z=1, channel 1, padded to 512×512 with zeros.
	ch := got.Chunk
	if !intsEqual(ch.Coords, []int{0, 1, 1, 1, 2}) || !intsEqual(ch.Shape, []int{1, 1, 1, 512, 512}) || len(ch.Data) != 512*512 {
		t.Fatalf("zarrita's chunk %v has shape %v and %d values", ch.Coords, ch.Shape, len(ch.Data))
	}
	want := f.fileRegion(t, 0, 1, 1, 1024, 512, zw, zh)
	for y := range want.Height {
		for x := range want.Width {
			if v, w := ch.Data[y*512+x], int(want.At(x, y)); v != w {
				t.Fatalf("zarrita's chunk at (%d, %d) is %d, the file holds %d", 1024+x, 512+y, v, w)
			}
		}
	}

	// The whole smallest level, assembled by zarrita from its chunks.
	red := got.Reduced
	if red.Path != "2" || !intsEqual(red.Shape, []int{151, 275}) || len(red.Data) != 151*275 {
		t.Fatalf("zarrita's reduced level %s: shape %v, %d values", red.Path, red.Shape, len(red.Data))
	}
	small := f.fileRegion(t, 2, 0, 0, 0, 0, 275, 151)
	for y := range 151 {
		for x := range 275 {
			if v, w := red.Data[y*275+x], int(small.At(x, y)); v != w {
				t.Fatalf("zarrita's level 2 at (%d, %d) is %d, the file's level 2 holds %d", x, y, v, w)
			}
		}
	}
	if got.Hidden == "" || got.Hidden == "opened" {
		t.Errorf("zarrita opened a missing image's group: %q", got.Hidden)
	}
}

func stringsEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
