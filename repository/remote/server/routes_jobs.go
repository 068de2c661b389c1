package server

// Graph operations over the wire (core.Graph). A dry run is one request; a
// real run is a job: it outlives the request that started it, reports its
// progress, and can be cancelled, so that a delete of 10,000 images neither
// holds a connection open nor leaves a client guessing after a dropped one.
// A job runs the in-process RunGraph with a context the server owns: a
// cancelled job (DELETE, or Server.Shutdown) rolls back whole.
//
// Jobs are kept in a core.JobStore that every instance of the server
// shares (jobs_runner.go): the instance that accepted a job runs it and
// writes its progress there; any instance answers its status and passes
// on a cancel, and declares a job failed when its runner stopped.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
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
	// jobPoll is how often a long poll on another instance than the
	// runner's reads the job store.
	jobPoll = 200 * time.Millisecond
)

var jobLimits = core.JobLimits{RunningPerUser: jobMaxRunning, Kept: jobMax, Keep: jobKeep}

// graphJobs serves one server's graph routes; running holds the jobs this
// instance runs.
type graphJobs struct {
	s       *Server
	store   core.JobStore
	mu      sync.Mutex
	running map[string]*graphJob
}

var errNoJob = core.Errorf("job", core.NotFound, "no such job (finished jobs are kept for a while, then forgotten)")

// routesJobs registers the graph routes (called from New).
// It also registers the rendering-settings routes, so that New needs one
// line for both.
func (s *Server) routesJobs() {
	js := &graphJobs{s: s, store: s.cfg.Jobs, running: map[string]*graphJob{}}
	if js.store == nil {
		js.store = newMemoryJobs()
	}
	s.jobs = js
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
	j := &graphJob{id: newJobID(), user: me.User.ID, session: hashKey(sess.Key()), op: req.Op, started: s.cfg.Now(), now: s.cfg.Now,
		cancel: cancel, state: wire.JobRunning, changed: make(chan struct{}), recorded: make(chan struct{})}
	rec := core.JobRecord{ID: j.id, User: j.user, Session: j.session, Op: string(j.op), State: core.JobRunning,
		Instance: s.instance, Started: j.started}
	// The job is claimed by this instance in the same insert that records
	// it: no other instance ever runs it.
	if err := js.store.CreateJob(r.Context(), rec, jobLimits); err != nil {
		cancel()
		writeError(w, err)
		return
	}
	js.mu.Lock()
	js.running[j.id] = j
	js.mu.Unlock()
	req.Progress = j.progress
	s.jobsWG.Add(1)
	go js.run(ctx, j, sess, req)
	writeJSON(w, http.StatusAccepted, j.status())
}

// lookup finds the caller's job, in this instance's memory when it runs
// here, else in the job store: another user's answers like a missing one.
func (js *graphJobs) lookup(r *http.Request, sess core.Session) (core.JobRecord, *graphJob, error) {
	id := r.PathValue("job")
	js.mu.Lock()
	j := js.running[id]
	js.mu.Unlock()
	var rec core.JobRecord
	if j != nil {
		rec = core.JobRecord{ID: j.id, User: j.user, Session: j.session}
	} else {
		var err error
		if rec, err = js.store.Job(r.Context(), id); err != nil {
			if core.Is(core.NotFound, err) {
				err = errNoJob
			}
			return rec, nil, err
		}
	}
	if rec.Session != hashKey(sess.Key()) {
		me, err := sess.Me(r.Context())
		if err != nil {
			return rec, nil, err
		}
		if me.User.ID != rec.User {
			return rec, nil, errNoJob
		}
	}
	if j == nil {
		var err error
		rec, err = js.checkRunner(r.Context(), rec)
		return rec, nil, err
	}
	return rec, j, nil
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
	rec, j, err := js.lookup(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	d, err := jobWaitParam(r)
	if err != nil {
		writeError(w, err)
		return
	}
	seen := -1
	if v := r.URL.Query().Get("done"); v != "" {
		if seen, err = strconv.Atoi(v); err != nil {
			writeError(w, core.Errorf("job", core.Invalid, "done=%q is not a number", v))
			return
		}
	}
	if j != nil {
		if seen < 0 {
			seen = j.status().Done
		}
		j.wait(r.Context(), seen, d)
		writeJSON(w, http.StatusOK, j.status())
		return
	}
	if seen < 0 {
		seen = rec.Done
	}
	rec, err = js.waitStored(r.Context(), rec, seen, d)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, recordStatus(rec))
}

// waitStored is wait for a job another instance runs: it reads the store
// every jobPoll until the job moves past seen or ends, or d or ctx end.
func (js *graphJobs) waitStored(ctx context.Context, rec core.JobRecord, seen int, d time.Duration) (core.JobRecord, error) {
	if d <= 0 || rec.State != core.JobRunning || rec.Done != seen {
		return rec, nil
	}
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(jobPoll)
	defer tick.Stop()
	for {
		select {
		case <-deadline.C:
			return rec, nil
		case <-ctx.Done():
			return rec, nil
		case <-tick.C:
		}
		next, err := js.store.Job(ctx, rec.ID)
		if core.Is(core.NotFound, err) {
			return rec, errNoJob // cancelled and forgotten meanwhile
		}
		if err != nil {
			return rec, err
		}
		if next, err = js.checkRunner(ctx, next); err != nil {
			return rec, err
		}
		rec = next
		if rec.State != core.JobRunning || rec.Done != seen {
			return rec, nil
		}
	}
}

// cancel cancels a running job and waits (at most jobMaxWait) for it to
// roll back, so that when it answers "cancelled" nothing was changed. A
// finished job is only forgotten.
func (js *graphJobs) cancel(w http.ResponseWriter, r *http.Request, sess core.Session) {
	rec, j, err := js.lookup(r, sess)
	if err != nil {
		writeError(w, err)
		return
	}
	ctx, stop := context.WithTimeout(r.Context(), jobMaxWait)
	defer stop()
	var st wire.JobStatus
	if j != nil {
		j.cancel()
		select {
		case <-j.recorded:
		case <-ctx.Done():
			writeJSON(w, http.StatusAccepted, j.status())
			return
		}
		st = j.status()
	} else {
		if rec.State == core.JobRunning {
			if err := js.store.CancelJob(ctx, rec.ID); err != nil {
				writeError(w, err)
				return
			}
		}
		for rec.State == core.JobRunning && ctx.Err() == nil {
			if rec, err = js.waitStored(ctx, rec, rec.Done, jobMaxWait); err != nil {
				writeError(w, err)
				return
			}
		}
		st = recordStatus(rec)
		if st.State == wire.JobRunning {
			writeJSON(w, http.StatusAccepted, st)
			return
		}
	}
	if err := js.store.ForgetJob(context.WithoutCancel(r.Context()), st.ID); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// recordStatus is a stored job as the wire shows it.
func recordStatus(r core.JobRecord) wire.JobStatus {
	st := wire.JobStatus{ID: r.ID, Op: r.Op, State: r.State, Done: r.Done, Total: r.Total, Started: r.Started, Finished: r.Finished}
	if r.Result != "" {
		var res core.GraphResult
		if json.Unmarshal([]byte(r.Result), &res) == nil {
			st.Result = &res
		}
	}
	if r.Error != "" {
		var b wire.ErrorBody
		if json.Unmarshal([]byte(r.Error), &b) == nil {
			st.Error = &b
		}
	}
	return st
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
