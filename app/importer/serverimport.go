package importer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
)

// ServeImport is the server's import of uploaded files, for
// repository/remote/server.Config.Import: it runs this pipeline, as a local
// import does, on one unit a client uploaded (staged by the server under
// req.Dir), for the session that asked. cfg gives the readers, thumbnail
// and pyramid caches of the served repository; its Session is ignored.
//
// The staged files are hard-linked into the managed repository (copied
// across file systems) and recorded as copies with the client's paths, so
// --skip-existing and the fileset's history read as after a local import.
// A unit's reader may read only the files uploaded with it: a companion
// named outside them is refused, never looked for on the server's disks.
//
// Failures that sending the same files again would not cure (no reader
// accepts them, the image is too big) are Invalid; NotFound, Permission,
// IO and interruptions keep their kind.
func ServeImport(cfg Config) func(ctx context.Context, sess core.Session, req core.UploadedImport) (core.UploadedResult, error) {
	return func(ctx context.Context, sess core.Session, req core.UploadedImport) (core.UploadedResult, error) {
		c := cfg
		c.Session = sess
		o := req.Options
		opts := Options{Dataset: o.Dataset, Screen: o.Screen, Owner: o.Owner, Transfer: Hardlink,
			FolderAsDataset: o.FolderAsDataset, Tags: o.Tags, Name: o.Name,
			SkipThumbnails: o.SkipThumbnails, SkipMinMax: o.SkipMinMax, ThumbnailSize: o.ThumbnailSize}
		if opts.ThumbnailSize <= 0 {
			opts.ThumbnailSize = thumbcache.DefaultSize
		}
		if req.Dir == "" || len(req.Files) == 0 {
			return core.UploadedResult{}, core.Errorf("import", core.Invalid, "the upload holds no files")
		}
		rec := &createdRecorder{}
		p, err := newPipeline(ctx, c, opts, rec)
		if err != nil {
			return core.UploadedResult{}, err
		}
		dir, err := filepath.Abs(req.Dir)
		if err != nil {
			return core.UploadedResult{}, core.E("import", core.IO, err)
		}
		// Readers name files by clean absolute paths, as discover does.
		p.staged = make(map[string]string, len(req.Files))
		for _, f := range req.Files {
			path := filepath.Join(dir, filepath.FromSlash(f.Name))
			cp := f.ClientPath
			if cp == "" {
				cp = f.Name
			}
			p.staged[path] = cp
		}
		folder := o.Folder
		if o.FolderAsDataset && o.Dataset.IsZero() && (folder == "" || filepath.Base(folder) == "/" || filepath.Base(folder) == ".") {
			return core.UploadedResult{}, core.Errorf("import", core.Invalid, "a dataset per folder needs the name of the folder the files were in")
		}
		u := unit{path: filepath.Join(dir, filepath.FromSlash(req.Main)), folder: folder}
		res := p.run(prepareUnits(ctx, c.Open, []unit{u}))[0]
		// The client hears of its files by their names, never by where the
		// server staged them.
		res.Error = strings.NewReplacer(dir+string(filepath.Separator), "", dir, "the upload").Replace(res.Error)
		if res.Fileset.IsZero() {
			return core.UploadedResult{}, serveError(res)
		}
		out := core.UploadedResult{Format: res.Format, Fileset: res.Fileset, Images: res.Images, Plate: res.Plate,
			Created: rec.refs, Warning: res.Error}
		return out, nil
	}
}

// serveError is the error of a unit that imported nothing.
func serveError(res Result) error {
	err := res.err
	if err == nil {
		err = errString(res.Error)
	}
	msg := res.Error
	switch k := core.KindOf(err); {
	case errors.Is(err, errInterrupted):
		return core.Errorf("import", core.Other, "the server stopped during the import; %s", msg)
	case k == core.NotFound || k == core.Permission || k == core.Auth || k == core.Conflict || k == core.IO || k == core.Unsupported:
		return &core.Error{Op: "import", Kind: k, Msg: msg}
	}
	return &core.Error{Op: "import", Kind: core.Invalid, Msg: msg}
}

// createdRecorder keeps the objects a server import creates, in order, for
// the client to report as a local import would.
type createdRecorder struct {
	mu   sync.Mutex
	refs []core.Ref
}

func (r *createdRecorder) Report(ev Event) {
	if ev.Type == EventCreated {
		r.mu.Lock()
		r.refs = append(r.refs, ev.Ref)
		r.mu.Unlock()
	}
}

// onlyStaged refuses, on a server, a unit whose reader names files that
// were not uploaded with it (a multi-file OME-TIFF pointing at "../x").
func (p *pipeline) onlyStaged(files []string) error {
	if p.staged == nil {
		return nil
	}
	for _, f := range files {
		if _, ok := p.staged[f]; !ok {
			name := filepath.Base(f)
			return errString(fmt.Sprintf("the image refers to a file %s that was not uploaded with it; import its files together (the folder holding them all)", strings.ToValidUTF8(name, "?")))
		}
	}
	return nil
}

// recordClientPaths records, on a server, the client's paths of the
// files placed, and that the server holds copies of them.
func (p *pipeline) recordClientPaths(files []placed) {
	if p.staged == nil {
		return
	}
	for i := range files {
		if cp, ok := p.staged[files[i].entry.ClientPath]; ok {
			files[i].entry.ClientPath = cp
			files[i].entry.Transfer = Copy
		}
	}
}
