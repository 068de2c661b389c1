package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testSearch: words, prefixes, phrases, fields, key-value comparisons and
// filters find what a user would expect, kept up to date by every change,
// and never anything the user may not read (issue 12 §2).
func testSearch(t *testing.T, newService NewService) {
	ctx := context.Background()
	svc, rootPW := newService(t)
	root, err := svc.Login(ctx, "root", rootPW, "")
	if err != nil {
		t.Fatal(err)
	}
	lab, err := root.CreateGroup(ctx, "search-lab", core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	secret, err := root.CreateGroup(ctx, "secret-lab", core.Private, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name   string
		groups []core.ID
	}{{"alice", []core.ID{lab.ID}}, {"bob", []core.ID{lab.ID}}, {"carol", []core.ID{secret.ID}}} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u.name, FirstName: u.name, LastName: "S",
			Password: password(u.name), Groups: u.groups}); err != nil {
			t.Fatal(err)
		}
	}
	login := func(u string) core.Session {
		s, err := svc.Login(ctx, u, password(u), "")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	alice, bob, carol := login("alice"), login("bob"), login("carol")
	mk := func(s core.Session, class core.Class, f map[string]string) core.ObjectView {
		t.Helper()
		v, err := s.Create(ctx, class, f)
		if err != nil {
			t.Fatalf("create %s %v: %v", class, f, err)
		}
		return v
	}
	annotate := func(s core.Session, target core.ObjectView, class core.Class, f map[string]string) core.ObjectView {
		t.Helper()
		a := mk(s, class, f)
		mk(s, core.ImageAnnotationLink, map[string]string{"parent": target.Ref.String(), "child": a.Ref.String()})
		return a
	}
	mitosis := mk(alice, core.Image, map[string]string{"name": "HeLa mitosis 01", "description": "fixed, GFP-tagged tubulin"})
	interphase := mk(alice, core.Image, map[string]string{"name": "HeLa interphase 02"})
	ds := mk(alice, core.Dataset, map[string]string{"name": "Cell cycle screen"})
	mk(alice, core.DatasetImageLink, map[string]string{"parent": ds.Ref.String(), "child": mitosis.Ref.String()})
	annotate(alice, mitosis, core.TagAnnotation, map[string]string{"textValue": "live imaging"})
	annotate(bob, interphase, core.CommentAnnotation, map[string]string{"textValue": "blurry in the last frames"})
	annotate(alice, mitosis, core.MapAnnotation, map[string]string{"mapValue": "exposure=150;temperature=37 C;cell line=HeLa"})
	annotate(alice, interphase, core.MapAnnotation, map[string]string{"mapValue": "exposure=50;temperature=30"})
	hidden := mk(carol, core.Image, map[string]string{"name": "HeLa mitosis secret"})

	names := func(s core.Session, req core.SearchRequest) []string {
		t.Helper()
		if req.Group == 0 {
			req.Group = core.AnyID
		}
		if req.Owner == 0 {
			req.Owner = core.AnyID
		}
		res, err := s.Search(ctx, req)
		if err != nil {
			t.Fatalf("search %q: %v", req.Query, err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.Name)
		}
		slices.Sort(out)
		return out
	}
	q := func(query string) core.SearchRequest { return core.SearchRequest{Query: query} }
	for _, c := range []struct {
		as   core.Session
		req  core.SearchRequest
		want []string
	}{
		{bob, q("mitosis"), []string{"HeLa mitosis 01"}},
		{bob, q("mito*"), []string{"HeLa mitosis 01"}},
		{bob, q("hela"), []string{"HeLa interphase 02", "HeLa mitosis 01"}},
		{bob, q(`"GFP tagged"`), []string{"HeLa mitosis 01"}},
		{bob, q("tubulin hela"), []string{"HeLa mitosis 01"}},
		{bob, q("name:tubulin"), nil},
		{bob, q("desc:tubulin"), []string{"HeLa mitosis 01"}},
		{bob, q("tag:live"), []string{"HeLa mitosis 01"}},
		{bob, q(`tag:"live imaging"`), []string{"HeLa mitosis 01"}},
		{bob, q("comment:blurry"), []string{"HeLa interphase 02"}},
		{bob, q("blurry"), []string{"HeLa interphase 02"}},
		{bob, q("exposure>100"), []string{"HeLa mitosis 01"}},
		{bob, q("exposure<=50"), []string{"HeLa interphase 02"}},
		{bob, q("temperature<=37"), []string{"HeLa interphase 02", "HeLa mitosis 01"}},
		{bob, q("temperature>=37"), []string{"HeLa mitosis 01"}},
		{bob, q(`"cell line"=hela`), []string{"HeLa mitosis 01"}},
		{bob, q("key:exposure"), []string{"HeLa interphase 02", "HeLa mitosis 01"}},
		{bob, q("cycle"), []string{"Cell cycle screen"}},
		{bob, core.SearchRequest{Query: "hela cycle", Types: []core.Class{core.Image}}, nil},
	} {
		if got := names(c.as, c.req); !slices.Equal(got, c.want) {
			t.Errorf("search %q (types %v): %q, want %q", c.req.Query, c.req.Types, got, c.want)
		}
	}

	// By ID, as OMERO's Class:ID.
	if got := names(bob, q(mitosis.Ref.String())); !slices.Equal(got, []string{"HeLa mitosis 01"}) {
		t.Errorf("search %s: %q", mitosis.Ref, got)
	}
	if got := names(bob, q(fmt.Sprintf("Dataset:%d", mitosis.Ref.ID))); got != nil {
		t.Errorf("an image's ID as a Dataset finds %q", got)
	}
	if got := names(bob, q(hidden.Ref.String())); got != nil {
		t.Errorf("bob finds carol's private image by its ID: %q", got)
	}
	// Each hit says where it lives, in words and as the tree's path.
	if res, err := bob.Search(ctx, core.SearchRequest{Query: "hela", Group: core.AnyID, Owner: core.AnyID}); err != nil {
		t.Fatal(err)
	} else {
		for _, h := range res.Hits {
			want := ds.Ref.String() + "/" + h.Ref.String()
			if h.Ref != mitosis.Ref {
				want = "OrphanedImages:0/" + h.Ref.String()
			}
			if h.Path != want {
				t.Errorf("%s: path %q, want %q (where %q)", h.Name, h.Path, want, h.Where)
			}
		}
	}

	// Where a hit lives when its containers have containers, and when it is
	// in two datasets (the first link's), for a page of several hits: what
	// the search reads for a whole page at once is what it read hit by hit.
	atlas := mk(alice, core.Project, map[string]string{"name": "Zebra atlas"})
	stages := mk(alice, core.Dataset, map[string]string{"name": "Zebra stages"})
	extra := mk(alice, core.Dataset, map[string]string{"name": "Zebra extra"})
	mk(alice, core.ProjectDatasetLink, map[string]string{"parent": atlas.Ref.String(), "child": stages.Ref.String()})
	embryo := mk(alice, core.Image, map[string]string{"name": "Zebra embryo 04"})
	larva := mk(alice, core.Image, map[string]string{"name": "Zebra larva 05"})
	mk(alice, core.DatasetImageLink, map[string]string{"parent": stages.Ref.String(), "child": embryo.Ref.String()})
	mk(alice, core.DatasetImageLink, map[string]string{"parent": extra.Ref.String(), "child": larva.Ref.String()})
	mk(alice, core.DatasetImageLink, map[string]string{"parent": stages.Ref.String(), "child": larva.Ref.String()})
	if res, err := bob.Search(ctx, core.SearchRequest{Query: "zebra", Group: core.AnyID, Owner: core.AnyID}); err != nil {
		t.Fatal(err)
	} else {
		want := map[core.Ref][2]string{
			atlas.Ref:  {"", atlas.Ref.String()},
			stages.Ref: {"Project Zebra atlas", atlas.Ref.String() + "/" + stages.Ref.String()},
			extra.Ref:  {"", extra.Ref.String()},
			embryo.Ref: {"Project Zebra atlas / Dataset Zebra stages", atlas.Ref.String() + "/" + stages.Ref.String() + "/" + embryo.Ref.String()},
			larva.Ref:  {"Dataset Zebra extra", extra.Ref.String() + "/" + larva.Ref.String()},
		}
		if len(res.Hits) != len(want) {
			t.Errorf("search zebra: %d hits, want %d", len(res.Hits), len(want))
		}
		for _, h := range res.Hits {
			w, ok := want[h.Ref]
			switch {
			case !ok:
				t.Errorf("search zebra finds %s", h.Ref)
			case h.Path != w[1] || (w[0] != "" && h.Where != w[0]):
				t.Errorf("%s: where %q, path %q; want %q, %q", h.Name, h.Where, h.Path, w[0], w[1])
			}
		}
	}

	me, err := alice.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(bob, core.SearchRequest{Query: "hela", Owner: me.User.ID}); len(got) != 2 {
		t.Errorf("hela owned by alice: %q", got)
	}
	// Nothing of a group the user is not in, nor of another member of a
	// private group; the owner finds her own.
	if got := names(bob, q("secret")); got != nil {
		t.Errorf("bob finds carol's private image: %q", got)
	}
	if got := names(carol, q("secret")); !slices.Equal(got, []string{hidden.Name}) {
		t.Errorf("carol finds %q, want her own image", got)
	}
	if _, err := bob.Search(ctx, core.SearchRequest{Query: "hela", Group: secret.ID, Owner: core.AnyID}); !core.Is(core.NotFound, err) {
		t.Errorf("bob searching carol's group: %v, want not found", err)
	}
	// The index follows every change, in the same transaction.
	if _, err := alice.Update(ctx, interphase.Ref, map[string]string{"name": "HeLa prophase 02"}); err != nil {
		t.Fatal(err)
	}
	if got := names(bob, q("interphase")); got != nil {
		t.Errorf("after the rename, interphase finds %q", got)
	}
	if got := names(bob, q("prophase")); !slices.Equal(got, []string{"HeLa prophase 02"}) {
		t.Errorf("after the rename, prophase finds %q", got)
	}
	obsolete := mk(alice, core.Project, map[string]string{"name": "Obsolete project"})
	if got := names(bob, q("obsolete")); len(got) != 1 {
		t.Errorf("obsolete finds %q", got)
	}
	if err := alice.Delete(ctx, obsolete.Ref); err != nil {
		t.Fatal(err)
	}
	if got := names(bob, q("obsolete")); got != nil {
		t.Errorf("after the delete, obsolete finds %q", got)
	}
	// Bad input: a sentence, kind Invalid.
	for query, want := range map[string]string{`"unbalanced`: "quote", "colour:red": "not a search field", "": "type a word"} {
		_, err := bob.Search(ctx, core.SearchRequest{Query: query, Group: core.AnyID, Owner: core.AnyID})
		if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), want) {
			t.Errorf("search %q: %v, want invalid saying %q", query, err, want)
		}
	}
}
