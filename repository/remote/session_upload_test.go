package remote

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// faultTransport cuts or damages chosen PUT requests on their way, as a
// dropped connection or a bad link would, and counts what went by.
type faultTransport struct {
	base http.RoundTripper
	mu   sync.Mutex
	puts int
	gets int
	// fault, when set, may change PUT number n (from 1): it returns the
	// body to send instead and whether to fail after sending it.
	fault func(n int, body []byte) ([]byte, bool)
}

type failAfter struct{ r io.Reader }

func (f *failAfter) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset by the test")
	}
	return n, err
}

func (t *faultTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/uploads/") {
		t.gets++
	}
	if r.Method != http.MethodPut || t.fault == nil {
		t.mu.Unlock()
		return t.base.RoundTrip(r)
	}
	t.puts++
	n := t.puts
	t.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	send, cut := t.fault(n, body)
	r2 := r.Clone(r.Context())
	r2.GetBody = nil
	if cut {
		r2.Body = io.NopCloser(&failAfter{bytes.NewReader(send)})
	} else {
		r2.Body = io.NopCloser(bytes.NewReader(send))
	}
	return t.base.RoundTrip(r2)
}

type uploadEnv struct {
	sess     *Session
	tr       *faultTransport
	dir      string
	mu       sync.Mutex
	imported [][]byte
}

func newUploadEnv(t *testing.T) *uploadEnv {
	t.Helper()
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{g.ID}}); err != nil {
		t.Fatal(err)
	}
	e := &uploadEnv{dir: filepath.Join(t.TempDir(), "uploads")}
	srv := server.New(server.Config{Service: svc, UploadDir: e.dir, Limits: server.Limits{MaxChunk: 64 << 10},
		Import: func(ctx context.Context, sess core.Session, req core.UploadedImport) (core.UploadedResult, error) {
			b, err := os.ReadFile(req.Files[0].Path)
			if err != nil {
				return core.UploadedResult{}, err
			}
			e.mu.Lock()
			e.imported = append(e.imported, b)
			e.mu.Unlock()
			return core.UploadedResult{Fileset: core.Ref{Class: core.Fileset, ID: 9}}, nil
		}})
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(ts.Close)
	e.tr = &faultTransport{base: ts.Client().Transport}
	rs, err := Dial(ctx, ts.URL, Options{Transport: e.tr})
	if err != nil {
		t.Fatal(err)
	}
	s, err := rs.Login(ctx, "ada", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	e.sess = s.(*Session)
	old := uploadBackoff
	uploadBackoff = func(n int) time.Duration { return time.Duration(n) * 50 * time.Millisecond }
	t.Cleanup(func() { uploadBackoff = old })
	return e
}

func testFile(t *testing.T, size int) (string, []byte) {
	b := make([]byte, size)
	rand.New(rand.NewSource(int64(size))).Read(b)
	p := filepath.Join(t.TempDir(), "cells.ome.tif")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, b
}

func unitOf(path string, size int) core.UploadedImport {
	return core.UploadedImport{Main: "cells.ome.tif", Files: []core.UploadedFile{{Name: "cells.ome.tif", Size: int64(size), ClientPath: path, Path: path}}}
}

func TestImportUploadedResumesAfterACut(t *testing.T) {
	e := newUploadEnv(t)
	path, want := testFile(t, 300_000)
	// The second chunk is cut after 20,000 of its 65,536 bytes.
	e.tr.fault = func(n int, body []byte) ([]byte, bool) {
		if n == 2 {
			return body[:20_000], true
		}
		return body, false
	}
	var progressed int64
	res, err := e.sess.ImportUploaded(context.Background(), unitOf(path, len(want)), func(n int64) { progressed += n })
	if err != nil {
		t.Fatal(err)
	}
	if res.Fileset.ID != 9 || len(e.imported) != 1 || !bytes.Equal(e.imported[0], want) {
		t.Fatalf("result %+v; the server imported other bytes than the file's", res)
	}
	if progressed != int64(len(want)) {
		t.Fatalf("progress counted %d bytes of %d", progressed, len(want))
	}
	if e.tr.gets == 0 {
		t.Fatal("the client did not ask the server where to continue")
	}
	if entries, _ := os.ReadDir(e.dir); len(entries) != 1 {
		t.Fatalf("the upload folder holds %d uploads", len(entries))
	}
}

func TestImportUploadedSendsADamagedFileAgain(t *testing.T) {
	e := newUploadEnv(t)
	path, want := testFile(t, 100_000)
	// The first chunk arrives with a byte changed on the way.
	e.tr.fault = func(n int, body []byte) ([]byte, bool) {
		if n == 1 {
			bad := append([]byte(nil), body...)
			bad[10] ^= 0xff
			return bad, false
		}
		return body, false
	}
	if _, err := e.sess.ImportUploaded(context.Background(), unitOf(path, len(want)), nil); err != nil {
		t.Fatal(err)
	}
	if len(e.imported) != 1 || !bytes.Equal(e.imported[0], want) {
		t.Fatal("the damaged file was not sent again before the import")
	}
}

func TestImportUploadedGivesUpOnAFileThatKeepsArrivingDamaged(t *testing.T) {
	e := newUploadEnv(t)
	path, want := testFile(t, 1000)
	req := unitOf(path, len(want))
	req.Files[0].SHA256 = strings.Repeat("ab", 32) // the file changed after its checksum was taken
	_, err := e.sess.ImportUploaded(context.Background(), req, nil)
	if err == nil || !strings.Contains(err.Error(), "arrived damaged") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(e.dir); len(entries) != 0 {
		t.Fatalf("a failed upload left %d uploads on the server", len(entries))
	}
}

func TestImportUploadedCancelDeletesTheUpload(t *testing.T) {
	e := newUploadEnv(t)
	path, want := testFile(t, 300_000)
	ctx, cancel := context.WithCancel(context.Background())
	e.tr.fault = func(n int, body []byte) ([]byte, bool) {
		if n == 2 {
			cancel() // the user pressed Ctrl-C while the second chunk was sent
		}
		return body, false
	}
	_, err := e.sess.ImportUploaded(ctx, unitOf(path, len(want)), nil)
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if len(e.imported) != 0 {
		t.Fatal("a cancelled upload was imported")
	}
	if entries, _ := os.ReadDir(e.dir); len(entries) != 0 {
		t.Fatalf("a cancelled upload left %d uploads on the server", len(entries))
	}
}
