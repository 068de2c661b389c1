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

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/internal/realdata"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote/server"
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

// zarritaOrSkip finds node and zarrita, or skips the test saying how to
// install them.
func zarritaOrSkip(t *testing.T) (node, modules string) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; install Node.js 20 and run scripts/install-deps.sh test to run this test")
	}
	modules = zarritaModules()
	if _, err := os.Stat(filepath.Join(modules, "zarrita", "package.json")); err != nil {
		t.Skipf("zarrita is not installed in %s; run scripts/install-deps.sh test (or set ZARRITA_MODULES)", modules)
	}
	return node, modules
}

// runZarrita runs a script of testdata with node and decodes the JSON it
// prints into v.
func runZarrita(t *testing.T, node, modules string, v any, script string, args ...string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), node, append([]string{filepath.Join("testdata", script)}, args...)...)
	cmd.Env = append(os.Environ(), "ZARRITA_MODULES="+modules)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("zarrita (%s): %v\n%s", script, err, stderr.Bytes())
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("zarrita (%s) printed %q: %v", script, out, err)
	}
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
	node, modules := zarritaOrSkip(t)
	f := newZarrFixture(t)
	// Plain HTTP on loopback: node would not trust the test's certificate.
	ts := httptest.NewServer(f.handler())
	defer ts.Close()
	url := ts.URL + "/zarr/v1/images/" + strconv.FormatInt(int64(f.image.ID), 10) + "/"
	other := ts.URL + "/zarr/v1/images/" + strconv.FormatInt(int64(f.image.ID)+1000, 10) + "/"

	var got zarritaOutput
	runZarrita(t, node, modules, &got, "zarrita_read.mjs", url, f.ada.Key(), other)

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

// An OME-Zarr written by other software (bioformats2raw's CMU-1 region:
// RGB uint8, Blosc-compressed, two levels), imported and served back by
// Ocular, reads in zarrita exactly as the original read from disk by
// zarrita: the same levels, shapes, types and every value.
func TestZarritaReadsARealOMEZarrAsTheOriginal(t *testing.T) {
	node, modules := zarritaOrSkip(t)
	real := realdata.Dir(t)
	orig := filepath.Join(real, "ome-zarr", "cmu1-small-region", "CMU-1-Small-Region.ome.zarr")
	if _, err := os.Stat(orig); err != nil {
		t.Skipf("%s is absent; skipping", orig)
	}
	ctx := t.Context()
	svc, repo := testrepo.New(t)
	root := testrepo.Root(t, svc)
	lab, _ := root.CreateGroup(ctx, "lab", core.Private, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{lab.ID}})
	ada := testrepo.Login(t, svc, "ada", "pw")
	sum, err := importer.Run(ctx, importer.Config{Session: ada, Open: detect.Open, Supported: detect.Supported, Pyramids: pyramid.ForRepository(repo)},
		[]string{orig}, importer.Options{SkipThumbnails: true}, nil)
	if err != nil || sum.Err() != nil || sum.Imported == 0 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	var img core.Ref
	for _, r := range sum.Results {
		for _, im := range r.Images {
			if src, err := ada.PixelSource(ctx, im); err == nil && src.Pixels.Series == 0 {
				img = im
			}
		}
	}
	if img.IsZero() {
		t.Fatal("no image of series 0 was imported")
	}
	ts := httptest.NewServer(server.New(server.Config{Service: svc, Raw: rendering.ServerRaw(repo)}).Handler())
	defer ts.Close()
	url := ts.URL + "/zarr/v1/images/" + strconv.FormatInt(int64(img.ID), 10) + "/"

	var got struct {
		ServedLevels, OriginalLevels int
		Levels                       []struct {
			Served, Original           []int
			ServedDtype, OriginalDtype string
		}
		Compared, Mismatches int
		First                map[string]any
	}
	// Series 0 of a bioformats2raw layout is the group "0".
	runZarrita(t, node, modules, &got, "zarrita_compare.mjs", url, ada.Key(), filepath.Join(orig, "0"))
	if got.ServedLevels != got.OriginalLevels || got.ServedLevels < 2 {
		t.Errorf("served %d levels, the original has %d", got.ServedLevels, got.OriginalLevels)
	}
	for i, l := range got.Levels {
		if !intsEqual(l.Served, l.Original) || l.ServedDtype != l.OriginalDtype {
			t.Errorf("level %d: served %v %s, original %v %s", i, l.Served, l.ServedDtype, l.Original, l.OriginalDtype)
		}
	}
	if got.Compared == 0 || got.Mismatches != 0 {
		t.Errorf("%d of %d values differ from the original's; first %v", got.Mismatches, got.Compared, got.First)
	}
	t.Logf("zarrita compared %d values over %d levels", got.Compared, len(got.Levels))
}
