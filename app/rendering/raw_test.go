package rendering_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"path/filepath"
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
)

// ServerRaw reads the stored values of any plane, channel and level of an
// image the session may see, exactly as the file holds them; an image in
// another group answers as a missing one does.
func TestServerRawReadsStoredValues(t *testing.T) {
	ctx := context.Background()
	svc, repo := testrepo.New(t)
	root := testrepo.Root(t, svc)
	lab, _ := root.CreateGroup(ctx, "lab", core.Private, "")
	other, _ := root.CreateGroup(ctx, "other", core.Private, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{lab.ID}})
	root.CreateUser(ctx, core.NewUser{Username: "eve", Password: "pw", Groups: []core.ID{other.ID}})
	ada := testrepo.Login(t, svc, "ada", "pw")
	eve := testrepo.Login(t, svc, "eve", "pw")

	const w, h = 700, 401
	path := filepath.Join(t.TempDir(), "two.ome.tiff")
	s := formats.Series{Name: "two", SizeX: w, SizeY: h, SizeZ: 2, SizeC: 2, SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYZCT",
		Channels: []formats.Channel{{Name: "A"}, {Name: "B"}}}
	err := ome.WriteTIFF(path, s, nil, func(z, c, _ int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, w, h)
		for y := range h {
			for x := range w {
				p.Set(x, y, float64(x+2*y+500*z+1000*c))
			}
		}
		return p, nil
	}, ome.WriteOptions{TileSize: 256, PyramidLevels: 1})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := importer.Run(ctx, importer.Config{Session: ada, Open: detect.Open, Thumbs: thumbcache.ForRepository(repo), Pyramids: pyramid.ForRepository(repo)},
		[]string{path}, importer.Options{}, nil)
	if err != nil || sum.Err() != nil {
		t.Fatalf("import: %v %v", err, sum.Err())
	}
	img := sum.Results[0].Images[0]

	file, err := detect.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()

	raw := rendering.ServerRaw(repo)
	r := raw(ada)
	levels, err := r.(*rendering.Raw).Levels(ctx, img)
	if err != nil || fmt.Sprint(levels) != fmt.Sprint([]image.Point{{w, h}, {350, 201}}) {
		t.Fatalf("levels %v, %v; want the file's two", levels, err)
	}
	for _, q := range []core.RawRegion{
		{Z: 1, C: 1, Level: 0, Region: image.Rect(512, 256, 700, 401)}, // an edge chunk
		{Z: 0, C: 0, Level: 1, Region: image.Rect(0, 0, 256, 256)},
		{Z: 1, C: 0, Level: 1}, // the whole level
	} {
		got, err := r.ReadRegion(ctx, img, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		region := image.Rect(0, 0, levels[q.Level].X, levels[q.Level].Y)
		if !q.Region.Empty() {
			region = q.Region.Intersect(region) // a region past the edge is clipped
		}
		want, err := file.ReadRegion(0, q.Level, q.Z, q.C, q.T, region)
		if err != nil {
			t.Fatal(err)
		}
		if got.Width != want.Width || got.Height != want.Height || !bytes.Equal(got.Data, want.Data) {
			t.Errorf("%+v: %dx%d values differ from the file's %dx%d", q, got.Width, got.Height, want.Width, want.Height)
		}
	}

	missing := core.Ref{Class: core.Image, ID: img.ID + 1000}
	_, errHidden := raw(eve).ReadRegion(ctx, img, core.RawRegion{})
	_, errMissing := raw(eve).ReadRegion(ctx, missing, core.RawRegion{})
	sameText := strings.ReplaceAll(errMissing.Error(), missing.String(), img.String())
	if !core.Is(core.NotFound, errHidden) || errHidden.Error() != sameText {
		t.Errorf("another group's image answers %v, a missing one %v; want the same NotFound", errHidden, errMissing)
	}

	for _, bad := range []core.RawRegion{{C: 2}, {Z: 2}, {T: 1}, {Level: 2}, {Region: image.Rect(800, 0, 900, 10)}} {
		if _, err := r.ReadRegion(ctx, img, bad); !core.Is(core.Invalid, err) {
			t.Errorf("%+v: %v, want Invalid", bad, err)
		}
	}
	if _, err := r.ReadRegion(ctx, img, core.RawRegion{Region: image.Rect(0, 0, 1, 1)}); err != nil || errors.Is(err, formats.ErrTooLarge) {
		t.Errorf("a one-pixel region: %v", err)
	}
}

// A big image without a pyramid of its own is served from the pyramid the
// cache builds; when the cache was deleted, many chunks of a reduced level
// asked for at once (as a viewer asks) rebuild it and all read right.
func TestServerRawReadsBuiltPyramidLevels(t *testing.T) {
	ctx := context.Background()
	const w, h = 4096, 3328
	block := func(x, y int) float64 { return float64((x/256+y/256)%2*1000 + 7) }
	f := importOMEs(t, omeFile{"big.ome.tiff", w, h, ome.WriteOptions{}, block})
	img := f.images[0]
	if err := f.pyramids.Drop(img.ID); err != nil {
		t.Fatal(err)
	}
	r := rendering.ServerRaw(f.repo)(f.ada)
	levels, err := r.(*rendering.Raw).Levels(ctx, img)
	if want := []image.Point{{w, h}, {2048, 1664}, {1024, 832}, {512, 416}}; err != nil || fmt.Sprint(levels) != fmt.Sprint(want) {
		t.Fatalf("levels %v, %v; want the built pyramid's %v", levels, err, want)
	}
	// Level 3 reduces 8×8 pixels that lie in one 256² block, so each of
	// its pixels is the block's value however it is reduced.
	chunks := []image.Rectangle{image.Rect(0, 0, 256, 256), image.Rect(256, 0, 512, 256), image.Rect(0, 256, 256, 416), image.Rect(256, 256, 512, 416)}
	errs := make(chan error, len(chunks))
	for _, c := range chunks {
		go func() {
			p, err := r.ReadRegion(ctx, img, core.RawRegion{Level: 3, Region: c})
			if err == nil {
				for y := range p.Height {
					for x := range p.Width {
						if v, want := p.At(x, y), block(8*(c.Min.X+x), 8*(c.Min.Y+y)); v != want {
							err = fmt.Errorf("level 3 at (%d, %d) is %v, want %v", c.Min.X+x, c.Min.Y+y, v, want)
						}
					}
				}
			}
			errs <- err
		}()
	}
	for range chunks {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
