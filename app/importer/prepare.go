package importer

import (
	"context"
	"errors"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
)

// Prepared is an import's first step, which needs no session: the units
// found in the paths a user gave, each opened by its reader (headers only),
// in order, those met in an earlier unit's set left out. A command that
// logs in meanwhile overlaps the two: the login's password hash takes some
// 60 ms of one core, opening a hundred TIFFs' headers 15 ms of the other.
// Run it with RunPrepared, or Close it.
type Prepared struct {
	paths  []string
	failed []Result // paths that could not be read (reported first)
	found  int      // units found, sets' other files included
	units  []openedUnit
}

// openedUnit is one unit: its reader, or why it could not be opened.
type openedUnit struct {
	u      unit
	reader formats.Reader
	err    error
}

// Prepare finds the units of paths and opens them with cfg.Open (detect.Open
// when nil); a unit whose reader is stuck past StopGrace after ctx ends is
// left to itself.
func Prepare(ctx context.Context, cfg Config, paths []string) *Prepared {
	units, errs := discover(paths, cfg.Supported)
	pr := prepareUnits(ctx, cfg.Open, units)
	pr.paths, pr.failed = paths, failedPaths(errs)
	return pr
}

// failedPaths turns discovery's errors into results, by path.
func failedPaths(errs []error) []Result {
	var out []Result
	for _, e := range errs {
		var fe *fileError
		r := Result{Error: e.Error()}
		if errors.As(e, &fe) {
			r = Result{Path: fe.path, Error: fe.err.Error()}
		}
		out = append(out, r)
	}
	return out
}

// prepareUnits opens units in order, leaving out those an earlier unit's
// set holds.
func prepareUnits(ctx context.Context, open func(string) (formats.Reader, error), units []unit) *Prepared {
	if open == nil {
		open = detect.Open
	}
	pr := &Prepared{found: len(units)}
	grace := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(StopGrace, func() { close(grace) }) })
	defer stop()
	claimed := map[string]bool{}
	for _, u := range units {
		if claimed[u.path] {
			continue // another file of its set already brought it
		}
		r, err := openStoppable(ctx, grace, open, u.path)
		pr.units = append(pr.units, openedUnit{u: u, reader: r, err: err})
		if err == nil {
			for _, f := range r.Files() {
				claimed[f] = true
			}
		}
	}
	return pr
}

// Close closes the readers of a Prepared that is not run.
func (pr *Prepared) Close() {
	for _, u := range pr.units {
		if u.reader != nil {
			u.reader.Close()
		}
	}
	pr.units = nil
}

// openStoppable opens a unit's file, but gives up on a reader stuck in it
// once a signal's grace is over (the reader is closed should it ever
// return).
func openStoppable(ctx context.Context, grace <-chan struct{}, open func(string) (formats.Reader, error), path string) (formats.Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, errInterrupted
	}
	type opened struct {
		r   formats.Reader
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		r, err := open(path)
		ch <- opened{r, err}
	}()
	select {
	case o := <-ch:
		return o.r, o.err
	case <-grace:
		go func() {
			if o := <-ch; o.err == nil {
				o.r.Close()
			}
		}()
		return nil, errInterrupted
	}
}

// reportFailed reports and counts the paths that could not be read.
func (pr *Prepared) reportFailed(rep Reporter) Summary {
	var sum Summary
	for _, r := range pr.failed {
		sum.Results = append(sum.Results, r)
		sum.Failed++
		rep.Report(Event{Type: EventDone, Path: r.Path, Result: &sum.Results[len(sum.Results)-1]})
	}
	return sum
}

// opened turns the prepared units into work, reporting those that could
// not be opened as failed results.
func (pr *Prepared) opened(rep Reporter) (todo []*work, failed []Result) {
	for _, u := range pr.units {
		if u.err != nil {
			res := Result{Path: u.u.path, Error: withoutPath(core.UserMessage(u.err), u.u.path), err: u.err}
			rep.Report(Event{Type: EventDone, Path: u.u.path, Result: &res})
			failed = append(failed, res)
			continue
		}
		todo = append(todo, &work{u: u.u, reader: u.reader})
	}
	pr.units = nil
	return todo, failed
}
