package server

// Graph operations over the wire (core.Graph). A dry run is one request; a
// real run is a job: it outlives the request that started it, reports its
// progress, and can be cancelled, so that a delete of 10,000 images neither
// holds a connection open nor leaves a client guessing after a dropped one.
// A job runs the in-process RunGraph with a context the server owns: a
// cancelled job (DELETE, or Server.Shutdown) rolls back whole.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

const (
	// jobKeep is how long a finished job's result stays to be read.
	jobKeep = 15 * time.Minute
	// jobMax bounds the jobs held (running and finished): the oldest
	// finished ones go first; when all are running a new one is refused.
	jobMax = 256
	// jobMaxRunning bounds one user's running jobs.
	jobMaxRunning = 4
	// jobMaxWait bounds a long poll (?wait=).
	jobMaxWait = 30 * time.Second
)

// graphJob is one graph run in the background.
type graphJob struct {
	id      string
	user    core.ID
	key     string // the session key that started it: polls with it skip Me
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

// graphJobs holds one server's graph jobs and serves their routes.
type graphJobs struct {
	s    *Server
	mu   sync.Mutex
	byID map[string]*graphJob
}

var errNoJob = core.Errorf("job", core.NotFound, "no such job (finished jobs are kept for a while, then forgotten)")

// routesJobs registers the graph routes (called from New).
// It also registers the rendering-settings routes, so that New needs one
// line for both.
func (s *Server) routesJobs() {
	js := &graphJobs{s: s, byID: map[string]*graphJob{}}
	s.handle("POST /ocular/v1/graph/plan", s.graphPlan)
	s.handle("POST /ocular/v1/jobs", js.start)
	s.handle("GET /ocular/v1/jobs/{job}", js.get)
	s.handle("DELETE /ocular/v1/jobs/{job}", js.cancel)
	s.handle("POST /ocular/v1/repair-files", s.graphRepairFiles)
	s.routesRenderingSettings()
}

func (s *Server) graphPlan(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var req core.GraphRequest
	if err := s.decodeJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	req.DryRun = true
	p, err := sess.PlanGraph(r.Context(), req)
	if err != nil {
		body := wire.PlanError{ErrorBody: wire.Body(err)}
		// Only a plan the rules refused is worth showing; a hidden target
		// answers exactly like a missing one.
		if len(p.Blockers) > 0 && !core.Is(core.NotFound, err) {
			body.Plan = &p
		}
		writeJSON(w, wire.Status(core.KindOf(err)), body)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (js *graphJobs) start(w http.ResponseWriter, r *http.Request, sess core.Session) {
	s := js.s
	var req core.GraphRequest
	if err := s.decodeJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	if s.ctx.Err() != nil {
		writeError(w, core.Errorf("job", core.IO, "the server is shutting down; try again when it is back"))
		return
	}
	me, err := sess.Me(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	j := &graphJob{id: newJobID(), user: me.User.ID, key: sess.Key(), op: req.Op, started: s.cfg.Now(), now: s.cfg.Now,
		cancel: cancel, state: wire.JobRunning, changed: make(chan struct{})}
	if err := js.add(j); err != nil {
		cancel()
		writeError(w, err)
		return
	}
	req.Progress = j.progress
	s.jobsWG.Add(1)
	go func() {
		defer s.jobsWG.Done()
		defer cancel()
		res, err := sess.RunGraph(ctx, req)
		j.finish(res, err, err != nil && ctx.Err() != nil)
	}()
	writeJSON(w, http.StatusAccepted, j.status())
}

// add registers j, first forgetting finished jobs past their time, and
// refuses a job over the bounds.
func (js *graphJobs) add(j *graphJob) error {
	now := j.started
	js.mu.Lock()
	defer js.mu.Unlock()
	running := 0
	var oldest *graphJob
	for id, o := range js.byID {
		o.mu.Lock()
		fin, state, user := o.finished, o.state, o.user
		o.mu.Unlock()
		if state != wire.JobRunning {
			if now.Sub(fin) > jobKeep {
				delete(js.byID, id)
				continue
			}
			if oldest == nil || fin.Before(oldest.finished) {
				oldest = o
			}
		} else if user == j.user {
			running++
		}
	}
	if running >= jobMaxRunning {
		return core.Errorf("job", core.Conflict, "you already have %d operations running; wait for one to finish", running)
	}
	if len(js.byID) >= jobMax {
		if oldest == nil {
			return core.Errorf("job", core.IO, "the server is busy with other operations; try again in a moment")
		}
		delete(js.byID, oldest.id)
	}
	js.byID[j.id] = j
	return nil
}

// lookup finds the caller's job: another user's answers like a missing one.
func (js *graphJobs) lookup(r *http.Request, sess core.Session) (*graphJob, error) {
	js.mu.Lock()
	j := js.byID[r.PathValue("job")]
	js.mu.Unlock()
	if j == nil {
		return nil, errNoJob
	}
	if j.key == sess.Key() {
		return j, nil
	}
	me, err := sess.Me(r.Context())
	if err != nil {
		return nil, err
	}
	if me.User.ID != j.user {
		return nil, errNoJob
	}
	return j, nil
}

// jobWaitParam reads ?wait= (a duration such as 10s, or seconds), at most jobMaxWait.
func jobWaitParam(r *http.Request) (time.Duration, error) {
	v := r.URL.Query().Get("wait")
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		secs, err2 := strconv.Atoi(v)
		if err2 != nil {
			return 0, core.Errorf("job", core.Invalid, "wait=%q is not a duration: write it as 10s", v)
		}
		d = time.Duration(secs) * time.Second
	}
	return min(max(d, 0), jobMaxWait), nil
}

// get answers the job's status. With ?wait=D it first waits (at most D)
// until the progress moves past ?done= or the job finishes: a long poll,
// so a client follows a job without a busy loop.
func (js *graphJobs) get(w http.ResponseWriter, r *http.Request, sess core.Session) {
	j, err := js.lookup(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	d, err := jobWaitParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	var seen int
	if v := r.URL.Query().Get("done"); v != "" {
		if seen, err = strconv.Atoi(v); err != nil {
			writeError(w, core.Errorf("job", core.Invalid, "done=%q is not a number", v))
			return
		}
	} else {
		seen = j.status().Done
	}
	j.wait(r.Context(), seen, d)
	writeJSON(w, http.StatusOK, j.status())
}

// cancel cancels a running job and waits (at most jobMaxWait) for it to
// roll back, so that when it answers "cancelled" nothing was changed. A
// finished job is only forgotten.
func (js *graphJobs) cancel(w http.ResponseWriter, r *http.Request, sess core.Session) {
	j, err := js.lookup(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	j.cancel()
	ctx, stop := context.WithTimeout(r.Context(), jobMaxWait)
	defer stop()
	for {
		st := j.status()
		if st.State != wire.JobRunning {
			js.mu.Lock()
			delete(js.byID, j.id)
			js.mu.Unlock()
			writeJSON(w, http.StatusOK, st)
			return
		}
		j.wait(ctx, st.Done, jobMaxWait)
		if ctx.Err() != nil {
			writeJSON(w, http.StatusAccepted, j.status())
			return
		}
	}
}

func (s *Server) graphRepairFiles(w http.ResponseWriter, r *http.Request, sess core.Session) {
	var req wire.RepairRequest
	if err := s.decodeJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	rep, err := sess.RepairFiles(r.Context(), req.MinAgeSeconds)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func newJobID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
