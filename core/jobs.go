package core

import (
	"context"
	"time"
)

// Job states: a job is running until it ends in one of the other three.
const (
	JobRunning   = "running"
	JobFinished  = "finished"  // Result is set
	JobFailed    = "failed"    // Error is set; nothing was changed
	JobCancelled = "cancelled" // rolled back; nothing was changed
)

// JobRecord is a server's background job (a graph operation) as the
// instances of one server share it: whichever instance a client asks sees
// the same progress, outcome and cancel request.
type JobRecord struct {
	ID string
	// User started the job; only they may see it. Session is a hash of the
	// key of the session that started it.
	User    ID
	Session string
	Op      string
	State   string
	Done    int
	Total   int
	// Result and Error are the outcome, as JSON the server wrote (the store
	// keeps them as opaque text).
	Result string
	Error  string
	// Instance is the server process that claimed and runs the job;
	// Heartbeat is that instance's last sign of life (read only: Heartbeat
	// writes it), so another instance can tell a runner that died.
	Instance  string
	Heartbeat time.Time
	// Cancel is set by CancelJob; the runner sees it in its next
	// JobProgress answer.
	Cancel   bool
	Started  time.Time
	Finished time.Time
}

// JobLimits bound the jobs a store keeps.
type JobLimits struct {
	// RunningPerUser bounds one user's running jobs (all instances together).
	RunningPerUser int
	// Kept bounds the jobs kept, running and ended: the oldest ended ones
	// are forgotten first; when all are running a new job is refused.
	Kept int
	// Keep is how long an ended job stays to be read.
	Keep time.Duration
}

// JobStore is the port of the jobs several server instances share (an
// optional companion of Store: repository/sqlite keeps them in a small
// database of their own beside the repository's, repository/postgres in
// the same database). Every method is its own short transaction, never
// part of a Store.Write: a job's progress and cancel flag must be
// writable while the job's own transaction holds the repository.
type JobStore interface {
	// CreateJob records j, running and claimed by j.Instance, after
	// forgetting ended jobs older than lim.Keep. It is a Conflict when the
	// user already runs lim.RunningPerUser jobs, and IO when lim.Kept jobs
	// are all running.
	CreateJob(ctx context.Context, j JobRecord, lim JobLimits) error
	// Job returns a job with its instance's heartbeat, or NotFound.
	Job(ctx context.Context, id string) (JobRecord, error)
	// JobProgress records the progress of a running job claimed by
	// instance and answers whether a cancel was asked for. A job that is no
	// longer running, or claimed by another instance, answers cancel.
	JobProgress(ctx context.Context, id, instance string, done, total int) (cancel bool, err error)
	// EndJob records the end of a job (j's State, Done, Total, Result,
	// Error, Finished) if it is still running and claimed by j.Instance,
	// and reports whether it was. An instance that finds a runner dead ends
	// its job failed the same way, so exactly one end is recorded.
	EndJob(ctx context.Context, j JobRecord) (bool, error)
	// CancelJob asks the runner of a running job to cancel it.
	CancelJob(ctx context.Context, id string) error
	// ForgetJob removes a job (its result has been read or it was cancelled).
	ForgetJob(ctx context.Context, id string) error
	// Heartbeat records that instance is alive at at.
	Heartbeat(ctx context.Context, instance string, at time.Time) error
	Close() error
}

// GenerationStore is an optional Store that counts the writes committed to
// it by every process, so that a server instance holding an answer in
// memory can tell whether another instance changed the repository since.
type GenerationStore interface {
	// Generation changes after every committed write by any process.
	Generation(ctx context.Context) (uint64, error)
}
