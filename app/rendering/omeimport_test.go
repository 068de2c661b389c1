package rendering_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// omeFile is a one-plane uint16 OME-TIFF to write and import: its size, how
// it is written (tiles, SubIFD levels) and its sample at (x, y).
type omeFile struct {
	name  string
	w, h  int
	opts  ome.WriteOptions
	value func(x, y int) float64
}

// imported is what importOMEs made: ada's session on a new repository, the
// repository's pyramid cache, and the images, one per file in order.
type imported struct {
	ada      core.Session
	repo     string
	pyramids *pyramid.Cache
	images   []core.Ref
}

// importOMEs writes the files with Ocular's OME-TIFF writer and imports them
// as ada, a member of a read-annotate group, through the import pipeline
// (which builds the pyramids big planes need).
func importOMEs(t *testing.T, files ...omeFile) imported {
	t.Helper()
	ctx := context.Background()
	svc, repo := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, _ := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{g.ID}})
	ada := testrepo.Login(t, svc, "ada", "pw")

	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		s := formats.Series{Name: f.name, SizeX: f.w, SizeY: f.h, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint16}
		err := ome.WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
			p, _ := pixel.NewPlane(pixel.Uint16, f.w, f.h)
			for y := 0; y < f.h; y++ {
				for x := 0; x < f.w; x++ {
					p.Set(x, y, f.value(x, y))
				}
			}
			return p, nil
		}, f.opts)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	out := imported{ada: ada, repo: repo, pyramids: pyramid.ForRepository(repo)}
	sum, err := importer.Run(ctx, importer.Config{Session: ada, Open: detect.Open, Thumbs: thumbcache.ForRepository(repo), Pyramids: out.pyramids},
		paths, importer.Options{}, nil)
	if err != nil || sum.Err() != nil {
		t.Fatalf("import: %v %v", err, sum.Err())
	}
	for _, r := range sum.Results {
		out.images = append(out.images, r.Images[0])
	}
	return out
}
