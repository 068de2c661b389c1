package importer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/internal/realdata"
)

// The files of a multi-file OME-TIFF, named one by one (as when they are
// dropped together), are one queue entry; so is a Zarr folder; a folder of
// notes is refused with a sentence that names it.
func TestSetsGroupAsTheCommandLineDoes(t *testing.T) {
	src := t.TempDir()
	zarr := filepath.Join(src, "tiny.zarr")
	writeTinyZarr(t, zarr, make([]byte, 64))
	notes := filepath.Join(src, "notes")
	os.Mkdir(notes, 0o755)
	os.WriteFile(filepath.Join(notes, "readme.txt"), []byte("hello"), 0o644)
	sets, errs := importer.Sets([]string{zarr, notes}, detect.Open, detect.Supported)
	if len(sets) != 1 || sets[0].Folder || sets[0].Units != 1 || sets[0].Name() != "tiny.zarr" {
		t.Errorf("a Zarr folder should be one set of one unit: %+v", sets)
	}
	if len(errs) != 1 {
		t.Fatalf("errors: %v", errs)
	}
	if p, s := importer.SetError(errs[0]); p != notes || !strings.Contains(s, "the folder notes holds nothing Ocular can import") {
		t.Errorf("the empty folder's error: %q %q", p, s)
	}
}

func TestSetsGroupTheFilesOfAMultiFileOMETIFF(t *testing.T) {
	dir := filepath.Join(realdata.Dir(t), "ome-tiff", "ome-multifile")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("no multi-file OME-TIFF: %v", err)
	}
	var paths []string
	for i := len(entries) - 1; i >= 0; i-- { // the companions before the file that names them
		if strings.HasSuffix(entries[i].Name(), ".ome.tiff") {
			paths = append(paths, filepath.Join(dir, entries[i].Name()))
		}
	}
	sets, errs := importer.Sets(paths, detect.Open, detect.Supported)
	if len(errs) != 0 || len(sets) != 1 {
		t.Fatalf("%d files of one set gave %d sets (errors %v): %+v", len(paths), len(sets), errs, sets)
	}
}
