package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// station runs `watch --config cfg` in this process, as root (the lab's
// saved session), until stop is called; the station's children are this
// test binary acting as ocular-cli (hostile_test.go).
type station struct {
	log  *lines
	stop func() int
}

func (c *testCLI) startStation(t *testing.T, cfg string) *station {
	t.Helper()
	t.Setenv(asCLIEnv, "1") // inherited by the station's children
	ctx, cancel := context.WithCancel(context.Background())
	log := newLines()
	m := &Main{Stdout: log, Stderr: log, ConfigPath: c.config}
	code := make(chan int, 1)
	go func() { code <- m.Run(ctx, []string{"--repo", c.repo, "watch", "--config", cfg}) }()
	return &station{log: log, stop: func() int { cancel(); return <-code }}
}

// waitFor reads the station's log until every wanted piece has appeared in
// some line, and returns the lines read.
func (s *station) waitFor(t *testing.T, want ...string) []string {
	t.Helper()
	var seen []string
	missing := map[string]bool{}
	for _, w := range want {
		missing[w] = true
	}
	deadline := time.After(liveness)
	for len(missing) > 0 {
		select {
		case line := <-s.log.C:
			seen = append(seen, line)
			for w := range missing {
				if strings.Contains(line, w) {
					delete(missing, w)
				}
			}
		case <-deadline:
			t.Fatalf("the station never logged %v:\n%s", missing, s.log.String())
		}
	}
	return seen
}

func TestStationSurvivesAFileThatKillsTheImport(t *testing.T) {
	c := newLab(t)
	inbox := t.TempDir()
	run := filepath.Join(inbox, "run1")
	writeTestOME(t, filepath.Join(run, "a-poison.ome.tiff"))
	var good []string
	for i := 1; i <= 5; i++ {
		p := filepath.Join(run, fmt.Sprintf("good-%d.ome.tiff", i))
		writeTestOME(t, p)
		good = append(good, "imported "+p)
	}
	cfg := filepath.Join(t.TempDir(), "station.yml")
	os.WriteFile(cfg, []byte("station: confocal\nquiet: 20ms\nretries: 2\nbackoff: 10ms\ntimeout: 5m\nrules:\n  - folder: "+inbox+
		"\n    group: lab\n    owner: ada\n    target: dataset\n"), 0o644)

	st := c.startStation(t, cfg)
	st.waitFor(t, append(good, "FAILED "+filepath.Join(run, "a-poison.ome.tiff"))...)
	if code := st.stop(); code != 0 {
		t.Fatalf("the station ended with %d:\n%s", code, st.log.String())
	}

	status := c.ok("watch", "status", "--config", cfg)
	if !strings.Contains(status, `Station "confocal": 5 imported, 0 pending, 1 failed`) ||
		!strings.Contains(status, "the import crashed twice (exit status 2: fatal error: out of memory (test poison)) (after 2 attempts;") {
		t.Errorf("watch status:\n%s", status)
	}

	// A restart tries neither the poison nor the five again; a new file
	// is imported (so the restarted station has passed over them all).
	late := filepath.Join(run, "good-6.ome.tiff")
	writeTestOME(t, late)
	st = c.startStation(t, cfg)
	seen := st.waitFor(t, "imported "+late)
	st.stop()
	for _, line := range seen {
		if strings.Contains(line, "poison") || strings.Contains(line, "imported") && !strings.Contains(line, late) {
			t.Errorf("the restarted station redid %q", line)
		}
	}
	var imgs []map[string]any
	json.Unmarshal([]byte(c.as("ada").ok("obj", "list", "Image", "--json")), &imgs)
	if len(imgs) != 6 {
		t.Errorf("%d images, want the six good files once each", len(imgs))
	}
	var links []map[string]any
	json.Unmarshal([]byte(c.as("ada").ok("obj", "list", "DatasetImageLink", "--json")), &links)
	if len(links) != 6 {
		t.Errorf("%d images in the rule's dataset, want 6", len(links))
	}
	var recs []struct{ Path, Status, LastError string }
	json.Unmarshal([]byte(c.ok("watch", "status", "confocal", "--json")), &recs)
	for _, r := range recs {
		if strings.Contains(r.Path, "poison") != (r.Status == "failed") {
			t.Errorf("record %+v", r)
		}
	}
}

// TestStationStopsAtSIGTERMDuringAnImport runs a station as a real process,
// signals it while it imports a file whose reader hangs, and checks that it
// ends, that the attempt is not counted against the file, and that nothing
// of the file is in the repository.
func TestStationStopsAtSIGTERMDuringAnImport(t *testing.T) {
	c := newLab(t)
	inbox := t.TempDir()
	stuck := filepath.Join(inbox, "run1", "b-stuck.ome.tiff")
	writeTestOME(t, stuck)
	cfg := filepath.Join(t.TempDir(), "station.yml")
	os.WriteFile(cfg, []byte("station: confocal\nquiet: 20ms\nrules:\n  - folder: "+inbox+"\n    group: lab\n    owner: ada\n"), 0o644)

	cmd := exec.Command(os.Args[0], "--repo", c.repo, "-u", "root", "-w", "omero", "watch", "--config", cfg)
	cmd.Env = cliProcessEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	log := readLines(stderr)
	deadline := time.After(liveness)
	for begun := false; !begun; {
		select {
		case line := <-log.C:
			begun = strings.Contains(line, stuck+": test reader: stuck reading a plane")
		case <-deadline:
			t.Fatalf("the station never began the import:\n%s", log.String())
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-deadline:
		t.Fatalf("the station ignored SIGTERM:\n%s", log.String())
	}
	if err != nil {
		t.Fatalf("a station stopped by SIGTERM must end normally: %v\n%s", err, log.String())
	}
	var recs []struct {
		Path, Status   string
		Attempts       int
		AttemptStarted string
	}
	json.Unmarshal([]byte(c.ok("watch", "status", "confocal", "--json")), &recs)
	if len(recs) != 1 || recs[0].Status != "pending" || recs[0].Attempts != 0 || recs[0].AttemptStarted != "" {
		t.Errorf("the interrupted attempt must not count: %+v", recs)
	}
	filepath.WalkDir(c.repo, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".ome.tiff") {
			t.Errorf("left in the repository: %s", p)
		}
		return nil
	})
	var imgs []map[string]any
	json.Unmarshal([]byte(c.as("ada").ok("obj", "list", "Image", "--json")), &imgs)
	if len(imgs) != 0 {
		t.Errorf("%d images", len(imgs))
	}
}

func TestWatchHelpShowsTheConfigurationAndHidesTheChildVerb(t *testing.T) {
	c := newCLI(t)
	help := c.ok("watch", "--help")
	if !strings.Contains(help, "timeout: 10m") || !strings.Contains(help, "retries: 5") || !strings.Contains(help, "child process") {
		t.Errorf("watch --help:\n%s", help)
	}
	if list := c.ok("help"); strings.Contains(list, "watch child") {
		t.Errorf("the station's own verb is listed:\n%s", list)
	}
	c.failsWith(ExitUsage, "run by 'ocular-cli watch'", "watch", "child")
}
