package server

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// memoryJobs is the core.JobStore of a server given none (Config.Jobs):
// its jobs live in this process, as right for a single instance and for
// tests. Several instances need a shared store (repository/sqlite.Jobs,
// repository/postgres).
type memoryJobs struct {
	mu    sync.Mutex
	jobs  map[string]core.JobRecord
	beats map[string]time.Time
}

func newMemoryJobs() *memoryJobs {
	return &memoryJobs{jobs: map[string]core.JobRecord{}, beats: map[string]time.Time{}}
}

func (m *memoryJobs) CreateJob(_ context.Context, j core.JobRecord, lim core.JobLimits) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, taken := m.jobs[j.ID]; taken {
		return core.Errorf("job", core.Conflict, "the job %s exists already", j.ID)
	}
	running := 0
	var ended []core.JobRecord
	for id, o := range m.jobs {
		switch {
		case o.State == core.JobRunning:
			if o.User == j.User {
				running++
			}
		case j.Started.Sub(o.Finished) > lim.Keep:
			delete(m.jobs, id)
		default:
			ended = append(ended, o)
		}
	}
	if running >= lim.RunningPerUser {
		return core.Errorf("job", core.Conflict, "you already have %d operations running; wait for one to finish", running)
	}
	if over := len(m.jobs) - lim.Kept + 1; over > 0 {
		if over > len(ended) {
			return core.Errorf("job", core.IO, "the server is busy with other operations; try again in a moment")
		}
		sort.Slice(ended, func(a, b int) bool { return ended[a].Finished.Before(ended[b].Finished) })
		for _, o := range ended[:over] {
			delete(m.jobs, o.ID)
		}
	}
	j.State = core.JobRunning
	m.jobs[j.ID] = j
	return nil
}

func (m *memoryJobs) Job(_ context.Context, id string) (core.JobRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[id]
	if !ok {
		return j, errNoJob
	}
	j.Heartbeat = m.beats[j.Instance]
	return j, nil
}

func (m *memoryJobs) JobProgress(_ context.Context, id, instance string, done, total int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[id]
	if !ok || j.Instance != instance || j.State != core.JobRunning {
		return true, nil
	}
	j.Done, j.Total = done, total
	m.jobs[id] = j
	return j.Cancel, nil
}

func (m *memoryJobs) EndJob(_ context.Context, e core.JobRecord) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	j, ok := m.jobs[e.ID]
	if !ok || j.Instance != e.Instance || j.State != core.JobRunning {
		return false, nil
	}
	j.State, j.Done, j.Total, j.Result, j.Error, j.Finished = e.State, e.Done, e.Total, e.Result, e.Error, e.Finished
	m.jobs[e.ID] = j
	return true, nil
}

func (m *memoryJobs) CancelJob(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if j, ok := m.jobs[id]; ok && j.State == core.JobRunning {
		j.Cancel = true
		m.jobs[id] = j
	}
	return nil
}

func (m *memoryJobs) ForgetJob(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.jobs, id)
	return nil
}

func (m *memoryJobs) Heartbeat(_ context.Context, instance string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.beats[instance] = at
	return nil
}

func (m *memoryJobs) Close() error { return nil }
