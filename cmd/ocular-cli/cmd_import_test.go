package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
)

func writeTestOME(t *testing.T, path string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	s := formats.Series{Name: "cells", SizeX: 40, SizeY: 30, SizeZ: 2, SizeC: 2, SizeT: 1, PixelType: pixel.Uint16,
		Channels: []formats.Channel{{Name: "DAPI"}, {Name: "GFP"}}}
	err := ome.WriteTIFF(path, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, 40, 30)
		p.Set(1, 1, float64(1000*(c+1)+z))
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func TestImportPrintsNewObjectsAndFailsPerFile(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	ds := strings.TrimSpace(ada.ok("obj", "new", "Dataset", "name=incoming"))
	src := t.TempDir()
	writeTestOME(t, filepath.Join(src, "a.ome.tiff"))
	os.WriteFile(filepath.Join(src, "b.czi"), []byte("ZISRAWFILE not really"), 0o644)

	out, errs, code := ada.run("import", filepath.Join(src, "a.ome.tiff"), filepath.Join(src, "b.czi"), "-d", ds, "--tag", "demo")
	if code != 1 {
		t.Fatalf("a batch with a failed file must exit 1, got %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "Fileset:") || !strings.Contains(out, "Image:") || !strings.Contains(out, "Imported 1 file(s); 1 failed") {
		t.Errorf("stdout:\n%s", out)
	}
	if !strings.Contains(errs, "b.czi") || !strings.Contains(errs, "not supported") {
		t.Errorf("stderr should name the unsupported file and why:\n%s", errs)
	}
	tree := ada.ok("tree")
	if !strings.Contains(tree, "incoming") || !strings.Contains(tree, "cells") {
		t.Errorf("tree:\n%s", tree)
	}
	// --json for scripts.
	writeTestOME(t, filepath.Join(src, "more", "c.ome.tiff"))
	js, progress, code := ada.run("import", "--json", "--folder-as-dataset", filepath.Join(src, "more"))
	if code != 0 {
		t.Fatalf("import --json: exit %d: %s", code, progress)
	}
	var created int
	for _, line := range strings.Split(strings.TrimSpace(progress), "\n") {
		var ev struct{ Event, Object string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("progress line %q is not JSON: %v", line, err)
		}
		if ev.Event == "created" && strings.HasPrefix(ev.Object, "Image:") {
			created++
		}
	}
	if created != 1 {
		t.Errorf("want one 'created' Image event on stderr, got:\n%s", progress)
	}
	var sum struct {
		Imported int
		Results  []struct {
			Images []struct {
				Class string
				ID    int
			}
		}
	}
	if err := json.Unmarshal([]byte(js), &sum); err != nil || sum.Imported != 1 || len(sum.Results[0].Images) != 1 {
		t.Fatalf("json %q: %v", js, err)
	}
	if !strings.Contains(ada.ok("tree"), "more") {
		t.Error("--folder-as-dataset made no dataset named after the folder")
	}
}

func TestImportBadTargetChangesNothing(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	src := t.TempDir()
	writeTestOME(t, filepath.Join(src, "a.ome.tiff"))
	ada.failsWith(ExitUsage, "takes a Dataset", "import", src, "-d", "Project:1")
	ada.fails(1, "import", src, "-d", "Dataset:999")
	if strings.Contains(ada.ok("obj", "list", "Image"), "a.ome") {
		t.Error("an image was registered despite the refused target")
	}
	entries, _ := os.ReadDir(filepath.Join(c.repo, "ManagedRepository"))
	for _, e := range entries {
		filepath.Walk(filepath.Join(c.repo, "ManagedRepository", e.Name()), func(p string, info os.FileInfo, err error) error {
			if err == nil && info.Mode().IsRegular() {
				t.Errorf("file left behind: %s", p)
			}
			return nil
		})
	}
}

func TestWatchStatus(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	cfg := filepath.Join(t.TempDir(), "station.yml")
	os.WriteFile(cfg, []byte("station: bench-scope\nrules:\n  - folder: "+t.TempDir()+"\n    group: lab\n"), 0o644)
	out := ada.ok("watch", "status", "--config", cfg)
	if !strings.Contains(out, `Station "bench-scope": 0 imported, 0 pending, 0 failed`) {
		t.Errorf("status: %q", out)
	}
	ada.failsWith(ExitUsage, "--config", "watch")
	bad := filepath.Join(t.TempDir(), "bad.yml")
	os.WriteFile(bad, []byte("station: x\n"), 0o644)
	ada.failsWith(1, "no rules", "watch", "--config", bad)
}
