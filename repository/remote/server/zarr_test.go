package server_test

// The OME-Zarr routes, over a real repository with an imported OME-TIFF
// whose pyramid has three levels, served by app/rendering's ServerRaw as
// `ocular-cli serve` serves it. (Tests may reach into app: the dependency
// rule is for the package itself.)

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// zarrFixture is a repository where ada imported one 3-channel, 2-plane
// uint16 OME-TIFF of 1100×601 pixels with two reduced levels of its own
// (550×301, 275×151); eve is in another private group.
type zarrFixture struct {
	ctx      context.Context
	svc      core.Service
	repo     string
	file     string
	image    core.Ref
	ada, eve core.Session
}

const zw, zh, zz, zc = 1100, 601, 2, 3

func zvalue(x, y, z, c int) float64 { return float64(x + 3*y + 5000*z + 11000*c) }

func newZarrFixture(t testing.TB) *zarrFixture {
	t.Helper()
	ctx := context.Background()
	svc, repo := testrepo.New(t)
	root := testrepo.Root(t, svc)
	lab, _ := root.CreateGroup(ctx, "lab", core.Private, "")
	other, _ := root.CreateGroup(ctx, "other", core.Private, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{lab.ID}})
	root.CreateUser(ctx, core.NewUser{Username: "eve", Password: "pw", Groups: []core.ID{other.ID}})
	f := &zarrFixture{ctx: ctx, svc: svc, repo: repo, ada: testrepo.Login(t, svc, "ada", "pw"), eve: testrepo.Login(t, svc, "eve", "pw")}
	f.file = filepath.Join(t.TempDir(), "cells.ome.tiff")
	s := formats.Series{Name: "cells", SizeX: zw, SizeY: zh, SizeZ: zz, SizeC: zc, SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYZCT",
		PhysicalSizeX: 0.25, PhysicalSizeY: 0.25, PhysicalSizeZ: 1.5,
		Channels: []formats.Channel{{Name: "DAPI"}, {Name: "GFP"}, {Name: "RFP"}}}
	err := ome.WriteTIFF(f.file, s, nil, func(z, c, _ int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, zw, zh)
		for y := range zh {
			for x := range zw {
				p.Set(x, y, zvalue(x, y, z, c))
			}
		}
		return p, nil
	}, ome.WriteOptions{TileSize: 256, PyramidLevels: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := importer.Run(ctx, importer.Config{Session: f.ada, Open: detect.Open, Thumbs: thumbcache.ForRepository(repo), Pyramids: pyramid.ForRepository(repo)},
		[]string{f.file}, importer.Options{}, nil)
	if err != nil || sum.Err() != nil {
		t.Fatalf("import: %v %v", err, sum.Err())
	}
	f.image = sum.Results[0].Images[0]
	return f
}

func (f *zarrFixture) handler() http.Handler {
	return server.New(server.Config{Service: f.svc, Raw: rendering.ServerRaw(f.repo)}).Handler()
}

// fileRegion reads samples straight from the original file.
func (f *zarrFixture) fileRegion(t testing.TB, level, z, c int, x0, y0, x1, y1 int) *pixel.Plane {
	t.Helper()
	r, err := detect.Open(f.file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p, err := r.ReadRegion(0, level, z, c, 0, image.Rect(x0, y0, x1, y1))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type getter struct {
	t      *testing.T
	client *http.Client
	base   string
	key    string
}

func (g getter) do(method, path string) (*http.Response, []byte) {
	g.t.Helper()
	req, _ := http.NewRequest(method, g.base+path, nil)
	if g.key != "" {
		req.Header.Set(wire.SessionHeader, g.key)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (g getter) json(path string, v any) {
	g.t.Helper()
	resp, b := g.do("GET", path)
	if resp.StatusCode != 200 {
		g.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		g.t.Fatalf("GET %s: %v", path, err)
	}
}

func TestZarrServesTheImageAsOMEZarr(t *testing.T) {
	f := newZarrFixture(t)
	ts := httptest.NewTLSServer(f.handler())
	defer ts.Close()
	g := getter{t: t, client: ts.Client(), base: ts.URL, key: f.ada.Key()}
	root := "/zarr/v1/images/" + strconv.FormatInt(int64(f.image.ID), 10) + "/"

	var group map[string]int
	g.json(root+".zgroup", &group)
	if group["zarr_format"] != 2 {
		t.Errorf(".zgroup is %v", group)
	}

	var attrs struct {
		Multiscales []struct {
			Version  string
			Axes     []struct{ Name, Type, Unit string }
			Datasets []struct {
				Path                      string
				CoordinateTransformations []struct {
					Type  string
					Scale []float64
				}
			}
		}
		Omero struct {
			Channels []struct {
				Label, Color string
				Active       bool
				Window       struct{ Start, End, Min, Max float64 }
			}
		}
	}
	g.json(root+".zattrs", &attrs)
	ms := attrs.Multiscales[0]
	var axes []string
	for _, a := range ms.Axes {
		axes = append(axes, a.Name+":"+a.Type+":"+a.Unit)
	}
	if got := strings.Join(axes, " "); ms.Version != "0.4" || got != "t:time: c:channel: z:space:micrometer y:space:micrometer x:space:micrometer" {
		t.Errorf("multiscales %s axes %s", ms.Version, got)
	}
	wantScales := [][]float64{{1, 1, 1.5, 0.25, 0.25}, {1, 1, 1.5, 0.25 * 601 / 301., 0.5}, {1, 1, 1.5, 0.25 * 601 / 151., 1}}
	if len(ms.Datasets) != 3 {
		t.Fatalf("%d datasets, want the file's 3 levels", len(ms.Datasets))
	}
	for i, d := range ms.Datasets {
		if d.Path != strconv.Itoa(i) || len(d.CoordinateTransformations) != 1 || !floatsNear(d.CoordinateTransformations[0].Scale, wantScales[i]) {
			t.Errorf("dataset %d: %+v, want scale %v", i, d, wantScales[i])
		}
	}
	view, err := f.ada.ViewerRendering(f.ctx, f.image)
	if err != nil {
		t.Fatal(err)
	}
	if len(attrs.Omero.Channels) != zc {
		t.Fatalf("omero lists %d channels", len(attrs.Omero.Channels))
	}
	for c, ch := range attrs.Omero.Channels {
		cs := view.Settings.Channels[c]
		if ch.Label != []string{"DAPI", "GFP", "RFP"}[c] || ch.Color != cs.Color.Hex()[:6] || ch.Active != cs.Active ||
			ch.Window.Start != cs.Start || ch.Window.End != cs.End || ch.Window.Min != 0 || ch.Window.Max != 65535 {
			t.Errorf("omero channel %d: %+v, viewer settings %+v", c, ch, cs)
		}
	}

	var arr struct {
		ZarrFormat         int `json:"zarr_format"`
		Shape, Chunks      []int
		Dtype              string
		Compressor         any
		FillValue          *int `json:"fill_value"`
		Order              string
		DimensionSeparator string `json:"dimension_separator"`
	}
	for level, want := range [][]int{{1, zc, zz, zh, zw}, {1, zc, zz, 301, 550}, {1, zc, zz, 151, 275}} {
		g.json(root+strconv.Itoa(level)+"/.zarray", &arr)
		wantChunks := []int{1, 1, 1, min(512, want[3]), min(512, want[4])}
		if arr.ZarrFormat != 2 || !intsEqual(arr.Shape, want) || !intsEqual(arr.Chunks, wantChunks) || arr.Dtype != "<u2" ||
			arr.Compressor != nil || arr.FillValue == nil || *arr.FillValue != 0 || arr.Order != "C" || arr.DimensionSeparator != "/" {
			t.Errorf("level %d .zarray: %+v; want shape %v chunks %v", level, arr, want, wantChunks)
		}
	}

	// An edge chunk (x 1024..1100, y 512..601) is sent at full chunk size,
	// the samples past the edge zero.
	resp, b := g.do("GET", root+"0/0/2/1/1/2")
	if resp.StatusCode != 200 || len(b) != 512*512*2 {
		t.Fatalf("edge chunk: %d, %d bytes", resp.StatusCode, len(b))
	}
	want := f.fileRegion(t, 0, 1, 2, 1024, 512, zw, zh)
	for y := range 512 {
		for x := range 512 {
			v := int(b[2*(y*512+x)]) | int(b[2*(y*512+x)+1])<<8
			w := 0
			if x < want.Width && y < want.Height {
				w = int(want.At(x, y))
			}
			if v != w {
				t.Fatalf("edge chunk at (%d, %d) is %d, the file holds %d", x, y, v, w)
			}
		}
	}
	// A chunk of a reduced level is the file's own reduced level.
	resp, b = g.do("GET", root+"2/0/1/0/0/0")
	if want := f.fileRegion(t, 2, 0, 1, 0, 0, 275, 151); resp.StatusCode != 200 || !bytes.Equal(b, want.Data) {
		t.Errorf("level 2 chunk: %d, %d bytes, differs from the file's level 2", resp.StatusCode, len(b))
	}

	// HEAD answers the length without the body.
	resp, b = g.do("HEAD", root+"0/0/0/0/0/0")
	if resp.StatusCode != 200 || resp.ContentLength != 512*512*2 || len(b) != 0 {
		t.Errorf("HEAD of a chunk: %d, length %d, %d bytes of body", resp.StatusCode, resp.ContentLength, len(b))
	}
	resp, _ = g.do("HEAD", root+".zattrs")
	if resp.StatusCode != 200 || resp.ContentLength <= 0 {
		t.Errorf("HEAD .zattrs: %d, length %d", resp.StatusCode, resp.ContentLength)
	}

	// Keys the group does not hold are missing (Zarr reads missing chunks
	// as fill values), never errors of the server.
	for _, p := range []string{"0/0/3/0/0/0", "0/0/0/2/0/0", "0/1/0/0/0/0", "0/0/0/0/2/0", "0/0/0/0/0/3", "3/0/0/0/0/0", "3/.zarray",
		"0/0/0/0/0/-1", "0/0/0/0/0/+1", "0/0/0/0/0/x", ".zmetadata", "zarr.json"} {
		if resp, b := g.do("GET", root+p); resp.StatusCode != 404 {
			t.Errorf("GET %s: %d %s, want 404", p, resp.StatusCode, b)
		}
	}
	if resp, b := g.do("GET", "/zarr/v1/images/abc/.zattrs"); resp.StatusCode != 400 || !strings.Contains(string(b), "not an image ID") {
		t.Errorf("a bad image ID: %d %s", resp.StatusCode, b)
	}
}

// A hidden image is served exactly like a missing one; without a session
// nothing is served; a browser's cookie is a session too.
func TestZarrHidesWhatTheSessionMayNotSee(t *testing.T) {
	f := newZarrFixture(t)
	ts := httptest.NewTLSServer(f.handler())
	defer ts.Close()
	id := strconv.FormatInt(int64(f.image.ID), 10)
	missing := strconv.FormatInt(int64(f.image.ID)+1000, 10)
	eve := getter{t: t, client: ts.Client(), base: ts.URL, key: f.eve.Key()}
	for _, p := range []string{".zgroup", ".zattrs", "0/.zarray", "0/0/0/0/0/0"} {
		hr, hb := eve.do("GET", "/zarr/v1/images/"+id+"/"+p)
		mr, mb := eve.do("GET", "/zarr/v1/images/"+missing+"/"+p)
		if hr.StatusCode != 404 || mr.StatusCode != 404 || string(hb) != strings.ReplaceAll(string(mb), missing, id) {
			t.Errorf("%s: hidden image %d %s, missing image %d %s", p, hr.StatusCode, hb, mr.StatusCode, mb)
		}
	}
	anon := getter{t: t, client: ts.Client(), base: ts.URL}
	if resp, b := anon.do("GET", "/zarr/v1/images/"+id+"/0/0/0/0/0/0"); resp.StatusCode != 403 {
		t.Errorf("no session: %d %s", resp.StatusCode, b)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/zarr/v1/images/"+id+"/.zattrs", nil)
	req.AddCookie(&http.Cookie{Name: wire.SessionCookie, Value: f.ada.Key()})
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("session cookie: %d", resp.StatusCode)
	}
	// A browser's preflight for the session header is answered without one.
	req, _ = http.NewRequest("OPTIONS", ts.URL+"/zarr/v1/images/"+id+"/.zattrs", nil)
	req.Header.Set("Origin", "https://viewer.example")
	req.Header.Set("Access-Control-Request-Headers", wire.SessionHeader)
	resp, err = ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), wire.SessionHeader) ||
		resp.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}

func intsEqual(a, b []int) bool {
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

func floatsNear(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if d := a[i] - b[i]; d > 1e-9 || d < -1e-9 {
			return false
		}
	}
	return true
}
