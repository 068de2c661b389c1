package remote_test

// The webgateway routes over HTTP, as OMERO.web's clients and the security
// suite call them.

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// as one that does not exist.
func TestHiddenImageAnswersLikeMissing(t *testing.T) {
	f := newPicFixture(t, 1, 64, 2)
	hidden, missing := id(f.imgs[0]), "987654"
	routes := []string{
		"GET /webgateway/render_image/%s/",
		"GET /webgateway/render_image/%s/0/0/",
		"GET /webgateway/render_image_region/%s/0/0/?region=0,0,10,10",
		"GET /webgateway/render_image_region/%s/0/0/?tile=0,0,0",
		"GET /webgateway/render_thumbnail/%s/",
		"GET /webgateway/render_thumbnail/%s/64/",
		"GET /webgateway/get_thumbnail/%s/",
		"GET /webgateway/render_birds_eye_view/%s/",
		"GET /webgateway/imgData/%s/",
		"GET /webgateway/imgData/%s/original_metadata/",
		"GET /webgateway/get_image_rdefs_json/%s/",
		"POST /webgateway/saveImgRDef/%s/",
		"POST /webclient/edit_channel_names/%s/",
		"GET /ocular/v1/images/%s/levels",
	}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		var form url.Values
		if method == "POST" {
			form = url.Values{"channel0": {"x"}}
		}
		c1, b1 := f.send(t, method, strings.Replace(path, "%s", hidden, 1), f.bob.Key(), form)
		c2, b2 := f.send(t, method, strings.Replace(path, "%s", missing, 1), f.bob.Key(), form)
		b1 = bytes.ReplaceAll(b1, []byte(hidden), []byte(missing))
		if c1 != 404 || c1 != c2 || !bytes.Equal(b1, b2) {
			t.Errorf("%s: hidden %d %s, missing %d %s", rt, c1, b1, c2, b2)
		}
		if c, _ := f.send(t, method, strings.Replace(path, "%s", hidden, 1), f.ada.Key(), form); c != 200 {
			t.Errorf("%s: the owner gets %d", rt, c)
		}
		if c, _ := f.send(t, method, strings.Replace(path, "%s", hidden, 1), "", form); c != 403 {
			t.Errorf("%s without a session: %d, want 403", rt, c)
		}
	}
	// The viewer's own route too.
	if _, err := (rendering.New(rendering.Config{Session: f.remote})).Levels(context.Background(), core.Ref{Class: core.Image, ID: 987654}); !core.Is(core.NotFound, err) {
		t.Errorf("levels of a missing image: %v", err)
	}
}

// sentence and change nothing.
func TestRenderParamsAndSaveImgRDef(t *testing.T) {
	f := newPicFixture(t, 1, 64, 3)
	ctx := context.Background()
	img := id(f.imgs[0])
	key := f.ada.Key()
	code, red := f.send(t, "GET", "/webgateway/render_image/"+img+"/1/0/?c=1|0:3000$FF0000,-2,-3&m=c", key, nil)
	if code != 200 {
		t.Fatalf("render_image: %d %s", code, red)
	}
	m, err := jpeg.Decode(bytes.NewReader(red))
	if err != nil || m.Bounds().Dx() != 64 {
		t.Fatalf("render_image is not a 64 px JPEG: %v", err)
	}
	r, g, b, _ := m.At(40, 40).RGBA()
	if r < 0x4000 || g > 0x2000 || b > 0x2000 {
		t.Errorf("channel 1 alone in red gives %x %x %x", r, g, b)
	}
	if code, body := f.send(t, "GET", "/webgateway/render_image_region/"+img+"/0/0/?tile=0,1,1,16,16&format=png", key, nil); code != 200 || !bytes.HasPrefix(body, []byte("\x89PNG")) {
		t.Errorf("a tile as PNG: %d", code)
	}
	for q, want := range map[string]string{
		"c=4":             "numbered 1 to 3",
		"c=1|a:b":         "START:END",
		"c=1$XYZ":         "RRGGBB",
		"m=x":             "m=g",
		"p=intmax|0:9":    "Z planes are 0 to 2",
		"q=7":             "between 0.0 and 1.0",
		"maps=[[[[[[[[[[": "nests",
	} {
		code, body := f.send(t, "GET", "/webgateway/render_image/"+img+"/?"+q, key, nil)
		if code != 400 || !bytes.Contains(body, []byte(want)) {
			t.Errorf("%s: %d %s, want 400 saying %q", q, code, body, want)
		}
	}
	before, _ := f.ada.ViewerRendering(ctx, f.imgs[0])
	if code, body := f.send(t, "POST", "/webgateway/saveImgRDef/"+img+"/", key, url.Values{"c": {"9"}}); code != 400 {
		t.Errorf("saving c=9: %d %s", code, body)
	}
	if after, _ := f.ada.ViewerRendering(ctx, f.imgs[0]); after.Stored() != before.Stored() {
		t.Errorf("a refused save stored settings")
	}
	code, body := f.send(t, "POST", "/webgateway/saveImgRDef/"+img+"/", key, url.Values{
		"c": {"1|100:2000$00FF00,2|0:500$0000FF,-3"}, "m": {"g"}, "z": {"2"}, "maps": {`[{"inverted":{"enabled":true}}]`}})
	if code != 200 || string(body) != "true" {
		t.Fatalf("saveImgRDef: %d %s", code, body)
	}
	v, _ := f.ada.ViewerRendering(ctx, f.imgs[0])
	s := v.Settings
	if !v.Stored() || s.Model != render.Greyscale || s.DefaultZ != 1 || s.Channels[0].Start != 100 || s.Channels[0].End != 2000 ||
		s.Channels[0].Color != render.Green || !s.Channels[0].Reverse || !s.Channels[1].Active || s.Channels[2].Active {
		t.Errorf("saved settings: %+v", s)
	}
	code, body = f.send(t, "GET", "/webgateway/get_image_rdefs_json/"+img+"/", key, nil)
	var rd struct {
		Rdefs []struct {
			Owner struct{ ID core.ID }
			C     []struct{ Color string }
			Model string
		}
	}
	if code != 200 || json.Unmarshal(body, &rd) != nil || len(rd.Rdefs) != 1 || rd.Rdefs[0].Model != "greyscale" || rd.Rdefs[0].C[0].Color != "00FF00" {
		t.Errorf("get_image_rdefs_json: %d %s", code, body)
	}
	code, body = f.send(t, "POST", "/webgateway/resetRDef/", key, url.Values{"to_type": {"image"}, "toids": {img}})
	if code != 200 || !bytes.Contains(body, []byte(`"True":[`+img+`]`)) {
		t.Errorf("resetRDef: %d %s", code, body)
	}
	if v, _ := f.ada.ViewerRendering(ctx, f.imgs[0]); v.Settings.Model == render.Greyscale {
		t.Errorf("reset kept the greyscale model")
	}
	code, body = f.send(t, "POST", "/webgateway/copyImgRDef/", key, url.Values{"fromid": {img}, "toids": {img}})
	if code != 200 || !bytes.Contains(body, []byte(`"True"`)) {
		t.Errorf("copyImgRDef: %d %s", code, body)
	}
	if code, body := f.send(t, "POST", "/webgateway/copyImgRDef/", key, url.Values{"fromid": {img}, "to_type": {"galaxy"}, "toids": {img}}); code != 400 {
		t.Errorf("to_type=galaxy: %d %s", code, body)
	}
}

// route.
func TestImgDataAndChannelNames(t *testing.T) {
	f := newPicFixture(t, 1, 64, 2)
	img := id(f.imgs[0])
	key := f.ada.Key()
	code, body := f.send(t, "POST", "/webclient/edit_channel_names/"+img+"/", key, url.Values{"channel0": {"DAPI"}, "channel1": {"GFP"}})
	if code != 200 || !bytes.Contains(body, []byte(`"channelNames":["DAPI","GFP"]`)) {
		t.Fatalf("edit_channel_names: %d %s", code, body)
	}
	code, body = f.send(t, "GET", "/webgateway/imgData/"+img+"/", key, nil)
	var d struct {
		ID       core.ID
		Meta     map[string]any
		Size     struct{ Width, Height, Z, T, C int }
		Channels []struct {
			Label  string
			Color  string
			Active bool
			Window struct{ Min, Max, Start, End float64 }
		}
		PixelRange []float64 `json:"pixel_range"`
		Rdefs      struct{ Model string }
	}
	if code != 200 || json.Unmarshal(body, &d) != nil {
		t.Fatalf("imgData: %d %s", code, body)
	}
	if d.Size.Width != 64 || d.Size.Z != 3 || d.Size.C != 2 || len(d.Channels) != 2 || d.Channels[0].Label != "DAPI" ||
		d.PixelRange[1] != 65535 || d.Meta["pixelsType"] != "uint16" || d.Rdefs.Model == "" {
		t.Errorf("imgData: %s", body)
	}
	if code, body := f.send(t, "GET", "/webgateway/imgData/"+img+"/size/", key, nil); code != 200 || !bytes.Contains(body, []byte(`"width":64`)) {
		t.Errorf("imgData size key: %d %s", code, body)
	}
	if code, body := f.send(t, "GET", "/webgateway/imgData/"+img+"/original_metadata/", key, nil); code != 200 || !bytes.Contains(body, []byte(`"global_metadata"`)) {
		t.Errorf("original metadata: %d %s", code, body)
	}
}

// membership change is gone at once, a logged-out key is refused at once.
func TestThumbnailMemoFollowsChanges(t *testing.T) {
	f := newPicFixture(t, 2, 64, 2)
	ctx := context.Background()
	path := "/webgateway/render_thumbnail/" + id(f.imgs[0]) + "/"
	key := f.ada.Key()
	code, first := f.send(t, "GET", path, key, nil)
	if code != 200 {
		t.Fatalf("%d %s", code, first)
	}
	if code, again := f.send(t, "GET", path, key, nil); code != 200 || !bytes.Equal(again, first) {
		t.Fatalf("asked again: %d", code)
	}
	v, _ := f.ada.ViewerRendering(ctx, f.imgs[0])
	st := v.Settings
	st.Channels[0].Active, st.Channels[1].Active = false, false
	if _, err := f.ada.SaveRendering(ctx, f.imgs[0], st); err != nil {
		t.Fatal(err)
	}
	if code, now := f.send(t, "GET", path, key, nil); code != 200 || bytes.Equal(now, first) {
		t.Errorf("after the owner's new settings the thumbnail did not change (%d)", code)
	}
	root := testrepo.Root(t, f.svc)
	me, _ := f.ada.Me(ctx)
	bobMe, _ := f.bob.Me(ctx)
	if err := root.AddToGroup(ctx, me.Group.ID, []core.ID{bobMe.User.ID}, false); err != nil {
		t.Fatal(err)
	}
	if code, _ := f.send(t, "GET", path, f.bob.Key(), nil); code != 200 {
		t.Fatalf("bob in ada's group: %d", code)
	}
	if err := root.RemoveFromGroup(ctx, me.Group.ID, []core.ID{bobMe.User.ID}, false); err != nil {
		t.Fatal(err)
	}
	if code, _ := f.send(t, "GET", path, f.bob.Key(), nil); code != 404 {
		t.Errorf("bob out of ada's group again: %d, want 404", code)
	}
	other := "/webgateway/render_thumbnail/" + id(f.imgs[1]) + "/"
	if code, _ := f.send(t, "GET", other, key, nil); code != 200 {
		t.Fatalf("%d", code)
	}
	if err := f.ada.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if code, _ := f.send(t, "GET", other, key, nil); code != 403 {
		t.Errorf("after logout: %d, want 403", code)
	}
}

// tiled viewers expect, tiles of reduced levels are rendered alone.
func TestPyramidTiles(t *testing.T) {
	f := newPicFixture(t, 1, 32, 1)
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "pyr.ome.tiff")
	s := formats.Series{Name: "pyr", SizeX: 256, SizeY: 192, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint8, DimensionOrder: "XYZCT"}
	err := ome.WriteTIFF(file, s, nil, func(_, _, _ int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint8, 256, 192)
		for i := range p.Data {
			p.Data[i] = uint8(i % 251)
		}
		return p, nil
	}, ome.WriteOptions{TileSize: 64, PyramidLevels: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := importer.Run(ctx, importer.Config{Session: f.ada, Open: detect.Open, Thumbs: thumbcache.ForRepository(f.repo)}, []string{file}, importer.Options{}, nil)
	if err != nil || sum.Imported != 1 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	img := sum.Results[0].Images[0]
	levels, err := f.remote.Levels(ctx, img)
	if err != nil || len(levels) != 3 || levels[2] != image.Pt(64, 48) {
		t.Fatalf("levels: %v %v", levels, err)
	}
	code, body := f.send(t, "GET", "/webgateway/imgData/"+id(img)+"/", f.ada.Key(), nil)
	var d struct {
		Tiles            bool
		Levels           int
		Resolutions      map[string]struct{ SizeX, SizeY int }
		ZoomLevelScaling map[string]float64
	}
	if code != 200 || json.Unmarshal(body, &d) != nil || !d.Tiles || d.Levels != 3 || d.Resolutions["1"].SizeX != 128 || d.ZoomLevelScaling["2"] != 0.25 {
		t.Errorf("imgData of a pyramid: %d %s", code, body)
	}
	code, body = f.send(t, "GET", "/webgateway/render_image_region/"+id(img)+"/0/0/?tile=1,1,0,64,64&format=png", f.ada.Key(), nil)
	if code != 200 {
		t.Fatalf("tile: %d %s", code, body)
	}
	m, err := png.Decode(bytes.NewReader(body))
	if err != nil || m.Bounds().Size() != image.Pt(64, 64) {
		t.Errorf("tile of level 1: %v %v", m.Bounds(), err)
	}
	if code, body := f.send(t, "GET", "/webgateway/render_image_region/"+id(img)+"/0/0/?tile=3,0,0", f.ada.Key(), nil); code != 400 || !bytes.Contains(body, []byte("resolution levels")) {
		t.Errorf("a level that does not exist: %d %s", code, body)
	}
}
