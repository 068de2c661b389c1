// Package importqueue is the desktop's import queue, without any widget:
// entries (a file, a folder, or a multi-file set grouped as the CLI groups
// it), each with its target (group, the user it is imported for, an
// existing or new dataset or screen, folder as dataset, tags, transfer),
// run in the background one after another (or two at once) through
// app/importer — the same code path as `ocular-cli import`, which uploads
// when the session is a server's. Each entry runs as a job of app/jobs, so
// the activities list shows it with a Show link once it is done.
//
// Threading: Add and Run do repository and file work and must not run on
// a UI goroutine; the other methods are cheap and safe from any goroutine.
// OnChange is called from the goroutine running the entry.
package importqueue

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

// State is where an entry is.
type State string

const (
	Waiting   State = "waiting"
	Running   State = "running"
	Done      State = "done"
	Failed    State = "failed"
	Cancelled State = "cancelled"
)

// Entry is a snapshot of one queued import.
type Entry struct {
	ID     int
	Set    importer.Set
	Name   string
	Target Target
	State  State
	// Phase is what the running entry does now: reading, copying or
	// drawing thumbnails (see Status).
	Phase     Phase
	UnitsDone int   // import units of the set finished
	Bytes     int64 // bytes transferred
	// Reason says, in a sentence, why the entry failed (or which of its
	// files did).
	Reason string
	// Images are the images made; Into the container they went into.
	Images []core.Ref
	Into   core.Ref
	// Imported, Failed count the set's units by outcome.
	Imported, FailedUnits int
	retry                 bool
	// cancel is set by a Cancel that came before the entry's job was
	// recorded; the job is cancelled as soon as it is.
	cancel bool
}

// Phase is a running entry's step.
type Phase string

const (
	Reading    Phase = "Reading"
	Copying    Phase = "Copying"
	Thumbnails Phase = "Drawing thumbnails"
)

// Fraction is the part of the entry done, 0 to 1: the bytes copied weigh
// most, each unit finished the rest.
func (e Entry) Fraction() float64 {
	switch e.State {
	case Done, Failed:
		return 1
	case Waiting, Cancelled:
		return 0
	}
	f := 0.0
	if e.Set.Bytes > 0 {
		f += 0.8 * min(1, float64(e.Bytes)/float64(e.Set.Bytes))
	}
	if e.Set.Units > 0 {
		f += 0.2 * min(1, float64(e.UnitsDone)/float64(e.Set.Units))
	}
	return min(1, f)
}

// Status is the entry's state in a few words for the list.
func (e Entry) Status() string {
	switch e.State {
	case Waiting:
		return "Waiting"
	case Running:
		s := string(e.Phase)
		if s == "" {
			s = "Starting"
		}
		if e.Set.Units > 1 {
			s += fmt.Sprintf(" (%d of %d files done)", e.UnitsDone, e.Set.Units)
		}
		return s + "…"
	case Done:
		return outcome(e)
	case Cancelled:
		return "Cancelled"
	}
	return "Failed"
}

// outcome words a finished entry's result.
func outcome(e Entry) string {
	s := fmt.Sprintf("Imported %d image%s", len(e.Images), plural(len(e.Images)))
	if e.Imported > 0 && len(e.Images) == 0 {
		s = fmt.Sprintf("Imported %d file%s", e.Imported, plural(e.Imported))
	}
	if e.FailedUnits > 0 {
		s += fmt.Sprintf("; %d file%s failed", e.FailedUnits, plural(e.FailedUnits))
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Problem is a path Add could not queue, with the reason.
type Problem struct {
	Path     string
	Sentence string
}

// Config is what the queue needs.
type Config struct {
	// Session is the user's; each entry imports through a session in its
	// target group (Session.InGroup), so the browser's group is untouched.
	Session core.Session
	// Import is the pipeline's configuration; its Session is set per entry.
	Import importer.Config
	// Jobs lists the entries among the session's activities; nil makes a
	// manager of the queue's own.
	Jobs *jobs.Manager
	// Parallel is how many entries run at once (1 or 2; 0 = 1).
	Parallel int
	// OnChange is told each time an entry changes.
	OnChange func(Entry)
}

// Queue holds the entries.
type Queue struct {
	cfg     Config
	mu      sync.Mutex
	entries []*Entry
	next    int
	jobs    map[int]*jobs.Job // the running entries' jobs
	running bool              // Run is under way
	// makeMu makes one of the entries sharing a new container create it
	// while the others wait, so that it is made once.
	makeMu sync.Mutex
	// lastBytes is the progress last reported per entry, so that byte
	// counts reach OnChange once per percent, not once per block.
	lastPct map[int]int
	// notifyMu delivers one change at a time: two entries run at once, each
	// with several reading workers, and OnChange must never run twice
	// concurrently (the desktop's runner hands it to the UI goroutine; a
	// test's runs it where it is called).
	notifyMu sync.Mutex
}

// New returns an empty queue.
func New(cfg Config) *Queue {
	if cfg.Jobs == nil {
		cfg.Jobs = jobs.NewManager()
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = 1
	}
	cfg.Parallel = min(cfg.Parallel, 2)
	return &Queue{cfg: cfg, jobs: map[int]*jobs.Job{}, lastPct: map[int]int{}}
}

// Jobs is the manager the entries run in.
func (q *Queue) Jobs() *jobs.Manager { return q.cfg.Jobs }

// Add groups paths into entries (a folder, a Zarr or the files of a
// multi-file set are one entry each) and queues them with target. It opens
// file headers, so it must not run on the UI goroutine. What cannot be
// queued (a missing path, a folder with nothing importable) comes back as
// problems, each a sentence.
func (q *Queue) Add(paths []string, t Target) ([]Entry, []Problem) {
	sets, errs := importer.Sets(paths, q.cfg.Import.Open, q.cfg.Import.Supported)
	var problems []Problem
	for _, err := range errs {
		p, s := importer.SetError(err)
		problems = append(problems, Problem{Path: p, Sentence: s})
	}
	q.mu.Lock()
	var added []*Entry
	for _, s := range sets {
		if q.queued(s) {
			problems = append(problems, Problem{Path: s.Paths[0], Sentence: s.Name() + " is already in the queue"})
			continue
		}
		q.next++
		e := &Entry{ID: q.next, Set: s, Name: s.Name(), Target: t, State: Waiting}
		q.entries = append(q.entries, e)
		added = append(added, e)
	}
	out := snapshots(added)
	q.mu.Unlock()
	for _, e := range out {
		q.changed(e)
	}
	return out, problems
}

// queued reports whether a waiting or running entry already holds s.
func (q *Queue) queued(s importer.Set) bool {
	for _, e := range q.entries {
		if (e.State == Waiting || e.State == Running) && e.Set.Paths[0] == s.Paths[0] {
			return true
		}
	}
	return false
}

func snapshots(es []*Entry) []Entry {
	out := make([]Entry, len(es))
	for i, e := range es {
		out[i] = *e
	}
	return out
}

// Entries returns snapshots of every entry, in queue order.
func (q *Queue) Entries() []Entry {
	q.mu.Lock()
	defer q.mu.Unlock()
	return snapshots(q.entries)
}

// Entry returns a snapshot of one entry.
func (q *Queue) Entry(id int) (Entry, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if e := q.find(id); e != nil {
		return *e, true
	}
	return Entry{}, false
}

func (q *Queue) find(id int) *Entry {
	for _, e := range q.entries {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// Progress is the queue's "N of M": the entries finished (done or failed)
// of those not cancelled or removed.
func (q *Queue) Progress() (finished, total int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.entries {
		switch e.State {
		case Done, Failed:
			finished++
			total++
		case Waiting, Running:
			total++
		}
	}
	return finished, total
}

// SetTarget changes the target of entries that have not started (or that
// failed or were cancelled, for a Retry elsewhere); running and done ones
// keep theirs.
func (q *Queue) SetTarget(ids []int, t Target) {
	var changed []Entry
	q.mu.Lock()
	for _, id := range ids {
		if e := q.find(id); e != nil && e.State != Running && e.State != Done {
			e.Target = t
			changed = append(changed, *e)
		}
	}
	q.mu.Unlock()
	for _, e := range changed {
		q.changed(e)
	}
}

// Remove drops an entry that is not running.
func (q *Queue) Remove(id int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, e := range q.entries {
		if e.ID != id {
			continue
		}
		if e.State == Running {
			return errors.New("this import is running: cancel it first")
		}
		q.entries = append(q.entries[:i], q.entries[i+1:]...)
		return nil
	}
	return nil
}

// Retry queues a failed or cancelled entry again; what it imported before
// is skipped (same path, same size), so nothing is imported twice.
func (q *Queue) Retry(id int) {
	q.mu.Lock()
	e := q.find(id)
	if e == nil || (e.State != Failed && e.State != Cancelled) {
		q.mu.Unlock()
		return
	}
	e.State, e.Reason, e.Phase, e.UnitsDone, e.Bytes, e.retry = Waiting, "", "", 0, 0, true
	snap := *e
	q.mu.Unlock()
	q.changed(snap)
}

// Cancel stops an entry: one waiting never starts; a running one stops
// (what its files had not registered yet is removed, nothing half
// imported).
func (q *Queue) Cancel(id int) {
	q.mu.Lock()
	e := q.find(id)
	if e == nil {
		q.mu.Unlock()
		return
	}
	if e.State == Waiting {
		e.State = Cancelled
		snap := *e
		q.mu.Unlock()
		q.changed(snap)
		return
	}
	j := q.jobs[id]
	if j == nil && e.State == Running {
		e.cancel = true
	}
	q.mu.Unlock()
	if j != nil {
		j.Cancel()
	}
}

// CancelAll cancels every waiting and running entry.
func (q *Queue) CancelAll() {
	for _, e := range q.Entries() {
		if e.State == Waiting || e.State == Running {
			q.Cancel(e.ID)
		}
	}
}

// SetParallel sets how many entries run at once (1 or 2) from the next Run.
func (q *Queue) SetParallel(n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.cfg.Parallel = max(1, min(n, 2))
}

// Busy reports whether Run is under way.
func (q *Queue) Busy() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.running
}

// Run imports the waiting entries, Parallel at a time, in queue order, and
// returns when none is left (entries added meanwhile are taken too). A Run
// while another is under way returns at once: the first takes the new
// entries.
func (q *Queue) Run(ctx context.Context) {
	q.mu.Lock()
	if q.running {
		q.mu.Unlock()
		return
	}
	q.running = true
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		q.running = false
		q.mu.Unlock()
	}()
	q.mu.Lock()
	parallel := q.cfg.Parallel
	q.mu.Unlock()
	var wg sync.WaitGroup
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				id, ok := q.take()
				if !ok {
					return
				}
				q.runEntry(ctx, id)
			}
		}()
	}
	wg.Wait()
}

// take marks the first waiting entry running.
func (q *Queue) take() (int, bool) {
	q.mu.Lock()
	for _, e := range q.entries {
		if e.State == Waiting {
			e.State, e.Phase, e.cancel = Running, "", false
			snap := *e
			q.mu.Unlock()
			q.changed(snap)
			return snap.ID, true
		}
	}
	q.mu.Unlock()
	return 0, false
}

// update changes an entry under the lock and reports it.
func (q *Queue) update(id int, fn func(e *Entry) bool) {
	q.mu.Lock()
	e := q.find(id)
	if e == nil || !fn(e) {
		q.mu.Unlock()
		return
	}
	snap := *e
	q.mu.Unlock()
	q.changed(snap)
}

func (q *Queue) changed(e Entry) {
	if q.cfg.OnChange != nil {
		q.notifyMu.Lock()
		defer q.notifyMu.Unlock()
		q.cfg.OnChange(e)
	}
}

// Images are the images every finished entry made, for the browser.
func (q *Queue) Images() []core.Ref {
	var out []core.Ref
	for _, e := range q.Entries() {
		out = append(out, e.Images...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
