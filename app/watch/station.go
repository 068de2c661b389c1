package watch

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
)

// Deps are what a station needs besides its configuration.
type Deps struct {
	Session core.Session
	// Import tries one file (and the rest of its set). `ocular-cli watch`
	// runs it in a child process (ChildProcess), so a file that crashes or
	// hangs the import cannot take the station down; tests may use
	// InProcess. The station bounds it with the configured time limit.
	Import ImportFunc
	// Supported filters candidate files; nil accepts every file.
	Supported func(path string) bool
	// Log receives one line per event worth telling an operator.
	Log func(format string, args ...any)
}

// Station is one running import station. Tick does one pass; Run calls Tick
// on file-system events, on a poll timer and while files settle.
type Station struct {
	cfg  *Config
	deps Deps
	// seen remembers the last size and time of each candidate, and since
	// when they have not changed.
	seen    map[string]observation
	records map[string]core.WatchRecord
}

type observation struct {
	size  int64
	mtime time.Time
	since time.Time
}

// Report says what one Tick did.
type Report struct {
	Imported []string
	Failed   []string
	Pending  int
}

// New starts a station, loading what it did before from the repository.
func New(ctx context.Context, cfg *Config, deps Deps) (*Station, error) {
	if deps.Log == nil {
		deps.Log = func(string, ...any) {}
	}
	s := &Station{cfg: cfg, deps: deps, seen: map[string]observation{}, records: map[string]core.WatchRecord{}}
	rs, err := deps.Session.WatchRecords(ctx, cfg.Station)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if !r.AttemptStarted.IsZero() && r.Status == core.WatchPending {
			r = s.recoverOpenAttempt(ctx, r, time.Now())
		}
		s.records[r.Path] = r
	}
	return s, nil
}

// temporary reports names that instruments and copy tools use while a file
// is still being written; they are renamed when complete.
func temporary(name string) bool {
	lower := strings.ToLower(name)
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
		return true
	}
	for _, suf := range []string{".tmp", ".part", ".partial", ".crdownload", ".filepart", ".!sync", ".lock", "~"} {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	return false
}

// candidate is a file (or a Zarr directory) under a rule's folder.
type candidate struct {
	path  string
	size  int64
	mtime time.Time
	rule  *Rule
}

// scan lists the candidates of every rule.
func (s *Station) scan() []candidate {
	var out []candidate
	for i := range s.cfg.Rules {
		r := &s.cfg.Rules[i]
		filepath.WalkDir(r.Folder, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // a folder that vanished or cannot be read: try again next time
			}
			if p != r.Folder && temporary(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != r.Folder && strings.HasSuffix(strings.ToLower(d.Name()), ".zarr") {
					size, mtime := treeStat(p)
					out = append(out, candidate{path: p, size: size, mtime: mtime, rule: r})
					return filepath.SkipDir
				}
				return nil
			}
			if s.deps.Supported != nil && !s.deps.Supported(p) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			out = append(out, candidate{path: p, size: info.Size(), mtime: info.ModTime(), rule: r})
			return nil
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// treeStat sums a directory's size and finds its newest modification.
func treeStat(dir string) (int64, time.Time) {
	var size int64
	var newest time.Time
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			if info, err := d.Info(); err == nil {
				size += info.Size()
				if info.ModTime().After(newest) {
					newest = info.ModTime()
				}
			}
		}
		return nil
	})
	return size, newest
}

// stable updates what the station knows of a file and reports whether it
// has kept its size and time for the quiet period.
func (s *Station) stable(c candidate, now time.Time) bool {
	o, ok := s.seen[c.path]
	if !ok || o.size != c.size || !o.mtime.Equal(c.mtime) {
		s.seen[c.path] = observation{size: c.size, mtime: c.mtime, since: now}
		return false
	}
	return now.Sub(o.since) >= s.cfg.Quiet
}

// Tick scans the watched folders once and imports every file that is
// complete and due.
func (s *Station) Tick(ctx context.Context, now time.Time) (Report, error) {
	var rep Report
	cands := s.scan()
	// Settledness is judged once per pass, for every candidate, so that a
	// file's set can wait for parts still being written.
	settled := make(map[string]bool, len(cands))
	var unsettled []string
	for _, c := range cands {
		if s.stable(c, now) {
			settled[c.path] = true
		} else {
			unsettled = append(unsettled, c.path)
		}
	}
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rec, known := s.records[c.path]
		if known {
			// The repository keeps times to the millisecond.
			changed := rec.Size != c.size || rec.ModTime.UnixMilli() != c.mtime.UnixMilli()
			switch {
			case rec.Status == core.WatchImported:
				continue // exactly once: a path is imported one time
			case rec.Status == core.WatchFailed && !changed:
				continue // reported; a changed (fixed) file is tried again
			case rec.Status == core.WatchPending && rec.Attempts > 0 && !changed && now.Before(rec.NextTry):
				rep.Pending++
				continue // backing off
			}
			if changed {
				rec.Attempts, rec.Crashes, rec.LastError = 0, 0, ""
			}
		}
		if !settled[c.path] {
			rep.Pending++
			if !known {
				s.save(ctx, core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Status: core.WatchPending})
			}
			continue
		}
		s.attempt(ctx, c, rec, unsettled, now, &rep)
	}
	return rep, nil
}

// save records r. A station that is stopping still records what it
// learnt, so the save does not end with ctx.
func (s *Station) save(ctx context.Context, r core.WatchRecord) error {
	if err := s.deps.Session.SaveWatchRecord(context.WithoutCancel(ctx), r); err != nil {
		s.deps.Log("cannot record %s: %s", r.Path, core.UserMessage(err))
		return err
	}
	s.records[r.Path] = r
	return nil
}

// options resolves a rule into import options: the group becomes the
// session's group, and the dataset or screen named by the template is found
// or created in the owner's name.
func (s *Station) options(ctx context.Context, c candidate, now time.Time) (importer.Options, core.GroupInfo, error) {
	r := c.rule
	g, err := s.deps.Session.Group(ctx, r.Group)
	if err != nil {
		return importer.Options{}, g, err
	}
	if err := s.deps.Session.SetGroup(ctx, g.ID); err != nil {
		return importer.Options{}, g, err
	}
	opts := importer.Options{Owner: r.Owner, Transfer: r.Transfer, Tags: r.Tags}
	if r.Target == "none" {
		return opts, g, nil
	}
	me, err := s.deps.Session.Me(ctx)
	if err != nil {
		return opts, g, err
	}
	owner := me.User.ID
	if r.Owner != "" {
		u, err := s.deps.Session.User(ctx, r.Owner)
		if err != nil {
			return opts, g, err
		}
		owner = u.ID
	}
	class := core.Dataset
	if r.Target == "screen" {
		class = core.Screen
	}
	name := r.TargetName(c.path, now)
	ref, err := s.findOrCreate(ctx, class, name, owner, me.User.ID, g.ID)
	if err != nil {
		return opts, g, err
	}
	if class == core.Dataset {
		opts.Dataset = ref
	} else {
		opts.Screen = ref
	}
	return opts, g, nil
}

func (s *Station) findOrCreate(ctx context.Context, class core.Class, name string, owner, me, group core.ID) (core.Ref, error) {
	existing, err := s.deps.Session.List(ctx, class, owner, group)
	if err != nil {
		return core.Ref{}, err
	}
	for _, o := range existing {
		if o.Name == name {
			return o.Ref, nil
		}
	}
	fields := map[string]string{"name": name, "group": fmt.Sprint(group)}
	if owner != me {
		fields["owner"] = fmt.Sprint(owner)
	}
	v, err := s.deps.Session.Create(ctx, class, fields)
	if err != nil {
		return core.Ref{}, err
	}
	s.deps.Log("created %s %q", v.Ref, name)
	return v.Ref, nil
}
