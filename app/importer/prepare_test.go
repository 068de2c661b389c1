package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
)

// Prepare needs no session (the command line opens the files while the
// login runs): what it opened imports as Run would, a path that cannot be
// read is reported first, and a Prepared that is not run closes its readers.
func TestPreparedImportsWhatItOpened(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	src := t.TempDir()
	writeOME(t, filepath.Join(src, "a.ome.tiff"), 1, 2)
	writeOME(t, filepath.Join(src, "b.ome.tiff"), 2, 1)
	missing := filepath.Join(src, "gone.ome.tiff")
	open := 0
	opener := func(p string) (formats.Reader, error) {
		r, err := ome.Open(p)
		if err == nil {
			open++
			return closeCounter{r, &open}, nil
		}
		return nil, err
	}
	cfg := f.config()
	cfg.Open = opener
	unrun := importer.Prepare(ctx, importer.Config{Open: opener}, []string{src})
	if open != 2 {
		t.Fatalf("%d readers open after Prepare, want 2", open)
	}
	unrun.Close()
	if open != 0 {
		t.Fatalf("%d readers still open after Close", open)
	}

	pre := importer.Prepare(ctx, importer.Config{Open: opener}, []string{missing, src})
	sum, err := importer.RunPrepared(ctx, cfg, pre, importer.Options{}, nil)
	if err == nil || sum.Imported != 2 || sum.Failed != 1 || sum.Results[0].Path != missing {
		t.Fatalf("err %v, summary %+v: want the missing path failed first and both images imported", err, sum)
	}
	if open != 0 {
		t.Errorf("%d readers open after the import", open)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("the missing file appeared")
	}
}

type closeCounter struct {
	formats.Reader
	open *int
}

func (c closeCounter) Close() error { *c.open--; return c.Reader.Close() }
