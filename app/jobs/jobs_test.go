package jobs_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

// fakeGraph applies a canned result, reporting progress row by row.
type fakeGraph struct {
	rows int
	err  error
}

func (f *fakeGraph) PlanGraph(ctx context.Context, req core.GraphRequest) (core.GraphPlan, error) {
	return core.GraphPlan{Op: req.Op, Total: f.rows}, f.err
}

func (f *fakeGraph) RunGraph(ctx context.Context, req core.GraphRequest) (core.GraphResult, error) {
	if f.err != nil {
		return core.GraphResult{}, f.err
	}
	for i := 1; i <= f.rows; i++ {
		if req.Progress != nil {
			req.Progress(i, f.rows)
		}
	}
	return core.GraphResult{GraphPlan: core.GraphPlan{Op: req.Op, Processed: []core.Ref{{Class: core.Image, ID: 7}}}}, nil
}

func (f *fakeGraph) RepairFiles(ctx context.Context, minAge int) (core.RepairReport, error) {
	return core.RepairReport{}, nil
}

func TestGraphJobRecordsProgressAndResult(t *testing.T) {
	m := jobs.NewManager()
	var mu sync.Mutex
	var seen []jobs.Info
	stop := m.Subscribe(func(i jobs.Info) { mu.Lock(); seen = append(seen, i); mu.Unlock() })
	defer stop()
	req := core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: core.Image, IDs: []core.ID{7}}}}
	j := jobs.StartGraph(context.Background(), m, &fakeGraph{rows: 3}, req)
	if _, err := j.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	info := j.Info()
	if info.State != jobs.Done || info.Done != 3 || info.Total != 3 || info.Fraction() != 1 || info.Title != "Delete Image:7" {
		t.Errorf("info: %+v", info)
	}
	if ch := jobs.Changed(info); len(ch) != 1 || ch[0].ID != 7 {
		t.Errorf("changed: %v", ch)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 5 || seen[0].State != jobs.Running || seen[1].Done != 1 || seen[4].State != jobs.Done {
		t.Errorf("observer saw %d updates: %+v", len(seen), seen)
	}
	if l := m.List(); len(l) != 1 || l[0].ID != info.ID {
		t.Errorf("list: %+v", l)
	}
}

func TestFailedJobKeepsTheUserMessage(t *testing.T) {
	m := jobs.NewManager()
	err := core.Errorf("delete", core.Conflict, "within Fileset:1 may not delete Image:2 while Image:3 remains")
	j := jobs.StartGraph(context.Background(), m, &fakeGraph{err: err}, core.GraphRequest{Op: core.OpDelete})
	if _, got := j.Wait(context.Background()); !errors.Is(got, err) {
		t.Fatalf("wait: %v", got)
	}
	if i := j.Info(); i.State != jobs.Failed || i.Err != "within Fileset:1 may not delete Image:2 while Image:3 remains" {
		t.Errorf("info: %+v", i)
	}
}

func TestCancelledJob(t *testing.T) {
	m := jobs.NewManager()
	started := make(chan struct{})
	j := m.Start(context.Background(), "test", "wait", func(ctx context.Context, _ func(int, int)) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	<-started
	j.Cancel()
	<-j.Done()
	if j.Info().State != jobs.Cancelled {
		t.Errorf("state %s", j.Info().State)
	}
}
