package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
)

func init() {
	Register(&Command{
		Name:  "import",
		Args:  "PATH... [-d Dataset:ID | -r Screen:ID] [--owner USER] [--transfer copy|hardlink|symlink] [--folder-as-dataset] [--tag NAME]... [--name NAME] [--skip-existing] [--skip-thumbnails] [--skip-minmax]",
		Short: "import image files and folders (OME-TIFF, TIFF, ImageJ, OME-Zarr, PNG, JPEG)",
		Run:   runImport,
	})
}

// importPrinter prints each new object as OMERO's importer does, with a
// progress bar on a terminal. With --json, progress goes to stderr as one
// JSON object per line ({"event":"created","path":...,"object":"Image:3"})
// and stdout carries only the summary document at the end.
type importPrinter struct {
	env *Env
	bar *progressBar
	enc *json.Encoder
	mu  sync.Mutex
}

type importEvent struct {
	Event  string           `json:"event"`
	Path   string           `json:"path,omitempty"`
	Object string           `json:"object,omitempty"`
	Units  int              `json:"units,omitempty"`
	Result *importer.Result `json:"result,omitempty"`
}

func (p *importPrinter) Report(ev importer.Event) {
	if p.env.JSON {
		p.reportJSON(ev)
		return
	}
	switch ev.Type {
	case importer.EventStart:
		p.bar.setTotal(ev.Units)
	case importer.EventBytes:
		p.bar.addBytes(ev.Bytes)
	case importer.EventCreated:
		if !p.env.JSON {
			p.bar.clear()
			fmt.Fprintln(p.env.Stdout, ev.Ref)
			p.bar.draw(true)
		}
	case importer.EventDone:
		p.bar.step()
		if ev.Result != nil && ev.Result.Error != "" {
			p.bar.clear()
			fmt.Fprintf(p.env.Stderr, "error: %s: %s\n", safe(ev.Path), safe(ev.Result.Error))
			p.bar.draw(true)
		}
	}
}

func (p *importPrinter) reportJSON(ev importer.Event) {
	var out importEvent
	switch ev.Type {
	case importer.EventStart:
		out = importEvent{Event: "start", Units: ev.Units}
	case importer.EventFile:
		out = importEvent{Event: "file", Path: ev.Path}
	case importer.EventCreated:
		out = importEvent{Event: "created", Path: ev.Path, Object: ev.Ref.String()}
	case importer.EventDone:
		out = importEvent{Event: "done", Path: ev.Path, Result: ev.Result}
	default:
		return // byte counts are too chatty for a line each
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.enc.Encode(out)
}

func runImport(env *Env, args []string) error {
	fs := env.Flags()
	dataset := fs.StringP("dataset", "d", "", "link the images into Dataset:ID")
	screen := fs.StringP("screen", "r", "", "link imported plates into Screen:ID")
	owner := fs.String("owner", "", "import on behalf of USER (administrators)")
	transfer := fs.String("transfer", importer.Copy, "copy, hardlink, or symlink (leave the files in place)")
	folderAsDataset := fs.Bool("folder-as-dataset", false, "make a dataset per folder, named after it")
	tags := fs.StringArray("tag", nil, "tag every image with NAME (repeatable)")
	name := fs.String("name", "", "name the imported image(s)")
	skipExisting := fs.Bool("skip-existing", false, "skip files already imported from the same path with the same size")
	skipThumbs := fs.Bool("skip-thumbnails", false, "do not draw thumbnails now")
	skipMinMax := fs.Bool("skip-minmax", false, "do not compute per-channel minimum and maximum")
	paths, err := env.Parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	opts := importer.Options{Owner: *owner, Transfer: *transfer, FolderAsDataset: *folderAsDataset, Tags: *tags,
		Name: *name, SkipExisting: *skipExisting, SkipThumbnails: *skipThumbs, SkipMinMax: *skipMinMax}
	for _, t := range []struct {
		flag, value string
		class       core.Class
		dst         *core.Ref
	}{{"-d", *dataset, core.Dataset, &opts.Dataset}, {"-r", *screen, core.Screen, &opts.Screen}} {
		if t.value == "" {
			continue
		}
		r, err := core.ParseRef(t.value)
		if err != nil {
			return err
		}
		if r.Class != t.class {
			return env.Usagef("%s takes a %s:ID, not %s", t.flag, t.class, r)
		}
		*t.dst = r
	}
	cfg := importer.Config{Open: openImage, Supported: detect.Supported}
	// On a local repository the files are found and their headers read
	// while the login checks the password (a server opens them itself).
	prepared := make(chan *importer.Prepared, 1)
	if env.Remote() {
		prepared <- nil
	} else {
		go func() { prepared <- importer.Prepare(env.Ctx, cfg, paths) }()
	}
	s, err := env.Session()
	pre := <-prepared
	if err != nil {
		if pre != nil {
			pre.Close()
		}
		return err
	}
	cfg.Session = s
	if !env.Remote() {
		// A server keeps the thumbnails and pyramids of what it imports.
		cfg.Thumbs, cfg.Pyramids = thumbcache.ForRepository(env.Repo), pyramid.ForRepository(env.Repo)
	}
	pr := &importPrinter{env: env, bar: newProgressBar(env.Stderr, "importing"), enc: json.NewEncoder(env.Stderr)}
	if env.JSON {
		pr.bar.on = false
	}
	var sum importer.Summary
	var runErr error
	if pre != nil {
		sum, runErr = importer.RunPrepared(env.Ctx, cfg, pre, opts, pr)
	} else {
		sum, runErr = importer.Run(env.Ctx, cfg, paths, opts, pr)
	}
	pr.bar.clear()
	if len(sum.Results) == 0 && runErr != nil {
		return runErr
	}
	if err := env.Print(sum, func(w io.Writer) {
		line := fmt.Sprintf("Imported %d file(s)", sum.Imported)
		if sum.Skipped > 0 {
			line += fmt.Sprintf(", skipped %d already imported", sum.Skipped)
		}
		if sum.Failed > 0 {
			var failed []string
			for _, r := range sum.Results {
				if r.Error != "" {
					failed = append(failed, fmt.Sprintf("  %s: %s", safe(r.Path), safe(r.Error)))
				}
			}
			line += fmt.Sprintf("; %d failed:\n%s", sum.Failed, strings.Join(failed, "\n"))
		}
		fmt.Fprintln(w, line)
	}); err != nil {
		return err
	}
	return runErr
}
