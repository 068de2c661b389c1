package server

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// TestJobOfAStoppedInstanceIsReportedFailed: a job whose runner stopped
// beating (its process was killed) is reported failed, with nothing
// changed, by the instance asked; another user still cannot see it.
func TestJobOfAStoppedInstanceIsReportedFailed(t *testing.T) {
	f := newUploadFixture(t, Limits{})
	ctx := context.Background()
	jobs, err := sqlite.OpenJobs(ctx, filepath.Join(t.TempDir(), "jobs.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer jobs.Close()
	f.cfg.Jobs = jobs
	f.restart()
	t.Cleanup(func() { f.srv.Shutdown(ctx) })
	ada, err := f.cfg.Service.Resume(ctx, f.ada)
	if err != nil {
		t.Fatal(err)
	}
	me, _ := ada.Me(ctx)
	now := time.Now()
	if err := jobs.Heartbeat(ctx, "killed", now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	rec := core.JobRecord{ID: "0123456789abcdef0123456789abcdef", User: me.User.ID, Session: hashKey(f.ada), Op: "delete",
		State: core.JobRunning, Instance: "killed", Started: now.Add(-time.Minute)}
	if err := jobs.CreateJob(ctx, rec, jobLimits); err != nil {
		t.Fatal(err)
	}
	if code := f.doJSON(f.bob, "GET", "/ocular/v1/jobs/"+rec.ID, nil, nil); code != http.StatusNotFound {
		t.Fatalf("another user's job answers %d", code)
	}
	for range 2 {
		var st wire.JobStatus
		if code := f.doJSON(f.ada, "GET", "/ocular/v1/jobs/"+rec.ID, nil, &st); code != http.StatusOK {
			t.Fatalf("GET: %d", code)
		}
		if st.State != wire.JobFailed || st.Error == nil || !strings.Contains(st.Error.Message, "stopped; nothing was changed") {
			t.Fatalf("the job of a stopped instance: %+v %+v", st, st.Error)
		}
	}
	// A runner still beating is not declared dead.
	if err := jobs.Heartbeat(ctx, "alive", now); err != nil {
		t.Fatal(err)
	}
	rec.ID, rec.Instance = "fedcba9876543210fedcba9876543210", "alive"
	if err := jobs.CreateJob(ctx, rec, jobLimits); err != nil {
		t.Fatal(err)
	}
	var st wire.JobStatus
	if code := f.doJSON(f.ada, "GET", "/ocular/v1/jobs/"+rec.ID, nil, &st); code != http.StatusOK || st.State != wire.JobRunning {
		t.Fatalf("a job of a live instance: %d %+v", code, st)
	}
}
