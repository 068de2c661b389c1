package remote_test

// The graph and rendering-settings routes end to end: a remote session must
// answer what the in-process session of the same user answers, jobs belong
// to their user, and a cancelled job (by the client or by the server's
// shutdown) changes nothing.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// rig is a served repository with a group of level, alice and bob in it
// (logged in in-process as local, and over the wire as remote).
type rig struct {
	t      *testing.T
	ctx    context.Context
	svc    core.Service
	root   core.Session
	srv    *server.Server
	ts     *httptest.Server
	rsvc   *remote.Service
	group  core.ID
	local  map[string]core.Session
	remote map[string]core.Session
	files  int
}

// newRig serves the repository; wrap, when not nil, wraps the service the
// server sees.
func newRig(t *testing.T, level core.Level, wrap func(core.Service) core.Service) *rig {
	t.Helper()
	ctx := context.Background()
	in, _ := testrepo.New(t)
	r := &rig{t: t, ctx: ctx, svc: in, local: map[string]core.Session{}, remote: map[string]core.Session{}}
	r.root = testrepo.Root(t, in)
	g, err := r.root.CreateGroup(ctx, "lab", level, "")
	r.must(err)
	r.group = g.ID
	served := core.Service(in)
	if wrap != nil {
		served = wrap(in)
	}
	r.srv = server.New(server.Config{Service: served})
	r.ts = httptest.NewTLSServer(r.srv.Handler())
	t.Cleanup(r.ts.Close)
	r.rsvc, err = remote.Dial(ctx, r.ts.URL, remote.Options{Transport: r.ts.Client().Transport, Fingerprint: remote.Fingerprint(r.ts.Certificate())})
	r.must(err)
	for _, u := range []string{"alice", "bob"} {
		_, err := r.root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw", Groups: []core.ID{g.ID}})
		r.must(err)
		r.local[u] = testrepo.Login(t, in, u, "pw")
		r.remote[u] = r.rsvc.SessionFromKey(r.local[u].Key())
	}
	return r
}

func (r *rig) must(err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) datasetWithImage(user string) (core.Ref, core.Ref) {
	r.t.Helper()
	s := r.local[user]
	d, err := s.Create(r.ctx, core.Dataset, map[string]string{"name": "D"})
	r.must(err)
	im, err := s.Create(r.ctx, core.Image, map[string]string{"name": "I"})
	r.must(err)
	_, err = s.Create(r.ctx, core.DatasetImageLink, map[string]string{"parent": d.Ref.String(), "child": im.Ref.String()})
	r.must(err)
	return d.Ref, im.Ref
}

// importImage registers an image with channels channels for user.
func (r *rig) importImage(user string, channels int) core.Ref {
	r.t.Helper()
	s := r.local[user]
	r.files++
	rel := fmt.Sprintf("t/%d/img.tif", r.files)
	p := filepath.Join(s.ManagedDir(), filepath.FromSlash(rel))
	r.must(os.MkdirAll(filepath.Dir(p), 0o755))
	r.must(os.WriteFile(p, []byte("x"), 0o644))
	px := core.PixelsInfo{SizeX: 8, SizeY: 8, SizeZ: 1, SizeC: channels, SizeT: 1, PixelType: "uint8", DimensionOrder: "XYZCT"}
	var chs []core.ChannelInfo
	for i := range channels {
		chs = append(chs, core.ChannelInfo{Index: i, Name: fmt.Sprintf("c%d", i), EmissionWavelength: float64(500 + 100*i), StatsMin: 1, StatsMax: 200, HasStats: true})
	}
	b, _ := json.Marshal(core.DefaultRendering(px, chs))
	res, err := s.RegisterFileset(r.ctx, core.FilesetImport{Owner: core.AnyID,
		Files:  []core.FilesetEntry{{ClientPath: "/c/" + rel, RepoPath: rel, Size: 1, Checksum: "x"}},
		Images: []core.NewImage{{Name: "img", Pixels: px, Channels: chs, Rendering: b}}})
	r.must(err)
	return res.Images[0]
}

// raw sends one request as user and returns the status and body.
func (r *rig) raw(user, method, path string) (int, string) {
	r.t.Helper()
	req, err := http.NewRequest(method, r.ts.URL+path, nil)
	r.must(err)
	req.Header.Set(wire.SessionHeader, r.local[user].Key())
	resp, err := r.ts.Client().Do(req)
	r.must(err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("%s over the wire:\n%s\nin-process:\n%s", what, g, w)
	}
}

func sameError(t *testing.T, what string, got, want error) {
	t.Helper()
	if core.KindOf(got) != core.KindOf(want) || core.UserMessage(got) != core.UserMessage(want) {
		t.Errorf("%s over the wire: %v (%s); in-process: %v (%s)", what, got, core.KindOf(got), want, core.KindOf(want))
	}
}

func target(ref core.Ref) []core.Target {
	return []core.Target{{Class: ref.Class, IDs: []core.ID{ref.ID}}}
}

func TestGraphOverTheWire(t *testing.T) {
	r := newRig(t, core.ReadAnnotate, nil)
	d, im := r.datasetWithImage("alice")

	plan := core.GraphRequest{Op: core.OpDelete, Targets: target(d)}
	got, err := r.remote["alice"].PlanGraph(r.ctx, plan)
	r.must(err)
	want, err := r.local["alice"].PlanGraph(r.ctx, plan)
	r.must(err)
	sameJSON(t, "the dry run of a delete", got, want)

	// A refused request: the same error and the same blockers.
	bobs := core.GraphRequest{Op: core.OpDelete, Targets: target(im)}
	gotP, gotErr := r.remote["bob"].PlanGraph(r.ctx, bobs)
	wantP, wantErr := r.local["bob"].PlanGraph(r.ctx, bobs)
	if wantErr == nil {
		t.Fatal("bob may delete alice's image in a read-annotate group in-process")
	}
	sameError(t, "bob plans to delete alice's image", gotErr, wantErr)
	sameJSON(t, "the blockers", gotP.Blockers, wantP.Blockers)
	_, gotErr = r.remote["bob"].RunGraph(r.ctx, bobs)
	sameError(t, "bob deletes alice's image", gotErr, wantErr)

	var done, total int
	run := core.GraphRequest{Op: core.OpDelete, Targets: target(d), Progress: func(d, t int) { done, total = d, t }}
	res, err := r.remote["alice"].RunGraph(r.ctx, run)
	r.must(err)
	if len(res.Processed) != len(want.Processed) || total == 0 || done != total {
		t.Errorf("the delete processed %v with progress %d/%d; want %v, ending at the total", res.Processed, done, total, want.Processed)
	}
	for _, ref := range []core.Ref{d, im} {
		if _, err := r.root.Get(r.ctx, ref); !core.Is(core.NotFound, err) {
			t.Errorf("%s is still there after the delete over the wire: %v", ref, err)
		}
	}

	// A hidden target answers like a missing one, as in-process.
	missing := core.GraphRequest{Op: core.OpDelete, Targets: target(core.Ref{Class: core.Dataset, ID: 99999})}
	_, gotErr = r.remote["alice"].RunGraph(r.ctx, missing)
	_, wantErr = r.local["alice"].RunGraph(r.ctx, missing)
	sameError(t, "delete a missing dataset", gotErr, wantErr)

	// RepairFiles is for administrators only.
	_, gotErr = r.remote["bob"].RepairFiles(r.ctx, 3600)
	_, wantErr = r.local["bob"].RepairFiles(r.ctx, 3600)
	if wantErr == nil {
		t.Fatal("bob may repair files in-process")
	}
	sameError(t, "bob repairs files", gotErr, wantErr)
	rep, err := r.rsvc.SessionFromKey(r.root.Key()).RepairFiles(r.ctx, 3600)
	r.must(err)
	if len(rep.Removed) != 0 {
		t.Errorf("a repair of a tidy repository removed %v", rep.Removed)
	}
}

func TestGraphJobsBelongToTheirUser(t *testing.T) {
	r := newRig(t, core.ReadWrite, nil)
	d, _ := r.datasetWithImage("alice")
	var st wire.JobStatus
	r.must(r.rsvc.Call(r.ctx, http.MethodPost, "/ocular/v1/jobs", r.local["alice"].Key(), 0,
		core.GraphRequest{Op: core.OpDelete, Targets: target(d)}, &st))
	path := "/ocular/v1/jobs/" + st.ID
	r.must(r.rsvc.Call(r.ctx, http.MethodGet, path+"?wait=20s", r.local["alice"].Key(), 0, nil, &st))
	for st.State == wire.JobRunning {
		r.must(r.rsvc.Call(r.ctx, http.MethodGet, fmt.Sprintf("%s?wait=20s&done=%d", path, st.Done), r.local["alice"].Key(), 0, nil, &st))
	}
	if st.State != wire.JobFinished || st.Result == nil {
		t.Fatalf("the job ended %s without a result: %+v", st.State, st)
	}

	// alice in another session of hers sees it; bob sees nothing.
	other := testrepo.Login(t, r.svc, "alice", "pw")
	r.local["alice2"] = other
	if code, body := r.raw("alice2", http.MethodGet, path); code != http.StatusOK {
		t.Errorf("alice's other session cannot see her job: %d %s", code, body)
	}
	hiddenCode, hiddenBody := r.raw("bob", http.MethodGet, path)
	missingCode, missingBody := r.raw("bob", http.MethodGet, "/ocular/v1/jobs/0123456789abcdef0123456789abcdef")
	if hiddenCode != http.StatusNotFound || hiddenCode != missingCode || hiddenBody != missingBody {
		t.Errorf("bob asking for alice's job gets %d %s; for a missing job %d %s", hiddenCode, hiddenBody, missingCode, missingBody)
	}
	if code, _ := r.raw("bob", http.MethodDelete, path); code != http.StatusNotFound {
		t.Errorf("bob can cancel alice's job: %d", code)
	}
	if code, body := r.raw("alice", http.MethodGet, path+"?wait=soon"); code != http.StatusBadRequest {
		t.Errorf("wait=soon answers %d %s, want 400", code, body)
	}
	// Deleting a finished job forgets it.
	if code, body := r.raw("alice", http.MethodDelete, path); code != http.StatusOK {
		t.Errorf("alice cannot forget her finished job: %d %s", code, body)
	}
	if code, _ := r.raw("alice", http.MethodGet, path); code != http.StatusNotFound {
		t.Errorf("a forgotten job still answers %d", code)
	}
}

// heldService holds every real graph run after its first progress report
// until its context ends, then runs it with that (cancelled) context, so a
// test cancels a job that is surely running.
type heldService struct{ core.Service }

func (h heldService) Resume(ctx context.Context, key string) (core.Session, error) {
	s, err := h.Service.Resume(ctx, key)
	return heldSession{s}, err
}

type heldSession struct{ core.Session }

func (h heldSession) RunGraph(ctx context.Context, req core.GraphRequest) (core.GraphResult, error) {
	if req.Progress != nil {
		req.Progress(1, 10)
	}
	<-ctx.Done()
	return h.Session.RunGraph(ctx, req)
}

func TestGraphJobCancelledByTheClient(t *testing.T) {
	r := newRig(t, core.ReadWrite, func(s core.Service) core.Service { return heldService{s} })
	d, im := r.datasetWithImage("alice")
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	req := core.GraphRequest{Op: core.OpDelete, Targets: target(d), Progress: func(done, total int) {
		if done > 0 {
			cancel() // the user pressed Cancel once the job was under way
		}
	}}
	_, err := r.remote["alice"].RunGraph(ctx, req)
	if err == nil {
		t.Fatal("a cancelled delete reports success")
	}
	for _, ref := range []core.Ref{d, im} {
		if _, err := r.root.Get(r.ctx, ref); err != nil {
			t.Errorf("%s is gone after a cancelled delete: %v", ref, err)
		}
	}
}

func TestShutdownCancelsRunningJobs(t *testing.T) {
	r := newRig(t, core.ReadWrite, func(s core.Service) core.Service { return heldService{s} })
	d, _ := r.datasetWithImage("alice")
	key := r.local["alice"].Key()
	var st wire.JobStatus
	r.must(r.rsvc.Call(r.ctx, http.MethodPost, "/ocular/v1/jobs", key, 0, core.GraphRequest{Op: core.OpDelete, Targets: target(d)}, &st))
	path := "/ocular/v1/jobs/" + st.ID
	for st.Done == 0 {
		r.must(r.rsvc.Call(r.ctx, http.MethodGet, path+"?wait=20s&done=0", key, 0, nil, &st))
	}
	ctx, stop := context.WithTimeout(r.ctx, time.Minute)
	defer stop()
	r.must(r.srv.Shutdown(ctx))
	r.must(r.rsvc.Call(r.ctx, http.MethodGet, path, key, 0, nil, &st))
	if st.State != wire.JobCancelled {
		t.Errorf("after the shutdown the job is %s, want cancelled", st.State)
	}
	if _, err := r.root.Get(r.ctx, d); err != nil {
		t.Errorf("the dataset is gone after a job cancelled by the shutdown: %v", err)
	}
	err := r.rsvc.Call(r.ctx, http.MethodPost, "/ocular/v1/jobs", key, 0, core.GraphRequest{Op: core.OpDelete, Targets: target(d)}, &st)
	if !core.Is(core.IO, err) {
		t.Errorf("a job started during the shutdown: %v", err)
	}
}
