package server

import (
	"context"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// graphJob is a graph run in the background in this process. Its state in
// memory is the freshest; the job store (shared by every instance) gets
// it every jobFlush and at the end.
type graphJob struct {
	id      string
	user    core.ID
	session string // hash of the key of the session that started it
	op      core.GraphOp
	started time.Time
	now     func() time.Time
	cancel  context.CancelFunc

	mu       sync.Mutex
	done     int
	total    int
	state    string
	result   *core.GraphResult
	err      error
	finished time.Time
	// changed is closed (and replaced) at every change, for long polls.
	changed chan struct{}
	// recorded is closed once the end is in the job store.
	recorded chan struct{}
}

func (j *graphJob) status() wire.JobStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	st := wire.JobStatus{ID: j.id, Op: string(j.op), State: j.state, Done: j.done, Total: j.total,
		Result: j.result, Started: j.started, Finished: j.finished}
	if j.err != nil {
		b := wire.Body(j.err)
		st.Error = &b
	}
	return st
}

// progress records done of total and wakes the long polls.
func (j *graphJob) progress(done, total int) {
	j.mu.Lock()
	j.done, j.total = done, total
	close(j.changed)
	j.changed = make(chan struct{})
	j.mu.Unlock()
}

func (j *graphJob) finish(res core.GraphResult, err error, cancelled bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.finished = j.now()
	switch {
	case err == nil:
		j.state, j.result = wire.JobFinished, &res
		if j.total == 0 {
			j.total = res.Total
		}
		j.done = j.total
	case cancelled:
		j.state = wire.JobCancelled
		j.err = core.Errorf(string(j.op), core.Other, "the %s was cancelled; nothing was changed", j.op)
	default:
		j.state, j.err = wire.JobFailed, err
	}
	close(j.changed)
	j.changed = make(chan struct{})
}

// wait blocks until the job changes from seen (done count) or finishes, or
// until d or ctx ends.
func (j *graphJob) wait(ctx context.Context, seen int, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		j.mu.Lock()
		ch, done, running := j.changed, j.done, j.state == wire.JobRunning
		j.mu.Unlock()
		if !running || done != seen {
			return
		}
		select {
		case <-ch:
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}
