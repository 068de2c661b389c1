package main

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/internal/smalldisk"
)

// fillDisk writes a file in dir until the file system is full.
func fillDisk(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	// Fill the last partial page too.
	for {
		if _, err := f.Write(buf[:512]); err != nil {
			break
		}
	}
}

// On a full disk, reading still works: resuming the saved session writes
// nothing it cannot do without (even when its expiry is due for renewal),
// so whoami, tree, obj list/get, -g and render info answer; a command that
// writes fails with the reason.
func TestReadingWorksOnAFullDisk(t *testing.T) {
	disk := smalldisk.Mount(t, "4m")
	c := newCLI(t)
	c.repo = filepath.Join(disk, "repo")
	c.ok("init", "--root-password", "omero")
	c.ok("login", "-u", "root", "-w", "omero")
	c.ok("group", "add", "lab", "--type", "read-annotate")
	c.ok("user", "add", "ada", "Ada", "Lovelace", "--group-name", "lab", "-P", "pw")
	ada := c.as("ada")
	d := strings.TrimSpace(ada.ok("obj", "new", "Dataset", "name=Day 1"))
	src := t.TempDir()
	writeTestOME(t, filepath.Join(src, "cells.ome.tiff"))
	ada.ok("import", "--skip-thumbnails", filepath.Join(src, "cells.ome.tiff"))
	var img string
	for _, f := range strings.Fields(ada.ok("obj", "list", "Image")) {
		if strings.HasPrefix(f, "Image:") {
			img = f
		}
	}
	// Make the saved session due for its expiry renewal.
	db := openWritableDB(t, c.repo)
	if _, err := db.Exec("UPDATE session SET expires = ?", time.Now().Add(24*time.Hour).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	c.ok("version") // opens the repository without resuming a session

	fillDisk(t, disk)
	if who := ada.ok("whoami"); !strings.Contains(who, "ada") {
		t.Errorf("whoami:\n%s", who)
	}
	if tree := ada.ok("tree"); !strings.Contains(tree, "Day 1") {
		t.Errorf("tree:\n%s", tree)
	}
	if list := ada.ok("-g", "lab", "obj", "list", "Dataset"); !strings.Contains(list, "Day 1") {
		t.Errorf("obj list:\n%s", list)
	}
	ada.ok("obj", "get", d)
	// A thumbnail the cache cannot keep is still drawn.
	ada.ok("thumbnail", img, "-o", filepath.Join(src, "thumb.png"))
	ada.ok("render", "info", img)
	// A login for one command (-u) works too: its session stays in memory.
	if list := c.terminal().ok("-u", "ada", "-w", "pw", "obj", "list", "Dataset"); !strings.Contains(list, "Day 1") {
		t.Errorf("obj list with -u:\n%s", list)
	}
	// `login`, whose key later commands need, says why it cannot.
	c.terminal().failsWith(ExitError, "disk is full", "login", "-u", "ada", "-w", "pw")
	ada.failsWith(ExitError, "disk is full", "obj", "new", "Dataset", "name=Day 2")
	os.Remove(filepath.Join(disk, "filler"))
	if list := ada.ok("obj", "list", "Dataset"); strings.Contains(list, "Day 2") {
		t.Errorf("the failed write left a dataset:\n%s", list)
	}
	ada.ok("obj", "new", "Dataset", "name=Day 2")
	// With space again, the renewal the full disk prevented happens.
	db = openDB(t, c.repo)
	defer db.Close()
	var expires int64
	db.QueryRow("SELECT MAX(expires) FROM session").Scan(&expires)
	if time.Until(time.UnixMilli(expires)) < 6*24*time.Hour {
		t.Errorf("the session expires at %v: not renewed", time.UnixMilli(expires))
	}
}

// openWritableDB opens a closed repository's database for a test to change
// what the CLI cannot (a session's expiry).
func openWritableDB(t *testing.T, repo string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(repo, "ocular.db")+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	return db
}
