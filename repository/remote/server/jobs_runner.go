package server

import (
	"context"
	"encoding/json"
	"log"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// How the instances of a server keep their jobs honest with each other.
// Every instance writes a heartbeat to the job store every jobBeat; the
// runner of a job writes its progress every jobFlush and reads back
// whether a cancel was asked for (so a DELETE on any instance stops it
// within about a second). An instance that reads a running job whose
// runner has been silent for jobDeadAfter declares it failed: the runner's
// process stopped, and with it the transaction the job was applying, so
// nothing of the job was changed. A runner that finds itself unable to
// beat for half that time, or its job no longer its own, cancels its jobs
// so that what it is declared to have done (nothing) stays true.
const (
	jobFlush     = 500 * time.Millisecond
	jobBeat      = time.Second
	jobDeadAfter = 10 * time.Second
	// jobStoreTimeout bounds one write to the job store by a runner.
	jobStoreTimeout = 5 * time.Second
)

// errRunnerStopped is the failure of a job whose runner stopped.
func errRunnerStopped(op string) error {
	return core.Errorf(op, core.IO, "the server running it stopped; nothing was changed")
}

// run runs j and records its end in the store.
func (js *graphJobs) run(ctx context.Context, j *graphJob, sess core.Session, req core.GraphRequest) {
	s := js.s
	defer s.jobsWG.Done()
	defer j.cancel()
	stop, followed := make(chan struct{}), make(chan struct{})
	go js.follow(j, stop, followed)
	res, err := sess.RunGraph(ctx, req)
	close(stop)
	<-followed
	j.finish(res, err, err != nil && ctx.Err() != nil)
	js.record(j)
	js.mu.Lock()
	delete(js.running, j.id)
	js.mu.Unlock()
}

// follow writes j's progress to the store every jobFlush, and cancels j
// when a cancel was asked for (on any instance) or j is no longer this
// instance's to run.
func (js *graphJobs) follow(j *graphJob, stop <-chan struct{}, followed chan<- struct{}) {
	defer close(followed)
	t := time.NewTicker(jobFlush)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		st := j.status()
		ctx, done := context.WithTimeout(context.Background(), jobStoreTimeout)
		cancel, err := js.store.JobProgress(ctx, j.id, js.s.instance, st.Done, st.Total)
		done()
		if err == nil && cancel {
			j.cancel()
		}
	}
}

// record writes j's end to the store. It is written even when the server
// is stopping (a cancelled job's "cancelled" must reach the store), within
// jobStoreTimeout.
func (js *graphJobs) record(j *graphJob) {
	defer close(j.recorded)
	st := j.status()
	rec := core.JobRecord{ID: j.id, Instance: js.s.instance, State: st.State, Done: st.Done, Total: st.Total, Finished: st.Finished}
	if st.Result != nil {
		b, _ := json.Marshal(st.Result)
		rec.Result = string(b)
	}
	if st.Error != nil {
		b, _ := json.Marshal(st.Error)
		rec.Error = string(b)
	}
	// A few tries: a job whose end is never recorded would look running,
	// with its runner alive, for as long as this instance lives.
	var ended bool
	var err error
	for try := 0; try < 5; try++ {
		if try > 0 {
			time.Sleep(jobFlush)
		}
		ctx, done := context.WithTimeout(context.Background(), jobStoreTimeout)
		ended, err = js.store.EndJob(ctx, rec)
		done()
		if err == nil {
			break
		}
	}
	switch {
	case err != nil:
		log.Printf("serve: job %s ended %s, but the job store could not record it: %v", j.id, st.State, err)
	case !ended && st.State == wire.JobFinished:
		// Another instance declared this one dead while the job still
		// ran and then committed: only a process stalled for longer than
		// jobDeadAfter gets here.
		log.Printf("serve: job %s finished after another instance had reported it failed (this instance did not beat for %v)", j.id, jobDeadAfter)
	}
}

// checkRunner declares failed a running job whose runner (another
// instance) has stopped beating, and returns the job as now stored.
func (js *graphJobs) checkRunner(ctx context.Context, rec core.JobRecord) (core.JobRecord, error) {
	now := js.s.cfg.Now()
	if rec.State != core.JobRunning || rec.Instance == js.s.instance || now.Sub(rec.Heartbeat) <= jobDeadAfter {
		return rec, nil
	}
	b, _ := json.Marshal(wire.Body(errRunnerStopped(rec.Op)))
	failed := rec
	failed.State, failed.Error, failed.Finished = core.JobFailed, string(b), now
	if _, err := js.store.EndJob(ctx, failed); err != nil {
		return rec, err
	}
	// Whether this instance or another recorded the end, the store has it.
	return js.store.Job(ctx, rec.ID)
}

// beat writes this instance's heartbeat every jobBeat until the server
// stops; when the store has refused it for half of jobDeadAfter, the jobs
// running here are cancelled (other instances are about to report them
// failed, "nothing was changed", which must stay true).
func (s *Server) beat(stopped chan<- struct{}) {
	defer close(stopped)
	t := time.NewTicker(jobBeat)
	defer t.Stop()
	lastOK := s.cfg.Now()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
		ctx, done := context.WithTimeout(s.ctx, jobBeat)
		err := s.cfg.Jobs.Heartbeat(ctx, s.instance, s.cfg.Now())
		done()
		now := s.cfg.Now()
		if err == nil {
			lastOK = now
			continue
		}
		if now.Sub(lastOK) > jobDeadAfter/2 {
			log.Printf("serve: the job store has taken no heartbeat for %v (%v); cancelling the jobs running here", now.Sub(lastOK).Round(time.Second), err)
			s.jobs.cancelAll()
		}
	}
}

func (js *graphJobs) cancelAll() {
	js.mu.Lock()
	defer js.mu.Unlock()
	for _, j := range js.running {
		j.cancel()
	}
}
