package remote_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// TestRenderingOverTheWire: every rendering use case over the wire answers
// and changes what it does in-process.
func TestRenderingOverTheWire(t *testing.T) {
	r := newRig(t, core.ReadAnnotate, nil)
	one, two, odd := r.importImage("alice", 2), r.importImage("alice", 2), r.importImage("alice", 3)
	alice, bob := r.remote["alice"], r.remote["bob"]

	v, err := alice.ViewerRendering(r.ctx, one)
	r.must(err)
	lv, err := r.local["alice"].ViewerRendering(r.ctx, one)
	r.must(err)
	sameJSON(t, "the viewer's settings", v, lv)

	s := v.Settings.Clone()
	s.Channels[0].Start, s.Channels[0].End = 11, 99
	s.Channels[1].Reverse, s.Channels[1].Family, s.Channels[1].Coefficient = true, render.Family("exponential"), 0.5
	saved, err := alice.SaveRendering(r.ctx, one, s)
	r.must(err)
	lv, err = r.local["bob"].ViewerRendering(r.ctx, one)
	r.must(err)
	sameJSON(t, "the saved settings (as bob's viewer opens them)", saved.Settings, lv.Settings)
	sameJSON(t, "the settings sent", saved.Settings, s)

	th, err := bob.ThumbnailRendering(r.ctx, one)
	r.must(err)
	lth, err := r.local["bob"].ThumbnailRendering(r.ctx, one)
	r.must(err)
	sameJSON(t, "bob's thumbnail settings", th, lth)

	_, err = bob.SaveRendering(r.ctx, one, v.Settings)
	r.must(err)
	defs, err := bob.RenderingDefs(r.ctx, one)
	r.must(err)
	ldefs, err := r.local["bob"].RenderingDefs(r.ctx, one)
	r.must(err)
	sameJSON(t, "every user's settings", defs, ldefs)
	if len(defs) != 2 {
		t.Errorf("%d settings on the image, want alice's and bob's", len(defs))
	}

	res, err := bob.SetOwnersRendering(r.ctx, []core.Ref{one})
	r.must(err)
	if len(res.Changed) != 1 {
		t.Errorf("Set Owner's changed %v", res.Changed)
	}
	res, err = alice.PasteRendering(r.ctx, one, []core.Ref{two, odd})
	r.must(err)
	if len(res.Changed) != 1 || res.Changed[0] != two || len(res.Skipped) != 1 || res.Skipped[0].Image != odd || res.Skipped[0].Reason == "" {
		t.Errorf("paste onto a compatible and an incompatible image: %+v", res)
	}
	res, err = alice.ResetRendering(r.ctx, []core.Ref{two})
	r.must(err)
	if len(res.Changed) != 1 {
		t.Errorf("reset changed %v", res.Changed)
	}
	res, err = alice.SetRenderingWindows(r.ctx, []core.Ref{two}, core.WindowFullRange)
	r.must(err)
	if w, _ := r.local["alice"].ViewerRendering(r.ctx, two); len(res.Changed) != 1 || w.Settings.Channels[0].End != 255 {
		t.Errorf("full range windows: changed %v, window end %v", res.Changed, w.Settings.Channels[0].End)
	}
	_, err = bob.RenameChannels(r.ctx, one, []string{"DAPI"})
	_, lerr := r.local["bob"].RenameChannels(r.ctx, one, []string{"DAPI"})
	sameError(t, "bob renames alice's channels", err, lerr)
	_, err = alice.RenameChannels(r.ctx, one, []string{"DAPI", ""})
	r.must(err)
	if _, chs, _ := r.local["bob"].ImageDetails(r.ctx, one); chs[0].Name != "DAPI" || chs[1].Name != "c1" {
		t.Errorf("channels after the rename: %+v", chs)
	}

	ps, err := bob.PixelSource(r.ctx, one)
	r.must(err)
	lps, err := r.local["bob"].PixelSource(r.ctx, one)
	r.must(err)
	if len(ps.Files) != 0 || ps.Root != "" {
		t.Errorf("the pixel source shows the server's paths: %v %q", ps.Files, ps.Root)
	}
	lps.Files, lps.Root = []string{}, ""
	sameJSON(t, "the pixel source", ps, lps)

	// Bad input and hidden images answer as in-process.
	bad := v.Settings.Clone()
	bad.Channels = bad.Channels[:1]
	_, err = alice.SaveRendering(r.ctx, one, bad)
	_, lerr = r.local["alice"].SaveRendering(r.ctx, one, bad)
	sameError(t, "settings that do not fit", err, lerr)
	ds := core.Ref{Class: core.Dataset, ID: 1}
	_, err = alice.ViewerRendering(r.ctx, ds)
	_, lerr = r.local["alice"].ViewerRendering(r.ctx, ds)
	sameError(t, "the settings of a dataset", err, lerr)
	if code, _ := r.raw("alice", http.MethodGet, "/ocular/v1/images/x/rendering/viewer"); code != http.StatusBadRequest {
		t.Errorf("a malformed image ID answers %d", code)
	}
}

// TestRenderingHiddenLikeMissing: another user's image in a private group
// answers every rendering route exactly like a missing image.
func TestRenderingHiddenLikeMissing(t *testing.T) {
	r := newRig(t, core.Private, nil)
	im := r.importImage("alice", 1)
	for _, route := range []string{"/rendering/viewer", "/rendering/thumbnail", "/rendering/defs", "/pixel-source"} {
		hc, hb := r.raw("bob", http.MethodGet, "/ocular/v1/images/"+itoa(im.ID)+route)
		mc, mb := r.raw("bob", http.MethodGet, "/ocular/v1/images/"+itoa(im.ID+1000)+route)
		if hc != http.StatusNotFound || hc != mc || normaliseID(hb, im.ID) != normaliseID(mb, im.ID+1000) {
			t.Errorf("%s: hidden answers %d %s, missing %d %s", route, hc, hb, mc, mb)
		}
	}
}

func itoa(id core.ID) string { return strconv.FormatInt(int64(id), 10) }

// normaliseID blanks the ID a message names, so two messages about
// different IDs compare.
func normaliseID(body string, id core.ID) string { return strings.ReplaceAll(body, itoa(id), "N") }
