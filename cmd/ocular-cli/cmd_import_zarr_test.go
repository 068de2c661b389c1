package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeCLIZarr writes an OME-Zarr "cyx" image of the given .zarray shape
// and chunks, with chunk 0.0.0 holding chunk when it is not nil.
func writeCLIZarr(t *testing.T, root, shape, chunks string, chunk []byte) {
	t.Helper()
	files := map[string]string{
		".zgroup":   `{"zarr_format":2}`,
		".zattrs":   `{"multiscales":[{"version":"0.4","axes":[{"name":"c","type":"channel"},{"name":"y","type":"space"},{"name":"x","type":"space"}],"datasets":[{"path":"0"}]}]}`,
		"0/.zarray": `{"zarr_format":2,"shape":` + shape + `,"chunks":` + chunks + `,"dtype":"|u1","compressor":null,"fill_value":0,"order":"C","filters":null}`,
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if chunk != nil {
		os.WriteFile(filepath.Join(root, "0", "0.0.0"), chunk, 0o644)
	}
}

// hostileZarrs writes, in dir, a Zarr of three JSON files claiming 2^40
// channels (which used to kill the process: "fatal error: out of memory")
// and a Zarr whose chunk links to a file outside it; it returns their names.
func hostileZarrs(t *testing.T, dir string) []string {
	writeCLIZarr(t, filepath.Join(dir, "channels.zarr"), "[1099511627776,4,4]", "[1,4,4]", nil)
	outside := filepath.Join(t.TempDir(), "elsewhere.raw")
	os.WriteFile(outside, bytes.Repeat([]byte{250}, 16), 0o644)
	linked := filepath.Join(dir, "linked.zarr")
	writeCLIZarr(t, linked, "[1,4,4]", "[1,4,4]", nil)
	if err := os.Symlink(outside, filepath.Join(linked, "0", "0.0.0")); err != nil {
		t.Skipf("cannot make symlinks here: %v", err)
	}
	return []string{"channels.zarr", "linked.zarr"}
}

// Importing hostile Zarr folders fails with one sentence each, exit 1, and
// leaves the repository as it was; good files beside them are imported.
// It runs in a child process, so a regression that allocates without bound
// fails this test instead of killing the test binary.
func TestImportHostileZarrFailsCleanly(t *testing.T) {
	if os.Getenv("OCULAR_CLI_TEST_CHILD") != t.Name() {
		cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
		cmd.Env = append(os.Environ(), "OCULAR_CLI_TEST_CHILD="+t.Name())
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("--- PASS")) {
			if len(out) > 4000 {
				out = out[len(out)-4000:]
			}
			t.Fatalf("child test failed (%v):\n%s", err, out)
		}
		return
	}
	c := newLab(t)
	ada := c.as("ada")
	bad := t.TempDir()
	names := hostileZarrs(t, bad)
	c.unchanged(func() {
		out, errs, code := ada.run("import", bad)
		if code != 1 {
			t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errs)
		}
		if !strings.Contains(errs, "channels.zarr") || !strings.Contains(errs, "chunks are stored") {
			t.Errorf("stderr should say the 2^40-channel Zarr is not backed by its chunks:\n%s", errs)
		}
		if !strings.Contains(errs, "linked.zarr") || !strings.Contains(errs, "outside the folder") {
			t.Errorf("stderr should say the linked chunk leads outside the folder:\n%s", errs)
		}
	})
	entries, _ := os.ReadDir(filepath.Join(c.repo, "ManagedRepository"))
	for _, e := range entries {
		filepath.Walk(filepath.Join(c.repo, "ManagedRepository", e.Name()), func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				t.Errorf("file left behind: %s", p)
			}
			return nil
		})
	}

	// The same hostile folders beside good files: the good ones get in.
	mixed := t.TempDir()
	hostileZarrs(t, mixed)
	writeTestOME(t, filepath.Join(mixed, "good.ome.tiff"))
	writeCLIZarr(t, filepath.Join(mixed, "good.zarr"), "[1,4,4]", "[1,4,4]", bytes.Repeat([]byte{9}, 16))
	out, errs, code := ada.run("import", mixed)
	if code != 1 || !strings.Contains(out, "Imported 2 file(s); 2 failed") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, n := range names {
		if !strings.Contains(errs, n) {
			t.Errorf("stderr does not name %s:\n%s", n, errs)
		}
	}
	tree := ada.ok("tree")
	if !strings.Contains(tree, "cells") || !strings.Contains(tree, "good") {
		t.Errorf("the good files are not in the tree:\n%s", tree)
	}
}
