package remote_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// send sends one request of key's session and returns status and body.
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
// OMERO.web's rendering parameters change the picture; bad ones get a
// imgData has OMERO's shape; channel names are edited through webclient's
// A thumbnail served again from the server's memory is the answer a fresh
// request would get: new settings show at once, an image hidden by a
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
