package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

type fixture struct {
	svc     *inprocess.Service
	sess    core.Session
	repoDir string
	group   core.ID
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	svc, dir := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{g.ID}}); err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, sess: testrepo.Login(t, svc, "ada", "pw"), repoDir: dir, group: g.ID}
}

func (f *fixture) config() importer.Config {
	return importer.Config{Session: f.sess, Thumbs: thumbcache.ForRepository(f.repoDir),
		Open: func(p string) (formats.Reader, error) { return ome.Open(p) }}
}

// writeOME writes a c-channel, z-plane uint16 OME-TIFF whose channel c plane z holds value 100*c+z+x%7.
func writeOME(t testing.TB, path string, sizeC, sizeZ int) {
	t.Helper()
	s := formats.Series{Name: filepath.Base(path), SizeX: 64, SizeY: 48, SizeZ: sizeZ, SizeC: sizeC, SizeT: 1,
		PixelType: pixel.Uint16, DimensionOrder: "XYZCT", PhysicalSizeX: 0.5, PhysicalSizeY: 0.5}
	for c := 0; c < sizeC; c++ {
		s.Channels = append(s.Channels, formats.Channel{Name: []string{"457", "528", "617"}[c%3], EmissionWavelength: []float64{457, 528, 617}[c%3]})
	}
	err := ome.WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, 64, 48)
		for y := 0; y < 48; y++ {
			for x := 0; x < 64; x++ {
				p.Set(x, y, float64(100*c+z+x%7))
			}
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func TestImportFolderAsDatasetWithStatsThumbnailsAndTags(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	os.MkdirAll(filepath.Join(src, "run1"), 0o755)
	writeOME(t, filepath.Join(src, "run1", "a.ome.tiff"), 2, 3)
	writeOME(t, filepath.Join(src, "run1", "b.ome.tiff"), 3, 1)
	os.WriteFile(filepath.Join(src, "run1", "notes.txt"), []byte("not an image"), 0o644)
	cfg := f.config()
	cfg.Supported = func(p string) bool { return strings.HasSuffix(p, ".ome.tiff") }
	sum, err := importer.Run(ctx, cfg, []string{src}, importer.Options{FolderAsDataset: true, Tags: []string{"screening"}}, nil)
	if err != nil {
		t.Fatalf("import: %v (%+v)", err, sum)
	}
	if sum.Imported != 2 || len(sum.Results) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	img := sum.Results[0].Images[0]
	px, chs, err := f.sess.ImageDetails(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	if px.SizeX != 64 || px.SizeZ != 3 || px.SizeC != 2 || px.PixelType != "uint16" || px.PhysicalSizeX != 0.5 {
		t.Errorf("pixels %+v", px)
	}
	// Channel 1 holds 100+z+x%7 for z in 0..2: min 100, max 108.
	if !chs[1].HasStats || chs[1].StatsMin != 100 || chs[1].StatsMax != 108 || chs[1].Name != "528" {
		t.Errorf("channel stats %+v", chs[1])
	}
	tree, err := f.sess.Browse(ctx, core.BrowseRequest{Group: f.group, Owner: core.AnyID})
	if err != nil {
		t.Fatal(err)
	}
	if tree[0].Class != core.Dataset || tree[0].Name != "run1" || tree[0].ChildCount != 2 {
		t.Errorf("folder dataset: %+v", tree[0])
	}
	links, _ := f.sess.List(ctx, core.ImageAnnotationLink, core.AnyID, core.AnyID)
	if len(links) != 2 {
		t.Errorf("want both images tagged, got %d links", len(links))
	}
	thumbs, _ := filepath.Glob(filepath.Join(f.repoDir, "cache", "thumbnails", "*", "*.png"))
	if len(thumbs) != 2 {
		t.Errorf("want 2 thumbnails, got %v", thumbs)
	}
	// Files are in the managed repository with checksums, and --skip-existing skips them next time.
	again, err := importer.Run(ctx, cfg, []string{src}, importer.Options{SkipExisting: true}, nil)
	if err != nil || again.Skipped != 2 || again.Imported != 0 {
		t.Fatalf("skip existing: %v %+v", err, again)
	}
}

func TestFailedFileLeavesNothingAndBatchGoesOn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	writeOME(t, filepath.Join(src, "good.ome.tiff"), 1, 1)
	// A truncated copy of a good file.
	writeOME(t, filepath.Join(src, "full.ome.tiff"), 1, 1)
	b, _ := os.ReadFile(filepath.Join(src, "full.ome.tiff"))
	os.WriteFile(filepath.Join(src, "bad.ome.tiff"), b[:len(b)/2], 0o644)
	os.Remove(filepath.Join(src, "full.ome.tiff"))
	sum, err := importer.Run(ctx, f.config(), []string{filepath.Join(src, "bad.ome.tiff"), filepath.Join(src, "good.ome.tiff"), filepath.Join(src, "missing.tif")}, importer.Options{}, nil)
	if err == nil {
		t.Fatal("a batch with failures must report an error")
	}
	if sum.Imported != 1 || sum.Failed != 2 {
		t.Fatalf("summary %+v", sum)
	}
	for _, r := range sum.Results {
		if strings.HasSuffix(r.Path, "missing.tif") && !strings.Contains(r.Error, "does not exist") {
			t.Errorf("missing file error: %q", r.Error)
		}
	}
	filesets, _ := f.sess.List(ctx, core.Fileset, core.AnyID, core.AnyID)
	if len(filesets) != 1 {
		t.Errorf("want 1 fileset, got %d", len(filesets))
	}
	var files []string
	filepath.Walk(filepath.Join(f.repoDir, "ManagedRepository"), func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 1 || !strings.HasSuffix(files[0], "good.ome.tiff") {
		t.Errorf("managed repository holds %v, want only good.ome.tiff", files)
	}
}
