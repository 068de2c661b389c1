package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// attempt tries one settled file. The attempt is recorded, durably, before
// the import starts and closed when its outcome is known, so that a station
// that dies during it (a file whose import kills the process) finds it
// open when it starts again and counts it as a failed try (New).
func (s *Station) attempt(ctx context.Context, c candidate, rec core.WatchRecord, unsettled []string, now time.Time, rep *Report) {
	opts, g, err := s.options(ctx, c, now)
	if err != nil {
		s.fail(ctx, c, rec, core.UserMessage(err), false, now, rep)
		return
	}
	earlier, err := s.deps.Session.ImportedFiles(ctx, probeFile(c.path))
	if err != nil {
		s.fail(ctx, c, rec, core.UserMessage(err), false, now, rep)
		return
	}
	if with := s.broughtBy(earlier); with != "" {
		// A part of a set whose import this station recorded only after a
		// restart (recoverOpenAttempt knew the fileset, not its files).
		s.save(ctx, core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Status: core.WatchImported,
			Result: "with " + filepath.Base(with)})
		return
	}
	var mark core.ID
	for _, e := range earlier {
		mark = max(mark, e.Fileset)
	}
	open := core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Status: core.WatchPending,
		Attempts: rec.Attempts, Crashes: rec.Crashes, LastError: rec.LastError, AttemptStarted: now, FilesetMark: mark}
	if s.save(ctx, open) != nil {
		rep.Pending++ // no import without its record: a crash could not be told apart
		return
	}
	s.deps.Log("importing %s (attempt %d of %d)", c.path, rec.Attempts+1, s.cfg.Retries)
	actx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	out, err := s.deps.Import(actx, Job{Path: c.path, Group: g.ID, Options: opts, Unsettled: unsettled})
	timedOut := errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
	cancel()
	if err == nil && out.NotReady {
		rec.AttemptStarted, rec.FilesetMark = time.Time{}, 0
		rec.Station, rec.Path, rec.Size, rec.ModTime, rec.Status = s.cfg.Station, c.path, c.size, c.mtime, core.WatchPending
		s.save(ctx, rec) // waiting for a part is not a try
		rep.Pending++
		return
	}
	if result, ok := imported(out); ok {
		s.imported(ctx, c, open, result, out.Files, rep)
		return
	}
	// No clear answer (an error, a crash, the time limit, a stop): the
	// import may still have committed just before; then it stands.
	if ref, ok := s.committedSince(ctx, c.path, mark); ok {
		s.imported(ctx, c, open, ref.String(), out.Files, rep)
		return
	}
	var crash *CrashError
	switch {
	case ctx.Err() != nil:
		// The station is stopping: not the file's fault, not a try.
		s.save(ctx, core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Status: core.WatchPending,
			Attempts: rec.Attempts, Crashes: rec.Crashes, LastError: rec.LastError, NextTry: rec.NextTry})
	case timedOut:
		s.fail(ctx, c, rec, fmt.Sprintf("timed out after %s", s.cfg.Timeout), true, now, rep)
	case errors.As(err, &crash):
		reason := "the import crashed" + times(rec.Crashes+1)
		if crash.Detail != "" {
			reason += " (" + crash.Detail + ")"
		}
		s.fail(ctx, c, rec, reason, true, now, rep)
	default:
		s.fail(ctx, c, rec, failure(out, err), false, now, rep)
	}
}

// imported reads a successful outcome: what was created, or false when the
// file failed.
func imported(out Outcome) (string, bool) {
	if len(out.Summary.Results) == 0 {
		return "", false
	}
	var created []string
	for _, r := range out.Summary.Results {
		if r.Error != "" && len(r.Images) == 0 {
			return "", false
		}
		for _, img := range r.Images {
			created = append(created, img.String())
		}
		if !r.Plate.IsZero() {
			created = append(created, r.Plate.String())
		}
	}
	return strings.Join(created, " "), true
}

// failure is the sentence an unsuccessful outcome gives.
func failure(out Outcome, err error) string {
	for _, r := range out.Summary.Results {
		if r.Error != "" {
			return r.Error
		}
	}
	if out.Error != "" {
		return out.Error
	}
	if err != nil {
		return core.UserMessage(err)
	}
	return "the import reported nothing"
}

// imported records a file, and the other files of its set, as imported.
func (s *Station) imported(ctx context.Context, c candidate, open core.WatchRecord, result string, set []string, rep *Report) {
	s.save(ctx, core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Status: core.WatchImported,
		Attempts: open.Attempts + 1, Crashes: open.Crashes, Result: result})
	for _, f := range set {
		if f == c.path {
			continue
		}
		r := core.WatchRecord{Station: s.cfg.Station, Path: f, Status: core.WatchImported, Result: "with " + filepath.Base(c.path)}
		if st, err := os.Stat(f); err == nil {
			r.Size, r.ModTime = st.Size(), st.ModTime()
		}
		s.save(ctx, r)
	}
	rep.Imported = append(rep.Imported, c.path)
	s.deps.Log("imported %s: %s", c.path, result)
}

// fail records a failed attempt with back-off, or the final failure once
// the retries are spent. crashed counts a crash or time-out.
func (s *Station) fail(ctx context.Context, c candidate, rec core.WatchRecord, reason string, crashed bool, now time.Time, rep *Report) {
	attempts, crashes := rec.Attempts+1, rec.Crashes
	if crashed {
		crashes++
	}
	r := core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Attempts: attempts, Crashes: crashes, LastError: reason}
	s.settle(&r, now)
	if r.Status == core.WatchFailed {
		rep.Failed = append(rep.Failed, c.path)
	} else {
		rep.Pending++
	}
	s.save(ctx, r)
}

// settle makes r pending with back-off, or failed once the retries are
// spent, and logs which.
func (s *Station) settle(r *core.WatchRecord, now time.Time) {
	if r.Attempts >= s.cfg.Retries {
		r.Status = core.WatchFailed
		s.deps.Log("FAILED %s after %d attempts: %s; it is not tried again until it changes", r.Path, r.Attempts, r.LastError)
		return
	}
	r.Status = core.WatchPending
	r.NextTry = now.Add(s.cfg.Backoff << (r.Attempts - 1))
	s.deps.Log("attempt %d of %s failed (%s); retrying after %s", r.Attempts, r.Path, r.LastError, r.NextTry.Format(time.TimeOnly))
}

// recoverOpenAttempt closes an attempt a dead station left open: the
// import either committed (then the file is imported, and is not imported
// again) or it did not (then the attempt crashed the station, and counts).
func (s *Station) recoverOpenAttempt(ctx context.Context, r core.WatchRecord, now time.Time) core.WatchRecord {
	if ref, ok := s.committedSince(ctx, r.Path, r.FilesetMark); ok {
		r.Status, r.Attempts, r.Result, r.LastError, r.NextTry = core.WatchImported, r.Attempts+1, ref.String(), "", time.Time{}
		s.deps.Log("imported %s: %s (recorded after a restart)", r.Path, r.Result)
	} else {
		r.Attempts++
		r.Crashes++
		r.LastError = "the import crashed the station" + times(r.Crashes)
		s.settle(&r, now)
	}
	r.AttemptStarted, r.FilesetMark = time.Time{}, 0
	if err := s.deps.Session.SaveWatchRecord(ctx, r); err != nil {
		s.deps.Log("cannot record %s: %s", r.Path, core.UserMessage(err))
	}
	return r
}

// broughtBy names the file whose import, recorded by this station as a
// fileset (after a restart), holds one of entries; "" when none does.
func (s *Station) broughtBy(entries []core.FilesetEntry) string {
	if len(entries) == 0 {
		return ""
	}
	for _, r := range s.records {
		if r.Status != core.WatchImported || !strings.HasPrefix(r.Result, string(core.Fileset)+":") {
			continue
		}
		ref, err := core.ParseRef(r.Result)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.Fileset == ref.ID {
				return r.Path
			}
		}
	}
	return ""
}

// committedSince finds a fileset imported from path after mark: an import
// that committed although its attempt was not closed. Object IDs only grow,
// so a newer fileset of the same client path is that attempt's.
func (s *Station) committedSince(ctx context.Context, path string, mark core.ID) (core.Ref, bool) {
	probe := probeFile(path)
	entries, err := s.deps.Session.ImportedFiles(context.WithoutCancel(ctx), probe)
	if err != nil {
		return core.Ref{}, false
	}
	st, statErr := os.Stat(probe)
	for _, e := range entries {
		if e.Fileset > mark && (statErr != nil || e.Size == st.Size()) {
			return core.Ref{Class: core.Fileset, ID: e.Fileset}, true
		}
	}
	return core.Ref{}, false
}

// probeFile is the file whose fileset entry stands for path: path itself,
// or for a directory image (Zarr) the first file below it.
func probeFile(path string) string {
	st, err := os.Stat(path)
	if err != nil || !st.IsDir() {
		return path
	}
	probe := path
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			probe = p
			return fs.SkipAll
		}
		return nil
	})
	return probe
}
