package remote_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
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
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// get sends one request of key's session and returns status and body.
func (f *picFixture) send(t *testing.T, method, path, key string, form url.Values) (int, []byte) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, f.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if key != "" {
		req.Header.Set(wire.SessionHeader, key)
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func id(r core.Ref) string { return strconv.FormatInt(int64(r.ID), 10) }

// The viewer through the client shows exactly the picture rendered where
// the files are: whole planes at screen size, regions, and projections.
func TestViewerThroughClientEqualsInProcess(t *testing.T) {
	f := newPicFixture(t, 1, 300, 3)
	ctx := context.Background()
	img := f.imgs[0]
	local := rendering.New(rendering.Config{Session: f.ada})
	defer local.Close()
	viewer := rendering.New(rendering.Config{Session: f.remote}) // no folders: everything asked of the server
	defer viewer.Close()
	v, err := f.ada.ViewerRendering(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	st := v.Settings
	st.Channels[1].End = 2500 // an unsaved slider move
	for _, view := range []rendering.View{
		{Size: 128},
		{Region: image.Rect(10, 20, 110, 70)},
		{Z: 2, Size: 200},
		{Projection: &render.Projection{Kind: render.ProjectMax, StartZ: 0, EndZ: 2}, Size: 100},
	} {
		want, err := local.Render(ctx, img, st, view)
		if err != nil {
			t.Fatal(err)
		}
		got, err := viewer.Render(ctx, img, st, view)
		if err != nil {
			t.Fatalf("%+v through the client: %v", view, err)
		}
		if got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%+v: the picture through the client differs from the local one (%v vs %v)", view, got.Rect, want.Rect)
		}
	}
	levels, err := viewer.Levels(ctx, img)
	if err != nil || len(levels) == 0 || levels[0] != image.Pt(300, 300) {
		t.Errorf("levels through the client = %v, %v", levels, err)
	}
	th, err := viewer.Thumbnail(ctx, img, 96)
	if err != nil || th.Rect.Dx() != 96 {
		t.Errorf("thumbnail through the client: %v, %v", th, err)
	}
	// An export streams in bands from the server.
	var rows int
	size, err := viewer.RenderBands(ctx, img, st, rendering.View{}, func(image.Point) error { return nil },
		func(y int, band *image.RGBA) error { rows += band.Rect.Dy(); return nil })
	if err != nil || size != image.Pt(300, 300) || rows != 300 {
		t.Errorf("export through the client: %v, %d rows, %v", size, rows, err)
	}
	// Settings that do not fit the image are refused with a sentence.
	bad := st.Clone()
	bad.Channels = bad.Channels[:1]
	if _, err := viewer.Render(ctx, img, bad, rendering.View{Size: 64}); !core.Is(core.Invalid, err) {
		t.Errorf("settings for 1 of 3 channels: %v, want Invalid", err)
	}
}

// Thumbnails come in batches of at most 50 per request; images the user
// may not see, and missing ones, are simply absent.
func TestThumbnailsBatchedAndHidden(t *testing.T) {
	f := newPicFixture(t, 3, 64, 1)
	ctx := context.Background()
	var ask []core.Ref
	for i := 0; i < 60; i++ { // 60 refs: two requests
		ask = append(ask, f.imgs[i%3])
	}
	ask = append(ask, core.Ref{Class: core.Image, ID: 99999})
	got, err := f.remote.Thumbnails(ctx, ask, 48)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d thumbnails, want the 3 images", len(got))
	}
	for _, img := range f.imgs {
		m, err := jpeg.Decode(bytes.NewReader(got[img.ID]))
		if err != nil || m.Bounds().Dx() != 48 {
			t.Errorf("thumbnail of %s: %v", img, err)
		}
	}
	// Bob sees none of ada's images: every one is null.
	code, body := f.send(t, "GET", "/webgateway/get_thumbnails/?id="+id(f.imgs[0])+"&id=99999", f.bob.Key(), nil)
	if code != 200 || string(body) != `{"`+id(f.imgs[0])+`":null,"99999":null}` {
		t.Errorf("bob's batch: %d %s", code, body)
	}
	// More than 50 in one request is refused with a sentence.
	q := strings.Repeat("id=1&", 51)
	if code, body := f.send(t, "GET", "/webgateway/get_thumbnails/?"+q, f.ada.Key(), nil); code != 400 || !bytes.Contains(body, []byte("at most 50")) {
		t.Errorf("51 ids: %d %s", code, body)
	}
}

// Every rendering route answers an image the caller may not see exactly
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

// OMERO.web's rendering parameters change the picture; bad ones get a
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

// imgData has OMERO's shape; channel names are edited through webclient's
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

// A thumbnail served again from the server's memory is the answer a fresh
// request would get: new settings show at once, an image hidden by a
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

// Many viewers at once on one server share its caches and each get their
// own picture.
func TestConcurrentViewers(t *testing.T) {
	f := newPicFixture(t, 2, 128, 2)
	ctx := context.Background()
	v, _ := f.ada.ViewerRendering(ctx, f.imgs[0])
	local := rendering.New(rendering.Config{Session: f.ada})
	defer local.Close()
	want := map[int][]byte{}
	for i := 0; i < 4; i++ {
		st := v.Settings.Clone()
		st.Channels[0].End = float64(500 + 300*i)
		m, err := local.Render(ctx, f.imgs[0], st, rendering.View{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = m.Pix
	}
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			viewer := rendering.New(rendering.Config{Session: f.remote})
			for i := 0; i < 4; i++ {
				st := v.Settings.Clone()
				st.Channels[0].End = float64(500 + 300*((i+g)%4))
				m, err := viewer.Render(ctx, f.imgs[0], st, rendering.View{Size: 100})
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(m.Pix, want[(i+g)%4]) {
					errs <- fmt.Errorf("viewer %d got another viewer's picture", g)
					return
				}
				if th, err := f.remote.Thumbnails(ctx, f.imgs, 64); err != nil || len(th) != 2 {
					errs <- fmt.Errorf("thumbnails: %d, %v", len(th), err)
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// A pyramid's levels reach the client: imgData lists them as OMERO.web's
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
