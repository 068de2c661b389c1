package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// The bulk methods of bulk.go, across batch boundaries (500 IDs a
// statement), with the errors of their one-row counterparts.

type fixture struct {
	t       *testing.T
	st      *sqlite.Store
	user    core.ID
	bob     core.ID
	g1, g2  core.ID
	ctx     context.Context
	objects []core.ID
}

func newFixture(t *testing.T) *fixture {
	ctx := context.Background()
	st, err := sqlite.Create(ctx, filepath.Join(t.TempDir(), "repo"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, st: st, ctx: ctx}
	f.write(func(tx core.Tx) error {
		u := core.Experimenter{Username: "alice"}
		if err := tx.CreateExperimenter(&u, ""); err != nil {
			return err
		}
		bob := core.Experimenter{Username: "bob"}
		if err := tx.CreateExperimenter(&bob, ""); err != nil {
			return err
		}
		f.bob = bob.ID
		a, b := core.Group{Name: "a"}, core.Group{Name: "b"}
		if err := tx.CreateGroup(&a); err != nil {
			return err
		}
		if err := tx.CreateGroup(&b); err != nil {
			return err
		}
		f.user, f.g1, f.g2 = u.ID, a.ID, b.ID
		return nil
	})
	return f
}

func (f *fixture) write(fn func(core.Tx) error) {
	f.t.Helper()
	if err := f.st.Write(f.ctx, fn); err != nil {
		f.t.Fatal(err)
	}
}

// mk creates n datasets in g1, each with an image linked to it; it returns
// the datasets, images and links.
func (f *fixture) mk(n int) (ds, ims, links []core.ID) {
	f.write(func(tx core.Tx) error {
		for i := 0; i < n; i++ {
			mk := func(c core.Class, parent, child core.ID) (core.ID, error) {
				o := &core.Object{Ref: core.Ref{Class: c}, Details: core.Details{Owner: f.user, Group: f.g1}, Parent: parent, Child: child, Name: "x"}
				if c == core.Image {
					o.SetAttr("series", 3)
				}
				err := tx.CreateObject(o)
				return o.ID, err
			}
			d, err := mk(core.Dataset, 0, 0)
			if err != nil {
				return err
			}
			im, err := mk(core.Image, 0, 0)
			if err != nil {
				return err
			}
			l, err := mk(core.DatasetImageLink, d, im)
			if err != nil {
				return err
			}
			ds, ims, links = append(ds, d), append(ims, im), append(links, l)
		}
		return nil
	})
	return
}

func TestBulkSetGroupAndOwnerAcrossBatches(t *testing.T) {
	f := newFixture(t)
	ds, ims, _ := f.mk(700)
	ids := append(ds, ims...)
	f.write(func(tx core.Tx) error {
		if err := tx.SetObjectsGroup(ids, f.g2); err != nil {
			return err
		}
		return tx.SetObjectsOwner(ims[:600], f.bob)
	})
	f.st.Read(f.ctx, func(tx core.Tx) error {
		q := core.NewQuery()
		q.Group = f.g2
		if n, _ := tx.Count(q); n != 1400 {
			t.Errorf("%d objects in the destination, want 1400", n)
		}
		q = core.NewQuery(core.Image)
		q.Owner = f.bob
		if n, _ := tx.Count(q); n != 600 {
			t.Errorf("%d images given to bob, want 600", n)
		}
		o, err := tx.Object(ims[0])
		if err != nil || o.Attr("series") == "" || o.Name != "x" {
			t.Errorf("a moved image lost its values: %+v %v", o, err)
		}
		return nil
	})
	err := f.st.Write(f.ctx, func(tx core.Tx) error { return tx.SetObjectsGroup([]core.ID{ds[0], 999999}, f.g1) })
	if !core.Is(core.NotFound, err) || !strings.Contains(err.Error(), "999999") {
		t.Errorf("moving a missing object: %v, want NotFound naming it", err)
	}
}

func TestBulkDeleteInOrderAndItsErrors(t *testing.T) {
	f := newFixture(t)
	ds, ims, links := f.mk(600)
	// A dataset still linked to an image cannot go: Conflict naming it,
	// and the transaction changes nothing.
	err := f.st.Write(f.ctx, func(tx core.Tx) error { return tx.DeleteObjects(append(links[1:], ds...)) })
	if !core.Is(core.Conflict, err) || !strings.Contains(err.Error(), "object ") {
		t.Fatalf("deleting a linked dataset: %v, want Conflict", err)
	}
	err = f.st.Write(f.ctx, func(tx core.Tx) error { return tx.DeleteObjects([]core.ID{links[0], 888888}) })
	if !core.Is(core.NotFound, err) || !strings.Contains(err.Error(), "888888") {
		t.Errorf("deleting a missing object: %v, want NotFound naming it", err)
	}
	f.st.Read(f.ctx, func(tx core.Tx) error {
		if n, _ := tx.Count(core.NewQuery()); n != 1800 {
			t.Errorf("%d objects after refused deletes, want all 1800", n)
		}
		return nil
	})
	f.write(func(tx core.Tx) error {
		if err := tx.SetPixels(core.PixelsInfo{Image: ims[0], SizeX: 1, SizeY: 1, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: "uint8"}); err != nil {
			return err
		}
		// Links first, then what they link.
		return tx.DeleteObjects(append(append(links, ims...), ds...))
	})
	f.st.Read(f.ctx, func(tx core.Tx) error {
		if n, _ := tx.Count(core.NewQuery()); n != 0 {
			t.Errorf("%d objects left, want none", n)
		}
		if _, err := tx.Pixels(ims[0]); !core.Is(core.NotFound, err) {
			t.Errorf("the pixels of a deleted image are still there: %v", err)
		}
		return nil
	})
}

func TestGraphObjectsLoadsTheGroupInIDOrder(t *testing.T) {
	f := newFixture(t)
	ds, ims, links := f.mk(300)
	// A group holding a small part of the repository (read through its
	// index) and one holding most of it (read by a table scan).
	f.write(func(tx core.Tx) error { return tx.SetObjectsGroup(ds[:40], f.g2) })
	for _, g := range []core.ID{f.g1, f.g2} {
		f.st.Read(f.ctx, func(tx core.Tx) error {
			objs, err := tx.GraphObjects(g, []core.Class{core.Image})
			if err != nil {
				t.Fatal(err)
			}
			q := core.NewQuery()
			q.Group = g
			full, _ := tx.Find(q)
			if len(objs) != len(full) {
				t.Fatalf("group %d: %d objects, want %d", g, len(objs), len(full))
			}
			for i, o := range objs {
				w := full[i]
				if o.ID != w.ID || o.Class != w.Class || o.Owner != w.Owner || o.Group != w.Group || o.Name != w.Name || o.Parent != w.Parent || o.Child != w.Child {
					t.Fatalf("group %d, object %d: %+v, want %+v", g, i, o, w)
				}
				if (o.Attrs != nil) != (o.Class == core.Image) {
					t.Fatalf("%s: attributes %v; only images' were asked for", o.Ref, o.Attrs)
				}
			}
			return nil
		})
	}
	_ = ims
	_ = links
}

func TestFilesetEntriesOfManyFilesets(t *testing.T) {
	f := newFixture(t)
	ds, _, _ := f.mk(520) // datasets stand in for filesets: entries only need an object
	f.write(func(tx core.Tx) error {
		for i, d := range ds {
			for j := 0; j < 1+i%2; j++ {
				if err := tx.AddFilesetEntry(core.FilesetEntry{Fileset: d, Index: j, ClientPath: "/c", RepoPath: "r", Checksum: "x", Transfer: "copy"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	f.st.Read(f.ctx, func(tx core.Tx) error {
		m, err := tx.FilesetEntriesOf(ds)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range ds {
			if len(m[d]) != 1+i%2 || m[d][0].Fileset != d {
				t.Fatalf("fileset %d: %v", d, m[d])
			}
		}
		return nil
	})
}

func TestGraphStepFollowsOnlyTheColumnsAskedForAndCountsLinks(t *testing.T) {
	f := newFixture(t)
	ds, ims, links := f.mk(600) // more than one batch of IDs
	f.st.Read(f.ctx, func(tx core.Tx) error {
		st := tx.(core.GraphStepper)
		for _, c := range []struct {
			name string
			ids  []core.ID
			by   core.GraphColumns
			want int
		}{
			{"datasets and the links they are parents of", ds, core.ByID | core.ByParent, 1200},
			{"the links of the datasets", ds, core.ByParent, 600},
			{"datasets: nothing names them as a child", ds, core.ByID | core.ByChild | core.ByRef2, 600},
			{"images and the links they are children of", ims, core.ByID | core.ByChild, 1200},
			{"images alone", ims, core.ByID, 600},
			{"no column", ims, 0, 0},
			{"no IDs", nil, core.ByAnyColumn, 0},
		} {
			objs, err := st.GraphStep(c.ids, c.by, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != c.want {
				t.Errorf("%s: %d objects, want %d", c.name, len(objs), c.want)
			}
			for i := 1; i < len(objs); i++ {
				if objs[i-1].ID >= objs[i].ID {
					t.Fatalf("%s: not in ID order at %d", c.name, i)
				}
			}
		}
		counts, err := st.GraphChildCounts(append(ims, ds[0]))
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != len(ims) {
			t.Fatalf("%d counts, want one per image (the dataset is nobody's child)", len(counts))
		}
		for _, c := range counts {
			if c.Class != core.DatasetImageLink || c.N != 1 {
				t.Fatalf("count %+v, want one DatasetImageLink", c)
			}
		}
		return nil
	})
	_ = links
}
