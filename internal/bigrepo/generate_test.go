package bigrepo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/bigrepo"
	"github.com/ocular-lab/ocular/internal/pgtest"
)

const rootPW = "root-pw"

// checkGenerated asserts what a user of a generated repository notices:
// the browsed dataset lists its images with the member's flags, search
// finds the shared tags and key-value pairs, the moved project can be
// planned, and an object made afterwards gets a new ID.
func checkGenerated(t *testing.T, svc *inprocess.Service, inf bigrepo.Info) {
	t.Helper()
	ctx := context.Background()
	got, err := bigrepo.ReadInfo(ctx, svc.Store())
	if err != nil {
		t.Fatal(err)
	}
	if got != inf {
		t.Fatalf("recorded layout %+v, generated %+v", got, inf)
	}
	member, err := svc.Login(ctx, inf.Member, inf.Password, "")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := member.Browse(ctx, core.BrowseRequest{Group: inf.BrowseGroup, Owner: core.AnyID, Parent: core.Ref{Class: core.Dataset, ID: inf.BrowseDataset}})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != inf.PerDataset {
		t.Fatalf("the browsed dataset shows %d images, want %d", len(vs), inf.PerDataset)
	}
	if !vs[0].Flags.CanAnnotate || vs[0].Flags.CanEdit {
		t.Errorf("the member's flags on another user's image in a read-annotate group: %s", vs[0].Flags)
	}
	for q, want := range map[string]int{"tag:tag3": 10, "objective=63x": 50, "confocal": 200, "exposure<10": 10} {
		r, err := member.Search(ctx, core.SearchRequest{Query: q, Group: core.AnyID, Owner: core.AnyID, Limit: 200})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		// The member sees dataset 0's 500 images (the next five datasets are
		// in the private group): tag3 is on 1 image in 50, 63x on 1 in 10.
		if len(r.Hits) != want {
			t.Errorf("search %q found %d, want %d", q, len(r.Hits), want)
		}
	}
	owner, err := svc.Login(ctx, inf.MoveOwner, inf.Password, "")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := owner.PlanGraph(ctx, core.GraphRequest{Op: core.OpChgrp, Group: inf.DestGroup,
		Targets: []core.Target{{Class: core.Project, IDs: []core.ID{inf.MoveProject}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Blockers) > 0 {
		t.Fatalf("the move is blocked: %v", plan.Blockers)
	}
	if len(plan.Processed) < inf.PerDataset*2 {
		t.Errorf("the move plans %d objects, want at least the %d images and their filesets", len(plan.Processed), inf.PerDataset)
	}
	v, err := owner.Create(ctx, core.Dataset, map[string]string{"name": "made afterwards"})
	if err != nil {
		t.Fatal(err)
	}
	if int64(v.ID) < int64(inf.Objects) {
		t.Errorf("a new dataset got ID %d, inside the generated range", v.ID)
	}
}

func TestGenerateSQLite(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "repo")
	svc, sink, err := bigrepo.CreateSQLite(ctx, dir, rootPW, true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	defer sink.Close()
	inf, err := bigrepo.Generate(ctx, svc, rootPW, sink, bigrepo.Options{Images: 3000, PerDataset: 500, Chunk: 700})
	if err != nil {
		t.Fatal(err)
	}
	if inf.Datasets != 6 || inf.AnnotationsAndLinks < 10*3000 {
		t.Errorf("layout %+v", inf)
	}
	checkGenerated(t, svc, inf)
	if _, err := bigrepo.Generate(ctx, svc, rootPW, sink, bigrepo.Options{Images: 10}); !core.Is(core.Conflict, err) {
		t.Errorf("generating into a full repository: %v, want a conflict", err)
	}
}

func TestGeneratePostgres(t *testing.T) {
	for _, noChecks := range []bool{false, true} {
		t.Run(map[bool]string{false: "checked", true: "no-checks"}[noChecks], func(t *testing.T) { testGeneratePostgres(t, noChecks) })
	}
}

func testGeneratePostgres(t *testing.T, noChecks bool) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	svc, sink, err := bigrepo.CreatePostgres(ctx, dsn, t.TempDir(), rootPW, true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	defer sink.Close()
	sink.(*bigrepo.PostgresSink).NoChecks = noChecks
	inf, err := bigrepo.Generate(ctx, svc, rootPW, sink, bigrepo.Options{Images: 3000, PerDataset: 500, Chunk: 700})
	if err != nil {
		t.Fatal(err)
	}
	checkGenerated(t, svc, inf)
	if _, err := bigrepo.Generate(ctx, svc, rootPW, sink, bigrepo.Options{Images: 10}); !core.Is(core.Conflict, err) {
		t.Errorf("generating into a full repository: %v, want a conflict", err)
	}
}

// TestResumePostgres stops a generation after its first chunk (the context
// is cancelled) and finishes it with Resume and several workers: the result
// is the repository an uninterrupted run makes.
func TestResumePostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	dir := t.TempDir()
	svc, sink, err := bigrepo.CreatePostgres(ctx, dsn, dir, rootPW, true, false)
	if err != nil {
		t.Fatal(err)
	}
	sink.(*bigrepo.PostgresSink).NoChecks = true
	stop, cancel := context.WithCancel(ctx)
	opt := bigrepo.Options{Images: 3000, PerDataset: 500, Chunk: 500,
		Progress: func(done, total int, _ time.Duration) { cancel() }}
	if _, err := bigrepo.Generate(stop, svc, rootPW, sink, opt); err == nil {
		t.Fatal("the stopped generation reported success")
	}
	sink.Close()
	svc.Close()

	svc, sink, err = bigrepo.CreatePostgres(ctx, dsn, dir, rootPW, true, true)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	defer sink.Close()
	opt = bigrepo.Options{Images: 3000, PerDataset: 500, Chunk: 500, Resume: true, Workers: 3,
		NewSink: func(ctx context.Context) (bigrepo.Sink, error) {
			s, err := bigrepo.NewPostgresSink(ctx, dsn)
			if err == nil {
				s.NoChecks = true
			}
			return s, err
		}}
	inf, err := bigrepo.Generate(ctx, svc, rootPW, sink, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkGenerated(t, svc, inf)
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var always int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'").Scan(&always); err != nil || always != 0 {
		t.Errorf("%d triggers are left firing otherwise than as the schema made them (%v)", always, err)
	}
}

// TestResetRefuses: --reset drops a database, so it must name one of its
// own, given as a URL.
func TestResetRefuses(t *testing.T) {
	for _, dsn := range []string{"host=localhost dbname=x", "postgres://u@127.0.0.1:1/postgres", "postgres://u@127.0.0.1:1/"} {
		if err := bigrepo.ResetPostgres(context.Background(), dsn); err == nil {
			t.Errorf("reset of %q was not refused", dsn)
		}
	}
}

// TestResumeRefusesEmpty: there is nothing to resume in a new repository.
func TestResumeRefusesEmpty(t *testing.T) {
	ctx := context.Background()
	svc, sink, err := bigrepo.CreateSQLite(ctx, filepath.Join(t.TempDir(), "repo"), rootPW, true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	defer sink.Close()
	if _, err := bigrepo.Generate(ctx, svc, rootPW, sink, bigrepo.Options{Images: 10, Resume: true}); !core.Is(core.Invalid, err) {
		t.Errorf("resuming an empty repository: %v, want Invalid", err)
	}
}
