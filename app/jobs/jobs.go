// Package jobs runs long operations (graph operations: delete, move to
// group, change owner, duplicate, permission changes) in the background with
// progress and a recorded result, so that the desktop can show an
// activities list with a "show" link and the CLI can wait with a progress
// bar. It holds no UI code.
//
// Threading: a job runs on its own goroutine; observers registered with
// Subscribe are called from that goroutine, so a UI must hand the Info over
// to its own thread (fyne.Do) before touching widgets.
package jobs

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// State is where a job is in its life.
type State string

const (
	Running   State = "running"
	Done      State = "done"
	Failed    State = "failed"
	Cancelled State = "cancelled"
)

// Info is a snapshot of a job: what the activities list shows.
type Info struct {
	ID       int       `json:"id"`
	Kind     string    `json:"kind"` // "delete", "chgrp", ...
	Title    string    `json:"title"`
	State    State     `json:"state"`
	Done     int       `json:"done"`  // objects processed
	Total    int       `json:"total"` // of this many (0 while unknown)
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitempty"`
	Err      string    `json:"error,omitempty"`
	// Result is the recorded outcome (for graph operations a
	// core.GraphResult: what changed, with the IDs).
	Result any `json:"result,omitempty"`
}

// Fraction is the part done, 0 to 1 (0 while the total is unknown).
func (i Info) Fraction() float64 {
	if i.Total <= 0 {
		return 0
	}
	return min(1, float64(i.Done)/float64(i.Total))
}

// Func is the work of a job; it reports progress as done of total.
type Func func(ctx context.Context, progress func(done, total int)) (any, error)

// Manager keeps the jobs of a session, newest last.
type Manager struct {
	mu   sync.Mutex
	jobs []*Job
	next int
	subs map[int]func(Info)
	sub  int
}

// NewManager returns an empty manager.
func NewManager() *Manager { return &Manager{subs: map[int]func(Info){}} }

// Job is one running or finished job.
type Job struct {
	m      *Manager
	info   Info
	err    error
	done   chan struct{}
	cancel context.CancelFunc
}

// Start runs fn on a new goroutine and returns at once.
func (m *Manager) Start(ctx context.Context, kind, title string, fn Func) *Job {
	ctx, cancel := context.WithCancel(ctx)
	m.mu.Lock()
	m.next++
	j := &Job{m: m, done: make(chan struct{}), cancel: cancel,
		info: Info{ID: m.next, Kind: kind, Title: title, State: Running, Started: time.Now()}}
	m.jobs = append(m.jobs, j)
	m.mu.Unlock()
	m.notify(j)
	go j.run(ctx, fn)
	return j
}

func (j *Job) run(ctx context.Context, fn Func) {
	defer j.cancel()
	res, err := fn(ctx, func(done, total int) {
		j.m.mu.Lock()
		j.info.Done, j.info.Total = done, total
		j.m.mu.Unlock()
		j.m.notify(j)
	})
	j.m.mu.Lock()
	j.info.Finished = time.Now()
	j.info.Result = res
	j.err = err
	switch {
	case err == nil:
		j.info.State = Done
	case ctx.Err() != nil:
		j.info.State, j.info.Err = Cancelled, "cancelled"
	default:
		j.info.State, j.info.Err = Failed, core.UserMessage(err)
	}
	j.m.mu.Unlock()
	j.m.notify(j)
	close(j.done)
}

// Info returns a snapshot.
func (j *Job) Info() Info {
	j.m.mu.Lock()
	defer j.m.mu.Unlock()
	return j.info
}

// Wait blocks until the job ends (or ctx does) and returns its result.
func (j *Job) Wait(ctx context.Context) (any, error) {
	select {
	case <-j.done:
		return j.info.Result, j.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Done is closed when the job has ended.
func (j *Job) Done() <-chan struct{} { return j.done }

// Cancel asks the job to stop; a graph operation then changes nothing.
func (j *Job) Cancel() { j.cancel() }

// List returns snapshots of every job, newest first.
func (m *Manager) List() []Info {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Info, len(m.jobs))
	for i, j := range m.jobs {
		out[i] = j.info
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].ID > out[b].ID })
	return out
}

// Get finds a job by ID.
func (m *Manager) Get(id int) (*Job, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, j := range m.jobs {
		if j.info.ID == id {
			return j, true
		}
	}
	return nil, false
}

// Subscribe calls fn with a snapshot whenever a job starts, progresses or
// ends (on the job's goroutine). The returned function unsubscribes.
func (m *Manager) Subscribe(fn func(Info)) (cancel func()) {
	m.mu.Lock()
	m.sub++
	id := m.sub
	m.subs[id] = fn
	m.mu.Unlock()
	return func() {
		m.mu.Lock()
		delete(m.subs, id)
		m.mu.Unlock()
	}
}

func (m *Manager) notify(j *Job) {
	m.mu.Lock()
	info := j.info
	fns := make([]func(Info), 0, len(m.subs))
	for _, f := range m.subs {
		fns = append(fns, f)
	}
	m.mu.Unlock()
	for _, f := range fns {
		f(info)
	}
}
