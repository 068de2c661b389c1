package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// sharedFixture is two server instances over one repository and one
// upload folder, as behind a load balancer.
type sharedFixture struct {
	*uploadFixture
	a, b http.Handler
}

func newSharedFixture(t *testing.T) *sharedFixture {
	f := newUploadFixture(t, Limits{})
	a := f.h
	f.restart()
	return &sharedFixture{uploadFixture: f, a: a, b: f.h}
}

// on sends the next requests to instance h.
func (f *sharedFixture) on(h http.Handler) *sharedFixture {
	f.h = h
	return f
}

func TestUploadContinuesOnAnotherInstance(t *testing.T) {
	f := newSharedFixture(t)
	id := f.on(f.a).create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA, "b.ome.tif": fileB}, "a.ome.tif"))
	if code, body := f.put(f.ada, id, 0, 0, fileA[:600]); code != 200 {
		t.Fatalf("first chunk on A: %d %s", code, body)
	}
	if st := f.on(f.b).status(f.ada, id); st.State != "open" || st.Received[0] != 600 {
		t.Fatalf("B sees %+v, want the 600 bytes A took", st)
	}
	if code, body := f.put(f.ada, id, 0, 600, fileA[600:]); code != 200 {
		t.Fatalf("the rest on B: %d %s", code, body)
	}
	// A client that retries a chunk A has already taken through B is
	// told where the file ends, and nothing is written twice.
	code, body := f.on(f.a).put(f.ada, id, 0, 600, fileA[600:])
	if code != http.StatusConflict || !strings.Contains(body, "continue at offset 1400") {
		t.Fatalf("a stale chunk on A: %d %s", code, body)
	}
	if code, body := f.put(f.ada, id, 1, 0, fileB); code != 200 {
		t.Fatalf("second file on A: %d %s", code, body)
	}
	var st wire.UploadStatus
	if code := f.on(f.b).doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &st); code != 200 || st.State != "imported" {
		t.Fatalf("import on B: %d %+v", code, st)
	}
	if st := f.on(f.a).status(f.ada, id); st.State != "imported" || st.Result == nil {
		t.Fatalf("A sees %+v after B imported", st)
	}
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &st); code != 200 || st.State != "imported" {
		t.Fatalf("asking A to import again: %d %+v", code, st)
	}
	if len(f.imported) != 1 || string(f.imported[0]["a.ome.tif"]) != string(fileA) {
		t.Fatalf("imported %d times, want once with the whole file", len(f.imported))
	}
	// Deleted on one, gone on the other.
	if code := f.on(f.b).doJSON(f.ada, "DELETE", up+"/"+id, nil, nil); code != http.StatusNoContent {
		t.Fatalf("delete on B: %d", code)
	}
	if code := f.on(f.a).doJSON(f.ada, "GET", up+"/"+id, nil, nil); code != http.StatusNotFound {
		t.Fatalf("A answers %d for an upload deleted on B", code)
	}
}

func TestUploadImportRunsOnceAcrossInstances(t *testing.T) {
	f := newSharedFixture(t)
	old := importWait
	importWait = time.Millisecond
	t.Cleanup(func() { importWait = old })
	release, started := make(chan struct{}), make(chan struct{})
	f.importFn = func(core.UploadedImport) (core.UploadedResult, error) {
		close(started)
		<-release
		return core.UploadedResult{Fileset: core.Ref{Class: core.Fileset, ID: 9}}, nil
	}
	id := f.on(f.a).create(f.ada, declare(map[string][]byte{"a.ome.tif": fileA}, "a.ome.tif"))
	f.put(f.ada, id, 0, 0, fileA)
	var st wire.UploadStatus
	if code := f.doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &st); code != http.StatusAccepted {
		t.Fatalf("import on A: %d %+v", code, st)
	}
	<-started
	if code := f.on(f.b).doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &st); code != http.StatusAccepted || st.State != "importing" {
		t.Fatalf("import on B while A imports: %d %+v", code, st)
	}
	if st := f.status(f.ada, id); st.State != "importing" {
		t.Fatalf("B says %q while A imports", st.State)
	}
	if code := f.doJSON(f.ada, "DELETE", up+"/"+id, nil, nil); code != http.StatusConflict {
		t.Fatalf("delete on B while A imports: %d", code)
	}
	close(release)
	importWait = time.Minute
	if code := f.on(f.a).doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &st); code != 200 || st.Result.Fileset.ID != 9 {
		t.Fatalf("A's answer: %d %+v", code, st)
	}
	if code := f.on(f.b).doJSON(f.ada, "POST", up+"/"+id+"/import", nil, &st); code != 200 || st.Result.Fileset.ID != 9 {
		t.Fatalf("B's answer after A imported: %d %+v", code, st)
	}
	if len(f.imported) != 1 {
		t.Fatalf("the import ran %d times", len(f.imported))
	}
}
