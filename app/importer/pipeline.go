package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/render"
)

// read runs in a worker: it places the unit's files in the managed
// repository and reads its series. On error it leaves nothing behind.
func (p *pipeline) read(w *work) {
	w.started = time.Now()
	if err := p.ctx.Err(); err != nil {
		w.err = err // a signal came before this unit began
		return
	}
	p.rep.Report(Event{Type: EventFile, Path: w.u.path})
	files, err := expandFiles(w.reader.Files())
	if err != nil {
		w.err = err
		return
	}
	if err := p.onlyStaged(files); err != nil {
		w.err = err
		return
	}
	if p.opts.SkipExisting {
		if done, err := p.importedBefore(files); err != nil {
			w.err = err
			return
		} else if done {
			w.err = errSkipped
			return
		}
	}
	series := w.reader.Series()
	if len(series) == 0 {
		w.err = errString("the file holds no images")
		return
	}
	// A file too big for the memory budget is refused now, in seconds,
	// before its bytes are copied.
	size := filesSize(files)
	if err := checkBudget(series, size, p.opts, p.cfg.Pyramids); err != nil {
		w.err = err
		return
	}
	// A small unit whose reader can say where its planes lie is read once:
	// the bytes copied and hashed stay in memory for its statistics and
	// thumbnail (keep.go).
	var keep *keeper
	if _, ok := w.reader.(formats.PlaneSpan); ok && !p.opts.SkipMinMax && size >= 0 && size <= keepMax {
		keep = p.keep
	}
	// Files first: their checksums key the memo, so identical bytes
	// imported again are not read again.
	w.plate = w.reader.Plate()
	dir, err := p.newFilesetDir()
	if err != nil {
		w.err = err
		return
	}
	w.fsetDir = dir
	p.trackDir(dir, true)
	w.files, err = transfer(p.ctx, files, p.managed, dir, p.opts.Transfer, !batchSync, keep, func(n int64) {
		p.rep.Report(Event{Type: EventBytes, Bytes: n})
	})
	if err != nil {
		w.err = err
		return
	}
	kept := keptOf(w.files)
	defer p.keep.release(w.files)
	if batchSync {
		for _, f := range w.files {
			if f.entry.Transfer == Copy {
				w.ticket = p.tickets.Add(1) // its copies are written: the next syncFS covers them
				break
			}
		}
	}
	p.recordClientPaths(w.files)
	for i, s := range series {
		if err := p.ctx.Err(); err != nil {
			w.err = err
			return
		}
		key := memoKey(w.files, i)
		pr := p.cfg.Memo.get(key)
		if pr == nil {
			if pr, err = prepareSeries(p.ctx, w.reader, i, s, kept, p.opts, p.cfg.Pyramids); err != nil {
				w.err = err
				return
			}
			if pr.pyramid == nil {
				// A staged pyramid belongs to one image; a later import of the
				// same bytes builds its own on first view.
				p.cfg.Memo.put(key, pr)
			}
		}
		w.series = append(w.series, pr)
	}
	// The thumbnails are drawn here, in the worker, so that they overlap
	// the reading of other files; registration only stores them.
	if p.cfg.Thumbs != nil {
		for _, pr := range w.series {
			p.drawThumbnail(pr) // an error shows again, and is reported, at registration
		}
	}
}

var errSkipped = errors.New("already imported")

// importedBefore reports whether every file of the set was imported before
// from the same path with the same size (--skip-existing).
func (p *pipeline) importedBefore(files []string) (bool, error) {
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return false, describeStatError(err)
		}
		prev, err := p.cfg.Session.ImportedFiles(p.ctx, f)
		if err != nil {
			return false, err
		}
		found := false
		for _, e := range prev {
			if e.Size == st.Size() {
				found = true
			}
		}
		if !found {
			return false, nil
		}
	}
	return true, nil
}

// newFilesetDir makes a fresh folder following OMERO's template:
// user_id/yyyy-mm/dd/hh-mm-ss.sss, with a suffix when two imports start in
// the same millisecond.
func (p *pipeline) newFilesetDir() (string, error) {
	now := time.Now()
	base := filepath.Join(p.managed, p.ownerDir, now.Format("2006-01"), now.Format("02"), now.Format("15-04-05.000"))
	if err := os.MkdirAll(filepath.Dir(base), diskmode.Dir()); err != nil {
		return "", diskError(err)
	}
	for i := 0; i < 1000; i++ {
		dir := base
		if i > 0 {
			dir = fmt.Sprintf("%s_%d", base, i)
		}
		err := os.Mkdir(dir, diskmode.Dir())
		if err == nil {
			return dir, nil
		}
		if !os.IsExist(err) {
			return "", diskError(err)
		}
	}
	return "", errString("cannot make a new folder in the managed repository")
}

// register writes one unit's rows (one transaction), then its thumbnails,
// tags and dataset links. A failed registration removes the placed files.
func (p *pipeline) register(w *work) Result {
	res := Result{Path: w.u.path, Format: w.reader.Format()}
	report := func() Result {
		p.rep.Report(Event{Type: EventDone, Path: w.u.path, Result: &res})
		return res
	}
	fail := func(err error) Result {
		for _, s := range w.series {
			if s.pyramid != nil {
				s.pyramid.Discard()
			}
		}
		if w.fsetDir != "" {
			removeEmptyParents(w.fsetDir, p.managed)
			p.trackDir(w.fsetDir, false)
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			err = errInterrupted
		}
		res.Error, res.err = core.UserMessage(err), err
		return report()
	}
	if errors.Is(w.err, errSkipped) {
		res.Skipped = true
		return report()
	}
	if w.err != nil {
		return fail(w.err)
	}
	if err := p.ctx.Err(); err != nil {
		return fail(err) // a signal: nothing of this unit is registered, not even its folder's dataset
	}
	req := core.FilesetImport{Owner: p.onBehalf, Dataset: p.opts.Dataset, Screen: p.opts.Screen}
	if req.Dataset.IsZero() && p.opts.FolderAsDataset && w.plate == nil {
		ds, err := p.folderDataset(w.u.folder)
		if err != nil {
			return fail(err)
		}
		req.Dataset = ds
	}
	for _, f := range w.files {
		req.Files = append(req.Files, f.entry)
	}
	for i, s := range w.series {
		img := s.image
		if p.opts.Name != "" {
			img.Name = p.opts.Name
			if len(w.series) > 1 {
				img.Name = fmt.Sprintf("%s [%d]", p.opts.Name, i)
			}
		}
		req.Images = append(req.Images, img)
	}
	if w.plate != nil {
		req.Plate = plateRequest(w.plate, w.reader.Series())
		req.Dataset = core.Ref{}
	}
	// The files are durable before the rows that name them commit.
	if err := p.makeDurable(w); err != nil {
		return fail(err)
	}
	ir, err := p.cfg.Session.RegisterFileset(p.ctx, req)
	if err != nil {
		return fail(err)
	}
	p.trackDir(w.fsetDir, false)
	// The unit is in: what follows (pyramids, thumbnails, tags) completes
	// even when a signal comes now, so an imported unit is whole.
	ctx := context.WithoutCancel(p.ctx)
	res.Fileset, res.Images, res.Plate = ir.Fileset, ir.Images, ir.Plate
	p.rep.Report(Event{Type: EventCreated, Path: w.u.path, Ref: ir.Fileset})
	if !ir.Plate.IsZero() {
		p.rep.Report(Event{Type: EventCreated, Path: w.u.path, Ref: ir.Plate})
	}
	for _, img := range ir.Images {
		p.rep.Report(Event{Type: EventCreated, Path: w.u.path, Ref: img})
	}
	var problems []string
	for i, img := range ir.Images {
		if st := w.series[i].pyramid; st != nil {
			// A pyramid that fails to move is rebuilt on first view.
			if err := st.Commit(img.ID); err != nil {
				st.Discard()
				problems = append(problems, fmt.Sprintf("pyramid of %s: %s", img, core.UserMessage(err)))
			}
		}
		if err := p.thumbnail(img, w.series[i]); err != nil {
			problems = append(problems, fmt.Sprintf("thumbnail of %s: %v", img, err))
		}
		for _, tag := range p.tags {
			if _, err := p.cfg.Session.Create(ctx, core.ImageAnnotationLink, map[string]string{"parent": img.String(), "child": tag.String()}); err != nil {
				problems = append(problems, fmt.Sprintf("tagging %s: %s", img, core.UserMessage(err)))
			}
		}
	}
	if len(problems) > 0 {
		// The images are in; what failed afterwards is reported, not undone.
		res.Error = "imported, but " + strings.Join(problems, "; ")
	}
	return report()
}

// makeDurable makes the files copied for w durable, with one sync of the
// repository's file system for every unit copied so far (those read ahead
// included): one flush per batch of files instead of an fsync per file.
func (p *pipeline) makeDurable(w *work) error {
	if w.ticket == 0 || w.ticket <= p.syncedUpTo {
		return nil
	}
	upTo := p.tickets.Load() // every unit with a ticket up to here has finished writing
	if err := syncFSHook(p.managed); err != nil {
		return diskError(err)
	}
	p.syncedUpTo = upTo
	return nil
}

// thumbnail draws and caches the owner's thumbnail from the planes read.
func (p *pipeline) thumbnail(img core.Ref, s *prepared) error {
	if p.cfg.Thumbs == nil {
		return nil
	}
	png, err := p.drawThumbnail(s)
	if err != nil || png == nil {
		return err
	}
	key := thumbcache.Key{Image: img.ID, Owner: p.owner, Size: p.opts.ThumbnailSize, Version: thumbcache.SettingsVersion(s.image.Rendering)}
	return p.cfg.Thumbs.PutPNG(key, png)
}

// drawThumbnail draws and encodes a prepared series' thumbnail once, with
// a renderer of the pipeline's (whose tables' memory is reused from one
// image to the next).
func (p *pipeline) drawThumbnail(s *prepared) ([]byte, error) {
	return s.thumbnailOnce(func() ([]byte, error) {
		r := p.renderer()
		defer p.putRenderer(r)
		rgba, err := r.RenderThumbnail(s.thumbPlanes, &s.settings, p.opts.ThumbnailSize)
		if err != nil {
			return nil, err
		}
		return thumbcache.Encode(rgba)
	})
}

// renderer lends one of the pipeline's renderers (give it back with
// putRenderer): a new one per thumbnail allocated and cleared its 1.5 MB
// of 16-bit tables every time.
func (p *pipeline) renderer() *render.Renderer {
	select {
	case r := <-p.renderers:
		return r
	default:
		return render.NewRenderer()
	}
}

func (p *pipeline) putRenderer(r *render.Renderer) {
	select {
	case p.renderers <- r:
	default: // as many as there are workers are kept
	}
}

// tag finds a visible tag of that name in the current group (preferring the
// user's own) or creates one.
func (p *pipeline) tag(name string) (core.Ref, error) {
	tags, err := p.cfg.Session.List(p.ctx, core.TagAnnotation, core.AnyID, p.me.Group.ID)
	if err != nil {
		return core.Ref{}, err
	}
	var found core.Ref
	for _, t := range tags {
		if t.TextValue == name && t.Flags.CanLink || t.TextValue == name && t.Owner == p.me.User.ID {
			if found.IsZero() || t.Owner == p.me.User.ID {
				found = t.Ref
			}
		}
	}
	if !found.IsZero() {
		return found, nil
	}
	v, err := p.cfg.Session.Create(p.ctx, core.TagAnnotation, map[string]string{"textValue": name})
	if err != nil {
		return core.Ref{}, err
	}
	return v.Ref, nil
}

// folderDataset finds or creates the dataset named after a folder.
func (p *pipeline) folderDataset(folder string) (core.Ref, error) {
	if ref, ok := p.datasets[folder]; ok {
		return ref, nil
	}
	name := filepath.Base(folder)
	dss, err := p.cfg.Session.List(p.ctx, core.Dataset, p.owner, p.me.Group.ID)
	if err != nil {
		return core.Ref{}, err
	}
	for _, d := range dss {
		if d.Name == name {
			p.datasets[folder] = d.Ref
			return d.Ref, nil
		}
	}
	fields := map[string]string{"name": name}
	if p.owner != p.me.User.ID {
		fields["owner"] = fmt.Sprint(p.owner)
	}
	v, err := p.cfg.Session.Create(p.ctx, core.Dataset, fields)
	if err != nil {
		return core.Ref{}, err
	}
	p.rep.Report(Event{Type: EventCreated, Path: folder, Ref: v.Ref})
	p.datasets[folder] = v.Ref
	return v.Ref, nil
}

// filesSize is the total size of the files (-1 when one cannot be read).
func filesSize(files []string) int64 {
	var n int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return -1
		}
		n += st.Size()
	}
	return n
}
