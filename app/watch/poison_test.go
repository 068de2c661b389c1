package watch_test

import (
	"context"
	"fmt"
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
	"github.com/ocular-lab/ocular/internal/realdata"
)

// stationDied stands for the death of the station's process (a fatal
// error Go cannot recover from): the test recovers it where the process
// would have ended, and starts a new station as a supervisor would.
type stationDied struct{}

// tickUntilDeath runs one pass and reports whether the station died in it.
func tickUntilDeath(t *testing.T, st *watch.Station, now time.Time) (rep watch.Report, died bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stationDied); !ok {
				panic(r)
			}
			died = true
		}
	}()
	rep, err := st.Tick(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	return rep, false
}

func (e *env) records(t *testing.T) map[string]core.WatchRecord {
	t.Helper()
	fac, err := e.svc.Login(context.Background(), "facility", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := fac.WatchRecords(context.Background(), "confocal")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]core.WatchRecord{}
	for _, r := range recs {
		out[filepath.Base(r.Path)] = r
	}
	return out
}

func (e *env) imageCount(t *testing.T) int {
	t.Helper()
	marie, _ := e.svc.Login(context.Background(), "marie", "pw", "")
	imgs, err := marie.List(context.Background(), core.Image, core.AnyID, e.groupA.ID)
	if err != nil {
		t.Fatal(err)
	}
	return len(imgs)
}

// writeBatch puts the poison first (by name) and five good files after it.
func writeBatch(t *testing.T, dir string) {
	writeOME(t, filepath.Join(dir, "a-poison.ome.tiff"))
	for i := 1; i <= 5; i++ {
		writeOME(t, filepath.Join(dir, fmt.Sprintf("good-%d.ome.tiff", i)))
	}
}

func TestAFileThatKillsTheStationIsGivenUpAndTheFilesBesideItAreImported(t *testing.T) {
	e := setup(t)
	writeBatch(t, filepath.Join(e.inbox, "run"))
	e.wrapImport = func(f watch.ImportFunc) watch.ImportFunc {
		return func(ctx context.Context, job watch.Job) (watch.Outcome, error) {
			if strings.Contains(job.Path, "poison") {
				panic(stationDied{}) // the process dies in the middle of the import
			}
			return f(ctx, job)
		}
	}
	now := time.Now()
	st := e.station(t)
	tickUntilDeath(t, st, now)
	if _, died := tickUntilDeath(t, st, now.Add(11*time.Second)); !died {
		t.Fatal("the poison was not tried first")
	}
	if n := e.imageCount(t); n != 0 {
		t.Fatalf("%d images before any good file was reached", n)
	}
	// The restarted station finds the attempt open: a failed try. It
	// backs off the poison and imports the five.
	st = e.station(t)
	if r := e.records(t)["a-poison.ome.tiff"]; r.Attempts != 1 || r.Status != core.WatchPending || !strings.Contains(r.LastError, "crashed the station") {
		t.Fatalf("after one crash: %+v", r)
	}
	tickUntilDeath(t, st, now.Add(20*time.Second))
	rep, died := tickUntilDeath(t, st, now.Add(31*time.Second))
	if died || len(rep.Imported) != 5 {
		t.Fatalf("the good files beside the poison: died=%v %+v", died, rep)
	}
	// After the back-off the poison is tried again, kills the station
	// again, and that was its last try (retries: 2).
	if _, died := tickUntilDeath(t, st, now.Add(10*time.Minute)); !died {
		t.Fatal("the poison was not retried after its back-off")
	}
	st = e.station(t)
	recs := e.records(t)
	if r := recs["a-poison.ome.tiff"]; r.Status != core.WatchFailed || r.Attempts != 2 || r.LastError != "the import crashed the station twice" {
		t.Fatalf("the poison's record: %+v", r)
	}
	// Restarts never try it again, nor import the five again.
	for i := 0; i < 3; i++ {
		st = e.station(t)
		tickUntilDeath(t, st, now.Add(time.Hour))
		if rep, died := tickUntilDeath(t, st, now.Add(2*time.Hour)); died || len(rep.Imported) != 0 || len(rep.Failed) != 0 {
			t.Fatalf("restart %d: died=%v %+v", i, died, rep)
		}
	}
	if n := e.imageCount(t); n != 5 {
		t.Fatalf("%d images, want the five good ones once each", n)
	}
	for i := 1; i <= 5; i++ {
		if r := recs[fmt.Sprintf("good-%d.ome.tiff", i)]; r.Status != core.WatchImported || !r.AttemptStarted.IsZero() {
			t.Errorf("good-%d: %+v", i, r)
		}
	}
}

func TestAnImportCommittedJustBeforeTheStationDiedIsNotRepeated(t *testing.T) {
	e := setup(t)
	writeOME(t, filepath.Join(e.inbox, "run", "cells.ome.tiff"))
	e.wrapImport = func(f watch.ImportFunc) watch.ImportFunc {
		return func(ctx context.Context, job watch.Job) (watch.Outcome, error) {
			f(ctx, job)
			panic(stationDied{}) // after the import's commit, before the station's record
		}
	}
	now := time.Now()
	st := e.station(t)
	tickUntilDeath(t, st, now)
	if _, died := tickUntilDeath(t, st, now.Add(11*time.Second)); !died {
		t.Fatal("the import did not run")
	}
	e.wrapImport = nil
	st = e.station(t)
	r := e.records(t)["cells.ome.tiff"]
	if r.Status != core.WatchImported || !strings.HasPrefix(r.Result, "Fileset:") || r.Crashes != 0 {
		t.Fatalf("the committed import was not recognised: %+v", r)
	}
	tickUntilDeath(t, st, now.Add(time.Hour))
	if rep, _ := tickUntilDeath(t, st, now.Add(2*time.Hour)); len(rep.Imported) != 0 {
		t.Fatalf("imported twice: %+v", rep)
	}
	if n := e.imageCount(t); n != 1 {
		t.Fatalf("%d images, want 1", n)
	}
}

func TestAnImportThatHangsIsStoppedAtTheTimeLimit(t *testing.T) {
	e := setup(t)
	e.cfg.Timeout = 50 * time.Millisecond
	e.cfg.Retries = 1
	writeBatch(t, filepath.Join(e.inbox, "run"))
	e.wrapImport = func(f watch.ImportFunc) watch.ImportFunc {
		return func(ctx context.Context, job watch.Job) (watch.Outcome, error) {
			if strings.Contains(job.Path, "poison") {
				<-ctx.Done() // a reader that never ends on its own
				return watch.Outcome{}, ctx.Err()
			}
			return f(context.WithoutCancel(ctx), job) // however slow the machine
		}
	}
	now := time.Now()
	st := e.station(t)
	tickUntilDeath(t, st, now)
	rep, _ := tickUntilDeath(t, st, now.Add(11*time.Second))
	if len(rep.Imported) != 5 || len(rep.Failed) != 1 {
		t.Fatalf("%+v", rep)
	}
	if r := e.records(t)["a-poison.ome.tiff"]; r.Status != core.WatchFailed || r.LastError != "timed out after 50ms" || r.Crashes != 1 {
		t.Fatalf("the hanging file's record: %+v", r)
	}
}

func TestAStoppingStationDoesNotCountTheInterruptedAttempt(t *testing.T) {
	e := setup(t)
	writeOME(t, filepath.Join(e.inbox, "run", "cells.ome.tiff"))
	ctx, stop := context.WithCancel(context.Background())
	e.wrapImport = func(f watch.ImportFunc) watch.ImportFunc {
		return func(ictx context.Context, job watch.Job) (watch.Outcome, error) {
			stop() // the operator stops the station during the import
			<-ictx.Done()
			return watch.Outcome{}, ictx.Err()
		}
	}
	now := time.Now()
	st := e.station(t)
	st.Tick(ctx, now)
	st.Tick(ctx, now.Add(11*time.Second))
	if r := e.records(t)["cells.ome.tiff"]; r.Status != core.WatchPending || r.Attempts != 0 || !r.AttemptStarted.IsZero() {
		t.Fatalf("an interrupted attempt must be closed and not counted: %+v", r)
	}
	e.wrapImport = nil
	st = e.station(t)
	st.Tick(context.Background(), now.Add(time.Minute))
	if rep, _ := st.Tick(context.Background(), now.Add(2*time.Minute)); len(rep.Imported) != 1 {
		t.Fatalf("%+v", rep)
	}
}

func TestAChildThatDiesIsACrashWithItsLastWords(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	die := watch.ChildProcess("/bin/sh", []string{"-c", "cat >/dev/null; echo 'fatal error: out of memory' >&2; echo 'goroutine 1 [running]:' >&2; exit 2"}, nil, nil)
	_, err := die(context.Background(), watch.Job{Path: "/x"})
	if err == nil || err.Error() != "the import crashed (exit status 2: fatal error: out of memory)" {
		t.Fatalf("got %v", err)
	}
	answer := watch.ChildProcess("/bin/sh", []string{"-c", `cat >/dev/null; echo '{"summary":{"results":[{"path":"/x","error":"not a TIFF"}],"failed":1}}'`}, nil, nil)
	out, err := answer(context.Background(), watch.Job{Path: "/x"})
	if err != nil || len(out.Summary.Results) != 1 || out.Summary.Results[0].Error != "not a TIFF" {
		t.Fatalf("an answer is not a crash: %+v %v", out, err)
	}
}

func TestAnEarlierImportOfTheSamePathIsNotTakenForTheCrashedAttempt(t *testing.T) {
	e := setup(t)
	path := filepath.Join(e.inbox, "run", "cells.ome.tiff")
	writeOME(t, path)
	// Imported by hand once before the station ran.
	fac, _ := e.svc.Login(context.Background(), "facility", "pw", "AG_1234")
	open := func(p string) (formats.Reader, error) { return ome.Open(p) }
	if _, err := importer.Run(context.Background(), importer.Config{Session: fac, Open: open}, []string{path}, importer.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	e.wrapImport = func(f watch.ImportFunc) watch.ImportFunc {
		return func(ctx context.Context, job watch.Job) (watch.Outcome, error) { panic(stationDied{}) }
	}
	now := time.Now()
	st := e.station(t)
	tickUntilDeath(t, st, now)
	if _, died := tickUntilDeath(t, st, now.Add(11*time.Second)); !died {
		t.Fatal("the import did not run")
	}
	e.station(t)
	if r := e.records(t)["cells.ome.tiff"]; r.Status != core.WatchPending || r.Crashes != 1 || r.LastError != "the import crashed the station" {
		t.Fatalf("the earlier import was taken for this attempt's: %+v", r)
	}
}

func TestTheOtherPartsOfASetCommittedJustBeforeTheStationDiedAreNotImportedAgain(t *testing.T) {
	src := filepath.Join(realdata.Dir(t), "ome-tiff", "ome-multifile")
	e := setup(t)
	run := filepath.Join(e.inbox, "run")
	os.MkdirAll(run, 0o755)
	parts, _ := filepath.Glob(filepath.Join(src, "*"))
	for _, p := range parts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(run, filepath.Base(p)), b, 0o644)
	}
	e.wrapImport = func(f watch.ImportFunc) watch.ImportFunc {
		return func(ctx context.Context, job watch.Job) (watch.Outcome, error) {
			f(ctx, job)
			panic(stationDied{}) // the set is in; no part is recorded
		}
	}
	now := time.Now()
	st := e.station(t)
	tickUntilDeath(t, st, now)
	if _, died := tickUntilDeath(t, st, now.Add(11*time.Second)); !died {
		t.Fatal("the import did not run")
	}
	e.wrapImport = nil
	st = e.station(t)
	tickUntilDeath(t, st, now.Add(time.Hour))
	rep, _ := tickUntilDeath(t, st, now.Add(2*time.Hour))
	if len(rep.Imported) != 0 {
		t.Fatalf("parts of the set imported again: %+v", rep)
	}
	if n := e.imageCount(t); n != 1 {
		t.Fatalf("%d images, want the set's one", n)
	}
	recs := e.records(t)
	for i := 2; i <= 5; i++ {
		if r := recs[fmt.Sprintf("multifile-Z%d.ome.tiff", i)]; r.Status != core.WatchImported || r.Result != "with multifile-Z1.ome.tiff" {
			t.Errorf("part %d: %+v", i, r)
		}
	}
}
