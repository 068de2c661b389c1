// Package jobstoretest checks a core.JobStore the way server instances
// use it: each store (SQLite's jobs database, PostgreSQL) runs Run.
package jobstoretest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
)

var t0 = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

func job(id string, user core.ID, instance string, at time.Time) core.JobRecord {
	return core.JobRecord{ID: id, User: user, Session: "s" + id, Op: "delete", State: core.JobRunning, Instance: instance, Started: at}
}

// Run checks the store open returns (a new, empty one each call).
func Run(t *testing.T, open func(t *testing.T) core.JobStore) {
	ctx := context.Background()
	lim := core.JobLimits{RunningPerUser: 2, Kept: 3, Keep: time.Minute}

	t.Run("OneRunnerEndsAJobOnce", func(t *testing.T) {
		s := open(t)
		if err := s.Heartbeat(ctx, "A", t0); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateJob(ctx, job("j1", 7, "A", t0), lim); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateJob(ctx, job("j1", 7, "B", t0), lim); err == nil {
			t.Fatal("a second claim of the same job was accepted")
		}
		got, err := s.Job(ctx, "j1")
		if err != nil {
			t.Fatal(err)
		}
		if got.State != core.JobRunning || got.Instance != "A" || got.User != 7 || got.Session != "sj1" || !got.Heartbeat.Equal(t0) {
			t.Fatalf("stored %+v", got)
		}
		cancel, err := s.JobProgress(ctx, "j1", "A", 5, 10)
		if err != nil || cancel {
			t.Fatalf("progress: cancel %v, %v", cancel, err)
		}
		if cancel, _ := s.JobProgress(ctx, "j1", "B", 6, 10); !cancel {
			t.Fatal("another instance's progress on A's job was taken")
		}
		if err := s.CancelJob(ctx, "j1"); err != nil {
			t.Fatal(err)
		}
		if cancel, _ := s.JobProgress(ctx, "j1", "A", 6, 10); !cancel {
			t.Fatal("the runner was not told of the cancel")
		}
		// B finds A dead and fails the job; A's late end is not recorded.
		failed := got
		failed.State, failed.Error, failed.Finished = core.JobFailed, `{"message":"stopped"}`, t0.Add(time.Second)
		if ok, err := s.EndJob(ctx, failed); !ok || err != nil {
			t.Fatalf("end: %v %v", ok, err)
		}
		late := got
		late.State, late.Result, late.Finished = core.JobFinished, `{}`, t0.Add(2*time.Second)
		if ok, _ := s.EndJob(ctx, late); ok {
			t.Fatal("a job was ended twice")
		}
		got, _ = s.Job(ctx, "j1")
		if got.State != core.JobFailed || got.Error != `{"message":"stopped"}` || got.Done != 0 && got.Done != 6 {
			t.Fatalf("after the end: %+v", got)
		}
		if err := s.ForgetJob(ctx, "j1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Job(ctx, "j1"); !core.Is(core.NotFound, err) {
			t.Fatalf("a forgotten job: %v", err)
		}
	})

	t.Run("Limits", func(t *testing.T) {
		s := open(t)
		for i := range 2 {
			if err := s.CreateJob(ctx, job(fmt.Sprint("r", i), 1, "A", t0), lim); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateJob(ctx, job("r2", 1, "B", t0), lim); !core.Is(core.Conflict, err) {
			t.Fatalf("a third running job of one user (on another instance): %v", err)
		}
		if err := s.CreateJob(ctx, job("x", 2, "A", t0), lim); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateJob(ctx, job("y", 3, "A", t0), lim); !core.Is(core.IO, err) {
			t.Fatalf("a job over the bound when all are running: %v", err)
		}
		end := job("x", 2, "A", t0)
		end.State, end.Finished = core.JobFinished, t0.Add(time.Second)
		if ok, err := s.EndJob(ctx, end); !ok || err != nil {
			t.Fatal(ok, err)
		}
		if err := s.CreateJob(ctx, job("y", 3, "A", t0.Add(2*time.Second)), lim); err != nil {
			t.Fatalf("the ended job should make room: %v", err)
		}
		if _, err := s.Job(ctx, "x"); !core.Is(core.NotFound, err) {
			t.Fatalf("the oldest ended job is still kept: %v", err)
		}
	})

	t.Run("EndedJobsAreForgottenAfterKeep", func(t *testing.T) {
		s := open(t)
		s.CreateJob(ctx, job("old", 1, "A", t0), lim)
		end := job("old", 1, "A", t0)
		end.State, end.Finished = core.JobCancelled, t0
		s.EndJob(ctx, end)
		if err := s.CreateJob(ctx, job("new", 1, "A", t0.Add(2*time.Minute)), lim); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Job(ctx, "old"); !core.Is(core.NotFound, err) {
			t.Fatalf("a job ended longer than Keep ago: %v", err)
		}
	})
}
