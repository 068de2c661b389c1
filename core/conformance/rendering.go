package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// Registrar is implemented by a service under test whose sessions cannot
// register files they placed themselves (a remote client imports by upload):
// the harness writes data at repoPath (relative, slash separated) below the
// served repository's managed folder and registers req on the server's side
// as sess's user, as the server's import does after an upload.
type Registrar interface {
	RegisterPlaced(ctx context.Context, sess core.Session, repoPath string, data []byte, req core.FilesetImport) (core.ImportResult, error)
}

// testRendering: rendering settings as users notice them (spec §5): each
// user keeps their own, sees the owner's until then, and the batch
// operations change only the caller's settings on compatible images. The
// subtests tell one story in order: each starts from the settings the
// previous ones left.
func testRendering(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	const l = core.ReadAnnotate
	ds := w.create("alice", l, core.Dataset, named("rendering"))
	res := w.importImages("alice", l, ds.Ref, imageSpec{name: "one", channels: 2})
	one := res.Images[0]
	two := w.importImages("alice", l, ds.Ref, imageSpec{name: "two", channels: 2}).Images[0]
	odd := w.importImages("alice", l, ds.Ref, imageSpec{name: "three channels", channels: 3}).Images[0]
	alice, bob := w.as("alice"), w.as("bob")

	t.Run("save: the owner's settings are what others see until they save theirs", func(t *testing.T) {
		w := w.on(t)
		v := w.viewer(alice, one)
		saved, err := alice.SaveRendering(w.ctx, one, window(v.Settings, 0, 123, 456))
		ok(t, "alice saves her window", err)
		if saved.Owner != w.uid("alice") || !saved.Stored() {
			t.Errorf("the saved settings belong to %d (stored %v), want alice's", saved.Owner, saved.Stored())
		}
		for who, s := range map[string]core.Session{"alice": alice, "bob": bob} {
			got := w.viewer(s, one).Settings.Channels[0]
			if got.Start != 123 || got.End != 456 {
				t.Errorf("%s's viewer opens with window %v-%v, want alice's 123-456", who, got.Start, got.End)
			}
		}
		th, err := bob.ThumbnailRendering(w.ctx, one)
		ok(t, "bob's thumbnail settings", err)
		if th.Owner != w.uid("alice") {
			t.Errorf("bob's thumbnails follow the settings of %d, want the owner's", th.Owner)
		}
	})

	t.Run("others' settings: bob's own leave alice's alone", func(t *testing.T) {
		w := w.on(t)
		v := w.viewer(bob, one)
		_, err := bob.SaveRendering(w.ctx, one, window(v.Settings, 0, 7, 8))
		ok(t, "bob saves his own settings on alice's image", err)
		if got := w.viewer(bob, one).Settings.Channels[0]; got.Start != 7 || got.End != 8 {
			t.Errorf("bob's viewer opens with %v-%v, want his 7-8", got.Start, got.End)
		}
		if got := w.viewer(alice, one).Settings.Channels[0]; got.Start != 123 {
			t.Errorf("alice's settings changed to %v-%v when bob saved his", got.Start, got.End)
		}
		defs, err := bob.RenderingDefs(w.ctx, one)
		ok(t, "list the settings", err)
		if len(defs) != 2 || defs[0].Owner != w.uid("alice") {
			t.Errorf("the image has settings of %v, want alice's first, then bob's", owners(defs))
		}
	})

	t.Run("set owner's: bob's settings become alice's; hers stay", func(t *testing.T) {
		w := w.on(t)
		aliceBefore := w.viewer(alice, one).Settings
		r, err := bob.SetOwnersRendering(w.ctx, []core.Ref{one})
		ok(t, "bob takes the owner's settings", err)
		if !slices.Contains(r.Changed, one) {
			t.Errorf("changed %v, want %s", r.Changed, one)
		}
		if got := w.viewer(bob, one).Settings; !sameSettings(got, aliceBefore) {
			t.Errorf("bob's settings after Set Owner's differ from alice's")
		}
		if got := w.viewer(alice, one).Settings; !sameSettings(got, aliceBefore) {
			t.Errorf("alice's settings changed when bob took them")
		}
	})

	t.Run("paste: compatible images take the settings, others are skipped with a reason", func(t *testing.T) {
		w := w.on(t)
		r, err := alice.PasteRendering(w.ctx, one, []core.Ref{ds.Ref})
		ok(t, "alice pastes onto the dataset", err)
		if !slices.Contains(r.Changed, two) || slices.Contains(r.Changed, odd) {
			t.Errorf("changed %v; want %s and not %s", r.Changed, two, odd)
		}
		skipped := false
		for _, s := range r.Skipped {
			if s.Image == odd {
				skipped = s.Reason != ""
			}
		}
		if !skipped {
			t.Errorf("the three-channel image is not skipped with a reason: %+v", r.Skipped)
		}
		if got := w.viewer(alice, two).Settings.Channels[0]; got.Start != 123 || got.End != 456 {
			t.Errorf("the pasted image opens with %v-%v, want 123-456", got.Start, got.End)
		}
	})

	t.Run("reset: back to the import defaults, for the caller only", func(t *testing.T) {
		w := w.on(t)
		r, err := bob.ResetRendering(w.ctx, []core.Ref{one})
		ok(t, "bob resets his settings", err)
		if !slices.Contains(r.Changed, one) {
			t.Errorf("changed %v, want %s", r.Changed, one)
		}
		p, chs, err := bob.ImageDetails(w.ctx, one)
		ok(t, "image details", err)
		if got, want := w.viewer(bob, one).Settings, core.DefaultRendering(p, chs); !sameSettings(got, want) {
			t.Errorf("after a reset bob's settings are not the import defaults")
		}
		if got := w.viewer(alice, one).Settings.Channels[0]; got.Start != 123 {
			t.Errorf("alice's settings changed when bob reset his (%v)", got.Start)
		}
	})

	t.Run("rename channels: the owner may, a member of a read-annotate group may not", func(t *testing.T) {
		w := w.on(t)
		w.refused(t, "bob renames alice's channels", func() error {
			_, err := bob.RenameChannels(w.ctx, one, []string{"DAPI", ""})
			return err
		}, core.Permission)
		_, err := alice.RenameChannels(w.ctx, one, []string{"DAPI", ""})
		ok(t, "alice renames her first channel", err)
		_, chs, err := bob.ImageDetails(w.ctx, one)
		ok(t, "image details", err)
		names := map[int]string{}
		for _, c := range chs {
			names[c.Index] = c.Name
		}
		if names[0] != "DAPI" || names[1] != "ch2" {
			t.Errorf("the channels are named %v, want DAPI and the unchanged ch2", names)
		}
	})

	t.Run("private group: the PI sees the owner's settings but cannot keep their own", func(t *testing.T) {
		w := w.on(t)
		priv := w.importImages("alice", core.Private, core.Ref{}, imageSpec{name: "private", channels: 1}).Images[0]
		v := w.viewer(w.as("pi"), priv)
		if v.Owner != w.uid("alice") {
			t.Errorf("the PI's viewer opens with the settings of %d, want the owner's", v.Owner)
		}
		w.refused(t, "the PI saves their own settings in a private group", func() error {
			_, err := w.as("pi").SaveRendering(w.ctx, priv, window(v.Settings, 0, 1, 2))
			return err
		}, core.Permission)
		hidden := w.refused(t, "bob reads the settings of alice's private image", func() error {
			_, err := bob.ViewerRendering(w.ctx, priv)
			return err
		}, core.NotFound)
		absent := w.refused(t, "bob reads the settings of a missing image", func() error {
			_, err := bob.ViewerRendering(w.ctx, core.Ref{Class: core.Image, ID: missing})
			return err
		}, core.NotFound)
		if normalise(hidden) != normalise(absent) {
			t.Errorf("a hidden image answers %q, a missing one %q", hidden, absent)
		}
	})

	t.Run("bad settings are refused whole", func(t *testing.T) {
		w := w.on(t)
		before := w.viewer(alice, one).Settings
		bad := before.Clone()
		bad.Channels = bad.Channels[:1]
		w.refused(t, "save settings with one channel for a two-channel image", func() error {
			_, err := alice.SaveRendering(w.ctx, one, bad)
			return err
		}, core.Invalid)
		if got := w.viewer(alice, one).Settings; !sameSettings(got, before) {
			t.Errorf("a refused save changed the settings")
		}
	})
}

// imageSpec describes an image the suite registers: uint16, 32×24, 3 z,
// channels with emission wavelengths 500, 600... and statistics.
type imageSpec struct {
	name     string
	channels int
}

var placed atomic.Int64

// importImages registers the images of specs as one fileset of user in the
// group of level l, linked into dataset when it is not zero.
func (w *world) importImages(user string, l core.Level, dataset core.Ref, specs ...imageSpec) core.ImportResult {
	w.t.Helper()
	s := w.in(user, l)
	rel := fmt.Sprintf("conformance/%d/%s.tif", placed.Add(1), user)
	data := []byte("the suite reads no pixels")
	req := core.FilesetImport{Files: []core.FilesetEntry{{ClientPath: "/data/" + rel, RepoPath: rel, Size: int64(len(data)), Checksum: "x"}},
		Dataset: dataset, Owner: core.AnyID}
	for _, sp := range specs {
		px := core.PixelsInfo{SizeX: 32, SizeY: 24, SizeZ: 3, SizeC: sp.channels, SizeT: 1, PixelType: "uint16", DimensionOrder: "XYZCT"}
		var chs []core.ChannelInfo
		for i := range sp.channels {
			chs = append(chs, core.ChannelInfo{Index: i, Name: fmt.Sprintf("ch%d", i+1), EmissionWavelength: float64(500 + 100*i),
				StatsMin: float64(10 * (i + 1)), StatsMax: float64(1000 * (i + 1)), HasStats: true})
		}
		b, err := json.Marshal(core.DefaultRendering(px, chs))
		if err != nil {
			w.t.Fatal(err)
		}
		req.Images = append(req.Images, core.NewImage{Name: sp.name, Pixels: px, Channels: chs, Rendering: b})
	}
	var res core.ImportResult
	var err error
	switch r, isRegistrar := w.svc.(Registrar); {
	case s.ManagedDir() != "":
		path := filepath.Join(s.ManagedDir(), filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			w.t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			w.t.Fatal(err)
		}
		res, err = s.RegisterFileset(w.ctx, req)
	case isRegistrar:
		res, err = r.RegisterPlaced(w.ctx, s, rel, data, req)
	default:
		w.t.Skip("this service has no managed folder and is no conformance.Registrar: the suite cannot register images")
	}
	if err != nil {
		w.t.Fatalf("%s imports %d images into %s: %v", user, len(specs), labName(l), err)
	}
	return res
}

func (w *world) viewer(s core.Session, image core.Ref) core.RenderingDefView {
	w.t.Helper()
	v, err := s.ViewerRendering(context.Background(), image)
	if err != nil {
		w.t.Fatalf("open %s in the viewer: %v", image, err)
	}
	return v
}

// window returns s with channel c's window set to start-end.
func window(s render.Settings, c int, start, end float64) render.Settings {
	s = s.Clone()
	s.Channels[c].Start, s.Channels[c].End = start, end
	return s
}

func sameSettings(a, b render.Settings) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func owners(defs []core.RenderingDefView) []core.ID {
	var out []core.ID
	for _, d := range defs {
		out = append(out, d.Owner)
	}
	return out
}
