package remote_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// picFixture is a repository served over TLS with images of ada (group
// "lab") and a user, bob, in another private group who sees none of them.
type picFixture struct {
	svc    *inprocess.Service
	repo   string
	ada    core.Session // in-process
	bob    core.Session
	imgs   []core.Ref
	ts     *httptest.Server
	client *remote.Service
	remote *remote.Session // ada over the wire
}

// writeImage writes an OME-TIFF of n×n, c channels, z planes of uint16.
func writeImage(t testing.TB, dir, name string, n, c, z int) string {
	t.Helper()
	file := filepath.Join(dir, name+".ome.tiff")
	s := formats.Series{Name: name, SizeX: n, SizeY: n, SizeZ: z, SizeC: c, SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYZCT"}
	err := ome.WriteTIFF(file, s, nil, func(pz, ch, _ int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, n, n)
		for i := 0; i < len(p.Data); i += 2 {
			v := uint16((i/2)%n*13 + (i/2)/n*7 + ch*1000 + pz*300)
			p.Data[i], p.Data[i+1] = byte(v), byte(v>>8)
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return file
}

// newPicFixture imports count images of n×n pixels and c channels.
func newPicFixture(t testing.TB, count, n, c int) *picFixture {
	t.Helper()
	return newPicFixtureZ(t, count, n, c, 3)
}

// newPicFixtureZ is newPicFixture with z planes per image.
func newPicFixtureZ(t testing.TB, count, n, c, z int) *picFixture {
	t.Helper()
	ctx := context.Background()
	svc, repo := testrepo.New(t)
	root := testrepo.Root(t, svc)
	lab, _ := root.CreateGroup(ctx, "lab", core.ReadOnly, "")
	other, _ := root.CreateGroup(ctx, "other", core.Private, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{lab.ID}})
	root.CreateUser(ctx, core.NewUser{Username: "bob", Password: "pw", Groups: []core.ID{other.ID}})
	f := &picFixture{svc: svc, repo: repo, ada: testrepo.Login(t, svc, "ada", "pw"), bob: testrepo.Login(t, svc, "bob", "pw")}
	dir := t.TempDir()
	var files []string
	for i := 0; i < count; i++ {
		files = append(files, writeImage(t, dir, "img"+string(rune('a'+i%26))+string(rune('a'+i/26)), n, c, z))
	}
	sum, err := importer.Run(ctx, importer.Config{Session: f.ada, Open: detect.Open, Thumbs: thumbcache.ForRepository(repo)},
		files, importer.Options{}, nil)
	if err != nil || sum.Imported != count {
		t.Fatalf("import: %+v %v", sum, err)
	}
	for _, r := range sum.Results {
		f.imgs = append(f.imgs, r.Images...)
	}
	f.ts = httptest.NewTLSServer(server.New(server.Config{Service: svc, Pictures: rendering.ServerPictures(repo)}).Handler())
	t.Cleanup(f.ts.Close)
	f.client, err = remote.Dial(ctx, f.ts.URL, remote.Options{Transport: f.ts.Client().Transport, Fingerprint: remote.Fingerprint(f.ts.Certificate())})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.client.Close() })
	f.remote = f.client.SessionFromKey(f.ada.Key())
	return f
}

// newServer serves f's repository from a new server (empty memory caches)
// and returns ada's session on it.
func newServer(t testing.TB, f *picFixture) *remote.Session {
	t.Helper()
	ts := httptest.NewTLSServer(server.New(server.Config{Service: f.svc, Pictures: rendering.ServerPictures(f.repo)}).Handler())
	t.Cleanup(ts.Close)
	c, err := remote.Dial(context.Background(), ts.URL, remote.Options{Transport: ts.Client().Transport, Fingerprint: remote.Fingerprint(ts.Certificate())})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.SessionFromKey(f.ada.Key())
}
