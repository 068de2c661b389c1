package importer_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/internal/hostile"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// importAllocLimit is what importing one fuzzed file may allocate in total
// (runtime TotalAlloc): well under the 1 GiB the import of any file keeps to.
const importAllocLimit = 256 << 20

// FuzzImport runs the importer's whole read path (detection, budget checks,
// transfer, statistics, pyramid, thumbnail, registration) on any bytes, in
// a temporary repository. It must never panic, and no input may make it
// allocate more than importAllocLimit.
func FuzzImport(f *testing.F) {
	dir := f.TempDir()
	p := filepath.Join(dir, "seed.ome.tiff")
	writeOME(f, p, 2, 2)
	if b, err := os.ReadFile(p); err == nil {
		f.Add(b)
	}
	img := image.NewGray16(image.Rect(0, 0, 11, 5))
	img.Set(1, 1, color.Gray16{Y: 4000})
	var pb bytes.Buffer
	png.Encode(&pb, img)
	f.Add(pb.Bytes())
	f.Add(hostile.ImageJTIFF("1"))
	f.Add(hostile.TIFF{Width: 40, Height: 30, RowsPerStrip: 8, Strips: [][]byte{make([]byte, 320), nil, make([]byte, 320), make([]byte, 240)}}.Bytes())
	f.Add(hostile.HugeSparseTIFF(20000, 20000, 1024))
	f.Add(hostile.ZstdBombTIFF(32768, 32768))

	ctx := context.Background()
	svc, repo := testrepo.New(f)
	root := testrepo.Root(f, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		f.Fatal(err)
	}
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{g.ID}}); err != nil {
		f.Fatal(err)
	}
	cfg := importer.Config{Session: testrepo.Login(f, svc, "ada", "pw"), Open: detect.Open, Supported: detect.Supported,
		Thumbs: thumbcache.ForRepository(repo), Pyramids: pyramid.ForRepository(repo), Workers: 1}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := os.MkdirTemp(dir, "in-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(in)
		path := filepath.Join(in, "input.tif")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		alloc := hostile.Allocated(func() {
			importer.Run(ctx, cfg, []string{path}, importer.Options{}, nil)
		})
		if alloc > importAllocLimit {
			t.Fatalf("importing a %d-byte file allocated %d MiB (limit %d MiB)", len(data), alloc>>20, importAllocLimit>>20)
		}
	})
}
