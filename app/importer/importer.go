// Package importer is the import pipeline: it finds the import units in the
// paths a user gives, reads each with the format readers, places its files in
// the managed repository (copy, hard link or in-place symlink, with a
// checksum each), computes per-channel statistics and the owner's import-time
// rendering settings, registers everything in one transaction per file set,
// and draws thumbnails. A file that fails leaves nothing behind and the batch
// goes on with the others.
package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/render"
)

// Config holds the pipeline's dependencies.
type Config struct {
	Session core.Session
	// Open reads a file or directory image (default core/formats/detect.Open).
	Open func(path string) (formats.Reader, error)
	// Supported filters files met inside folders (detect.Supported); nil = all.
	Supported func(path string) bool
	// Thumbs stores thumbnails; nil when the repository is remote.
	Thumbs *thumbcache.Cache
	// Pyramids receives the pyramids built for big planes without one
	// (pyramid.ForRepository); nil builds none.
	Pyramids *pyramid.Cache
	// Workers reading files in parallel; 0 = number of CPUs (at most 4).
	Workers int
	// Memo, when set, reuses what earlier imports of identical bytes read.
	Memo *Memo
}

// Options are the user's choices, named as `ocular-cli import` flags.
type Options struct {
	Dataset         core.Ref // -d Dataset:ID
	Screen          core.Ref // -r Screen:ID
	Owner           string   // --owner USER: import on behalf of this user; "" = me
	Transfer        string   // copy (default), hardlink, symlink
	FolderAsDataset bool
	Tags            []string
	Name            string
	SkipExisting    bool
	SkipThumbnails  bool
	SkipMinMax      bool
	ThumbnailSize   int
}

// EventType says what happened.
type EventType int

const (
	EventStart   EventType = iota // Units is the number of import units found
	EventFile                     // a unit begins
	EventCreated                  // Ref was created (Fileset, Image, Plate)
	EventDone                     // a unit ended; Result says how
	EventBytes                    // Bytes more were transferred
)

// Event is one progress report.
type Event struct {
	Type   EventType
	Path   string
	Ref    core.Ref
	Units  int
	Bytes  int64
	Result *Result
}

// Reporter receives progress; it is called from the goroutine running Run
// and from worker goroutines (EventBytes), so it must be safe for both.
type Reporter interface{ Report(Event) }

// Result is the outcome for one import unit.
type Result struct {
	Path    string     `json:"path"`
	Format  string     `json:"format,omitempty"`
	Fileset core.Ref   `json:"fileset,omitempty"`
	Images  []core.Ref `json:"images,omitempty"`
	Plate   core.Ref   `json:"plate,omitempty"`
	Skipped bool       `json:"skipped,omitempty"`
	Error   string     `json:"error,omitempty"`
	// err is the failure behind Error when nothing was imported, with its
	// kind (ServeImport answers it to a client).
	err error
}

// Summary is the outcome of a batch.
type Summary struct {
	Results  []Result `json:"results"`
	Imported int      `json:"imported"`
	Skipped  int      `json:"skipped"`
	Failed   int      `json:"failed"`
}

// Err is non-nil when any unit failed, naming how many.
func (s Summary) Err() error {
	if s.Failed == 0 {
		return nil
	}
	return core.Errorf("import", core.IO, "%d of %d file(s) failed to import", s.Failed, len(s.Results))
}

type nopReporter struct{}

func (nopReporter) Report(Event) {}

// work is one unit's reading and transfer, done by a worker.
type work struct {
	u       unit
	reader  formats.Reader
	files   []placed
	series  []*prepared
	plate   *formats.Plate
	err     error
	fsetDir string
	started time.Time
	// holdsSlot: the unit holds a reading slot until it is registered.
	holdsSlot bool
	// ticket orders the units whose copies wait for a sync (batchSync);
	// 0 when none does.
	ticket int64
}

// Run imports paths.
func Run(ctx context.Context, cfg Config, paths []string, opts Options, rep Reporter) (Summary, error) {
	if _, ok := cfg.Session.(core.UploadImporter); ok {
		// A server opens the files it is sent itself.
		return RunPrepared(ctx, cfg, &Prepared{paths: paths}, opts, rep)
	}
	return RunPrepared(ctx, cfg, Prepare(ctx, cfg, paths), opts, rep)
}

// RunPrepared imports what Prepare found and opened, and closes it.
func RunPrepared(ctx context.Context, cfg Config, pr *Prepared, opts Options, rep Reporter) (Summary, error) {
	defer pr.Close()
	if rep == nil {
		rep = nopReporter{}
	}
	if opts.Transfer == "" {
		opts.Transfer = Copy
	}
	if opts.Transfer != Copy && opts.Transfer != Hardlink && opts.Transfer != Symlink {
		return Summary{}, core.Errorf("import", core.Invalid, "unknown transfer %q: use copy, hardlink or symlink", opts.Transfer)
	}
	if opts.ThumbnailSize <= 0 {
		opts.ThumbnailSize = thumbcache.DefaultSize
	}
	if cfg.Open == nil {
		cfg.Open = detect.Open
	}
	if up, ok := cfg.Session.(core.UploadImporter); ok {
		return runUpload(ctx, cfg, up, pr.paths, opts, rep)
	}
	p, err := newPipeline(ctx, cfg, opts, rep)
	if err != nil {
		return Summary{}, err
	}
	sum := pr.reportFailed(rep)
	rep.Report(Event{Type: EventStart, Units: pr.found})
	for _, r := range p.run(pr) {
		sum.add(r)
	}
	return sum, sum.end(ctx)
}

// discoverAll finds the units of paths; the paths that cannot be read are
// the summary's first failed results.
func discoverAll(paths []string, supported func(string) bool, rep Reporter) ([]unit, Summary) {
	units, errs := discover(paths, supported)
	return units, (&Prepared{failed: failedPaths(errs)}).reportFailed(rep)
}

// add counts one unit's result.
func (s *Summary) add(r Result) {
	switch {
	case r.Error != "":
		s.Failed++
	case r.Skipped:
		s.Skipped++
	default:
		s.Imported++
	}
	s.Results = append(s.Results, r)
}

// end is Run's error: an interruption, or the failures.
func (s Summary) end(ctx context.Context) error {
	if ctx.Err() != nil {
		return core.Errorf("import", core.Other, "import interrupted: %d of %d files imported", s.Imported, len(s.Results))
	}
	return s.Err()
}

// pipeline is one Run's state.
type pipeline struct {
	ctx      context.Context
	cfg      Config
	opts     Options
	rep      Reporter
	me       core.Me
	owner    core.ID // whose data it becomes
	onBehalf core.ID // FilesetImport.Owner: core.AnyID when importing as oneself
	ownerDir string
	managed  string
	tags     []core.Ref
	datasets map[string]core.Ref // --folder-as-dataset: folder -> dataset
	dirsMu   sync.Mutex
	dirs     map[string]bool // fileset folders made but not yet committed
	grace    chan struct{}   // closed StopGrace after ctx ends
	// tickets numbers the units whose copies are written but maybe not
	// durable; syncedUpTo is the last ticket a syncFS covered (touched by
	// the registering goroutine only).
	tickets    atomic.Int64
	syncedUpTo int64
	// staged, on a server importing an upload, maps each staged file to
	// the client's path (recorded in the fileset instead of the staged
	// one); a unit may read only these files.
	staged map[string]string
	// keep lends the buffers holding small units' bytes from their copy
	// to their statistics.
	keep *keeper
	// renderers draw the thumbnails, one at a time each (drawThumbnail).
	renderers chan *render.Renderer
}

func newPipeline(ctx context.Context, cfg Config, opts Options, rep Reporter) (*pipeline, error) {
	me, err := cfg.Session.Me(ctx)
	if err != nil {
		return nil, err
	}
	p := &pipeline{ctx: ctx, cfg: cfg, opts: opts, rep: rep, me: me, owner: me.User.ID, onBehalf: core.AnyID,
		managed: cfg.Session.ManagedDir(), datasets: map[string]core.Ref{}, dirs: map[string]bool{},
		grace: make(chan struct{}), keep: &keeper{}, renderers: make(chan *render.Renderer, 4)}
	if p.managed == "" {
		return nil, core.Errorf("import", core.Unsupported, "this repository does not accept file imports from here")
	}
	ownerName := me.User.Username
	if opts.Owner != "" {
		u, err := cfg.Session.User(ctx, opts.Owner)
		if err != nil {
			return nil, err
		}
		if u.ID != me.User.ID {
			p.owner, p.onBehalf, ownerName = u.ID, u.ID, u.Username
		}
	}
	p.ownerDir = fmt.Sprintf("%s_%d", ownerName, p.owner)
	// A target that is wrong for every file is refused once, before any file is touched.
	for _, target := range []core.Ref{opts.Dataset, opts.Screen} {
		if !target.IsZero() {
			if _, err := cfg.Session.Get(ctx, target); err != nil {
				return nil, err
			}
		}
	}
	for _, name := range opts.Tags {
		ref, err := p.tag(name)
		if err != nil {
			return nil, err
		}
		p.tags = append(p.tags, ref)
	}
	return p, nil
}

// run reads and transfers the prepared units (opened in order first, so
// that the parts of a multi-file set met later are left out) in parallel
// workers and registers them in order, so the output is stable and each
// registration is its own transaction.
func (p *pipeline) run(pr *Prepared) []Result {
	stopGrace := context.AfterFunc(p.ctx, func() { time.AfterFunc(StopGrace, func() { close(p.grace) }) })
	defer stopGrace()
	defer p.keep.close()
	todo, results := pr.opened(p.rep)
	workers := p.cfg.Workers
	if workers <= 0 {
		workers = min(runtime.NumCPU(), 4)
	}
	// slots bounds the units being read; ahead the units read or being
	// read but not yet registered (each holds an open reader). A unit
	// whose planes are no longer in memory once read (its thumbnails drawn)
	// gives its slot back at once, so the workers go on with the next
	// files while the registrations, in order, catch up: reading,
	// statistics, thumbnails and registration overlap on every core.
	slots := make(chan struct{}, workers)
	ahead := make(chan struct{}, readAhead*workers)
	done := make([]chan *work, len(todo))
	for i := range done {
		done[i] = make(chan *work, 1)
	}
	go func() {
		for i, w := range todo {
			select {
			case ahead <- struct{}{}:
			case <-p.ctx.Done():
				w.err = p.ctx.Err()
				done[i] <- w
				continue
			}
			select {
			case slots <- struct{}{}:
				w.holdsSlot = true
				go func(i int, w *work) {
					p.read(w)
					if w.light() {
						w.holdsSlot = false
						<-slots
					}
					done[i] <- w
				}(i, w)
			case <-p.ctx.Done():
				<-ahead
				w.err = p.ctx.Err()
				done[i] <- w
			}
		}
	}()
	for i := range todo {
		var w *work
		select {
		case w = <-done[i]:
		case <-p.ctx.Done():
			select {
			case w = <-done[i]:
			case <-p.graceOver():
				// Still inside a reader that does not look at ctx: leave it
				// (the process is ending) and undo what it placed below.
				res := Result{Path: todo[i].u.path, Error: errInterrupted.Error()}
				p.rep.Report(Event{Type: EventDone, Path: res.Path, Result: &res})
				results = append(results, res)
				continue
			}
		}
		results = append(results, p.register(w))
		w.reader.Close()
		// A worker whose unit still holds planes keeps its slot until the
		// unit is registered, so at most `workers` units' planes are in
		// memory at once.
		if w.holdsSlot {
			<-slots
		}
		if w.holdsSlot || !w.started.IsZero() {
			<-ahead
		}
	}
	if p.ctx.Err() != nil {
		p.removeUncommitted()
	}
	return results
}

// readAhead is how many units per worker may be read before the one being
// registered.
const readAhead = 4

// light reports whether a unit, once read, holds no planes in memory:
// its thumbnails are drawn (or none is wanted) and only small results wait
// for its registration.
func (w *work) light() bool {
	for _, s := range w.series {
		if s.holdsPlanes() {
			return false
		}
	}
	return true
}

// StopGrace is how long, after a signal, the pipeline waits for a unit
// still being read to notice it; a reader stuck longer is abandoned (its
// placed files are removed) so that the command ends promptly.
const StopGrace = 2 * time.Second

// graceOver is closed StopGrace after the run's context ended.
func (p *pipeline) graceOver() <-chan struct{} { return p.grace }

// errInterrupted is a unit's result when a signal stopped it.
var errInterrupted = errString("interrupted before it was imported; nothing of it was kept")

// trackDir remembers a fileset folder until its rows are committed (done)
// or it is removed, so that an interrupted run removes the folders of units
// it abandoned.
func (p *pipeline) trackDir(dir string, uncommitted bool) {
	p.dirsMu.Lock()
	defer p.dirsMu.Unlock()
	if uncommitted {
		p.dirs[dir] = true
	} else {
		delete(p.dirs, dir)
	}
}

// removeUncommitted removes the folders of units that were never
// registered.
func (p *pipeline) removeUncommitted() {
	p.dirsMu.Lock()
	defer p.dirsMu.Unlock()
	for dir := range p.dirs {
		removeEmptyParents(dir, p.managed)
		delete(p.dirs, dir)
	}
}

// withoutPath drops the file's own path from the front of a reader's
// message: the result already names the file.
func withoutPath(msg, path string) string {
	for _, p := range []string{path, absPath(path)} {
		if rest, ok := strings.CutPrefix(msg, p+": "); ok && p != "" {
			return rest
		}
	}
	return msg
}

func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	return a
}
