package remoteimport

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/importqueue"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// The desktop's import queue against a server: the same entries upload
// (importer.Run takes the upload path), a new dataset is made on the
// server, and a transfer other than a copy is refused with a sentence.
func TestImportQueueAgainstAServer(t *testing.T) {
	r := newRepo(t)
	sess, _ := serve(t, r)
	ctx := context.Background()
	me, err := sess.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := importqueue.Transfers(sess); len(got) != 1 || got[0] != importer.Copy {
		t.Errorf("against a server the transfers offered are %q, want only copy", got)
	}
	src := t.TempDir()
	a, b := filepath.Join(src, "a.tif"), filepath.Join(src, "b.tif")
	testrepo.WriteTIFF(t, a, 32, 24, 1)
	testrepo.WriteTIFF(t, b, 32, 24, 2)
	q := importqueue.New(importqueue.Config{Session: sess, Import: importer.Config{Open: detect.Open, Supported: detect.Supported}})
	group := me.Groups[0].ID
	for _, g := range me.Groups {
		if g.Name == "lab" {
			group = g.ID
		}
	}
	q.Add([]string{a}, importqueue.Target{Group: group, NewDataset: "Uploaded"})
	q.Add([]string{b}, importqueue.Target{Group: group, Transfer: importer.Symlink})
	q.Run(ctx)
	es := q.Entries()
	if es[0].State != importqueue.Done || len(es[0].Images) != 1 || es[0].Into.Class != core.Dataset {
		t.Fatalf("the upload entry: %+v", es[0])
	}
	kids, err := r.sess.Browse(ctx, core.BrowseRequest{Group: group, Owner: core.AnyID, Parent: es[0].Into})
	if err != nil || len(kids) != 1 || kids[0].Name != "a.tif" {
		t.Errorf("the server's new dataset holds %+v (%v)", kids, err)
	}
	if es[1].State != importqueue.Failed || !strings.Contains(es[1].Reason, "A server keeps its own copy") {
		t.Errorf("a symlink transfer against a server: %s %q", es[1].State, es[1].Reason)
	}
}
