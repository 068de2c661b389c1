package ui_test

import (
	"context"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// The Activities panel: the badge, progress and cancel, the CLI's runs on
// refresh, and closing the window while a job runs.

// What the CLI ran on the same repository while the desktop is open joins
// the activities on refresh, with its Show link.
func TestActivitiesListTheCommandLinesMovesOnRefresh(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	u.Browser.ShowActivities()
	if !contains(dialogTexts(u), "No activities in this session yet: moves, changes of owner and duplicates you start show here.") {
		t.Errorf("an empty list says %q", dialogTexts(u))
	}
	olive := testrepo.Login(t, f.svc, "olive", password)
	ctx := context.Background()
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	req := core.GraphRequest{Op: core.OpChgrp, Group: f.groups[core.ReadWrite].ID,
		Targets: []core.Target{{Class: core.Project, IDs: []core.ID{f.oliveProject[core.ReadAnnotate].ID}}}}
	res, err := olive.RunGraph(ctx, req)
	must(t, err)
	me, err := olive.Me(ctx)
	must(t, err)
	// As cmd/ocular-cli's recordGraph writes it.
	must(t, jobs.AppendRecord(f.dir, jobs.Record{Time: time.Now(), User: me.User.ID, Op: core.OpChgrp, State: jobs.Done,
		Title: "ocular-cli chgrp " + req.Targets[0].String(), Outcome: graphreview.Outcome(res, groupName(core.ReadWrite)),
		Refs: jobs.Changed(jobs.Info{Result: res}), Group: req.Group}))
	tapButton(t, u, "Refresh")
	if want := "Moved 1 project, 1 dataset, 2 images to " + groupName(core.ReadWrite) + "."; !contains(dialogTexts(u), want) {
		t.Fatalf("after Refresh the activities say %q, want %q", dialogTexts(u), want)
	}
	tapButton(t, u, "Show")
	if u.Browser.Group() != f.groups[core.ReadWrite].ID {
		t.Errorf("Show did not switch to the destination group")
	}
}

// The badge counts running jobs; a running job shows its progress and
// Cancel, and a cancelled one says nothing changed.
func TestActivitiesBadgeProgressAndCancel(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	started := make(chan struct{})
	j := u.Browser.Jobs().Start(context.Background(), "graph", "Move things", func(ctx context.Context, progress func(int, int)) (any, error) {
		progress(3, 10)
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	<-started
	if got := u.Browser.ActivitiesBadge(); got != "1" {
		t.Errorf("the badge shows %q while a job runs, want 1", got)
	}
	u.Browser.ShowActivities()
	if !contains(dialogTexts(u), "3 of 10 objects processed") {
		t.Errorf("the running job shows %q", dialogTexts(u))
	}
	tapButton(t, u, "Cancel")
	<-j.Done()
	if got := u.Browser.ActivitiesBadge(); got != "" {
		t.Errorf("the badge shows %q after the job ended", got)
	}
	if !contains(dialogTexts(u), "Cancelled: nothing changed.") {
		t.Errorf("the cancelled job shows %q", dialogTexts(u))
	}
}

// Closing the window while a job runs stops it and waits for its end, so
// the session never closes under a half-applied operation.
func TestClosingTheWindowEndsRunningJobsFirst(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	started := make(chan struct{})
	j := u.Browser.Jobs().Start(context.Background(), "graph", "Move things", func(ctx context.Context, _ func(int, int)) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	<-started
	u.Close()
	select {
	case <-j.Done():
	default:
		t.Fatal("Close returned while the job still ran")
	}
	if s := j.Info().State; s != jobs.Cancelled {
		t.Errorf("the job ended %s", s)
	}
}
