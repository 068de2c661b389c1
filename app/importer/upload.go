package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core"
)

// runUpload is Run against a session that imports by upload (a server):
// the client opens each unit only to learn its files and refuse what the
// server would refuse anyway (no images, over the memory budget), then the
// session sends the files and the server runs this same pipeline on them.
// Units go one after the other: the server bounds the uploads a session
// may have open, and one link is as fast as one upload.
func runUpload(ctx context.Context, cfg Config, up core.UploadImporter, paths []string, opts Options, rep Reporter) (Summary, error) {
	if opts.Transfer != Copy {
		return Summary{}, core.Errorf("import", core.Invalid, "a server keeps its own copy of the files: --transfer %s works only on a local repository", opts.Transfer)
	}
	ro := core.ImportOptions{Dataset: opts.Dataset, Screen: opts.Screen, Owner: opts.Owner,
		FolderAsDataset: opts.FolderAsDataset, Tags: opts.Tags, Name: opts.Name, SkipExisting: opts.SkipExisting,
		SkipThumbnails: opts.SkipThumbnails, SkipMinMax: opts.SkipMinMax, ThumbnailSize: opts.ThumbnailSize}
	// A target that is wrong for every file is refused once, before any file is sent.
	if err := up.CheckImport(ctx, ro); err != nil {
		return Summary{}, err
	}
	units, sum := discoverAll(paths, cfg.Supported, rep)
	rep.Report(Event{Type: EventStart, Units: len(units)})
	claimed := map[string]bool{}
	for _, u := range units {
		if claimed[u.path] {
			continue // another file of its set already brought it
		}
		r := uploadUnit(ctx, cfg, up, u, opts, ro, rep, claimed)
		rep.Report(Event{Type: EventDone, Path: u.path, Result: &r})
		sum.add(r)
	}
	return sum, sum.end(ctx)
}

// uploadUnit sends and imports one unit.
func uploadUnit(ctx context.Context, cfg Config, up core.UploadImporter, u unit, opts Options, ro core.ImportOptions, rep Reporter, claimed map[string]bool) Result {
	res := Result{Path: u.path}
	fail := func(err error) Result {
		if ctx.Err() != nil || errors.Is(err, context.Canceled) {
			err = errInterrupted
		}
		res.Error, res.err = withoutPath(core.UserMessage(err), u.path), err
		return res
	}
	if ctx.Err() != nil {
		return fail(ctx.Err())
	}
	r, err := cfg.Open(u.path)
	if err != nil {
		return fail(err)
	}
	defer r.Close()
	res.Format = r.Format()
	for _, f := range r.Files() {
		claimed[f] = true
	}
	rep.Report(Event{Type: EventFile, Path: u.path})
	files, err := expandFiles(r.Files())
	if err != nil {
		return fail(err)
	}
	series := r.Series()
	if len(series) == 0 {
		return fail(errString("the file holds no images"))
	}
	if err := checkBudget(series, filesSize(files), opts, cfg.Pyramids); err != nil {
		return fail(err)
	}
	req, err := uploadRequest(u, files, ro)
	if err != nil {
		return fail(err)
	}
	ir, err := up.ImportUploaded(ctx, req, func(n int64) { rep.Report(Event{Type: EventBytes, Bytes: n}) })
	if err != nil {
		return fail(err)
	}
	if ir.Skipped {
		res.Skipped = true
		return res
	}
	created := ir.Created
	if len(created) == 0 {
		created = append([]core.Ref{ir.Fileset}, ir.Images...)
	}
	for _, ref := range created {
		rep.Report(Event{Type: EventCreated, Path: u.path, Ref: ref})
	}
	if ir.Format != "" {
		res.Format = ir.Format
	}
	res.Fileset, res.Images, res.Plate, res.Error = ir.Fileset, ir.Images, ir.Plate, ir.Warning
	return res
}

// uploadRequest names a unit's files relative to the folder holding them
// all and the unit itself (so a Zarr folder keeps its name), as the local
// transfer lays them out.
func uploadRequest(u unit, files []string, ro core.ImportOptions) (core.UploadedImport, error) {
	root := commonRoot(append([]string{u.path}, files...))
	if len(files) == 1 && files[0] == u.path {
		root = filepath.Dir(u.path)
	}
	main, err := filepath.Rel(root, u.path)
	if err != nil {
		return core.UploadedImport{}, err
	}
	ro.Folder = filepath.Base(u.folder)
	req := core.UploadedImport{Main: filepath.ToSlash(main), Options: ro, Dir: root}
	for _, f := range files {
		rel, err := filepath.Rel(root, f)
		if err != nil {
			return req, err
		}
		st, err := os.Stat(f)
		if err != nil {
			return req, describeStatError(err)
		}
		req.Files = append(req.Files, core.UploadedFile{Name: filepath.ToSlash(rel), Size: st.Size(), ClientPath: f, Path: f})
	}
	return req, nil
}
