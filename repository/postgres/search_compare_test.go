package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/core/searchquery"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// searchVocabulary is the text the comparison's objects are named from:
// mixed case, diacritics, punctuation inside words, paths, other scripts,
// numbers with units, so that any difference between FTS5's tokenizer and
// the PostgreSQL index's shows up.
var searchVocabulary = []string{"HeLa", "mitosis", "Mitose", "café", "CAFÉ", "naïve", "GFP-tagged", "tubulin", "DAPI",
	"µm", "x²", "École", "2024-01-05", "/data/run1/plate_A01.tif", "exp#12", "cell_line", "日本語", "αβγ", "ΑΒΓ", "straße",
	"o'brien", `C:\scans\s1.czi`, "100ms", "3.5°C", "Zebrafish", "zebra", "fixed", "live imaging", "well B3", "Ångström"}

// compareFixture is what the comparison builds in both stores.
type compareFixture struct {
	svc *inprocess.Service
	// key is the fixture's number of each object, by ID: the two stores
	// are compared on these, so the test does not depend on both handing
	// out the same IDs.
	key map[core.ID]int
	// ids are the objects by fixture number; users and groups by name.
	ids    []core.ID
	users  map[string]core.ID
	groups map[string]core.ID
}

// buildCompareFixture fills svc with the same pseudo-random repository
// every time: containers, images in filesets with channels and original
// files, tags, comments, key-value pairs and attachments linked by
// different owners in groups of different levels, then renames, deletes and
// moves some, so the index has followed every kind of change.
func buildCompareFixture(t *testing.T, svc *inprocess.Service) *compareFixture {
	t.Helper()
	ctx := context.Background()
	root, err := svc.Login(ctx, "root", "root-password", "")
	if err != nil {
		t.Fatal(err)
	}
	f := &compareFixture{svc: svc, key: map[core.ID]int{}, users: map[string]core.ID{}, groups: map[string]core.ID{}}
	for _, g := range []struct {
		name  string
		level core.Level
	}{{"lab", core.ReadAnnotate}, {"private", core.Private}, {"other", core.ReadOnly}} {
		gr, err := root.CreateGroup(ctx, g.name, g.level, "")
		if err != nil {
			t.Fatal(err)
		}
		f.groups[g.name] = gr.ID
	}
	for _, u := range []struct {
		name   string
		groups []string
	}{{"alice", []string{"lab", "private"}}, {"bob", []string{"lab", "private"}}, {"carol", []string{"other"}}} {
		var gs []core.ID
		for _, g := range u.groups {
			gs = append(gs, f.groups[g])
		}
		e, err := root.CreateUser(ctx, core.NewUser{Username: u.name, Password: "pw", Groups: gs})
		if err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = e.ID
	}
	places := []core.Details{{Owner: f.users["alice"], Group: f.groups["lab"]}, {Owner: f.users["bob"], Group: f.groups["lab"]},
		{Owner: f.users["alice"], Group: f.groups["private"]}, {Owner: f.users["bob"], Group: f.groups["private"]},
		{Owner: f.users["carol"], Group: f.groups["other"]}}
	r := rand.New(rand.NewPCG(12, 13))
	text := func(maxWords int) string {
		n := 1 + r.IntN(maxWords)
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString([]string{" ", " ", "-", "_", "/", ".", ", "}[r.IntN(7)])
			}
			b.WriteString(searchVocabulary[r.IntN(len(searchVocabulary))])
		}
		return b.String()
	}
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	err = svc.Store().Write(ctx, func(tx core.Tx) error {
		mk := func(o core.Object) (core.ID, error) {
			if o.Details == (core.Details{}) {
				o.Details = places[r.IntN(len(places))]
			}
			o.Created = base.Add(time.Duration(len(f.ids)) * time.Hour)
			if err := tx.CreateObject(&o); err != nil {
				return 0, err
			}
			f.key[o.ID] = len(f.ids)
			f.ids = append(f.ids, o.ID)
			return o.ID, nil
		}
		var targets []*core.Object // what annotations go on
		for i := range 160 {
			class := []core.Class{core.Project, core.Dataset, core.Image, core.Image, core.Image, core.Screen, core.Plate}[r.IntN(7)]
			o := core.Object{Ref: core.Ref{Class: class}, Name: text(4)}
			if r.IntN(3) == 0 {
				o.Description = text(6)
			}
			if class == core.Image {
				if r.IntN(2) == 0 {
					o.SetAttr("acquisitionDate", base.Add(time.Duration(r.IntN(2000))*time.Hour).Format(time.RFC3339Nano))
				}
				if r.IntN(3) == 0 {
					fs, err := mk(core.Object{Ref: core.Ref{Class: core.Fileset}})
					if err != nil {
						return err
					}
					for j := range 1 + r.IntN(3) {
						if err := tx.AddFilesetEntry(core.FilesetEntry{Fileset: fs, Index: j, ClientPath: "/import/" + text(3),
							RepoPath: fmt.Sprintf("r/%d/%d", i, j), Size: 1, Checksum: "x", Transfer: "copy"}); err != nil {
							return err
						}
					}
					o.Parent = fs
				}
			}
			id, err := mk(o)
			if err != nil {
				return err
			}
			if class == core.Image && r.IntN(3) == 0 {
				var chs []core.ChannelInfo
				for j := range 1 + r.IntN(3) {
					chs = append(chs, core.ChannelInfo{Index: j, Name: []string{"DAPI", "GFP", "mCherry", "", "Cy5 far-red"}[r.IntN(5)]})
				}
				if err := tx.SetChannels(id, chs); err != nil {
					return err
				}
			}
			o.ID = id
			targets = append(targets, &o)
		}
		link := func(target *core.Object, ann core.ID) error {
			lc := map[core.Class]core.Class{core.Project: core.ProjectAnnotationLink, core.Dataset: core.DatasetAnnotationLink,
				core.Image: core.ImageAnnotationLink, core.Screen: core.ScreenAnnotationLink, core.Plate: core.PlateAnnotationLink}[target.Class]
			_, err := mk(core.Object{Ref: core.Ref{Class: lc}, Parent: target.ID, Child: ann})
			if core.Is(core.Conflict, err) {
				return nil
			}
			return err
		}
		pairs := [][2]string{{"exposure", "150"}, {"Exposure", "50 ms"}, {"temperature", "37 C"}, {"cell line", "HeLa"},
			{"objective", "63x"}, {"gain", "1e3"}, {"offset", "-2.5"}, {"note", ""}, {"huge", "1e400"}, {"", "orphan value"}}
		for range 60 {
			var ann core.Object
			switch r.IntN(4) {
			case 0:
				ann = core.Object{Ref: core.Ref{Class: core.TagAnnotation}, TextValue: text(2)}
			case 1:
				ann = core.Object{Ref: core.Ref{Class: core.CommentAnnotation}, TextValue: text(5)}
			case 2:
				ann = core.Object{Ref: core.Ref{Class: core.MapAnnotation}}
				var kv []core.KeyValue
				for range 1 + r.IntN(3) {
					p := pairs[r.IntN(len(pairs))]
					kv = append(kv, core.KeyValue{Key: p[0], Value: p[1]})
				}
				ann.SetAttr("mapValue", kv)
			default:
				file, err := mk(core.Object{Ref: core.Ref{Class: core.OriginalFile}, Name: text(2) + ".pdf"})
				if err != nil {
					return err
				}
				ann = core.Object{Ref: core.Ref{Class: core.FileAnnotation}, Ref2: file}
			}
			id, err := mk(ann)
			if err != nil {
				return err
			}
			for range 1 + r.IntN(4) {
				if err := link(targets[r.IntN(len(targets))], id); err != nil {
					return err
				}
			}
		}
		// Changes after the fact: renames (of a tag too), deletions, moves.
		for k := range 12 {
			o, err := tx.Object(f.ids[r.IntN(len(f.ids))])
			if err != nil {
				return err
			}
			switch {
			case o.Class.IsLink():
			case k%3 == 0 && o.Class == core.TagAnnotation:
				o.TextValue = "renamed " + text(2)
			default:
				o.Name = "renamed " + text(3)
			}
			if err := tx.UpdateObject(o); err != nil {
				return err
			}
		}
		// Channels renamed (set again, as a rendering edit does), some to none.
		for k, o := range targets[40:60] {
			if o.Class != core.Image {
				continue
			}
			var chs []core.ChannelInfo
			for j := range k % 3 {
				chs = append(chs, core.ChannelInfo{Index: j, Name: []string{"Hoechst", "mitosis marker", "GFP"}[(k+j)%3]})
			}
			if err := tx.SetChannels(o.ID, chs); err != nil {
				return err
			}
		}
		var gone []core.ID
		for _, o := range targets[:6] {
			links, err := tx.Find(core.Query{Classes: []core.Class{core.ImageAnnotationLink, core.DatasetAnnotationLink, core.ProjectAnnotationLink,
				core.ScreenAnnotationLink, core.PlateAnnotationLink}, Parent: o.ID, Group: core.AnyID, Owner: core.AnyID, Child: core.AnyID})
			if err != nil {
				return err
			}
			for _, l := range links {
				gone = append(gone, l.ID)
			}
		}
		if err := tx.DeleteObjects(gone); err != nil {
			return err
		}
		var moved []core.ID
		for _, o := range targets[10:30] {
			moved = append(moved, o.ID)
		}
		return tx.SetObjectsGroup(moved, f.groups["other"])
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// compareQueries are the queries both stores answer.
func compareQueries(f *compareFixture) []string {
	qs := []string{"mitosis", "MITOSIS", "mito*", "m*", "cafe", "café", "CAFÉ*", "naive", "ecole", "angstrom", "straße", "strasse",
		`"GFP tagged"`, "GFP-tagged", "gfp tagged", "tagged", `"tagged tubulin"`, "µm", "x²", "日本語", "αβγ", "ΑΒΓ", "o'brien", "brien",
		"s1", "czi", "plate_A01", "A01", "100ms", "3", "5", "zebra", "zebra*", "zebrafish", `"live imaging"`, "well B3",
		"2024", "01", "data/run1", "renamed", "renamed hela",
		"name:hela", "name:HeLa*", "desc:fixed", "desc:tubulin", "tag:live", "tag:zebra*", `tag:"live imaging"`, "comment:dapi",
		"comment:renamed", "file:pdf", "file:tubulin", "file:import", "file:data", "channel:dapi", "channel:cy5", "channel:far",
		`channel:"cy5 far"`, "channel:gfp mitosis", "channel:hoechst", "hoechst", `channel:"mitosis marker"`,
		"exposure>100", "exposure>=50", "exposure<100", "exposure=50", "exposure=150", "EXPOSURE=50ms", "exposure=50 ms",
		`"cell line"=hela`, `"cell line"=HELA`, "temperature<=37", "temperature=37", "gain>999", "gain=1000", "offset<0",
		"huge>1e300", "key:note", "note=", "key:exposure", "key:EXPOSURE", "objective=63x", "objective=63X", "key:nothing",
		"exposure>100 hela", "tag:live exposure<1000", "hela tubulin", "hela nothinglikethis", "café zebra*",
		"tubulin-xyz", "a", "e*", "°C", "1e3", "exposure>=-1e300", "huge=1e400x",
		// Characters tsquery or SQL would read as syntax.
		"it's", `a\b`, "(zebra|hela)", `"o'brien"=x`, `key:"a'b"`, "'hela'", "!mitosis", "hela&zebra", strings.Repeat("é", 300),
	}
	for _, k := range []int{3, 40, 77, 150} {
		qs = append(qs, fmt.Sprintf("id:%d", f.ids[k]), fmt.Sprintf("Image:%d", f.ids[k]), fmt.Sprintf("Project:%d mitosis", f.ids[k]))
	}
	return qs
}

// TestSearchMatchesSQLite builds the same repository in SQLite and in
// PostgreSQL and runs a table of queries, each for several users, filters
// and pages, on both: the same objects in the same order every time.
func TestSearchMatchesSQLite(t *testing.T) {
	pg, _ := newService(t)
	ctx := context.Background()
	st, err := sqlite.Create(ctx, filepath.Join(t.TempDir(), "repo"))
	if err != nil {
		t.Fatal(err)
	}
	lite := inprocess.New(st)
	t.Cleanup(func() { lite.Close() })
	lite.SetPasswordCost(bcrypt.MinCost)
	if err := lite.Initialize(ctx, "root-password"); err != nil {
		t.Fatal(err)
	}
	fp, fl := buildCompareFixture(t, pg), buildCompareFixture(t, lite)
	if len(fp.ids) != len(fl.ids) {
		t.Fatalf("the fixtures differ: %d and %d objects", len(fp.ids), len(fl.ids))
	}
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	type scope struct {
		name string
		spec func(f *compareFixture) core.SearchSpec
	}
	member := func(f *compareFixture, user string) core.SearchSpec {
		s := core.SearchSpec{Me: f.users[user], Owner: core.AnyID, Group: core.AnyID}
		if user == "carol" {
			s.All = []core.ID{f.groups["other"]}
		} else {
			s.All, s.OwnOnly = []core.ID{f.groups["lab"]}, []core.ID{f.groups["private"]}
		}
		return s
	}
	scopes := []scope{
		{"admin", func(f *compareFixture) core.SearchSpec {
			return core.SearchSpec{Admin: true, Owner: core.AnyID, Group: core.AnyID}
		}},
		{"alice", func(f *compareFixture) core.SearchSpec { return member(f, "alice") }},
		{"carol", func(f *compareFixture) core.SearchSpec { return member(f, "carol") }},
		{"bob's own, images", func(f *compareFixture) core.SearchSpec {
			s := member(f, "bob")
			s.Owner, s.Classes = f.users["bob"], []core.Class{core.Image}
			return s
		}},
		{"alice in lab, containers", func(f *compareFixture) core.SearchSpec {
			s := member(f, "alice")
			s.Group, s.Classes = f.groups["lab"], []core.Class{core.Project, core.Dataset, core.Screen}
			return s
		}},
		{"admin, imported in a week", func(f *compareFixture) core.SearchSpec {
			return core.SearchSpec{Admin: true, Owner: core.AnyID, Group: core.AnyID, From: base.Add(24 * time.Hour), To: base.Add(8 * 24 * time.Hour)}
		}},
		{"admin, acquired in a month", func(f *compareFixture) core.SearchSpec {
			return core.SearchSpec{Admin: true, Owner: core.AnyID, Group: core.AnyID, DateField: "acquisition", From: base.Add(200 * time.Hour), To: base.Add(900 * time.Hour)}
		}},
		{"admin, page 2 of 4", func(f *compareFixture) core.SearchSpec {
			return core.SearchSpec{Admin: true, Owner: core.AnyID, Group: core.AnyID, Limit: 4, Offset: 4}
		}},
	}
	var runs, found int
	for _, query := range compareQueries(fp) {
		q, err := searchquery.Parse(query)
		if err != nil {
			t.Fatalf("%q: %v", query, err)
		}
		// An ID term names a fixture object by its PostgreSQL ID; give
		// SQLite the same object's ID there.
		qLite := q
		qLite.Terms = slices.Clone(q.Terms)
		for i, term := range qLite.Terms {
			if term.Field == searchquery.ID {
				qLite.Terms[i].ObjectID = int64(fl.ids[fp.key[core.ID(term.ObjectID)]])
			}
		}
		for _, sc := range scopes {
			sp, sl := sc.spec(fp), sc.spec(fl)
			sp.Terms, sl.Terms = q.Terms, qLite.Terms
			got, want := searchKeys(t, fp, sp), searchKeys(t, fl, sl)
			runs++
			if len(want) > 0 {
				found++
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q as %s: PostgreSQL finds %v, SQLite %v", query, sc.name, got, want)
			}
		}
	}
	// The comparison means something only if most searches find things.
	if found < runs/2 {
		t.Errorf("only %d of %d searches found anything; the fixture is too thin to compare", found, runs)
	}
	t.Logf("%d searches compared, %d with results", runs, found)
}

// searchKeys runs a search in the store and returns the fixture numbers of
// the objects found, in order.
func searchKeys(t *testing.T, f *compareFixture, spec core.SearchSpec) []int {
	t.Helper()
	var out []int
	err := f.svc.Store().Read(context.Background(), func(tx core.Tx) error {
		objs, err := tx.Search(spec)
		for _, o := range objs {
			out = append(out, f.key[o.ID])
		}
		return err
	})
	if err != nil {
		t.Fatalf("search %v: %v", spec.Terms, err)
	}
	return out
}
