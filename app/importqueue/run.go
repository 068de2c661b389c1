package importqueue

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

// runEntry runs one entry as a job and records its outcome.
func (q *Queue) runEntry(ctx context.Context, id int) {
	e, ok := q.Entry(id)
	if !ok {
		return
	}
	title := "Import " + e.Name
	if w := e.Target.Where(); w != "" {
		title += " into " + w
	}
	ready := make(chan struct{})
	j := q.cfg.Jobs.Start(ctx, "import", title, func(ctx context.Context, progress func(done, total int)) (any, error) {
		<-ready // the job is recorded before it can report
		return q.importEntry(ctx, id, progress)
	})
	q.mu.Lock()
	q.jobs[id] = j
	if en := q.find(id); en != nil && en.cancel {
		j.Cancel() // Cancel came while the job was being made
	}
	q.mu.Unlock()
	close(ready)
	<-j.Done()
	info := j.Info()
	q.mu.Lock()
	delete(q.jobs, id)
	delete(q.lastPct, id)
	q.mu.Unlock()
	q.update(id, func(e *Entry) bool {
		if res, ok := info.Result.(jobs.Imported); ok {
			e.Images, e.Into = res.Images, res.Into
		}
		switch info.State {
		case jobs.Done:
			e.State, e.Reason = Done, ""
		case jobs.Cancelled:
			e.State, e.Reason = Cancelled, "Cancelled: nothing of it was kept."
			if len(e.Images) > 0 {
				e.Reason = fmt.Sprintf("Cancelled after %d image%s; the rest was not imported.", len(e.Images), plural(len(e.Images)))
			}
		default:
			e.State, e.Reason = Failed, info.Err
		}
		e.Phase = ""
		return true
	})
}

// importEntry is an entry's job: make the new container, import, and
// word the outcome.
func (q *Queue) importEntry(ctx context.Context, id int, progress func(done, total int)) (any, error) {
	e, ok := q.Entry(id)
	if !ok {
		return nil, errors.New("the entry was removed")
	}
	t := e.Target
	sess := q.cfg.Session
	if t.Group != 0 {
		s, err := sess.InGroup(ctx, t.Group)
		if err != nil {
			return nil, sentence("The group cannot be imported into: " + core.UserMessage(err))
		}
		sess = s
	}
	if _, remote := sess.(core.UploadImporter); remote && t.Transfer != "" && t.Transfer != importer.Copy {
		return nil, sentence("A server keeps its own copy of the files: choose “Copy into the repository” and Retry.")
	}
	into, err := q.makeContainer(ctx, sess, id)
	if err != nil {
		return nil, err
	}
	t, _ = q.targetOf(id)
	opts := t.options()
	opts.SkipExisting = e.retry // a Retry leaves what was imported before
	cfg := q.cfg.Import
	cfg.Session = sess
	if _, remote := sess.(core.UploadImporter); remote {
		cfg.Thumbs, cfg.Pyramids = nil, nil // the server keeps them
	}
	rep := &reporter{q: q, id: id, units: e.Set.Units, progress: progress}
	sum, runErr := importer.Run(ctx, cfg, e.Set.Paths, opts, rep)
	res := jobs.Imported{Into: into, Path: t.Path}
	if res.Into.IsZero() {
		res.Into = firstNonZero(t.Dataset, t.Screen)
	}
	if res.Into.IsZero() && !rep.dataset.IsZero() {
		// Folder as dataset: the first dataset made, at the top level.
		res.Into, res.Path = rep.dataset, rep.dataset.String()
	}
	if res.Path == "" && !res.Into.IsZero() {
		res.Path = res.Into.String()
	}
	var failures []string
	for _, r := range sum.Results {
		res.Images = append(res.Images, r.Images...)
		if !r.Plate.IsZero() {
			res.Plates = append(res.Plates, r.Plate)
		}
		if r.Error != "" {
			failures = append(failures, failure(e, r))
		}
	}
	q.update(id, func(en *Entry) bool {
		en.Imported, en.FailedUnits = sum.Imported+sum.Skipped, sum.Failed
		return true
	})
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if len(sum.Results) == 0 && runErr != nil {
		return res, targetSentence(runErr, t)
	}
	en, _ := q.Entry(id)
	en.Images = res.Images
	res.Outcome = outcome(en)
	if len(failures) > 0 {
		msg := strings.Join(failures, " ")
		if sum.Imported+sum.Skipped == 0 {
			msg += " Nothing of it was imported."
		}
		return res, sentence(msg)
	}
	return res, nil
}

// failure words a unit's failure: the reason alone for a one-file entry,
// with the file's name inside a folder.
func failure(e Entry, r importer.Result) string {
	msg := strings.TrimSpace(r.Error)
	if r.Path != "" {
		msg = strings.TrimPrefix(msg, filepath.Base(r.Path)+": ")
	}
	if strings.Contains(msg, "corrupt") || strings.Contains(msg, "outside the file") || strings.Contains(msg, "unexpected EOF") {
		msg = "the file is damaged or incomplete (was it copied completely?): " + msg
	}
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	if e.Set.Folder && r.Path != "" {
		return filepath.Base(r.Path) + ": " + msg
	}
	return msg
}

// targetSentence words an import refused before any file was touched; a
// target that has gone says so, with what to do.
func targetSentence(err error, t Target) error {
	if core.Is(core.NotFound, err) && (!t.Dataset.IsZero() || !t.Screen.IsZero()) {
		what := "dataset"
		if t.Dataset.IsZero() {
			what = "screen"
		}
		return sentence(fmt.Sprintf("The target %s no longer exists (it was deleted, or you can no longer see it); nothing was imported. Choose another target and Retry.", what))
	}
	return sentence(core.UserMessage(err) + " Nothing was imported.")
}

// makeContainer creates the new dataset or screen of the target, owned by
// the user the entry is imported for, and makes it the entry's target so
// that a Retry reuses it instead of making another.
func (q *Queue) makeContainer(ctx context.Context, sess core.Session, id int) (core.Ref, error) {
	q.makeMu.Lock()
	defer q.makeMu.Unlock()
	// Read the target under the lock: another entry may have made the
	// container meanwhile.
	t, ok := q.targetOf(id)
	if !ok {
		return core.Ref{}, nil
	}
	class, name := core.Dataset, t.NewDataset
	if name == "" {
		class, name = core.Screen, t.NewScreen
	}
	if name == "" {
		return core.Ref{}, nil
	}
	fields := map[string]string{"name": name}
	if t.Owner != "" {
		u, err := sess.User(ctx, t.Owner)
		if err != nil {
			return core.Ref{}, sentence("The user to import for cannot be found: " + core.UserMessage(err))
		}
		me, err := sess.Me(ctx)
		if err != nil {
			return core.Ref{}, err
		}
		if u.ID != me.User.ID {
			fields["owner"] = fmt.Sprint(u.ID)
		}
	}
	v, err := sess.Create(ctx, class, fields)
	if err != nil {
		return core.Ref{}, sentence(fmt.Sprintf("The new %s could not be made: %s Nothing was imported.", strings.ToLower(string(class)), core.UserMessage(err)))
	}
	if class == core.Dataset && !t.Project.IsZero() {
		if _, err := sess.Create(ctx, core.ProjectDatasetLink, map[string]string{"parent": t.Project.String(), "child": v.Ref.String()}); err != nil {
			return core.Ref{}, sentence("The new dataset could not be put into its project: " + core.UserMessage(err))
		}
	}
	// The entry and the others asking for the same new container (waiting,
	// or running and waiting for this lock) go into it.
	var changed []Entry
	q.mu.Lock()
	for _, e := range q.entries {
		if e.ID != id && (!t.sameNew(e.Target) || e.State == Done) {
			continue
		}
		e.Target.Path = v.Ref.String()
		if class == core.Dataset {
			e.Target.Dataset, e.Target.NewDataset = v.Ref, ""
			if !t.Project.IsZero() {
				e.Target.Path = t.Project.String() + "/" + v.Ref.String()
			}
		} else {
			e.Target.Screen, e.Target.NewScreen = v.Ref, ""
		}
		changed = append(changed, *e)
	}
	q.mu.Unlock()
	for _, e := range changed {
		q.changed(e)
	}
	return v.Ref, nil
}

func (q *Queue) targetOf(id int) (Target, bool) {
	e, ok := q.Entry(id)
	return e.Target, ok
}

func firstNonZero(refs ...core.Ref) core.Ref {
	for _, r := range refs {
		if !r.IsZero() {
			return r
		}
	}
	return core.Ref{}
}

// sentence is an error whose message is shown as is.
type sentence string

func (s sentence) Error() string { return string(s) }

// reporter turns the importer's events into the entry's phase and
// progress.
type reporter struct {
	q        *Queue
	id       int
	units    int
	done     int
	progress func(done, total int)
	dataset  core.Ref // the first dataset the import made (folder as dataset)
}

func (r *reporter) Report(ev importer.Event) {
	switch ev.Type {
	case importer.EventStart:
		r.units = ev.Units
		r.progress(0, ev.Units)
		r.q.update(r.id, func(e *Entry) bool { e.Set.Units = max(ev.Units, 1); return true })
	case importer.EventFile:
		r.q.update(r.id, func(e *Entry) bool { e.Phase = Reading; return true })
	case importer.EventBytes:
		r.q.update(r.id, func(e *Entry) bool {
			e.Bytes += ev.Bytes
			e.Phase = Copying
			pct := int(100 * e.Fraction())
			if r.q.lastPct[r.id] == pct {
				return false // reported once per percent
			}
			r.q.lastPct[r.id] = pct
			return true
		})
	case importer.EventCreated:
		if ev.Ref.Class == core.Dataset && r.dataset.IsZero() {
			r.dataset = ev.Ref
		}
		if ev.Ref.Class == core.Image {
			r.q.update(r.id, func(e *Entry) bool { e.Phase = Thumbnails; return true })
		}
	case importer.EventDone:
		r.done++
		r.progress(r.done, r.units)
		r.q.update(r.id, func(e *Entry) bool { e.UnitsDone = r.done; return true })
	}
}
