package inprocess_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// Spec §5.1: one RenderingDef per (user, image); saving never touches
// another user's settings.
func TestOneRenderingDefPerUserAndImage(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadOnly)
	img := f.importImages(ada, core.Ref{}, spec("a", 457, 528))[0]
	if n := len(f.defs(img)); n != 1 {
		t.Fatalf("after import: %d rdefs, want the owner's 1", n)
	}
	owners := viewer(t, ada, img).Settings
	for i := 0; i < 3; i++ {
		if _, err := ada.SaveRendering(f.ctx, img, window(owners, 0, 0, float64(500+i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.defs(img)); n != 1 {
		t.Fatalf("saving three times made %d rdefs, want 1", n)
	}
	bob := f.login("bob", core.ReadOnly)
	if _, err := bob.SaveRendering(f.ctx, img, window(owners, 0, 5, 50)); err != nil {
		t.Fatal(err)
	}
	defs := f.defs(img)
	if len(defs) != 2 || defs[0].Owner != f.users["ada"].ID || defs[1].Owner != f.users["bob"].ID {
		t.Fatalf("rdefs = %+v, want ada's then bob's", defs)
	}
	if got := defs[0].Settings.Channels[0].End; got != 502 {
		t.Errorf("bob's save changed ada's window end to %g", got)
	}
	if defs[1].OwnerName != "Bob Crick" || defs[1].Def.Class != core.RenderingDef || defs[1].Settings.Model != render.RGB {
		t.Errorf("bob's rdef view = %+v", defs[1])
	}
}

// Spec §5.4: the defaults of a new (imported) or reset rdef.
func TestImportDefaultsAndSetImported(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadAnnotate)
	imgs := f.importImages(ada, core.Ref{}, spec("four", 457, 528, 617, 0), imageSpec{name: "one", pixType: "uint8", z: 4, t: 1, emissions: []float64{0}})
	four := viewer(t, ada, imgs[0]).Settings
	if four.DefaultZ != 2 || four.DefaultT != 0 || four.Model != render.RGB || four.CdStart != 0 || four.CdEnd != 255 {
		t.Errorf("defaults: z=%d t=%d model=%s cd=%d..%d", four.DefaultZ, four.DefaultT, four.Model, four.CdStart, four.CdEnd)
	}
	wantColors := []render.Color{render.Blue, render.Green, render.Red, render.White}
	for i, c := range four.Channels {
		if c.Active != (i < 3) || c.Family != render.Linear || c.Coefficient != 1 || c.Reverse || c.Color != wantColors[i] {
			t.Errorf("channel %d defaults: %+v", i+1, c)
		}
		if c.Start != float64(100*(i+1)) || c.End != float64(1000*(i+1)) {
			t.Errorf("channel %d window %g..%g, want the statistics", i+1, c.Start, c.End)
		}
	}
	if one := viewer(t, ada, imgs[1]).Settings; one.Model != render.Greyscale {
		t.Errorf("a single-channel image is %s, want greyscale", one.Model)
	}
	// Set Imported brings back exactly the import defaults.
	if _, err := ada.SaveRendering(f.ctx, imgs[0], window(four, 1, 0, 7)); err != nil {
		t.Fatal(err)
	}
	res, err := ada.ResetRendering(f.ctx, imgs)
	if err != nil || len(res.Changed) != 2 || len(res.Skipped) != 0 {
		t.Fatalf("reset: %+v, %v", res, err)
	}
	if got := viewer(t, ada, imgs[0]).Settings; !reflect.DeepEqual(got, four) {
		t.Errorf("after Set Imported:\n%+v\nwant\n%+v", got, four)
	}
}

// Spec §5.2: anyone who can read an image in a shared group keeps their
// own settings on it; the owner's are unaffected.
func TestSharedGroupReadersKeepTheirOwnSettings(t *testing.T) {
	f := newRdefFixture(t)
	for _, l := range levels[1:] {
		ada := f.login("ada", l)
		img := f.importImages(ada, core.Ref{}, spec("a", 457))[0]
		owners := viewer(t, ada, img).Settings
		for i, user := range []string{"bob", "pia", "root", "wanda", "rita"} {
			s := f.login(user, l)
			mine := window(owners, 0, float64(i), 900)
			v, err := s.SaveRendering(f.ctx, img, mine)
			if err != nil {
				t.Fatalf("%s in %s: %v", user, l, err)
			}
			if v.Owner != f.users[user].ID || v.Def.IsZero() {
				t.Errorf("%s in %s: saved as %+v", user, l, v)
			}
			if got := viewer(t, s, img).Settings; !reflect.DeepEqual(got, mine) {
				t.Errorf("%s in %s does not reopen their own settings", user, l)
			}
		}
		if got := f.defOf(img, "ada"); !reflect.DeepEqual(*got, owners) {
			t.Errorf("%s: the owner's settings changed", l)
		}
		if n := len(f.defs(img)); n != 6 {
			t.Errorf("%s: %d rdefs, want 6 (owner + 5 readers)", l, n)
		}
	}
}

// Spec §5.2: in a private group only the owner's settings are saved; an
// administrator (WriteOwned or Sudo) may save them as the owner; a member
// who is not the owner cannot see the image at all.
func TestPrivateGroupOnlyTheOwnersSettingsAreSaved(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.Private)
	img := f.importImages(ada, core.Ref{}, spec("a", 457))[0]
	owners := viewer(t, ada, img).Settings
	before := f.snapshot(img)
	for _, user := range []string{"pia", "root", "wanda", "rita"} {
		s := f.login(user, core.Private)
		if got := viewer(t, s, img); got.Owner != f.users["ada"].ID || !reflect.DeepEqual(got.Settings, owners) {
			t.Errorf("%s does not see the owner's settings by default: %+v", user, got)
		}
		_, err := s.SaveRendering(f.ctx, img, window(owners, 0, 1, 2))
		if !core.Is(core.Permission, err) || !strings.Contains(core.UserMessage(err), "private group") {
			t.Errorf("%s saving own settings in a private group: %v", user, err)
		}
		res, err := s.ResetRendering(f.ctx, []core.Ref{img})
		if err != nil || len(res.Changed) != 0 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "only the image's owner") {
			t.Errorf("%s resetting in a private group: %+v, %v", user, res, err)
		}
	}
	if f.snapshot(img) != before {
		t.Fatal("a refused save changed the stored settings")
	}
	bob := f.login("bob", core.Private)
	if _, err := bob.SaveRendering(f.ctx, img, owners); !core.Is(core.NotFound, err) {
		t.Errorf("a member saving on an invisible image: %v, want NotFound", err)
	}
	// Acting as the owner.
	for _, user := range []string{"pia", "rita"} {
		if _, err := f.login(user, core.Private).SaveRenderingAsOwner(f.ctx, img, owners); !core.Is(core.Permission, err) {
			t.Errorf("%s saving as the owner without WriteOwned or Sudo: %v", user, err)
		}
	}
	wanda := f.login("wanda", core.Private)
	v, err := wanda.SaveRenderingAsOwner(f.ctx, img, window(owners, 0, 3, 4))
	if err != nil || v.Owner != f.users["ada"].ID {
		t.Fatalf("WriteOwned admin saving as owner: %+v, %v", v, err)
	}
	if defs := f.defs(img); len(defs) != 1 || defs[0].Settings.Channels[0].End != 4 {
		t.Errorf("after saving as owner: %+v", defs)
	}
}

// Spec §5.2: nobody edits another user's settings in place.
func TestNobodyEditsAnotherUsersSettings(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadWrite)
	img := f.importImages(ada, core.Ref{}, spec("a", 457))[0]
	owners := viewer(t, ada, img).Settings
	bob := f.login("bob", core.ReadWrite)
	if _, err := bob.SaveRenderingAsOwner(f.ctx, img, window(owners, 0, 1, 2)); !core.Is(core.Permission, err) {
		t.Errorf("a member saving as the owner even in read-write: %v", err)
	}
	if _, err := bob.SaveRendering(f.ctx, img, window(owners, 0, 1, 2)); err != nil {
		t.Fatal(err)
	}
	if got := f.defOf(img, "ada"); !reflect.DeepEqual(*got, owners) {
		t.Error("the owner's settings changed")
	}
	// bob's own save changes only bob's.
	if _, err := ada.SaveRendering(f.ctx, img, window(owners, 0, 9, 10)); err != nil {
		t.Fatal(err)
	}
	if got := f.defOf(img, "bob"); got.Channels[0].End != 2 {
		t.Error("the owner's save changed bob's settings")
	}
}

// Bad input: windows outside the pixel range, unknown LUTs, the wrong
// channel count, an unreadable image: a clear error, nothing changed.
func TestBadSettingsChangeNothing(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadAnnotate)
	img := f.importImages(ada, core.Ref{}, spec("a", 457, 528))[0]
	owners := viewer(t, ada, img).Settings
	lut := owners.Clone()
	lut.Channels[0].LUT = "no-such-lut"
	short := owners.Clone()
	short.Channels = short.Channels[:1]
	deepZ := owners.Clone()
	deepZ.DefaultZ = 5
	before := f.snapshot(img)
	for name, c := range map[string]struct {
		s    render.Settings
		want string
	}{
		"window above range": {window(owners, 0, 0, 70000), "outside the uint16 range"},
		"window below range": {window(owners, 1, -1, 10), "outside the uint16 range"},
		"reversed window":    {window(owners, 1, 10, 5), "above window end"},
		"unknown LUT":        {lut, "no-such-lut"},
		"channel count":      {short, "1 channels but the image has 2"},
		"default Z":          {deepZ, "default Z 5"},
	} {
		_, err := ada.SaveRendering(f.ctx, img, c.s)
		if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), c.want) {
			t.Errorf("%s: %v, want Invalid mentioning %q", name, err, c.want)
		}
		if _, err := ada.SaveRenderingToAll(f.ctx, img, c.s, core.Ref{Class: core.Dataset, ID: 1}); err == nil {
			t.Errorf("%s: Save to All accepted bad settings", name)
		}
	}
	solo := f.login("ada", core.Private)
	hidden := f.importImages(solo, core.Ref{}, spec("h", 457))[0]
	hiddenBefore := f.snapshot(hidden)
	bob := f.login("bob", core.Private)
	for _, err := range []error{
		func() error { _, err := bob.SaveRendering(f.ctx, hidden, owners); return err }(),
		func() error { _, err := bob.ViewerRendering(f.ctx, hidden); return err }(),
		func() error { _, err := bob.ThumbnailRendering(f.ctx, hidden); return err }(),
		func() error { _, err := bob.PixelSource(f.ctx, hidden); return err }(),
		func() error { _, err := bob.PasteRendering(f.ctx, img, []core.Ref{hidden}); return err }(),
		func() error { _, err := bob.ResetRendering(f.ctx, []core.Ref{hidden}); return err }(),
		func() error {
			_, err := ada.SaveRendering(f.ctx, core.Ref{Class: core.Image, ID: 99999}, owners)
			return err
		}(),
	} {
		if !core.Is(core.NotFound, err) {
			t.Errorf("an invisible or missing image: %v, want NotFound", err)
		}
	}
	if f.snapshot(img) != before || f.snapshot(hidden) != hiddenBefore {
		t.Error("bad input changed stored settings")
	}
	if _, err := ada.SaveRendering(f.ctx, core.Ref{Class: core.Dataset, ID: 1}, owners); !core.Is(core.Invalid, err) {
		t.Errorf("settings on a dataset: %v", err)
	}
}

// Spec §5.5 and ruling 6: the viewer opens the user's own settings, else
// the owner's; thumbnails show the owner's.
func TestViewerUsesOwnSettingsThumbnailsTheOwners(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadOnly)
	img := f.importImages(ada, core.Ref{}, spec("a", 457))[0]
	owners := viewer(t, ada, img)
	bob := f.login("bob", core.ReadOnly)
	if v := viewer(t, bob, img); v.Owner != f.users["ada"].ID || v.Def != owners.Def {
		t.Errorf("bob without settings opens %+v, want ada's", v)
	}
	mine := window(owners.Settings, 0, 1, 2)
	if _, err := bob.SaveRendering(f.ctx, img, mine); err != nil {
		t.Fatal(err)
	}
	if v := viewer(t, bob, img); v.Owner != f.users["bob"].ID || !reflect.DeepEqual(v.Settings, mine) {
		t.Errorf("bob with settings opens %+v, want his own", v)
	}
	th, err := bob.ThumbnailRendering(f.ctx, img)
	if err != nil || th.Owner != f.users["ada"].ID || !reflect.DeepEqual(th.Settings, owners.Settings) {
		t.Errorf("bob's thumbnail settings: %+v, %v; want ada's", th, err)
	}
	// No stored settings at all: the defaults, not stored.
	bare := f.importImages(ada, core.Ref{}, spec("b", 457))[0]
	if err := f.root.Delete(f.ctx, f.defs(bare)[0].Def); err != nil {
		t.Fatal(err)
	}
	if v := viewer(t, bob, bare); v.Stored() || v.Owner != f.users["ada"].ID || v.Settings.Channels[0].End != 1000 {
		t.Errorf("without any settings: %+v, want ada's computed defaults", v)
	}
}

// A grid's thumbnails look their settings up in one batch: the same as one
// by one for every image the user may see, and nothing for an image of a
// private group, a missing image or a dataset.
func TestThumbnailRenderingsAreThoseOfEachImage(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadOnly)
	imgs := f.importImages(ada, core.Ref{}, spec("a", 457, 528), spec("b", 617))
	bob := f.login("bob", core.ReadOnly)
	mine := viewer(t, bob, imgs[0]).Settings
	mine.Channels[0].End = 555
	if _, err := bob.SaveRendering(f.ctx, imgs[0], mine); err != nil {
		t.Fatal(err)
	}
	solo := f.login("ada", core.Private)
	hidden := f.importImages(solo, core.Ref{}, spec("h", 457))[0]
	bobPrivate := f.login("bob", core.Private)
	asked := []core.Ref{imgs[0], hidden, {Class: core.Image, ID: 99999}, {Class: core.Dataset, ID: 1}, imgs[1]}
	for name, sess := range map[string]core.Session{"bob in the read-only group": bob, "bob in the private group": bobPrivate} {
		batch, ok := sess.(interface {
			ThumbnailRenderings(context.Context, []core.Ref) (map[core.ID]core.RenderingDefView, error)
		})
		if !ok {
			t.Fatal("an in-process session has no ThumbnailRenderings")
		}
		got, err := batch.ThumbnailRenderings(f.ctx, asked)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := map[core.ID]core.RenderingDefView{}
		for _, img := range asked {
			if v, err := sess.ThumbnailRendering(f.ctx, img); err == nil {
				want[img.ID] = v
			}
		}
		if len(want) != 2 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the batch gives %d settings, one by one %d: %+v, want %+v", name, len(got), len(want), got, want)
		}
		if _, seen := got[hidden.ID]; seen {
			t.Errorf("%s: the batch gave settings of a private group's image", name)
		}
	}
}

// Spec §5.3 paste: the caller's settings on the source (else the owner's)
// go into the caller's own settings on each compatible target.
func TestPasteFollowsTheCompatibilityRule(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadAnnotate)
	ds := f.dataset(ada, "D")
	imgs := f.importImages(ada, ds,
		spec("src", 457, 528),
		spec("same", 528, 457),
		imageSpec{name: "byte", pixType: "uint8", z: 5, t: 2, emissions: []float64{457, 528}},
		spec("three", 457, 528, 617),
		spec("otherwave", 457, 617),
		imageSpec{name: "thin", pixType: "uint16", z: 1, t: 1, emissions: []float64{457, 528}},
	)
	src, same, byteImg, three, otherwave, thin := imgs[0], imgs[1], imgs[2], imgs[3], imgs[4], imgs[5]
	bob := f.login("bob", core.ReadAnnotate)
	// bob has no settings on src: the owner's are the source.
	res, err := bob.PasteRendering(f.ctx, src, []core.Ref{same})
	if err != nil || !refsEqual(res.Changed, []core.Ref{same}) {
		t.Fatalf("paste owner's: %+v, %v", res, err)
	}
	if got := f.defOf(same, "bob"); got == nil || got.Channels[1].End != f.defOf(src, "ada").Channels[1].End {
		t.Errorf("bob's pasted settings: %+v", got)
	}
	// bob's own settings are the source once he has some.
	mine := viewer(t, bob, src).Settings
	mine = window(mine, 0, 11, 111)
	mine.DefaultZ, mine.DefaultT = 3, 1
	mine.Channels[1].LUT, mine.Channels[1].Reverse, mine.Channels[1].Family, mine.Channels[1].Coefficient = "fire", true, render.Polynomial, 2
	if _, err := bob.SaveRendering(f.ctx, src, mine); err != nil {
		t.Fatal(err)
	}
	before := f.snapshot(byteImg, three, otherwave)
	res, err = bob.PasteRendering(f.ctx, src, []core.Ref{ds})
	if err != nil {
		t.Fatal(err)
	}
	if !refsEqual(res.Changed, []core.Ref{src, same, thin}) || !refsEqual(skippedRefs(res), []core.Ref{byteImg, three, otherwave}) {
		t.Fatalf("paste to dataset: %+v", res)
	}
	for i, want := range []string{"pixel type differs", "channel count differs", "emission wavelength 528"} {
		if !strings.Contains(res.Skipped[i].Reason, want) {
			t.Errorf("skip reason %q lacks %q", res.Skipped[i].Reason, want)
		}
	}
	if f.snapshot(byteImg, three, otherwave) != before {
		t.Error("skipped images changed")
	}
	got := f.defOf(same, "bob")
	if got.Model != mine.Model || !reflect.DeepEqual(got.Channels, mine.Channels) || got.DefaultZ != 3 || got.DefaultT != 1 {
		t.Errorf("pasted: %+v\nwant %+v", got, mine)
	}
	if th := f.defOf(thin, "bob"); th.DefaultZ != 0 || th.DefaultT != 0 || !reflect.DeepEqual(th.Channels, mine.Channels) {
		t.Errorf("default Z/T outside the target must not be copied: z=%d t=%d", th.DefaultZ, th.DefaultT)
	}
	if got := f.defOf(src, "bob"); !reflect.DeepEqual(*got, mine) {
		t.Error("including the source among the targets changed it")
	}
	if ada := f.defOf(same, "ada"); ada.Channels[0].End == 111 {
		t.Error("bob's paste changed ada's settings")
	}
}

// Spec §5.3 "Save to All": the viewer's state goes to every compatible
// image of the dataset, plate or run; the source changes only if inside.
func TestSaveToAllForDatasetPlateAndRun(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadOnly)
	ds := f.dataset(ada, "D")
	inDS := f.importImages(ada, ds, spec("a", 457), spec("b", 457), spec("c", 617))
	outside := f.importImages(ada, core.Ref{}, spec("o", 457))[0]
	plate := f.importPlate(ada, []string{"run1", "run2"}, []int{0, 0, 1, -1}, spec("w1", 457), spec("w2", 457), spec("w3", 457), spec("w4", 457, 528))
	state := window(viewer(t, ada, outside).Settings, 0, 7, 77)
	before := f.snapshot(outside)
	res, err := ada.SaveRenderingToAll(f.ctx, outside, state, ds)
	if err != nil || !refsEqual(res.Changed, inDS[:2]) || !refsEqual(skippedRefs(res), inDS[2:]) {
		t.Fatalf("dataset: %+v, %v", res, err)
	}
	if f.snapshot(outside) != before {
		t.Error("Save to All changed the source outside the set")
	}
	if got := f.defOf(inDS[1], "ada"); got.Channels[0].End != 77 {
		t.Errorf("dataset image window end %g, want 77", got.Channels[0].End)
	}
	res, err = ada.SaveRenderingToAll(f.ctx, plate.Images[0], state, plate.Plate)
	if err != nil || !refsEqual(res.Changed, plate.Images[:3]) || !refsEqual(skippedRefs(res), plate.Images[3:]) {
		t.Fatalf("plate: %+v, %v", res, err)
	}
	// A run: only its fields.
	runs, err := ada.List(f.ctx, core.PlateAcquisition, core.AnyID, core.AnyID)
	if err != nil || len(runs) != 2 {
		t.Fatal(runs, err)
	}
	run2 := state.Clone()
	run2.Channels[0].Color = render.Green
	res, err = ada.SaveRenderingToAll(f.ctx, plate.Images[2], run2, runs[1].Ref)
	if err != nil || !refsEqual(res.Changed, plate.Images[2:3]) || len(res.Skipped) != 0 {
		t.Fatalf("run: %+v, %v", res, err)
	}
	if _, err := ada.SaveRenderingToAll(f.ctx, outside, state, core.Ref{Class: core.Project, ID: ds.ID}); !core.Is(core.Invalid, err) {
		t.Errorf("Save to All on a project: %v", err)
	}
	// A reader of a read-only group saves their own, not the owner's.
	bob := f.login("bob", core.ReadOnly)
	res, err = bob.SaveRenderingToAll(f.ctx, inDS[0], window(state, 0, 1, 5), ds)
	if err != nil || len(res.Changed) != 2 {
		t.Fatalf("bob: %+v, %v", res, err)
	}
	if f.defOf(inDS[0], "ada").Channels[0].End != 77 || f.defOf(inDS[0], "bob").Channels[0].End != 5 {
		t.Error("bob's Save to All must write bob's settings only")
	}
}

// Spec §5.3 "Set Owner's": the owner's settings are copied into the
// caller's own, created if missing; the owner's are untouched.
func TestSetOwnersCopiesTheOwnersSettingsIntoTheCallers(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadAnnotate)
	imgs := f.importImages(ada, core.Ref{}, spec("a", 457), spec("b", 457))
	owners := window(viewer(t, ada, imgs[0]).Settings, 0, 3, 33)
	if _, err := ada.SaveRendering(f.ctx, imgs[0], owners); err != nil {
		t.Fatal(err)
	}
	bob := f.login("bob", core.ReadAnnotate)
	if _, err := bob.SaveRendering(f.ctx, imgs[1], window(owners, 0, 1, 2)); err != nil {
		t.Fatal(err)
	}
	before := f.snapshot(imgs...)
	res, err := bob.SetOwnersRendering(f.ctx, imgs)
	if err != nil || !refsEqual(res.Changed, imgs) {
		t.Fatalf("%+v, %v", res, err)
	}
	if n := len(f.defs(imgs[0])); n != 2 {
		t.Errorf("%d rdefs on the image, want 2 (owner's and bob's)", n)
	}
	for _, img := range imgs {
		if !reflect.DeepEqual(*f.defOf(img, "bob"), *f.defOf(img, "ada")) {
			t.Errorf("%s: bob's settings are not the owner's", img)
		}
	}
	if !strings.Contains(before, `"end":33`) || f.defOf(imgs[0], "ada").Channels[0].End != 33 {
		t.Error("the owner's settings changed")
	}
	res, err = ada.SetOwnersRendering(f.ctx, imgs[:1])
	if err != nil || len(res.Changed) != 0 || !strings.Contains(res.Skipped[0].Reason, "you own") {
		t.Errorf("owner: %+v, %v", res, err)
	}
}

// Min/Max and Full Range set the caller's windows from the statistics or
// the pixel type.
func TestMinMaxAndFullRange(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadAnnotate)
	img := f.importImages(ada, core.Ref{}, spec("a", 457, 528))[0]
	bob := f.login("bob", core.ReadAnnotate)
	if _, err := bob.SetRenderingWindows(f.ctx, []core.Ref{img}, core.WindowFullRange); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.defOf(img, "bob").Channels {
		if c.Start != 0 || c.End != 65535 {
			t.Errorf("full range: %g..%g", c.Start, c.End)
		}
	}
	if f.defOf(img, "ada").Channels[0].End != 1000 {
		t.Error("bob's Full Range changed ada's settings")
	}
	if _, err := bob.SetRenderingWindows(f.ctx, []core.Ref{img}, core.WindowMinMax); err != nil {
		t.Fatal(err)
	}
	for i, c := range f.defOf(img, "bob").Channels {
		if c.Start != float64(100*(i+1)) || c.End != float64(1000*(i+1)) {
			t.Errorf("min/max channel %d: %g..%g", i+1, c.Start, c.End)
		}
	}
	if _, err := bob.SetRenderingWindows(f.ctx, []core.Ref{img}, "median"); !core.Is(core.Invalid, err) {
		t.Errorf("unknown mode: %v", err)
	}
}

// Channel names: rename needs EDIT on the image; a dataset or plate
// renames every image it can and reports the others.
func TestRenameChannels(t *testing.T) {
	f := newRdefFixture(t)
	ada := f.login("ada", core.ReadAnnotate)
	ds := f.dataset(ada, "D")
	imgs := f.importImages(ada, ds, spec("a", 457, 528), spec("b", 457, 528, 617))
	bobs := f.importImages(f.login("bob", core.ReadAnnotate), core.Ref{}, spec("bob's", 457, 528))[0]
	bob := f.login("bob", core.ReadAnnotate)
	if _, err := f.login("pia", core.ReadAnnotate).Create(f.ctx, core.DatasetImageLink, map[string]string{"parent": ds.String(), "child": bobs.String()}); err != nil {
		t.Fatal(err)
	}
	res, err := ada.RenameChannels(f.ctx, ds, []string{"DAPI", "GFP"})
	if err != nil || !refsEqual(res.Changed, imgs[:1]) || !refsEqual(skippedRefs(res), []core.Ref{imgs[1], bobs}) {
		t.Fatalf("dataset rename: %+v, %v", res, err)
	}
	if !strings.Contains(res.Skipped[0].Reason, "2 names given but Image") || !strings.Contains(res.Skipped[1].Reason, "may not rename") {
		t.Errorf("reasons: %+v", res.Skipped)
	}
	_, chs, err := bob.ImageDetails(f.ctx, imgs[0])
	if err != nil || chs[0].Name != "DAPI" || chs[1].Name != "GFP" || chs[0].EmissionWavelength != 457 {
		t.Fatalf("channels after rename: %+v, %v", chs, err)
	}
	if _, err := bob.RenameChannels(f.ctx, imgs[0], []string{"x", "y"}); !core.Is(core.Permission, err) {
		t.Errorf("a member renaming in read-annotate: %v", err)
	}
	if _, err := ada.RenameChannels(f.ctx, imgs[1], []string{"x"}); !core.Is(core.Invalid, err) {
		t.Errorf("wrong name count on an image: %v", err)
	}
	// "" keeps a name.
	if _, err := ada.RenameChannels(f.ctx, imgs[1], []string{"", "Cy3", ""}); err != nil {
		t.Fatal(err)
	}
	if _, chs, _ := ada.ImageDetails(f.ctx, imgs[1]); chs[0].Name != "ch1" || chs[1].Name != "Cy3" {
		t.Errorf("partial rename: %+v", chs)
	}
	// A plate.
	plate := f.importPlate(ada, nil, []int{-1, -1}, spec("w1", 457), spec("w2", 457))
	res, err = ada.RenameChannels(f.ctx, plate.Plate, []string{"Hoechst"})
	if err != nil || !refsEqual(res.Changed, plate.Images) {
		t.Fatalf("plate rename: %+v, %v", res, err)
	}
}
