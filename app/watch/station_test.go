package watch_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/watch"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

func writeOME(t *testing.T, path string) {
	t.Helper()
	s := formats.Series{Name: filepath.Base(path), SizeX: 32, SizeY: 32, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: pixel.Uint8}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	err := ome.WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) { return pixel.NewPlane(pixel.Uint8, 32, 32) }, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

type env struct {
	svc    *inprocess.Service
	repo   string
	inbox  string
	cfg    *watch.Config
	facil  core.Session // the station's user: a facility admin
	groupA core.Group
	// wrap, when set, stands between the station and the real import (a
	// file that crashes or hangs it).
	wrapImport func(watch.ImportFunc) watch.ImportFunc
}

func (e *env) wrap(f watch.ImportFunc) watch.ImportFunc {
	if e.wrapImport == nil {
		return f
	}
	return e.wrapImport(f)
}

func setup(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{inbox: t.TempDir()}
	e.svc, e.repo = testrepo.New(t)
	root := testrepo.Root(t, e.svc)
	e.groupA, _ = root.CreateGroup(ctx, "AG_1234", core.ReadAnnotate, "")
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "facility", Password: "pw", Groups: []core.ID{e.groupA.ID}, Admin: true,
		Privileges: []core.Privilege{core.PrivWriteOwned, core.PrivWriteManagedRepo}}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "marie", Password: "pw", Groups: []core.ID{e.groupA.ID}}); err != nil {
		t.Fatal(err)
	}
	e.cfg = &watch.Config{Station: "confocal", Quiet: 10 * time.Second, Retries: 2, Backoff: time.Minute, Timeout: watch.DefaultTimeout,
		Rules: []watch.Rule{{Folder: e.inbox, Group: "AG_1234", Owner: "marie", Target: "dataset", Name: "{1}", Transfer: "copy"}}}
	return e
}

func (e *env) station(t *testing.T) *watch.Station {
	t.Helper()
	ctx := context.Background()
	sess, err := e.svc.Login(ctx, "facility", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	open := func(p string) (formats.Reader, error) { return ome.Open(p) }
	st, err := watch.New(ctx, e.cfg, watch.Deps{
		Session:   sess,
		Supported: func(p string) bool { return strings.HasSuffix(p, ".ome.tiff") },
		Import:    e.wrap(watch.InProcess(importer.Config{Session: sess, Open: open})),
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStationImportsCompleteFilesExactlyOnceAcrossRestarts(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	writeOME(t, filepath.Join(e.inbox, "exp-7", "cells.ome.tiff"))
	os.WriteFile(filepath.Join(e.inbox, "exp-7", "still-copying.ome.tiff.part"), []byte("partial"), 0o644)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

	st := e.station(t)
	rep, err := st.Tick(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Imported) != 0 || rep.Pending != 1 {
		t.Fatalf("first sight must wait for the quiet period: %+v", rep)
	}
	rep, _ = st.Tick(ctx, t0.Add(5*time.Second))
	if len(rep.Imported) != 0 {
		t.Fatalf("imported before the quiet period ended: %+v", rep)
	}
	rep, _ = st.Tick(ctx, t0.Add(11*time.Second))
	if len(rep.Imported) != 1 {
		t.Fatalf("a settled file must be imported: %+v", rep)
	}
	// It went into marie's dataset named after the subfolder, in AG_1234.
	marie, _ := e.svc.Login(ctx, "marie", "pw", "")
	dss, _ := marie.List(ctx, core.Dataset, core.AnyID, e.groupA.ID)
	if len(dss) != 1 || dss[0].Name != "exp-7" || dss[0].OwnerName != "marie" {
		t.Fatalf("datasets: %+v", dss)
	}
	tree, _ := marie.Browse(ctx, core.BrowseRequest{Group: e.groupA.ID, Parent: dss[0].Ref})
	if len(tree) != 1 || tree[0].Owner != dss[0].Owner {
		t.Fatalf("dataset content: %+v", tree)
	}

	// A restarted station remembers: nothing is imported twice.
	st2 := e.station(t)
	rep, _ = st2.Tick(ctx, t0.Add(time.Hour))
	rep, _ = st2.Tick(ctx, t0.Add(2*time.Hour))
	if len(rep.Imported) != 0 {
		t.Fatalf("imported again after restart: %+v", rep)
	}
	recs, _ := marie.WatchRecords(ctx, "confocal")
	if len(recs) != 0 {
		t.Fatalf("marie does not run the station and must not see its records: %+v", recs)
	}
	fac, _ := e.svc.Login(ctx, "facility", "pw", "")
	recs, _ = fac.WatchRecords(ctx, "confocal")
	if len(recs) != 1 || recs[0].Status != core.WatchImported || !strings.HasPrefix(recs[0].Result, "Image:") {
		t.Fatalf("records: %+v", recs)
	}
}

func TestStationRetriesWithBackoffThenReportsFailure(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	bad := filepath.Join(e.inbox, "broken.ome.tiff")
	os.WriteFile(bad, []byte("II*\x00 this is not really a TIFF"), 0o644)
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	st := e.station(t)
	st.Tick(ctx, t0)
	rep, _ := st.Tick(ctx, t0.Add(11*time.Second)) // attempt 1 fails
	if len(rep.Failed) != 0 || rep.Pending != 1 {
		t.Fatalf("first failure should be retried: %+v", rep)
	}
	rep, _ = st.Tick(ctx, t0.Add(30*time.Second)) // still backing off (1 min)
	if len(rep.Failed) != 0 {
		t.Fatalf("retried before the back-off: %+v", rep)
	}
	rep, _ = st.Tick(ctx, t0.Add(2*time.Minute)) // attempt 2 = Retries: final
	if len(rep.Failed) != 1 {
		t.Fatalf("want a final failure: %+v", rep)
	}
	fac, _ := e.svc.Login(ctx, "facility", "pw", "")
	recs, _ := fac.WatchRecords(ctx, "confocal")
	if len(recs) != 1 || recs[0].Status != core.WatchFailed || recs[0].Attempts != 2 || recs[0].LastError == "" {
		t.Fatalf("records: %+v", recs)
	}
	// Replacing the file with a good one (new size and time) imports it.
	os.Remove(bad)
	writeOME(t, bad)
	st.Tick(ctx, t0.Add(3*time.Minute))
	rep, _ = st.Tick(ctx, t0.Add(4*time.Minute))
	if len(rep.Imported) != 1 {
		t.Fatalf("a fixed file should be imported: %+v", rep)
	}
}

func TestConfigAndTemplates(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "station.yml")
	os.WriteFile(p, []byte("station: s1\nrules:\n  - folder: "+dir+"\n    group: lab\n    name: \"{1}-{2}\"\n"), 0o644)
	c, err := watch.LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Quiet != 10*time.Second || c.Timeout != watch.DefaultTimeout || c.Rules[0].Transfer != "copy" || c.Rules[0].Target != "dataset" {
		t.Errorf("defaults: %+v", c)
	}
	now := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	if got := c.Rules[0].TargetName(filepath.Join(dir, "alice", "run3", "x.tif"), now); got != "alice-run3" {
		t.Errorf("template: %q", got)
	}
	if got := c.Rules[0].TargetName(filepath.Join(dir, "x.tif"), now); got != filepath.Base(dir) {
		t.Errorf("template fallback: %q", got)
	}
	os.WriteFile(p, []byte("station: s1\ntimeout: 90s\nrules:\n  - folder: /x\n    group: lab\n"), 0o644)
	if c, err := watch.LoadConfig(p); err != nil || c.Timeout != 90*time.Second {
		t.Errorf("timeout: %v %+v", err, c)
	}
	os.WriteFile(p, []byte("station: s1\nrules:\n  - folder: /x\n    group: lab\n    transfer: move\n"), 0o644)
	if _, err := watch.LoadConfig(p); err == nil || !strings.Contains(err.Error(), "transfer") {
		t.Errorf("bad transfer accepted: %v", err)
	}
	os.WriteFile(p, []byte("station: s1\nrulez: []\n"), 0o644)
	if _, err := watch.LoadConfig(p); err == nil {
		t.Errorf("unknown key accepted")
	}
}
