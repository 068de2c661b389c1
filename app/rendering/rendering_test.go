package rendering_test

import (
	"bytes"
	"context"
	"image"
	"os"
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

// fixture is a repository with a read-only group where ada imported one
// 2-channel, 3-plane uint16 OME-TIFF, and bob is a member.
type fixture struct {
	ctx      context.Context
	repo     string
	ada, bob core.Session
	image    core.Ref
	file     string
}

const sizeX, sizeY, sizeZ, sizeC = 40, 30, 3, 2

// value is the test image's sample at (x, y) of plane (z, c): it grows with
// z so that a maximum projection is the last plane.
func value(x, y, z, c int) float64 { return float64(1000*c + 100*z + 7*x + 3*y) }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	svc, repo := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadOnly, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"ada", "bob"} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw", Groups: []core.ID{g.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{ctx: ctx, repo: repo}
	f.ada, _ = svc.Login(ctx, "ada", "pw", "")
	f.bob, _ = svc.Login(ctx, "bob", "pw", "")
	f.file = filepath.Join(t.TempDir(), "cells.ome.tiff")
	writeOME(t, f.file)
	sum, err := importer.Run(ctx, importer.Config{Session: f.ada, Open: detect.Open, Supported: detect.Supported,
		Thumbs: thumbcache.ForRepository(repo)}, []string{f.file}, importer.Options{}, nil)
	if err != nil || sum.Imported != 1 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	f.image = sum.Results[0].Images[0]
	return f
}

func writeOME(t *testing.T, path string) {
	t.Helper()
	s := formats.Series{Name: "cells", SizeX: sizeX, SizeY: sizeY, SizeZ: sizeZ, SizeC: sizeC, SizeT: 1, PixelType: pixel.Uint16,
		DimensionOrder: "XYZCT", Channels: []formats.Channel{{Name: "DAPI", EmissionWavelength: 457}, {Name: "GFP", EmissionWavelength: 528}}}
	err := ome.WriteTIFF(path, s, nil, func(z, c, _ int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, sizeX, sizeY)
		for y := 0; y < sizeY; y++ {
			for x := 0; x < sizeX; x++ {
				p.Set(x, y, value(x, y, z, c))
			}
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) service(t *testing.T, s core.Session) *rendering.Service {
	svc := rendering.New(rendering.Config{Session: s, Thumbs: thumbcache.ForRepository(f.repo)})
	t.Cleanup(func() { svc.Close() })
	return svc
}

// reference renders planes read straight from the file with a fresh
// renderer: what the service must produce.
func (f *fixture) reference(t *testing.T, s render.Settings, z int) *image.RGBA {
	t.Helper()
	r, err := detect.Open(f.file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	planes := make([]*pixel.Plane, sizeC)
	for c := range planes {
		if planes[c], err = r.ReadPlane(0, 0, z, c, 0); err != nil {
			t.Fatal(err)
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, sizeX, sizeY))
	if err := render.NewRenderer().Render(dst, planes, &s); err != nil {
		t.Fatal(err)
	}
	return dst
}

func settingsOf(t *testing.T, s core.Session, img core.Ref) render.Settings {
	t.Helper()
	v, err := s.ViewerRendering(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	return v.Settings
}

func TestRenderViewIsThePlaneRendered(t *testing.T) {
	f := newFixture(t)
	svc := f.service(t, f.bob)
	st := settingsOf(t, f.bob, f.image)
	st.Channels[1].LUT = "fire"
	for z := 0; z < sizeZ; z++ {
		got, err := svc.RenderView(f.ctx, f.image, z, 0, st, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want := f.reference(t, st, z); !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("z=%d: the viewer's picture differs from the plane rendered directly", z)
		}
	}
	// Scaled to a longest side.
	small, err := svc.RenderView(f.ctx, f.image, 0, 0, st, 20)
	if err != nil || small.Rect.Dx() != 20 || small.Rect.Dy() != 15 {
		t.Fatalf("size 20: %v, %v", small.Rect, err)
	}
	big, err := svc.RenderView(f.ctx, f.image, 0, 0, st, 80)
	if err != nil || big.Rect.Dx() != 80 || big.Rect.Dy() != 60 {
		t.Fatalf("size 80: %v, %v", big.Rect, err)
	}
}

func TestRenderRegionAndProjection(t *testing.T) {
	f := newFixture(t)
	svc := f.service(t, f.ada)
	st := settingsOf(t, f.ada, f.image)
	full := f.reference(t, st, 1)
	r := image.Rect(5, 4, 25, 14)
	got, err := svc.Render(f.ctx, f.image, st, rendering.View{Z: 1, Region: r})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rect.Dx() != 20 || got.Rect.Dy() != 10 {
		t.Fatalf("region size %v", got.Rect)
	}
	for y := 0; y < 10; y++ {
		for x := 0; x < 20; x++ {
			if got.RGBAAt(x, y) != full.RGBAAt(x+5, y+4) {
				t.Fatalf("region pixel (%d,%d) = %v, want %v", x, y, got.RGBAAt(x, y), full.RGBAAt(x+5, y+4))
			}
		}
	}
	proj, err := svc.Render(f.ctx, f.image, st, rendering.View{Projection: &render.Projection{Kind: render.ProjectMax, StartZ: 0, EndZ: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if want := f.reference(t, st, 2); !bytes.Equal(proj.Pix, want.Pix) {
		t.Error("a maximum projection of planes that grow with Z is not the last plane")
	}
	// A projection held in the settings is drawn when the view names none,
	// and a view may still ask for plane Z.
	held := st.Clone()
	held.Projection = &render.Projection{Kind: render.ProjectMax, StartZ: 0, EndZ: 2}
	if got, err := svc.Render(f.ctx, f.image, held, rendering.View{}); err != nil || !bytes.Equal(got.Pix, proj.Pix) {
		t.Errorf("the settings' projection was not drawn (err %v)", err)
	}
	plane := rendering.View{Z: 1, Projection: &render.Projection{Kind: render.ProjectNone}}
	if got, err := svc.Render(f.ctx, f.image, held, plane); err != nil || !bytes.Equal(got.Pix, f.reference(t, st, 1).Pix) {
		t.Errorf("a view asking for no projection did not get plane Z (err %v)", err)
	}
	// Greyscale draws the first active channel in grey.
	grey := st.Clone()
	grey.Model = render.Greyscale
	g, err := svc.RenderView(f.ctx, f.image, 0, 0, grey, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c := g.RGBAAt(30, 20); c.R != c.G || c.G != c.B {
		t.Errorf("greyscale pixel %v is not grey", c)
	}
}

func TestRenderRefusesBadViews(t *testing.T) {
	f := newFixture(t)
	svc := f.service(t, f.ada)
	st := settingsOf(t, f.ada, f.image)
	wide := st.Clone()
	wide.Channels[0].End = 1e6
	for name, c := range map[string]struct {
		s    render.Settings
		v    rendering.View
		want string
	}{
		"z":          {st, rendering.View{Z: 3}, "Z 3 is outside"},
		"t":          {st, rendering.View{T: 1}, "T 1 is outside"},
		"level":      {st, rendering.View{Level: 2}, "not level 2"},
		"region":     {st, rendering.View{Region: image.Rect(100, 100, 120, 120)}, "outside the 40x30 image"},
		"projection": {st, rendering.View{Projection: &render.Projection{Kind: render.ProjectMax, EndZ: 9}}, "projection range"},
		"window":     {wide, rendering.View{}, "outside the uint16 range"},
	} {
		_, err := svc.Render(f.ctx, f.image, c.s, c.v)
		if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), c.want) {
			t.Errorf("%s: %v, want Invalid mentioning %q", name, err, c.want)
		}
	}
	if _, err := svc.ThumbnailPNG(f.ctx, f.image, 0); !core.Is(core.Invalid, err) {
		t.Errorf("thumbnail size 0: %v", err)
	}
}

// Spec §5.5 and ruling 6: thumbnails show the owner's settings to everyone,
// and follow them when the owner saves new ones.
func TestThumbnailsTrackTheOwnersSettings(t *testing.T) {
	f := newFixture(t)
	adaSvc, bobSvc := f.service(t, f.ada), f.service(t, f.bob)
	size := thumbcache.DefaultSize
	imported, err := adaSvc.ThumbnailPNG(f.ctx, f.image, size)
	if err != nil {
		t.Fatal(err)
	}
	// bob keeps his own settings; his grid still shows the owner's.
	mine := settingsOf(t, f.bob, f.image)
	mine.Channels[0].Color = render.Red
	mine.Channels[0].End = 1200
	if _, err := f.bob.SaveRendering(f.ctx, f.image, mine); err != nil {
		t.Fatal(err)
	}
	bobs, err := bobSvc.ThumbnailPNG(f.ctx, f.image, size)
	if err != nil || !bytes.Equal(bobs, imported) {
		t.Fatalf("bob's thumbnail differs from the owner's (%v)", err)
	}
	// The owner saves new settings: bob's thumbnail changes and equals hers.
	hers := settingsOf(t, f.ada, f.image)
	hers.Channels[1].Color = render.Color{255, 0, 255, 255}
	hers.Channels[0].Active = false
	if _, err := f.ada.SaveRendering(f.ctx, f.image, hers); err != nil {
		t.Fatal(err)
	}
	after, err := bobSvc.ThumbnailPNG(f.ctx, f.image, size)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(after, imported) {
		t.Fatal("bob's thumbnail did not change after the owner saved new settings")
	}
	adas, err := adaSvc.ThumbnailPNG(f.ctx, f.image, size)
	if err != nil || !bytes.Equal(after, adas) {
		t.Fatalf("bob's thumbnail is not byte-identical to the owner's (%v)", err)
	}
	// It is what the owner's settings look like, drawn from the pixels.
	rgba, err := bobSvc.Thumbnail(f.ctx, f.image, size)
	if err != nil {
		t.Fatal(err)
	}
	if c := rgba.RGBAAt(rgba.Rect.Dx()/2, rgba.Rect.Dy()/2); c.G != 0 || c.R == 0 || c.R != c.B {
		t.Errorf("thumbnail pixel %v is not magenta (the owner's only active channel)", c)
	}
}

// Thumbnails are cached by image, settings owner, size and settings
// version: served from the cache while the settings stand, drawn again
// (identically) when the cache is deleted.
func TestThumbnailCacheKeyedBySettingsVersion(t *testing.T) {
	f := newFixture(t)
	svc := f.service(t, f.bob)
	def, err := f.bob.ThumbnailRendering(f.ctx, f.image)
	if err != nil {
		t.Fatal(err)
	}
	cache := thumbcache.ForRepository(f.repo)
	key := thumbcache.Key{Image: f.image.ID, Owner: def.Owner, Size: 64, Version: rendering.SettingsVersion(def.Settings)}
	if _, ok := cache.Get(key); ok {
		t.Fatal("a 64 px thumbnail exists before anyone asked for it")
	}
	first, err := svc.ThumbnailPNG(f.ctx, f.image, 64)
	if err != nil {
		t.Fatal(err)
	}
	cached, ok := cache.Get(key)
	if !ok || !bytes.Equal(cached, first) {
		t.Fatal("the thumbnail was not cached under image, owner, size and settings version")
	}
	// The import pipeline cached the default-size one under the same scheme.
	key.Size = thumbcache.DefaultSize
	if _, ok := cache.Get(key); !ok {
		t.Error("the import-time thumbnail is not found under the settings version the service computes")
	}
	if err := os.RemoveAll(filepath.Join(f.repo, "cache")); err != nil {
		t.Fatal(err)
	}
	again, err := svc.ThumbnailPNG(f.ctx, f.image, 64)
	if err != nil || !bytes.Equal(again, first) {
		t.Fatalf("redrawn after deleting the cache: differs (%v)", err)
	}
}
