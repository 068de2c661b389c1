package importqueue_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/importqueue"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

type fixture struct {
	svc  *inprocess.Service
	dir  string
	lab  core.ID
	root core.Session
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	svc, dir := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	must(t, err)
	for _, u := range []core.NewUser{
		{Username: "olive", FirstName: "Olive", LastName: "Owner", Password: "pw", Groups: []core.ID{g.ID}},
		{Username: "ada", FirstName: "Ada", LastName: "Admin", Password: "pw", Groups: []core.ID{g.ID}, Admin: true},
	} {
		_, err := root.CreateUser(ctx, u)
		must(t, err)
	}
	return &fixture{svc: svc, dir: dir, lab: g.ID, root: root}
}

func (f *fixture) queue(t *testing.T, user string, onChange func(importqueue.Entry)) (*importqueue.Queue, core.Session) {
	t.Helper()
	s := testrepo.Login(t, f.svc, user, "pw")
	q := importqueue.New(importqueue.Config{Session: s, OnChange: onChange,
		Import: importer.Config{Open: detect.Open, Supported: detect.Supported, Thumbs: thumbcache.ForRepository(f.dir), Workers: 1}})
	return q, s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// names lists the names of the images in a container (or orphaned).
func names(t *testing.T, s core.Session, group core.ID, parent core.Ref) []string {
	t.Helper()
	kids, err := s.Browse(context.Background(), core.BrowseRequest{Group: group, Owner: core.AnyID, Parent: parent})
	must(t, err)
	var out []string
	for _, k := range kids {
		out = append(out, k.Name)
	}
	return out
}

func states(q *importqueue.Queue) string {
	var out []string
	for _, e := range q.Entries() {
		out = append(out, e.Name+"="+string(e.State))
	}
	return strings.Join(out, " ")
}

func TestQueueImportsEachEntryIntoItsTarget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	testrepo.WriteTIFF(t, filepath.Join(src, "a.tif"), 32, 24, 1)
	must(t, os.Mkdir(filepath.Join(src, "run2"), 0o755))
	for i, n := range []string{"b.tif", "c.tif"} {
		testrepo.WriteTIFF(t, filepath.Join(src, "run2", n), 32, 24, 2+i)
	}
	q, olive := f.queue(t, "olive", nil)
	existing, err := olive.InGroup(ctx, f.lab)
	must(t, err)
	ds, err := existing.Create(ctx, core.Dataset, map[string]string{"name": "Existing"})
	must(t, err)

	added, problems := q.Add([]string{filepath.Join(src, "a.tif")}, importqueue.Target{Group: f.lab, NewDataset: "Fresh", Tags: []string{"queued"}})
	if len(added) != 1 || len(problems) != 0 {
		t.Fatalf("adding a file: %d entries, problems %v", len(added), problems)
	}
	added, _ = q.Add([]string{filepath.Join(src, "run2")}, importqueue.Target{Group: f.lab, Dataset: ds.Ref})
	if len(added) != 1 || !added[0].Set.Folder || added[0].Set.Units != 2 {
		t.Fatalf("a folder of two TIFFs should be one entry of 2 files, got %+v", added)
	}
	if done, total := q.Progress(); done != 0 || total != 2 {
		t.Fatalf("before starting: %d of %d, want 0 of 2", done, total)
	}
	q.Run(ctx)
	if got := states(q); got != "a.tif=done run2=done" {
		t.Fatalf("states: %s (%+v)", got, q.Entries())
	}
	if done, total := q.Progress(); done != 2 || total != 2 {
		t.Errorf("after: %d of %d, want 2 of 2", done, total)
	}
	es := q.Entries()
	if es[0].Target.Dataset.IsZero() || es[0].Into != es[0].Target.Dataset || len(es[0].Images) != 1 {
		t.Fatalf("the first entry should have made its dataset and one image in it: %+v", es[0])
	}
	fresh, err := olive.Get(ctx, es[0].Into)
	must(t, err)
	if fresh.Name != "Fresh" || fresh.Group != f.lab {
		t.Errorf("new dataset %q in group %d, want Fresh in %d", fresh.Name, fresh.Group, f.lab)
	}
	if got := names(t, olive, f.lab, es[0].Into); len(got) != 1 || got[0] != "a.tif" {
		t.Errorf("Fresh holds %q", got)
	}
	if got := names(t, olive, f.lab, ds.Ref); len(got) != 2 {
		t.Errorf("Existing holds %q, want b.tif and c.tif", got)
	}
	if es[1].Status() != "Imported 2 images" {
		t.Errorf("status of the folder: %q", es[1].Status())
	}
	// Each entry is an activity whose result names its images.
	var imported int
	for _, i := range q.Jobs().List() {
		if i.Kind == "import" && i.State == jobs.Done {
			imported += len(jobs.Changed(i))
		}
	}
	if imported != 3 {
		t.Errorf("the activities list %d imported images, want 3", imported)
	}
}

func TestAFailureInTheMiddleLeavesTheRestAndCanBeRetried(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	good1, notImage, truncated, good2 := filepath.Join(src, "1.tif"), filepath.Join(src, "notes.tif"), filepath.Join(src, "cut.tif"), filepath.Join(src, "2.tif")
	testrepo.WriteTIFF(t, good1, 32, 24, 1)
	must(t, os.WriteFile(notImage, []byte("meeting notes, not an image"), 0o644))
	testrepo.WriteTruncatedTIFF(t, truncated, 64, 64)
	testrepo.WriteTIFF(t, good2, 32, 24, 2)
	q, olive := f.queue(t, "olive", nil)
	added, problems := q.Add([]string{good1, notImage, truncated, good2}, importqueue.Target{Group: f.lab})
	if len(added) != 4 || len(problems) != 0 {
		t.Fatalf("want 4 entries, got %d (problems %v)", len(added), problems)
	}
	q.Run(ctx)
	if got := states(q); got != "1.tif=done notes.tif=failed cut.tif=failed 2.tif=done" {
		t.Fatalf("states: %s", got)
	}
	for _, e := range q.Entries()[1:3] {
		t.Logf("%s: %s", e.Name, e.Reason)
		if e.Reason == "" || !strings.HasSuffix(e.Reason, ".") || strings.Contains(e.Reason, src) {
			t.Errorf("%s: the reason should be a sentence without the path: %q", e.Name, e.Reason)
		}
		if len(e.Images) != 0 {
			t.Errorf("%s failed but made %v", e.Name, e.Images)
		}
	}
	if got := names(t, olive, f.lab, core.Ref{Class: core.OrphanedImages}); len(got) != 2 {
		t.Errorf("orphaned images after the run: %q, want only 1.tif and 2.tif", got)
	}
	// The user fixes the file and retries: it imports, nothing twice.
	testrepo.WriteTIFF(t, truncated, 64, 64, 3)
	cut := q.Entries()[2]
	q.Retry(cut.ID)
	if e, _ := q.Entry(cut.ID); e.State != importqueue.Waiting {
		t.Fatalf("after Retry the entry is %s", e.State)
	}
	q.Run(ctx)
	if got := states(q); got != "1.tif=done notes.tif=failed cut.tif=done 2.tif=done" {
		t.Fatalf("after the retry: %s", got)
	}
	if got := names(t, olive, f.lab, core.Ref{Class: core.OrphanedImages}); len(got) != 3 {
		t.Errorf("orphaned images after the retry: %q", got)
	}
}

func TestAnAdministratorImportsForAUser(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "for-olive.tif")
	testrepo.WriteTIFF(t, src, 16, 16, 1)
	q, ada := f.queue(t, "ada", nil)
	me, err := ada.Me(ctx)
	must(t, err)
	if !importqueue.CanImportFor(me) {
		t.Fatal("a full administrator should be offered Import for")
	}
	var olive core.Experimenter
	for _, u := range importqueue.ImportFor(me, f.lab) {
		if u.Username == "olive" {
			olive = u
		}
	}
	if olive.ID == 0 {
		t.Fatalf("Import for does not offer Olive: %+v", importqueue.ImportFor(me, f.lab))
	}
	q.Add([]string{src}, importqueue.Target{Group: f.lab, Owner: "olive", NewDataset: "Olive's run"})
	q.Run(ctx)
	e := q.Entries()[0]
	if e.State != importqueue.Done || len(e.Images) != 1 {
		t.Fatalf("entry: %+v", e)
	}
	for _, r := range []core.Ref{e.Into, e.Images[0]} {
		v, err := ada.Get(ctx, r)
		must(t, err)
		if v.Owner != olive.ID {
			t.Errorf("%s is owned by user %d, want Olive (%d)", r, v.Owner, olive.ID)
		}
	}
	// Olive, a plain member, is offered only herself.
	oliveS := testrepo.Login(t, f.svc, "olive", "pw")
	om, err := oliveS.Me(ctx)
	must(t, err)
	if importqueue.CanImportFor(om) || len(importqueue.ImportFor(om, f.lab)) != 1 {
		t.Error("a plain member should not be offered Import for")
	}
}

func TestAFolderWithNothingImportableSaysSo(t *testing.T) {
	f := newFixture(t)
	src := filepath.Join(t.TempDir(), "notes")
	must(t, os.Mkdir(src, 0o755))
	must(t, os.WriteFile(filepath.Join(src, "readme.txt"), []byte("hello"), 0o644))
	q, _ := f.queue(t, "olive", nil)
	added, problems := q.Add([]string{src}, importqueue.Target{Group: f.lab})
	if len(added) != 0 || len(problems) != 1 {
		t.Fatalf("got %d entries and problems %v", len(added), problems)
	}
	if p := problems[0].Sentence; !strings.Contains(p, "holds nothing Ocular can import") {
		t.Errorf("sentence: %q", p)
	}
}

func TestATargetRemovedWhileImportingFailsWithASentence(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	first, second := filepath.Join(src, "first.tif"), filepath.Join(src, "second.tif")
	testrepo.WriteTIFF(t, first, 16, 16, 1)
	testrepo.WriteTIFF(t, second, 16, 16, 2)
	var ds core.Ref
	deleted := false
	var q *importqueue.Queue
	var olive core.Session
	q, olive = f.queue(t, "olive", func(e importqueue.Entry) {
		// Once the first entry is done, someone deletes the dataset
		// (the queue runs one entry at a time: the second has not
		// started).
		if e.Name == "first.tif" && e.State == importqueue.Done && !deleted {
			deleted = true
			if _, err := olive.RunGraph(ctx, core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: core.Dataset, IDs: []core.ID{ds.ID}}}}); err != nil {
				t.Errorf("delete: %v", err)
			}
		}
	})
	s, err := olive.InGroup(ctx, f.lab)
	must(t, err)
	v, err := s.Create(ctx, core.Dataset, map[string]string{"name": "Soon gone"})
	must(t, err)
	ds = v.Ref
	q.Add([]string{first, second}, importqueue.Target{Group: f.lab, Dataset: ds})
	q.Run(ctx)
	es := q.Entries()
	if es[0].State != importqueue.Done || es[1].State != importqueue.Failed {
		t.Fatalf("states: %s", states(q))
	}
	t.Logf("reason: %s", es[1].Reason)
	if r := es[1].Reason; !strings.Contains(r, "target dataset no longer exists") || !strings.Contains(r, "nothing was imported") {
		t.Errorf("reason: %q", r)
	}
	if got := names(t, olive, f.lab, core.Ref{Class: core.OrphanedImages}); len(got) != 0 && got[len(got)-1] == "second.tif" {
		t.Errorf("second.tif was half imported: orphaned %q", got)
	}
}

func TestCancelOfAnEntryNotStarted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	var paths []string
	for _, n := range []string{"a.tif", "b.tif", "c.tif"} {
		p := filepath.Join(src, n)
		testrepo.WriteTIFF(t, p, 16, 16, len(paths))
		paths = append(paths, p)
	}
	q, _ := f.queue(t, "olive", nil)
	added, _ := q.Add(paths, importqueue.Target{Group: f.lab})
	q.Cancel(added[1].ID)
	q.Run(ctx)
	if got := states(q); got != "a.tif=done b.tif=cancelled c.tif=done" {
		t.Fatalf("states: %s", got)
	}
	if done, total := q.Progress(); done != 2 || total != 2 {
		t.Errorf("%d of %d, want 2 of 2", done, total)
	}
}

func TestCancelOfTheRunningEntryKeepsNothingOfIt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	a, b := filepath.Join(src, "a.tif"), filepath.Join(src, "b.tif")
	testrepo.WriteTIFF(t, a, 64, 64, 1)
	testrepo.WriteTIFF(t, b, 64, 64, 2)
	var q *importqueue.Queue
	cancelled := false
	q, olive := f.queue(t, "olive", func(e importqueue.Entry) {
		// The user cancels a.tif while it is being read.
		if e.Name == "a.tif" && e.Phase == importqueue.Reading && !cancelled {
			cancelled = true
			q.Cancel(e.ID)
		}
	})
	q.Add([]string{a, b}, importqueue.Target{Group: f.lab})
	q.Run(ctx)
	if got := states(q); got != "a.tif=cancelled b.tif=done" {
		t.Fatalf("states: %s", got)
	}
	if got := names(t, olive, f.lab, core.Ref{Class: core.OrphanedImages}); len(got) != 1 || got[0] != "b.tif" {
		t.Errorf("orphaned images: %q, want only b.tif", got)
	}
	if e := q.Entries()[0]; e.Reason != "Cancelled: nothing of it was kept." {
		t.Errorf("the cancelled entry says %q", e.Reason)
	}
}

func TestANewDatasetInAProject(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "p.tif")
	testrepo.WriteTIFF(t, src, 16, 16, 1)
	q, olive := f.queue(t, "olive", nil)
	s, err := olive.InGroup(ctx, f.lab)
	must(t, err)
	p, err := s.Create(ctx, core.Project, map[string]string{"name": "Study"})
	must(t, err)
	q.Add([]string{src}, importqueue.Target{Group: f.lab, NewDataset: "Day 1", Project: p.Ref})
	q.Run(ctx)
	e := q.Entries()[0]
	if e.State != importqueue.Done {
		t.Fatalf("entry: %+v", e)
	}
	if got := names(t, olive, f.lab, p.Ref); len(got) != 1 || got[0] != "Day 1" {
		t.Errorf("the project holds %q, want Day 1", got)
	}
	if want := p.Ref.String() + "/" + e.Into.String(); e.Target.Path != want {
		t.Errorf("the entry's path is %q, want %q (the Show link)", e.Target.Path, want)
	}
	for _, i := range q.Jobs().List() {
		if imp, ok := i.Result.(jobs.Imported); !ok || imp.Path != e.Target.Path {
			t.Errorf("the activity records %+v", i.Result)
		}
	}
}

func TestTwoAtATime(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	var paths []string
	for i, n := range []string{"a.tif", "b.tif", "c.tif"} {
		p := filepath.Join(src, n)
		testrepo.WriteTIFF(t, p, 32, 32, i)
		paths = append(paths, p)
	}
	q, olive := f.queue(t, "olive", nil)
	q.SetParallel(2)
	q.Add(paths, importqueue.Target{Group: f.lab, NewDataset: "Pairs"})
	q.Run(ctx)
	if got := states(q); got != "a.tif=done b.tif=done c.tif=done" {
		t.Fatalf("states: %s", got)
	}
	// The files queued together share one new dataset, made once.
	es := q.Entries()
	if es[0].Into.IsZero() || es[1].Into != es[0].Into || es[2].Into != es[0].Into {
		t.Fatalf("the entries went into %s, %s, %s: want one dataset", es[0].Into, es[1].Into, es[2].Into)
	}
	if got := names(t, olive, f.lab, es[0].Into); len(got) != 3 {
		t.Errorf("Pairs holds %q", got)
	}
	s, err := olive.InGroup(ctx, f.lab)
	must(t, err)
	all, err := s.List(ctx, core.Dataset, core.AnyID, f.lab)
	must(t, err)
	if len(all) != 1 {
		t.Errorf("%d datasets made, want one", len(all))
	}
}
