package watch

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
)

// Deps are what a station needs besides its configuration.
type Deps struct {
	Session core.Session
	// Import runs the import pipeline (importer.Run with its Config bound).
	Import func(ctx context.Context, paths []string, opts importer.Options) (importer.Summary, error)
	// Open reads a file to learn which files make up its set.
	Open func(path string) (formats.Reader, error)
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
	byPath := make(map[string]candidate, len(cands))
	for _, c := range cands {
		byPath[c.path] = c
	}
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rec, known := s.records[c.path]
		if known {
			changed := rec.Size != c.size || !rec.ModTime.Equal(c.mtime)
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
				rec.Attempts, rec.LastError = 0, ""
			}
		}
		if !s.stable(c, now) {
			rep.Pending++
			if !known {
				s.save(ctx, core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Status: core.WatchPending})
			}
			continue
		}
		set, ready, err := s.setReady(c, byPath, now)
		if err != nil {
			s.fail(ctx, c, rec, err.Error(), now, &rep)
			continue
		}
		if !ready {
			rep.Pending++
			continue
		}
		s.importFile(ctx, c, rec, set, byPath, now, &rep)
	}
	return rep, nil
}

// setReady opens the file to learn its whole set (an OME-TIFF with its
// companions) and reports whether every part is present and settled.
func (s *Station) setReady(c candidate, byPath map[string]candidate, now time.Time) ([]string, bool, error) {
	r, err := s.deps.Open(c.path)
	if err != nil {
		return nil, false, err
	}
	files := r.Files()
	r.Close()
	for _, f := range files {
		if f == c.path {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return files, false, nil // a part has not arrived yet
		}
		if pc, ok := byPath[f]; ok && !s.stable(pc, now) {
			return files, false, nil
		}
	}
	return files, true, nil
}

func (s *Station) importFile(ctx context.Context, c candidate, rec core.WatchRecord, set []string, byPath map[string]candidate, now time.Time, rep *Report) {
	opts, err := s.options(ctx, c, now)
	if err != nil {
		s.fail(ctx, c, rec, core.UserMessage(err), now, rep)
		return
	}
	sum, err := s.deps.Import(ctx, []string{c.path}, opts)
	if err != nil && len(sum.Results) == 0 {
		s.fail(ctx, c, rec, core.UserMessage(err), now, rep)
		return
	}
	for _, r := range sum.Results {
		if r.Error != "" && len(r.Images) == 0 {
			s.fail(ctx, c, rec, r.Error, now, rep)
			return
		}
	}
	var created []string
	for _, r := range sum.Results {
		for _, img := range r.Images {
			created = append(created, img.String())
		}
		if !r.Plate.IsZero() {
			created = append(created, r.Plate.String())
		}
	}
	result := strings.Join(created, " ")
	s.save(ctx, core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Status: core.WatchImported,
		Attempts: rec.Attempts + 1, Result: result})
	for _, f := range set {
		if f == c.path {
			continue
		}
		pc := byPath[f]
		s.save(ctx, core.WatchRecord{Station: s.cfg.Station, Path: f, Size: pc.size, ModTime: pc.mtime, Status: core.WatchImported,
			Result: "with " + filepath.Base(c.path)})
	}
	rep.Imported = append(rep.Imported, c.path)
	s.deps.Log("imported %s: %s", c.path, result)
}

// fail records a failed attempt with back-off, or the final failure.
func (s *Station) fail(ctx context.Context, c candidate, rec core.WatchRecord, reason string, now time.Time, rep *Report) {
	attempts := rec.Attempts + 1
	r := core.WatchRecord{Station: s.cfg.Station, Path: c.path, Size: c.size, ModTime: c.mtime, Attempts: attempts, LastError: reason}
	if attempts >= s.cfg.Retries {
		r.Status = core.WatchFailed
		rep.Failed = append(rep.Failed, c.path)
		s.deps.Log("FAILED %s after %d attempts: %s", c.path, attempts, reason)
	} else {
		r.Status = core.WatchPending
		r.NextTry = now.Add(s.cfg.Backoff << (attempts - 1))
		rep.Pending++
		s.deps.Log("attempt %d of %s failed (%s); retrying after %s", attempts, c.path, reason, r.NextTry.Format(time.TimeOnly))
	}
	s.save(ctx, r)
}

func (s *Station) save(ctx context.Context, r core.WatchRecord) {
	if err := s.deps.Session.SaveWatchRecord(ctx, r); err != nil {
		s.deps.Log("cannot record %s: %s", r.Path, core.UserMessage(err))
		return
	}
	s.records[r.Path] = r
}

// options resolves a rule into import options: the group becomes the
// session's group, and the dataset or screen named by the template is found
// or created in the owner's name.
func (s *Station) options(ctx context.Context, c candidate, now time.Time) (importer.Options, error) {
	r := c.rule
	g, err := s.deps.Session.Group(ctx, r.Group)
	if err != nil {
		return importer.Options{}, err
	}
	if err := s.deps.Session.SetGroup(ctx, g.ID); err != nil {
		return importer.Options{}, err
	}
	opts := importer.Options{Owner: r.Owner, Transfer: r.Transfer, Tags: r.Tags}
	if r.Target == "none" {
		return opts, nil
	}
	me, err := s.deps.Session.Me(ctx)
	if err != nil {
		return opts, err
	}
	owner := me.User.ID
	if r.Owner != "" {
		u, err := s.deps.Session.User(ctx, r.Owner)
		if err != nil {
			return opts, err
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
		return opts, err
	}
	if class == core.Dataset {
		opts.Dataset = ref
	} else {
		opts.Screen = ref
	}
	return opts, nil
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
