package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
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
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// uploadFixture is a server over a test repository with two users of one
// group, ada and bob, and an import function that records what it got.
type uploadFixture struct {
	t        *testing.T
	cfg      Config
	srv      *Server
	h        http.Handler
	ada, bob string // session keys
	mu       sync.Mutex
	imported []map[string][]byte // name -> content, per import
	importFn func(req core.UploadedImport) (core.UploadedResult, error)
}

func newUploadFixture(t *testing.T, l Limits) *uploadFixture {
	t.Helper()
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"ada", "bob"} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw", Groups: []core.ID{g.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	f := &uploadFixture{t: t}
	f.ada = testrepo.Login(t, svc, "ada", "pw").Key()
	f.bob = testrepo.Login(t, svc, "bob", "pw").Key()
	f.cfg = Config{Service: svc, UploadDir: filepath.Join(t.TempDir(), "uploads"), Limits: l,
		Import: func(ctx context.Context, sess core.Session, req core.UploadedImport) (core.UploadedResult, error) {
			got := map[string][]byte{}
			for _, file := range req.Files {
				b, err := os.ReadFile(file.Path)
				if err != nil {
					return core.UploadedResult{}, err
				}
				got[file.Name] = b
			}
			f.mu.Lock()
			f.imported = append(f.imported, got)
			fn := f.importFn
			f.mu.Unlock()
			if fn != nil {
				return fn(req)
			}
			return core.UploadedResult{Fileset: core.Ref{Class: core.Fileset, ID: 7}}, nil
		}}
	f.restart()
	return f
}

// restart makes a new Server over the same repository and upload folder,
// as after the process restarted.
func (f *uploadFixture) restart() {
	f.srv = New(f.cfg)
	f.h = f.srv.Handler()
}

// do sends one request as the user of key and returns the status and body.
func (f *uploadFixture) do(key, method, path string, body io.Reader, length int64) (int, []byte) {
	f.t.Helper()
	r := httptest.NewRequest(method, path, body)
	r.ContentLength = length
	if key != "" {
		r.Header.Set(wire.SessionHeader, key)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

func (f *uploadFixture) doJSON(key, method, path string, in, out any) int {
	f.t.Helper()
	var body io.Reader
	var n int64
	if in != nil {
		b, _ := json.Marshal(in)
		body, n = bytes.NewReader(b), int64(len(b))
	}
	code, b := f.do(key, method, path, body, n)
	if out != nil && code/100 == 2 {
		if err := json.Unmarshal(b, out); err != nil {
			f.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return code
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func declare(files map[string][]byte, main string) core.UploadedImport {
	req := core.UploadedImport{Main: main}
	for _, name := range []string{"a.ome.tif", "b.ome.tif", "img.zarr/.zattrs", "img.zarr/0/0.0"} {
		if b, ok := files[name]; ok {
			req.Files = append(req.Files, core.UploadedFile{Name: name, Size: int64(len(b)), SHA256: sum(b), ClientPath: "/data/" + name})
		}
	}
	return req
}

const up = "/ocular/v1/uploads"

func (f *uploadFixture) create(key string, req core.UploadedImport) string {
	f.t.Helper()
	var c wire.UploadCreated
	if code := f.doJSON(key, "POST", up, req, &c); code != http.StatusCreated {
		f.t.Fatalf("create: status %d", code)
	}
	return c.ID
}

func (f *uploadFixture) put(key, id string, n int, offset int64, b []byte) (int, string) {
	f.t.Helper()
	code, body := f.do(key, "PUT", up+"/"+id+"/files/"+itoa(n)+"?offset="+itoa(int(offset)), bytes.NewReader(b), int64(len(b)))
	return code, string(body)
}

func (f *uploadFixture) status(key, id string) wire.UploadStatus {
	f.t.Helper()
	var st wire.UploadStatus
	if code := f.doJSON(key, "GET", up+"/"+id, nil, &st); code != http.StatusOK {
		f.t.Fatalf("status: %d", code)
	}
	return st
}

var (
	fileA = bytes.Repeat([]byte("ocular upload "), 100) // 1400 bytes
	fileB = []byte("the companion file")
)

// cutReader yields n bytes of b then fails, as a dropped connection does.
type cutReader struct {
	b []byte
	n int
}

func (c *cutReader) Read(p []byte) (int, error) {
	if c.n == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	k := copy(p, c.b[:c.n])
	c.b, c.n = c.b[k:], c.n-k
	return k, nil
}

func TestUploadCutChunkKeepsItsPrefixAndResumes(t *testing.T) {
	f := newUploadFixture(t, Limits{MaxChunk: 1000})
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA, "b.ome.tif": fileB}, "a.ome.tif"))
	if code, body := f.put(f.ada, id, 0, 0, fileA[:1000]); code != 200 {
		t.Fatalf("first chunk: %d %s", code, body)
	}
	// The second chunk is cut after 250 of its 400 bytes.
	code, body := f.do(f.ada, "PUT", up+"/"+id+"/files/0?offset=1000", &cutReader{b: fileA[1000:], n: 250}, 400)
	if code/100 == 2 {
		t.Fatalf("a cut chunk answered %d %s", code, body)
	}
	st := f.status(f.ada, id)
	if st.State != "open" || st.Received[0] != 1250 || st.Received[1] != 0 {
		t.Fatalf("after the cut the server holds %v (%s), want [1250 0] open", st.Received, st.State)
	}
	// Importing now is refused: not everything arrived.
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, nil); code != http.StatusBadRequest {
		t.Fatalf("import of an incomplete upload: %d", code)
	}
	// After a restart the client asks again and continues where it ends.
	f.restart()
	st = f.status(f.ada, id)
	if st.Received[0] != 1250 {
		t.Fatalf("after a restart the server holds %v", st.Received)
	}
	if code, body := f.put(f.ada, id, 0, 1250, fileA[1250:]); code != 200 {
		t.Fatalf("resumed chunk: %d %s", code, body)
	}
	if code, body := f.put(f.ada, id, 1, 0, fileB); code != 200 {
		t.Fatalf("second file: %d %s", code, body)
	}
	var done wire.UploadStatus
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &done); code != 200 || done.State != "imported" || done.Result.Fileset.ID != 7 {
		t.Fatalf("import: %d %+v", code, done)
	}
	if got := f.imported[0]; !bytes.Equal(got["a.ome.tif"], fileA) || !bytes.Equal(got["b.ome.tif"], fileB) {
		t.Fatalf("the import read other bytes than were sent")
	}
	// Asking again (a client whose connection dropped) gets the same answer
	// and imports nothing more; the bytes are gone from the upload folder.
	var again wire.UploadStatus
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &again); code != 200 || again.Result.Fileset.ID != 7 || len(f.imported) != 1 {
		t.Fatalf("second import: %d %+v, %d imports", code, again, len(f.imported))
	}
	if _, err := os.Stat(filepath.Join(f.cfg.UploadDir, id, "data")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the data of an imported upload is still there: %v", err)
	}
}

func TestUploadRestartCutsUnrecordedBytes(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	if code, body := f.put(f.ada, id, 0, 0, fileA[:100]); code != 200 {
		t.Fatalf("chunk: %d %s", code, body)
	}
	// Bytes written but never recorded (a crash between write and record).
	data := filepath.Join(f.cfg.UploadDir, id, "data", "0")
	fh, _ := os.OpenFile(data, os.O_WRONLY|os.O_APPEND, 0)
	fh.Write([]byte("garbage"))
	fh.Close()
	f.restart()
	if st := f.status(f.ada, id); st.Received[0] != 100 {
		t.Fatalf("after a restart: %v", st.Received)
	}
	if fi, _ := os.Stat(data); fi.Size() != 100 {
		t.Fatalf("the data file keeps %d bytes, want the 100 recorded", fi.Size())
	}
}

func TestUploadChecksumMismatchKeepsUploadToResend(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA, "b.ome.tif": fileB}, "a.ome.tif"))
	bad := bytes.ToUpper(fileA)
	f.put(f.ada, id, 0, 0, bad)
	f.put(f.ada, id, 1, 0, fileB)
	code, body := f.do(f.ada, "POST", up+"/"+id+"/import", nil, 0)
	if code != http.StatusConflict || !strings.Contains(string(body), `\"a.ome.tif\" arrived damaged`) || strings.Contains(string(body), "b.ome.tif") {
		t.Fatalf("import of a damaged file: %d %s", code, body)
	}
	if len(f.imported) != 0 {
		t.Fatal("a damaged upload was imported")
	}
	st := f.status(f.ada, id)
	if st.State != "open" || st.Received[0] != 0 || st.Received[1] != int64(len(fileB)) {
		t.Fatalf("after the mismatch: %s %v; want the damaged file to be sent again", st.State, st.Received)
	}
	if code, body := f.put(f.ada, id, 0, 0, fileA); code != 200 {
		t.Fatalf("resend: %d %s", code, body)
	}
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, nil); code != 200 || len(f.imported) != 1 {
		t.Fatalf("import after resending: %d", code)
	}
}

func TestUploadRefusesNamesLeadingOut(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	for _, name := range []string{"../etc/passwd", "a/../../b", "/etc/passwd", "a\x00b", "", "a//b", "./a", `a\..\b`, "..", strings.Repeat("x", 300)} {
		req := core.UploadedImport{Main: "a", Files: []core.UploadedFile{{Name: name, Size: 1, SHA256: sum([]byte("x"))}}}
		var body []byte
		b, _ := json.Marshal(req)
		code, body := f.do(f.ada, "POST", up, bytes.NewReader(b), int64(len(b)))
		if code != http.StatusBadRequest || !strings.Contains(string(body), "name") {
			t.Errorf("name %q: %d %s", name, code, body)
		}
	}
	// The main name is held to the same rules, and must be one of the files.
	for _, main := range []string{"../a", "other.tif"} {
		req := declare(map[string][]byte{"a.ome.tif": fileA}, main)
		if code := f.doJSON(f.ada, "POST", up, req, nil); code != http.StatusBadRequest {
			t.Errorf("main %q: %d", main, code)
		}
	}
	// A name that is a file and the folder of another.
	req := core.UploadedImport{Main: "a", Files: []core.UploadedFile{{Name: "a", SHA256: sum(nil)}, {Name: "a/b", SHA256: sum(nil)}}}
	if code := f.doJSON(f.ada, "POST", up, req, nil); code != http.StatusBadRequest {
		t.Errorf("file and folder: %d", code)
	}
	if entries, _ := os.ReadDir(f.cfg.UploadDir); len(entries) != 0 {
		t.Fatalf("refused declarations left %d entries in the upload folder", len(entries))
	}
}

func TestUploadBounds(t *testing.T) {
	f := newUploadFixture(t, Limits{MaxChunk: 512, MaxUploadFiles: 2, MaxUploadBytes: 2000})
	three := core.UploadedImport{Main: "a", Files: []core.UploadedFile{{Name: "a", SHA256: sum(nil)}, {Name: "b", SHA256: sum(nil)}, {Name: "c", SHA256: sum(nil)}}}
	if code := f.doJSON(f.ada, "POST", up, three, nil); code != http.StatusBadRequest {
		t.Errorf("too many files: %d", code)
	}
	big := core.UploadedImport{Main: "a", Files: []core.UploadedFile{{Name: "a", Size: 2001, SHA256: sum(nil)}}}
	if code := f.doJSON(f.ada, "POST", up, big, nil); code != http.StatusBadRequest {
		t.Errorf("file over the bound: %d", code)
	}
	neg := core.UploadedImport{Main: "a", Files: []core.UploadedFile{{Name: "a", Size: -1, SHA256: sum(nil)}}}
	if code := f.doJSON(f.ada, "POST", up, neg, nil); code != http.StatusBadRequest {
		t.Errorf("negative size: %d", code)
	}
	both := core.UploadedImport{Main: "a", Files: []core.UploadedFile{{Name: "a", Size: 1500, SHA256: sum(nil)}, {Name: "b", Size: 1500, SHA256: sum(nil)}}}
	if code := f.doJSON(f.ada, "POST", up, both, nil); code != http.StatusBadRequest {
		t.Errorf("files over the bound together: %d", code)
	}
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	code, body := f.put(f.ada, id, 0, 0, fileA[:513])
	if code != http.StatusBadRequest || !strings.Contains(body, "more than the 512") {
		t.Fatalf("oversize chunk: %d %s", code, body)
	}
	code, body = f.put(f.ada, id, 0, 100, fileA[:100])
	if code != http.StatusConflict || !strings.Contains(body, "continue at offset 0") {
		t.Fatalf("chunk at the wrong offset: %d %s", code, body)
	}
	f.put(f.ada, id, 0, 0, fileA[:512])
	f.put(f.ada, id, 0, 512, fileA[512:1024])
	code, body = f.put(f.ada, id, 0, 1024, bytes.Repeat([]byte("x"), 500))
	if code != http.StatusBadRequest || !strings.Contains(body, "goes past") {
		t.Fatalf("chunk past the declared size: %d %s", code, body)
	}
	code, body = f.put(f.ada, id, 5, 0, fileA[:10])
	if code != http.StatusBadRequest {
		t.Fatalf("chunk of an undeclared file: %d %s", code, body)
	}
	if st := f.status(f.ada, id); st.Received[0] != 1024 {
		t.Fatalf("refused chunks changed the upload: %v", st.Received)
	}
}

func TestUploadOfAnotherUserIsNotFound(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	missing := strings.Repeat("0", 32)
	for _, probe := range []struct{ method, suffix string }{{"GET", ""}, {"PUT", "/files/0?offset=0"}, {"POST", "/import"}, {"DELETE", ""}} {
		var body io.Reader
		var n int64
		if probe.method == "PUT" {
			body, n = bytes.NewReader(fileA[:10]), 10
		}
		code, got := f.do(f.bob, probe.method, up+"/"+id+probe.suffix, body, n)
		if probe.method == "PUT" {
			body = bytes.NewReader(fileA[:10])
		}
		wantCode, want := f.do(f.bob, probe.method, up+"/"+missing+probe.suffix, body, n)
		if code != http.StatusNotFound || code != wantCode || !bytes.Equal(got, want) {
			t.Errorf("%s by another user: %d %s; a missing upload: %d %s", probe.method, code, got, wantCode, want)
		}
	}
	if code := f.doJSON("", "GET", up+"/"+id, nil, nil); code != http.StatusForbidden {
		t.Errorf("without a session: %d", code)
	}
	if st := f.status(f.ada, id); st.State != "open" || st.Received[0] != 0 {
		t.Fatalf("another user's requests changed the upload: %+v", st)
	}
}

func TestUploadsPerSessionLimit(t *testing.T) {
	f := newUploadFixture(t, Limits{UploadsPerSession: 2})
	req := declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif")
	first := f.create(f.ada, req)
	f.create(f.ada, req)
	code, body := f.do(f.ada, "POST", up, bytes.NewReader(mustJSON(req)), int64(len(mustJSON(req))))
	if code != http.StatusConflict || !strings.Contains(string(body), "2 uploads open") {
		t.Fatalf("third upload: %d %s", code, body)
	}
	// Another session is not held by ada's.
	f.create(f.bob, req)
	if code := f.doJSON(f.ada, "DELETE", up+"/"+first, nil, nil); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	f.create(f.ada, req)
	if code := f.doJSON(f.ada, "GET", up+"/"+first, nil, nil); code != http.StatusNotFound {
		t.Fatalf("a deleted upload answers %d", code)
	}
}

func TestUploadsIdleAWhileNoLongerHoldTheSession(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := newUploadFixture(t, Limits{UploadsPerSession: 1})
	f.cfg.Now = func() time.Time { return now }
	f.restart()
	req := declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif")
	killed := f.create(f.ada, req) // its client was killed: no DELETE came
	if code := f.doJSON(f.ada, "POST", up, req, nil); code != http.StatusConflict {
		t.Fatalf("second upload at once: %d", code)
	}
	now = now.Add(uploadActive + time.Minute)
	f.create(f.ada, req)
	if st := f.status(f.ada, killed); st.State != "open" {
		t.Fatalf("the idle upload is %s, want it still resumable", st.State)
	}
}

func TestAbandonedUploadsAreSwept(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := newUploadFixture(t, Limits{UploadIdle: time.Hour})
	f.cfg.Now = func() time.Time { return now }
	f.restart()
	req := declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif")
	old := f.create(f.ada, req)
	now = now.Add(2 * time.Hour)
	f.create(f.bob, req) // any new upload sweeps
	if code := f.doJSON(f.ada, "GET", up+"/"+old, nil, nil); code != http.StatusNotFound {
		t.Fatalf("an abandoned upload answers %d", code)
	}
	if _, err := os.Stat(filepath.Join(f.cfg.UploadDir, old)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("an abandoned upload's folder is still there: %v", err)
	}
}

func TestUploadFilesArePrivate(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	f.put(f.ada, id, 0, 0, fileA[:10])
	filepath.WalkDir(filepath.Join(f.cfg.UploadDir, id), func(p string, d fs.DirEntry, err error) error {
		fi, _ := d.Info()
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
}

func TestUploadImportFailureEndsUpload(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	f.importFn = func(core.UploadedImport) (core.UploadedResult, error) {
		return core.UploadedResult{}, core.Errorf("import", core.Invalid, "the file is not a TIFF")
	}
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	f.put(f.ada, id, 0, 0, fileA)
	for i := 0; i < 2; i++ {
		code, body := f.do(f.ada, "POST", up+"/"+id+"/import", nil, 0)
		if code != http.StatusBadRequest || !strings.Contains(string(body), "not a TIFF") {
			t.Fatalf("import %d of an unreadable file: %d %s", i, code, body)
		}
	}
	if len(f.imported) != 1 {
		t.Fatalf("the import ran %d times", len(f.imported))
	}
	// A failure that another try may cure keeps the upload.
	f.importFn = func(core.UploadedImport) (core.UploadedResult, error) {
		return core.UploadedResult{}, core.Errorf("import", core.IO, "the disk is full")
	}
	id = f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	f.put(f.ada, id, 0, 0, fileA)
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, nil); code != http.StatusServiceUnavailable {
		t.Fatalf("import on a full disk: %d", code)
	}
	f.importFn = nil
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, nil); code != http.StatusOK {
		t.Fatalf("import once the disk has room: %d", code)
	}
}

func TestUploadsRefusedWithoutImport(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	f.cfg.Import = nil
	f.restart()
	if code := f.doJSON(f.ada, "POST", up, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"), nil); code != http.StatusUnsupportedMediaType {
		t.Fatalf("upload to a server without import: %d", code)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestUploadDeletedDuringAChunk(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		code, _ := f.do(f.ada, "PUT", up+"/"+id+"/files/0?offset=0", pr, int64(len(fileA)))
		done <- code
	}()
	// Once the handler has read these bytes the chunk is being received.
	pw.Write(fileA[:100])
	if code := f.doJSON(f.ada, "DELETE", up+"/"+id, nil, nil); code != http.StatusNoContent {
		t.Fatalf("delete during a chunk: %d", code)
	}
	if code := f.doJSON(f.ada, "GET", up+"/"+id, nil, nil); code != http.StatusNotFound {
		t.Fatalf("a deleted upload answers %d", code)
	}
	pw.CloseWithError(errors.New("the client went away"))
	if code := <-done; code != http.StatusNotFound {
		t.Fatalf("the chunk of a deleted upload answered %d", code)
	}
	if _, err := os.Stat(filepath.Join(f.cfg.UploadDir, id)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a deleted upload's folder is still there: %v", err)
	}
}

func TestUploadImportStillRunningAnswers202ThenTheResult(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	old := importWait
	importWait = time.Millisecond
	t.Cleanup(func() { importWait = old })
	release := make(chan struct{})
	f.importFn = func(core.UploadedImport) (core.UploadedResult, error) {
		<-release
		return core.UploadedResult{Fileset: core.Ref{Class: core.Fileset, ID: 8}}, nil
	}
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	f.put(f.ada, id, 0, 0, fileA)
	var st wire.UploadStatus
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &st); code != http.StatusAccepted || st.State != "importing" {
		t.Fatalf("a running import: %d %+v", code, st)
	}
	if code, body := f.put(f.ada, id, 0, 0, fileA[:1]); code != http.StatusConflict {
		t.Fatalf("a chunk during the import: %d %s", code, body)
	}
	importWait = time.Minute
	close(release)
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &st); code != 200 || st.Result.Fileset.ID != 8 {
		t.Fatalf("asking again: %d %+v", code, st)
	}
	if len(f.imported) != 1 {
		t.Fatalf("the import ran %d times", len(f.imported))
	}
}

func TestUploadDeleteStopsARunningImport(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	old := importWait
	importWait = time.Millisecond
	t.Cleanup(func() { importWait = old })
	var stopped error
	started := make(chan struct{})
	f.cfg.Import = func(ctx context.Context, _ core.Session, _ core.UploadedImport) (core.UploadedResult, error) {
		close(started)
		<-ctx.Done() // an import that rolls back when stopped
		stopped = ctx.Err()
		return core.UploadedResult{}, core.E("import", core.Other, ctx.Err())
	}
	f.restart()
	id := f.create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	f.put(f.ada, id, 0, 0, fileA)
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, nil); code != http.StatusAccepted {
		t.Fatalf("import: %d", code)
	}
	// The checksums are checked first; delete once the import itself runs.
	<-started
	if code := f.doJSON(f.ada, "DELETE", up+"/"+id, nil, nil); code != http.StatusNoContent {
		t.Fatalf("delete during the import: %d", code)
	}
	if !errors.Is(stopped, context.Canceled) {
		t.Fatalf("the import was not stopped: %v", stopped)
	}
	if _, err := os.Stat(filepath.Join(f.cfg.UploadDir, id)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the upload's folder is still there: %v", err)
	}
}

func TestUploadBiggerThanTheFreeSpaceIsRefusedAtOnce(t *testing.T) {
	f := newUploadFixture(t, Limits{MaxUploadBytes: 1 << 62})
	os.MkdirAll(f.cfg.UploadDir, 0o700)
	free, ok := freeSpace(f.cfg.UploadDir)
	if !ok {
		t.Skip("the free space of this file system cannot be known here")
	}
	req := core.UploadedImport{Main: "a", Files: []core.UploadedFile{{Name: "a", Size: free + 1<<30, SHA256: sum(nil)}}}
	code, body := f.do(f.ada, "POST", up, bytes.NewReader(mustJSON(req)), int64(len(mustJSON(req))))
	if code != http.StatusServiceUnavailable || !strings.Contains(string(body), "has room for") {
		t.Fatalf("an upload bigger than the disk: %d %s", code, body)
	}
	if entries, _ := os.ReadDir(f.cfg.UploadDir); len(entries) != 0 {
		t.Fatalf("a refused upload left %d entries", len(entries))
	}
}
