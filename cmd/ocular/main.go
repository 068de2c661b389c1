// Command ocular is Ocular's desktop application. This is its composition
// root: the only place that imports fyne.io/fyne/v2/app and opens the
// embedded repository (repository/local) or connects to a server
// (repository/remote); everything on screen is package ui, which receives a
// core.Service through an opener.
//
//	ocular [--repo DIR | --server https://HOST:PORT [--fingerprint SHA256:HEX]]
//	       [--user NAME] [--password PW] [--select Project:3/Dataset:5] [--ready-file F]
//
// --server opens the login screen on that server; --fingerprint trusts its
// certificate without asking (the one `ocular-cli serve` prints), for
// scripts; without it the login screen asks on first contact.
//
// With --user and a password (--password, or better $OCULAR_PASSWORD, which
// stays out of the process list) it logs in at once; scripts such as
// scripts/e2e/run.sh use that. On first run, when the default repository does
// not exist yet, it is created with the training demo (see firstrun.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/ocular-lab/ocular/app/housekeeping"
	"log"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2/app"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/local"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/login"
)

// AppID identifies Ocular to the desktop (preferences, settings); it matches
// FyneApp.toml.
const AppID = "io.github.ocular-lab.ocular"

func main() {
	fs := flag.NewFlagSet("ocular", flag.ContinueOnError)
	repo := fs.String("repo", local.DefaultDir(), "repository `folder` to preselect")
	server := fs.String("server", os.Getenv("OCULAR_SERVER"), "log in to the server at this `address` (https://host:port, or $OCULAR_SERVER)")
	fingerprint := fs.String("fingerprint", "", "trust this certificate `fingerprint` (SHA256:hex, as the server prints it) for --server")
	user := fs.String("user", os.Getenv("OCULAR_USER"), "log in at once as this `user` (or $OCULAR_USER)")
	password := fs.String("password", "", "password for --user (prefer $OCULAR_PASSWORD)")
	ready := fs.String("ready-file", "", "write \"ready\" to this `file` once the data tree is shown after login, then a line per event: tree branch or grid loaded, viewer picture settled (for scripts)")
	sel := fs.String("select", "", "after login, open and select this `path` of objects, e.g. Project:3/Dataset:5/Image:9")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *password == "" {
		*password = os.Getenv("OCULAR_PASSWORD")
	}

	repoGiven := false
	fs.Visit(func(f *flag.Flag) { repoGiven = repoGiven || f.Name == "repo" })

	a := app.NewWithID(AppID)
	opts := ui.Options{
		App:         a,
		Run:         async.Fyne,
		Open:        open,
		Dir:         *repo,
		Server:      *server,
		Fingerprint: *fingerprint,
		Folder:      repoGiven,
		Username:    *user,
		Password:    *password,
		AutoLogin:   *user != "" && *password != "",
		Select:      *sel,
	}
	if *ready != "" {
		opts.OnReady = func() { appendLine(*ready, "ready") }
		opts.OnEvent = func(line string) { appendLine(*ready, line) }
	}
	if *server == "" && *repo == local.DefaultDir() && !local.Exists(*repo) {
		opts.Setup, opts.Note = firstRun(*repo)
		if opts.Username == "" {
			opts.Username = firstRunUser
		}
	}
	w := ui.New(opts)
	w.Window.ShowAndRun()
	w.Close()
}

// swept records the repository folders already checked by this launch.
var swept sync.Map

// open is the UI's opener: a server's client, or the embedded repository
// in a folder.
func open(ctx context.Context, at login.Location) (core.Service, error) {
	if at.Server != "" {
		// The pin is the certificate the user trusted for this address; a
		// different one (or none yet) comes back as a *core.CertificateError
		// for the login screen to ask about.
		svc, err := remote.Dial(ctx, at.Server, remote.Options{Fingerprint: at.Fingerprint})
		if err != nil {
			return nil, err
		}
		return svc, nil
	}
	return openFolder(ctx, at.Dir)
}

// openFolder opens the embedded repository in a folder.
func openFolder(ctx context.Context, dir string) (core.Service, error) {
	svc, err := local.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	// A delete drops the deleted images' cached thumbnails and pyramids.
	svc.OnImagesDeleted(housekeeping.Dropper(dir))
	// On a full disk the login is kept in memory, so browsing still works.
	svc.AllowUnsavedSessions(true)
	// Files a crash left without rows (between a delete's commit and its file
	// removal, or during a duplicate) are swept in the background, once per
	// repository per launch (the login screen opens it at every attempt); a
	// day's grace leaves imports in progress alone.
	if _, done := swept.LoadOrStore(dir, true); done {
		return svc, nil
	}
	go func() {
		// Its own connection: the login screen closes svc after a failed attempt.
		own, err := local.Open(context.Background(), dir)
		if err != nil {
			log.Printf("repository check: %v", err)
			return
		}
		defer own.Close()
		rep, err := own.RepairFiles(context.Background(), 24*time.Hour)
		if err != nil {
			log.Printf("repository check: %v", err)
		} else if len(rep.Removed) > 0 {
			log.Printf("repository check: removed %d file(s) no longer part of any image or attachment", len(rep.Removed))
		}
		cached, err := housekeeping.ForRepository(dir).Sweep(context.Background(), own.ExistingImages, 24*time.Hour)
		if err != nil {
			log.Printf("cache check: %v", err)
		} else if len(cached.Images) > 0 {
			log.Printf("cache check: removed the cached thumbnails and pyramids of %d deleted image(s)", len(cached.Images))
		}
	}()
	return svc, nil
}

// appendLine adds a line to the --ready-file, which scripts poll for events.
func appendLine(path, line string) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err == nil {
		_, err = fmt.Fprintln(f, line)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ocular:", err)
	}
}
