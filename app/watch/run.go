package watch

import (
	"context"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Run watches until ctx ends. A scan runs on a timer every half quiet
// period, but only when there is reason to: file-system events arrived since
// the last scan, files are still settling or backing off, or (with Poll set,
// for network shares whose changes raise no events) the poll period passed.
func (s *Station) Run(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		s.deps.Log("file-system events unavailable (%v); polling only", err)
	} else {
		defer w.Close()
		for _, r := range s.cfg.Rules {
			s.watchTree(w, r.Folder)
		}
	}
	interval := max(s.cfg.Quiet/2, 200*time.Millisecond)
	if s.cfg.Poll > 0 && s.cfg.Poll < interval {
		interval = s.cfg.Poll
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	var events <-chan fsnotify.Event
	var errs <-chan error
	if w != nil {
		events, errs = w.Events, w.Errors
	}
	dirty := s.tick(ctx)
	lastScan := time.Now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-events:
			if ev.Has(fsnotify.Create) {
				s.watchTree(w, ev.Name) // a new subfolder: watch it too
			}
			dirty = true
		case err := <-errs:
			s.deps.Log("file-system events: %v", err)
		case now := <-ticker.C:
			if dirty || w == nil || (s.cfg.Poll > 0 && now.Sub(lastScan) >= s.cfg.Poll) {
				dirty = s.tick(ctx)
				lastScan = now
			}
		}
	}
}

// tick scans once and reports whether files are still waiting (settling,
// or backing off after a failure), so the next timer tick scans again.
func (s *Station) tick(ctx context.Context) bool {
	rep, err := s.Tick(ctx, time.Now())
	if err != nil && ctx.Err() == nil {
		s.deps.Log("scan failed: %v", err)
		return true
	}
	return rep.Pending > 0
}

// watchTree adds dir and its subfolders to the watcher (fsnotify does not
// watch recursively).
func (s *Station) watchTree(w *fsnotify.Watcher, dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if err := w.Add(p); err != nil {
				s.deps.Log("cannot watch %s (%v); it is still polled", p, err)
			}
		}
		return nil
	})
}
