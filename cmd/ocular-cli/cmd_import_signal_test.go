package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestImportStopsAtSIGTERMLeavingNothingHalfDone runs ocular-cli as a real
// process on three files, the last two of which hang their reader, sends
// SIGTERM once the progress shows the first imported and the second begun,
// and checks the command ends with the sentence, the first file kept whole
// and nothing of the second in the repository.
func TestImportStopsAtSIGTERMLeavingNothingHalfDone(t *testing.T) {
	c := newLab(t)
	src := t.TempDir()
	good, stuck, stuck2 := filepath.Join(src, "a-good.ome.tiff"), filepath.Join(src, "b-stuck.ome.tiff"), filepath.Join(src, "c-stuck.ome.tiff")
	writeTestOME(t, good)
	writeTestOME(t, stuck)
	writeTestOME(t, stuck2)

	cmd := exec.Command(os.Args[0], "--repo", c.repo, "-u", "ada", "-w", "pw", "import", "--json", "--tag", "run1", good, stuck, stuck2)
	cmd.Env = cliProcessEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	progress := readLines(stderr)
	// With two workers or more, both hung files are inside their reader
	// before the signal (the second starts once the first file is in).
	wantStuck := 1
	if runtime.NumCPU() > 1 {
		wantStuck = 2
	}
	createdGood, stuckNow := false, 0
	deadline := time.After(liveness)
	for !(createdGood && stuckNow == wantStuck) {
		select {
		case line, ok := <-progress.C:
			if !ok {
				t.Fatalf("the import ended before it was signalled:\n%s", progress.String())
			}
			if line == "test reader: stuck reading a plane" {
				stuckNow++
			}
			var ev struct{ Event, Path, Object string }
			json.Unmarshal([]byte(line), &ev)
			createdGood = createdGood || ev.Event == "created" && ev.Path == good && strings.HasPrefix(ev.Object, "Image:")
		case <-deadline:
			t.Fatalf("no progress:\n%s", progress.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-deadline:
		t.Fatalf("ocular-cli import ignored SIGTERM:\n%s", progress.String())
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitError {
		t.Fatalf("exit: %v, want status %d\n%s", err, ExitError, progress.String())
	}
	if !strings.Contains(progress.String(), "error: import interrupted: 1 of 3 files imported\n") {
		t.Errorf("stderr does not say what was done:\n%s", progress.String())
	}

	// The repository: the first file whole (image, tag), nothing of the second.
	ada := c.as("ada")
	var imgs []map[string]any
	json.Unmarshal([]byte(ada.ok("obj", "list", "Image", "--json")), &imgs)
	if len(imgs) != 1 {
		t.Fatalf("%d images, want the first file's one", len(imgs))
	}
	if tags := ada.ok("obj", "list", "ImageAnnotationLink", "--json"); strings.Count(tags, `"ImageAnnotationLink"`) != 1 {
		t.Errorf("the imported file lost its tag: %s", tags)
	}
	var kept []string
	filepath.WalkDir(c.repo, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".ome.tiff") {
			kept = append(kept, filepath.Base(p))
		}
		return nil
	})
	if len(kept) != 1 || kept[0] != "a-good.ome.tiff" {
		t.Errorf("files in the repository: %v, want only the first file", kept)
	}
}

// TestAVerbThatIgnoresASignalIsEndedAnyway runs a verb that never looks at
// its context (the test build's "test-hang") and checks SIGTERM still ends
// the process, with a sentence.
func TestAVerbThatIgnoresASignalIsEndedAnyway(t *testing.T) {
	cmd := exec.Command(os.Args[0], "test-hang")
	cmd.Env = cliProcessEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := readLines(stderr)
	deadline := time.After(liveness)
	select {
	case <-out.C: // "hanging": the verb runs
	case <-deadline:
		t.Fatal("the verb never started")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err = <-exited:
	case <-deadline:
		t.Fatal("SIGTERM did not end a verb that ignores it")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != ExitError || !strings.Contains(out.String(), "error: interrupted; the command did not stop within") {
		t.Fatalf("exit %v\n%s", err, out.String())
	}
}
