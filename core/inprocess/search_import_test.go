package inprocess_test

import (
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// An imported image is found by its channel names, its original file's name
// and its acquisition date; bob finds alice's images in their shared group,
// carl (another group) nothing.
func TestSearchImported(t *testing.T) {
	f := newImportFixture(t)
	alice := f.login(t, "alice")
	file := placeFile(t, alice, "alice_2/2026-11/24/10-00-00.000/embryo_stage9.ome.tiff")
	res, err := alice.RegisterFileset(f.ctx, core.FilesetImport{Files: []core.FilesetEntry{file},
		Images: []core.NewImage{newImage("e [0]", 3)}, Owner: core.AnyID})
	if err != nil {
		t.Fatal(err)
	}
	search := func(s core.Session, req core.SearchRequest) []core.Ref {
		t.Helper()
		req.Group, req.Owner = core.AnyID, core.AnyID
		r, err := s.Search(f.ctx, req)
		if err != nil {
			t.Fatalf("search %q: %v", req.Query, err)
		}
		var out []core.Ref
		for _, h := range r.Hits {
			out = append(out, h.Ref)
		}
		return out
	}
	bob, carl := f.login(t, "bob"), f.login(t, "carl")
	for _, q := range []string{"channel:617", "617", "embryo_stage9", "file:stage9", "file:embryo*"} {
		if got := search(bob, core.SearchRequest{Query: q}); len(got) != 1 || got[0] != res.Images[0] {
			t.Errorf("bob: search %q found %v, want %v", q, got, res.Images[0])
		}
		if got := search(carl, core.SearchRequest{Query: q}); len(got) != 0 {
			t.Errorf("carl: search %q found %v in a group he is not in", q, got)
		}
	}
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	if got := search(bob, core.SearchRequest{Query: "617", DateField: "acquisition", From: day, To: day.Add(24 * time.Hour)}); len(got) != 1 {
		t.Errorf("acquired on 2026-11-24: %v", got)
	}
	if got := search(bob, core.SearchRequest{Query: "617", DateField: "acquisition", From: day.Add(24 * time.Hour)}); len(got) != 0 {
		t.Errorf("acquired after 2026-11-25: %v", got)
	}
	if got := search(bob, core.SearchRequest{Query: "617", From: time.Now().Add(-time.Hour)}); len(got) != 1 {
		t.Errorf("imported in the last hour: %v", got)
	}
	if got := search(bob, core.SearchRequest{Query: "617", To: time.Now().Add(-time.Hour)}); len(got) != 0 {
		t.Errorf("imported over an hour ago: %v", got)
	}
}
