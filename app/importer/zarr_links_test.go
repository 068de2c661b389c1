package importer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
)

// writeTinyZarr writes an 8×8 uint8 OME-Zarr whose single raw chunk is
// chunk (or is left for the caller to place when chunk is nil).
func writeTinyZarr(t *testing.T, root string, chunk []byte) {
	t.Helper()
	files := map[string]string{
		".zgroup":   `{"zarr_format":2}`,
		".zattrs":   `{"multiscales":[{"version":"0.4","axes":[{"name":"y","type":"space"},{"name":"x","type":"space"}],"datasets":[{"path":"0"}]}]}`,
		"0/.zarray": `{"zarr_format":2,"shape":[8,8],"chunks":[8,8],"dtype":"|u1","compressor":null,"fill_value":0,"order":"C","filters":null}`,
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if chunk != nil {
		if err := os.WriteFile(filepath.Join(root, "0", "0.0"), chunk, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// managedFiles lists what the managed repository holds (files and links).
func managedFiles(t *testing.T, repoDir string) []string {
	var out []string
	filepath.Walk(filepath.Join(repoDir, "ManagedRepository"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// A Zarr chunk that links to a file outside the folder used to be read for
// the statistics and thumbnail and then not copied: the stored image was
// zeros with a window computed from the other file's bytes. The folder is
// now refused with a sentence, nothing is stored, and the good Zarr beside
// it is imported.
func TestZarrChunkLinkingOutsideIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	secret := filepath.Join(t.TempDir(), "someone-elses.raw")
	os.WriteFile(secret, bytes.Repeat([]byte{200}, 64), 0o644)
	hostile := filepath.Join(src, "a-linked.zarr")
	writeTinyZarr(t, hostile, nil)
	if err := os.Symlink(secret, filepath.Join(hostile, "0", "0.0")); err != nil {
		t.Skipf("cannot make symlinks here: %v", err)
	}
	good := filepath.Join(src, "b-good.zarr")
	writeTinyZarr(t, good, bytes.Repeat([]byte{7}, 64))

	cfg := f.config()
	cfg.Open = detect.Open
	sum, err := importer.Run(ctx, cfg, []string{src}, importer.Options{}, nil)
	if err == nil || sum.Failed != 1 || sum.Imported != 1 {
		t.Fatalf("want the linked Zarr failed and the good one imported, got %+v (%v)", sum, err)
	}
	for _, r := range sum.Results {
		if r.Path == hostile && (!strings.Contains(r.Error, "outside the folder") || !strings.Contains(r.Error, "0/0.0")) {
			t.Errorf("the error should name the link and say it leads outside: %q", r.Error)
		}
		if r.Path == hostile {
			t.Logf("refused: %s", r.Error)
		}
		if r.Path == hostile && len(r.Images) > 0 {
			t.Errorf("the linked Zarr made images %v", r.Images)
		}
	}
	filesets, _ := f.sess.List(ctx, core.Fileset, core.AnyID, core.AnyID)
	if len(filesets) != 1 {
		t.Errorf("want only the good Zarr's fileset, got %d", len(filesets))
	}
	// The good Zarr's four files, and nothing of the refused one.
	if files := managedFiles(t, f.repoDir); len(files) != 4 {
		t.Errorf("the repository holds %v, want the good Zarr's 4 files", files)
	}
}

// A link to a file inside the folder is read by the reader, so it is
// stored as that file's content: the repository's copy is self-contained
// and reads the same pixels.
func TestZarrChunkLinkingInsideIsCopiedAsContent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "inside.zarr")
	writeTinyZarr(t, root, nil)
	os.WriteFile(filepath.Join(root, "shared-chunk"), bytes.Repeat([]byte{42}, 64), 0o644)
	if err := os.Symlink("../shared-chunk", filepath.Join(root, "0", "0.0")); err != nil {
		t.Skipf("cannot make symlinks here: %v", err)
	}
	for _, mode := range []string{importer.Copy, importer.Hardlink} {
		cfg := f.config()
		cfg.Open = detect.Open
		sum, err := importer.Run(ctx, cfg, []string{root}, importer.Options{Transfer: mode}, nil)
		if err != nil || sum.Imported != 1 {
			t.Fatalf("%s: %+v %v", mode, sum, err)
		}
	}
	var chunks int
	for _, p := range managedFiles(t, f.repoDir) {
		if filepath.Base(p) != "0.0" {
			continue
		}
		chunks++
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() {
			t.Fatalf("stored chunk %s is not a regular file (%v)", p, err)
		}
		b, _ := os.ReadFile(p)
		if !bytes.Equal(b, bytes.Repeat([]byte{42}, 64)) {
			t.Errorf("stored chunk %s holds %v", p, b[:4])
		}
		r, err := detect.Open(filepath.Dir(filepath.Dir(p)))
		if err != nil {
			t.Fatal(err)
		}
		pl, err := r.ReadPlane(0, 0, 0, 0, 0)
		if err != nil || pl.At(3, 3) != 42 {
			t.Errorf("the stored copy reads %v (%v), want 42", pl.At(3, 3), err)
		}
	}
	if chunks != 2 {
		t.Errorf("want the chunk stored by both imports, found %d", chunks)
	}
}

// Links to folders, to nothing, and entries that are not files are refused
// with a sentence: none of them can be copied to match what a reader reads.
func TestZarrFolderWithOtherLinksIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	cases := map[string]func(root string) error{
		"a link to a folder": func(root string) error {
			return os.Symlink(".", filepath.Join(root, "0", "loop"))
		},
		"does not exist": func(root string) error {
			return os.Symlink("gone", filepath.Join(root, "0", "0.0"))
		},
	}
	for want, mk := range cases {
		root := filepath.Join(t.TempDir(), "odd.zarr")
		writeTinyZarr(t, root, bytes.Repeat([]byte{1}, 64))
		if want == "does not exist" {
			os.Remove(filepath.Join(root, "0", "0.0"))
		}
		if err := mk(root); err != nil {
			t.Skipf("cannot make links here: %v", err)
		}
		cfg := f.config()
		cfg.Open = detect.Open
		sum, _ := importer.Run(ctx, cfg, []string{root}, importer.Options{}, nil)
		if sum.Failed != 1 || !strings.Contains(sum.Results[0].Error, want) {
			t.Errorf("want a refusal saying %q, got %+v", want, sum)
		}
	}
	if files := managedFiles(t, f.repoDir); len(files) != 0 {
		t.Errorf("refused folders left %v", files)
	}
}
