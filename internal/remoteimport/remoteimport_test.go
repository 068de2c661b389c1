package remoteimport

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/realdata"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// repo is a test repository with the user ada in the group lab.
type repo struct {
	svc  *inprocess.Service
	dir  string
	sess core.Session // ada's, in-process
}

func newRepo(t *testing.T) *repo {
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
	return &repo{svc: svc, dir: dir, sess: testrepo.Login(t, svc, "ada", "pw")}
}

func (r *repo) config(s core.Session) importer.Config {
	return importer.Config{Session: s, Open: detect.Open, Supported: detect.Supported,
		Thumbs: thumbcache.ForRepository(r.dir), Pyramids: pyramid.ForRepository(r.dir)}
}

// cutter cuts the PUT requests it is told to, after half their body, as
// a connection dropping in the middle of a chunk.
type cutter struct {
	base http.RoundTripper
	mu   sync.Mutex
	puts int
	cut  map[int]bool
}

type resetAfter struct{ r io.Reader }

func (f *resetAfter) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset by the test")
	}
	return n, err
}

func (c *cutter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPut {
		return c.base.RoundTrip(r)
	}
	c.mu.Lock()
	c.puts++
	cut := c.cut[c.puts]
	c.mu.Unlock()
	if !cut {
		return c.base.RoundTrip(r)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	r2 := r.Clone(r.Context())
	r2.GetBody = nil
	r2.Body = io.NopCloser(&resetAfter{bytes.NewReader(body[:len(body)/2])})
	return c.base.RoundTrip(r2)
}

// serve serves r over HTTPS with uploads imported by ServeImport, and
// returns ada's remote session and the cutting transport under it.
func serve(t *testing.T, r *repo) (*remote.Session, *cutter) {
	t.Helper()
	srv := server.New(server.Config{Service: r.svc, UploadDir: filepath.Join(r.dir, "uploads"),
		Import: importer.ServeImport(r.config(nil)), Limits: server.Limits{MaxChunk: 32 << 10}})
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(ts.Close)
	c := &cutter{base: ts.Client().Transport, cut: map[int]bool{}}
	svc, err := remote.Dial(context.Background(), ts.URL, remote.Options{Transport: c})
	if err != nil {
		t.Fatal(err)
	}
	// In-process login until the login route exists; the key then travels
	// in the session header of every request.
	return svc.SessionFromKey(testrepo.Login(t, r.svc, "ada", "pw").Key()), c
}

func writeOME(t *testing.T, path string) {
	t.Helper()
	const w, h = 200, 150
	s := formats.Series{Name: "cells", SizeX: w, SizeY: h, SizeZ: 3, SizeC: 2, SizeT: 1, PixelType: pixel.Uint16,
		DimensionOrder: "XYZCT", PhysicalSizeX: 0.25, PhysicalSizeY: 0.25,
		Channels: []formats.Channel{{Name: "DAPI", EmissionWavelength: 457}, {Name: "GFP", EmissionWavelength: 528}}}
	err := ome.WriteTIFF(path, s, nil, func(z, c, _ int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, w, h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				p.Set(x, y, float64((x*7+y*13+z*101+c*1009)%4096))
			}
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

type recorder struct {
	mu      sync.Mutex
	bytes   int64
	created []core.Ref
}

func (r *recorder) Report(ev importer.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev.Type {
	case importer.EventBytes:
		r.bytes += ev.Bytes
	case importer.EventCreated:
		r.created = append(r.created, ev.Ref)
	}
}

func filesSize(t *testing.T, paths ...string) int64 {
	var n int64
	for _, p := range paths {
		filepath.Walk(p, func(_ string, fi os.FileInfo, err error) error {
			if err == nil && fi.Mode().IsRegular() {
				n += fi.Size()
			}
			return nil
		})
	}
	return n
}

// sameImage checks that two imported images have the same sizes, channels
// (with statistics) and pixels.
func sameImage(t *testing.T, a core.Session, ia core.Ref, b core.Session, ib core.Ref) {
	t.Helper()
	ctx := context.Background()
	pa, err := a.PixelSource(ctx, ia)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := b.PixelSource(ctx, ib)
	if err != nil {
		t.Fatal(err)
	}
	pa.Pixels.Image, pb.Pixels.Image = 0, 0
	if !reflect.DeepEqual(pa.Pixels, pb.Pixels) || !reflect.DeepEqual(pa.Channels, pb.Channels) {
		t.Fatalf("the images differ:\n%+v %+v\n%+v %+v", pa.Pixels, pa.Channels, pb.Pixels, pb.Channels)
	}
	if len(pa.Files) != len(pb.Files) {
		t.Fatalf("filesets of %d and %d files", len(pa.Files), len(pb.Files))
	}
	ra, err := detect.Open(pa.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer ra.Close()
	rb, err := detect.Open(pb.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	px := pa.Pixels
	for z := 0; z < px.SizeZ; z++ {
		for c := 0; c < px.SizeC; c++ {
			for tt := 0; tt < px.SizeT; tt++ {
				rect := image.Rect(0, 0, px.SizeX, px.SizeY)
				qa, err := ra.ReadRegion(px.Series, 0, z, c, tt, rect)
				if err != nil {
					t.Fatal(err)
				}
				qb, err := rb.ReadRegion(px.Series, 0, z, c, tt, rect)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(qa, qb) {
					t.Fatalf("plane z=%d c=%d t=%d differs", z, c, tt)
				}
			}
		}
	}
}

// images lists the images of a dataset.
func images(t *testing.T, s core.Session, ds core.Ref) []core.Ref {
	t.Helper()
	me, err := s.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kids, err := s.Browse(context.Background(), core.BrowseRequest{Group: me.Group.ID, Owner: core.AnyID, Parent: ds})
	if err != nil {
		t.Fatal(err)
	}
	var out []core.Ref
	for _, k := range kids {
		if k.Ref.Class == core.Image {
			out = append(out, k.Ref)
		}
	}
	return out
}

// TestImportThroughAServerCutInTheMiddle imports a generated OME-TIFF
// through a server whose connection drops twice in the middle of chunks:
// the image ends in the dataset on the server, equal to a local import of
// the same file, and the fileset names the client's path.
func TestImportThroughAServerCutInTheMiddle(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "cells.ome.tif")
	writeOME(t, src)

	local := newRepo(t)
	lsum, err := importer.Run(ctx, local.config(local.sess), []string{src}, importer.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}

	srv := newRepo(t)
	ds, err := srv.sess.Create(ctx, core.Dataset, map[string]string{"name": "uploaded"})
	if err != nil {
		t.Fatal(err)
	}
	rs, cut := serve(t, srv)
	cut.cut[3], cut.cut[7] = true, true
	rec := &recorder{}
	sum, err := importer.Run(ctx, srv.config(rs), []string{src}, importer.Options{Dataset: ds.Ref, Tags: []string{"remote"}}, rec)
	if err != nil {
		t.Fatalf("%v: %+v", err, sum)
	}
	if sum.Imported != 1 || len(sum.Results[0].Images) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if rec.bytes != filesSize(t, src) {
		t.Fatalf("progress counted %d bytes of %d", rec.bytes, filesSize(t, src))
	}
	img := sum.Results[0].Images[0]
	if got := images(t, srv.sess, ds.Ref); len(got) != 1 || got[0] != img {
		t.Fatalf("the dataset holds %v, want %v", got, img)
	}
	if rec.created[0] != sum.Results[0].Fileset || rec.created[len(rec.created)-1] != img {
		t.Fatalf("created %v", rec.created)
	}
	sameImage(t, local.sess, lsum.Results[0].Images[0], srv.sess, img)

	entries, err := srv.sess.ImportedFiles(ctx, src)
	if err != nil || len(entries) != 1 || entries[0].Transfer != "copy" {
		t.Fatalf("the fileset does not name the client's file: %+v %v", entries, err)
	}
	if left, _ := os.ReadDir(filepath.Join(srv.dir, "uploads")); len(left) != 1 {
		t.Fatalf("uploads left: %d", len(left))
	} else {
		// What stays is the answer (manifest.json) and the small files the
		// instances sharing the folder coordinate through; the bytes go.
		for _, d := range []string{"data", "len", "tree"} {
			if _, err := os.Stat(filepath.Join(srv.dir, "uploads", left[0].Name(), d)); err == nil {
				t.Fatalf("an imported upload keeps its %s folder", d)
			}
		}
	}

	// --skip-existing sends nothing the second time.
	rec2 := &recorder{}
	again, err := importer.Run(ctx, srv.config(rs), []string{src}, importer.Options{SkipExisting: true}, rec2)
	if err != nil || again.Skipped != 1 || rec2.bytes != 0 {
		t.Fatalf("second import with --skip-existing: %+v, %d bytes sent, %v", again, rec2.bytes, err)
	}
}

func TestImportThroughAServerRefusesWhatLocalRefuses(t *testing.T) {
	ctx := context.Background()
	srv := newRepo(t)
	rs, _ := serve(t, srv)
	dir := t.TempDir()
	src := filepath.Join(dir, "cells.ome.tif")
	writeOME(t, src)
	// A dataset that does not exist: refused once, before anything is sent.
	_, err := importer.Run(ctx, srv.config(rs), []string{src}, importer.Options{Dataset: core.Ref{Class: core.Dataset, ID: 99999}}, nil)
	if !core.Is(core.NotFound, err) {
		t.Fatalf("import into a missing dataset: %v", err)
	}
	// In-place transfers make no sense against a server.
	if _, err := importer.Run(ctx, srv.config(rs), []string{src}, importer.Options{Transfer: importer.Symlink}, nil); !core.Is(core.Invalid, err) {
		t.Fatalf("--transfer symlink against a server: %v", err)
	}
	// A file no reader accepts fails alone; the others import.
	bad := filepath.Join(dir, "broken.ome.tif")
	os.WriteFile(bad, []byte("II*\x00not really a TIFF"), 0o644)
	sum, err := importer.Run(ctx, srv.config(rs), []string{bad, src}, importer.Options{}, nil)
	if err == nil || sum.Imported != 1 || sum.Failed != 1 || sum.Results[0].Error == "" {
		t.Fatalf("a broken file among good ones: %+v %v", sum, err)
	}
	if left, _ := os.ReadDir(filepath.Join(srv.dir, "uploads")); len(left) > 1 {
		t.Fatalf("%d uploads left on the server", len(left))
	}
}

// TestImportThroughAServerRealFiles imports real multi-file OME-TIFF and
// OME-Zarr data through a server and compares with a local import.
func TestImportThroughAServerRealFiles(t *testing.T) {
	real := realdata.Dir(t)
	for _, tc := range []struct{ name, path string }{
		{"multi-file OME-TIFF", filepath.Join(real, "ome-tiff", "ome-multifile")},
		{"OME-Zarr folder", filepath.Join(real, "ome-zarr", "bf2raw", "fake-series-2.zarr")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := os.Stat(tc.path); err != nil {
				t.Skipf("%s not found", tc.path)
			}
			ctx := context.Background()
			local := newRepo(t)
			lrec := &recorder{}
			lsum, err := importer.Run(ctx, local.config(local.sess), []string{tc.path}, importer.Options{FolderAsDataset: true}, lrec)
			if err != nil {
				t.Fatalf("local: %v %+v", err, lsum)
			}
			srv := newRepo(t)
			rs, cut := serve(t, srv)
			cut.cut[2] = true
			rec := &recorder{}
			sum, err := importer.Run(ctx, srv.config(rs), []string{tc.path}, importer.Options{FolderAsDataset: true}, rec)
			if err != nil {
				t.Fatalf("remote: %v %+v", err, sum)
			}
			if len(sum.Results) != len(lsum.Results) || sum.Imported != lsum.Imported {
				t.Fatalf("remote %+v, local %+v", sum, lsum)
			}
			for i := range sum.Results {
				if len(sum.Results[i].Images) != len(lsum.Results[i].Images) {
					t.Fatalf("unit %d: %d images remotely, %d locally", i, len(sum.Results[i].Images), len(lsum.Results[i].Images))
				}
				for j := range sum.Results[i].Images {
					sameImage(t, local.sess, lsum.Results[i].Images[j], srv.sess, sum.Results[i].Images[j])
				}
			}
			if rec.created[0].Class != core.Dataset || len(rec.created) != len(lrec.created) {
				t.Fatalf("created %v remotely, %v locally", rec.created, lrec.created)
			}
			ds, err := srv.sess.Get(ctx, rec.created[0])
			lds, lerr := local.sess.Get(ctx, lrec.created[0])
			if err != nil || lerr != nil || ds.Name != lds.Name {
				t.Fatalf("dataset %q (%v), locally %q (%v)", ds.Name, err, lds.Name, lerr)
			}
		})
	}
}

// TestServeImportReadsOnlyUploadedFiles: a unit whose reader names a
// companion that was not uploaded with it is refused, even when a file of
// that name lies beside the staged ones on the server.
func TestServeImportReadsOnlyUploadedFiles(t *testing.T) {
	real := realdata.Dir(t)
	src := filepath.Join(real, "ome-tiff", "ome-multifile")
	if _, err := os.Stat(src); err != nil {
		t.Skip("multi-file OME-TIFF not found")
	}
	srv := newRepo(t)
	staged := t.TempDir()
	all, _ := os.ReadDir(src)
	for _, e := range all {
		n := e.Name()
		b, err := os.ReadFile(filepath.Join(src, n))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(staged, n), b, 0o600)
	}
	st, _ := os.Stat(filepath.Join(staged, "multifile-Z1.ome.tiff"))
	req := core.UploadedImport{Main: "multifile-Z1.ome.tiff", Dir: staged,
		Files: []core.UploadedFile{{Name: "multifile-Z1.ome.tiff", Size: st.Size(), Path: filepath.Join(staged, "multifile-Z1.ome.tiff")}}}
	_, err := importer.ServeImport(srv.config(nil))(context.Background(), srv.sess, req)
	if !core.Is(core.Invalid, err) || !strings.Contains(err.Error(), "not uploaded with it") || strings.Contains(err.Error(), staged) {
		t.Fatalf("a companion that was not uploaded: %v", err)
	}
	// A companion missing altogether is said without the server's folders.
	os.Remove(filepath.Join(staged, "multifile.companion.ome"))
	_, err = importer.ServeImport(srv.config(nil))(context.Background(), srv.sess, req)
	if err == nil || strings.Contains(err.Error(), staged) {
		t.Fatalf("a missing companion: %v", err)
	}
	if n, _ := srv.sess.List(context.Background(), core.Image, core.AnyID, core.AnyID); len(n) != 0 {
		t.Fatalf("%d images were registered", len(n))
	}
}
