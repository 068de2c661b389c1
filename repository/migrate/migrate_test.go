package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/labrepo"
	"github.com/ocular-lab/ocular/internal/pgtest"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/postgres"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// listed is what root sees of every class a lab uses, one line per object.
func listed(t *testing.T, svc core.Service, offset int64) []string {
	t.Helper()
	ctx := context.Background()
	root := testrepo.Root(t, svc)
	var out []string
	for _, c := range []core.Class{core.Project, core.Dataset, core.Image, core.Fileset, core.TagAnnotation,
		core.CommentAnnotation, core.MapAnnotation, core.RenderingDef, core.OriginalFile,
		core.ProjectDatasetLink, core.DatasetImageLink, core.ImageAnnotationLink, core.DatasetAnnotationLink} {
		objs, err := root.List(ctx, c, core.AnyID, core.AnyID)
		if err != nil {
			t.Fatalf("list %s: %v", c, err)
		}
		for _, o := range objs {
			out = append(out, fmt.Sprintf("%s:%d %q owner=%s group=%s parent=%d child=%d text=%q",
				c, int64(o.ID)-offset, o.Name, o.OwnerName, o.GroupName, shift(o.Parent, offset), shift(o.Child, offset), o.TextValue))
		}
	}
	sort.Strings(out)
	return out
}

func shift(id core.ID, offset int64) int64 {
	if id == 0 {
		return 0
	}
	return int64(id) - offset
}

func openTarget(t *testing.T, dsn, dir string) *inprocess.Service {
	t.Helper()
	st, err := postgres.Open(context.Background(), dsn, dir)
	if err != nil {
		t.Fatal(err)
	}
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	t.Cleanup(func() { svc.Close() })
	return svc
}

// A lab's repository moved into an empty database lists the same objects
// under the same IDs through the PostgreSQL store, and its images' files
// open from the new folder.
func TestMigrate_EmptyTargetKeepsIDsAndListings(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	lab := labrepo.New(t, 4)
	want := listed(t, lab.Svc, 0)
	filesTo := filepath.Join(t.TempDir(), "server")
	rep, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo, ChunkRows: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.PreservedIDs || rep.Files != 5 || rep.Checksums != 5 || rep.Counts["Image"] != 4 {
		t.Fatalf("report = %+v", rep)
	}
	svc := openTarget(t, dsn, filesTo)
	got := listed(t, svc, 0)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("listings differ:\nsource:\n%s\ntarget:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	ada := testrepo.Login(t, svc, "ada", "pw")
	src, err := ada.PixelSource(ctx, lab.Images[0])
	if err != nil || len(src.Files) != 1 || !strings.HasPrefix(src.Files[0], filesTo) {
		t.Fatalf("pixels of a migrated image: %+v, %v", src, err)
	}
	if _, err := detect.Open(src.Files[0]); err != nil {
		t.Fatalf("the migrated original does not open: %v", err)
	}
	// The saved rendering settings came along.
	v, err := ada.ViewerRendering(ctx, lab.Images[0])
	if err != nil || v.Def.ID == 0 {
		t.Fatalf("rendering settings: %+v, %v", v, err)
	}
	// New objects take IDs after the copied ones.
	d, err := ada.Create(ctx, core.Dataset, map[string]string{"name": "after"})
	if err != nil {
		t.Fatal(err)
	}
	maxID := int64(0)
	for _, line := range want {
		var id int64
		fmt.Sscanf(line[strings.Index(line, ":")+1:], "%d", &id)
		maxID = max(maxID, id)
	}
	if int64(d.ID) <= maxID {
		t.Fatalf("a new dataset got ID %d, not above the migrated %d", d.ID, maxID)
	}
	// A rerun of a finished migration only verifies.
	rep2, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo})
	if err != nil || !rep2.Resumed {
		t.Fatalf("rerun: %+v, %v", rep2, err)
	}
}

// A migration stopped after a few chunks goes on where it stopped when run
// again, and ends with everything once.
func TestMigrate_InterruptedRunResumes(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	lab := labrepo.New(t, 6)
	want := listed(t, lab.Svc, 0)
	filesTo := filepath.Join(t.TempDir(), "server")
	// Stopped while placing the files...
	cctx, cancel := context.WithCancel(ctx)
	_, err := Run(cctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo, ChunkRows: 3, Progress: func(step string, done, _ int64) {
		if step == "files" && done == 2 {
			cancel()
		}
	}})
	cancel()
	if err == nil || !strings.Contains(core.UserMessage(err), "run the same command again") {
		t.Fatalf("run stopped among the files: %v", err)
	}
	// ...then twice among the rows.
	for _, stopAfter := range []int{2, 5} {
		cctx, cancel := context.WithCancel(ctx)
		chunks := 0
		_, err := Run(cctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo, ChunkRows: 3, afterChunk: func(string) {
			if chunks++; chunks == stopAfter {
				cancel()
			}
		}})
		cancel()
		if err == nil || !strings.Contains(core.UserMessage(err), "run the same command again") {
			t.Fatalf("interrupted run: %v", err)
		}
	}
	rep, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo, ChunkRows: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Resumed {
		t.Fatalf("the third run did not resume: %+v", rep)
	}
	svc := openTarget(t, dsn, filesTo)
	if got := listed(t, svc, 0); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("listings differ after resuming:\nsource:\n%s\ntarget:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
}

// A target that already holds a repository in use gets the lab's objects
// under shifted IDs, its users matched by name.
func TestMigrate_TargetInUseShiftsIDs(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	filesTo := filepath.Join(t.TempDir(), "server")
	svc := openTarget(t, dsn, filesTo)
	if err := svc.Initialize(ctx, testrepo.RootPassword); err != nil {
		t.Fatal(err)
	}
	root := testrepo.Root(t, svc)
	if _, err := root.Create(ctx, core.Dataset, map[string]string{"name": "facility's own"}); err != nil {
		t.Fatal(err)
	}
	lab := labrepo.New(t, 3)
	want := listed(t, lab.Svc, 0)
	rep, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo})
	if err != nil {
		t.Fatal(err)
	}
	if rep.PreservedIDs || rep.ObjectOffset != 1000 || len(rep.Notes) == 0 {
		t.Fatalf("report = %+v", rep)
	}
	var got []string
	for _, l := range listed(t, svc, rep.ObjectOffset) {
		if !strings.Contains(l, "facility's own") {
			got = append(got, l)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("listings differ:\nsource:\n%s\ntarget (IDs less the offset):\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}

	// A second lab joins the same server: its ada is the first lab's
	// (matched by name), its objects after everything there.
	lab2 := labrepo.New(t, 2)
	if _, err := Run(ctx, Options{From: lab2.Dir, To: dsn, FilesTo: filepath.Join(t.TempDir(), "elsewhere")}); err == nil || !strings.Contains(core.UserMessage(err), "not the file folder") {
		t.Fatalf("a second lab's files into another folder than the server's: %v", err)
	}
	rep2, err := Run(ctx, Options{From: lab2.Dir, To: dsn, FilesTo: filesTo})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.ObjectOffset <= rep.ObjectOffset || rep2.Resumed {
		t.Fatalf("second lab: %+v", rep2)
	}
	imgs, err := testrepo.Login(t, svc, "ada", "pw").List(ctx, core.Image, core.AnyID, core.AnyID)
	if err != nil || len(imgs) != 5 {
		t.Fatalf("ada's images after two labs: %d, %v", len(imgs), err)
	}
}

func TestMigrate_RefusesForeignNewerAndHalfFilledTargets(t *testing.T) {
	ctx := context.Background()
	lab := labrepo.New(t, 1)

	foreign := pgtest.DSN(t)
	execSQL(t, foreign, "CREATE TABLE notes (t text)")
	if _, err := Run(ctx, Options{From: lab.Dir, To: foreign}); err == nil || !strings.Contains(core.UserMessage(err), "not an Ocular repository") {
		t.Errorf("foreign target: %v", err)
	}

	newer := pgtest.DSN(t)
	openTarget(t, newer, t.TempDir()).Close()
	execSQL(t, newer, "UPDATE meta SET value = '999' WHERE key = 'schema_version'")
	if _, err := Run(ctx, Options{From: lab.Dir, To: newer}); err == nil || !strings.Contains(core.UserMessage(err), "newer version of Ocular") {
		t.Errorf("newer target: %v", err)
	}

	half := pgtest.DSN(t)
	openTarget(t, half, t.TempDir()).Close()
	execSQL(t, half, "INSERT INTO experimenter (id, username, created) VALUES (7, 'someone', 0)")
	if _, err := Run(ctx, Options{From: lab.Dir, To: half}); err == nil || !strings.Contains(core.UserMessage(err), "halfway") {
		t.Errorf("half-filled target: %v", err)
	}

	// Rows written into the target between two runs (a server started on
	// it) stop the rerun.
	busy := pgtest.DSN(t)
	cctx, cancel := context.WithCancel(ctx)
	Run(cctx, Options{From: lab.Dir, To: busy, FilesTo: t.TempDir(), ChunkRows: 2, afterChunk: func(string) { cancel() }})
	cancel()
	execSQL(t, busy, "INSERT INTO object (class, owner_id, group_id, created, updated, name) VALUES ('Dataset', 0, 0, 0, 0, 'intruder')")
	if _, err := Run(ctx, Options{From: lab.Dir, To: busy}); err == nil || !strings.Contains(core.UserMessage(err), "another program") {
		t.Errorf("target changed between runs: %v", err)
	}
}

func TestMigrate_RefusesNewerOrForeignSource(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	lab := labrepo.New(t, 1)
	lab.Svc.Close()
	db, _ := sql.Open("sqlite3", filepath.Join(lab.Dir, sqlite.DBName))
	db.Exec("PRAGMA user_version = 999")
	db.Close()
	if _, err := Run(ctx, Options{From: lab.Dir, To: dsn}); err == nil || !strings.Contains(core.UserMessage(err), "newer version of Ocular") {
		t.Errorf("newer source: %v", err)
	}
	if _, err := Run(ctx, Options{From: t.TempDir(), To: dsn}); err == nil || !strings.Contains(core.UserMessage(err), "not an Ocular repository") {
		t.Errorf("folder without a repository: %v", err)
	}
}

func execSQL(t *testing.T, dsn, query string) {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
