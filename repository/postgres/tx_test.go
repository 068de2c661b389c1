package postgres

import (
	"context"
	"slices"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// write runs fn in one write transaction and fails the test on an error.
func write(t *testing.T, st *Store, fn func(tx core.Tx) error) {
	t.Helper()
	if err := st.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func link(c core.Class, parent, child core.ID) *core.Object {
	return &core.Object{Ref: core.Ref{Class: c}, Parent: parent, Child: child}
}

func TestTx_UsersAndGroupsAreNumberedAsInSQLite(t *testing.T) {
	st, _ := openTest(t)
	write(t, st, func(tx core.Tx) error {
		for _, e := range []core.Experimenter{{ID: 0, Username: "root"}, {ID: 1, Username: "guest"}, {Username: "ada"}} {
			if err := tx.CreateExperimenter(&e, ""); err != nil {
				return err
			}
			if e.Username == "ada" && e.ID != 2 {
				t.Errorf("the first user after root and guest is %d, want 2", e.ID)
			}
		}
		for _, g := range []core.Group{{ID: 0, Name: "system"}, {ID: 1, Name: "user"}, {ID: 2, Name: "guest"}, {Name: "lab", Level: core.ReadAnnotate}} {
			if err := tx.CreateGroup(&g); err != nil {
				return err
			}
			if g.Name == "lab" && g.ID != 3 {
				t.Errorf("the first group after the special ones is %d, want 3", g.ID)
			}
		}
		dup := core.Experimenter{Username: "ada"}
		if err := tx.CreateExperimenter(&dup, ""); !core.Is(core.Conflict, err) {
			t.Errorf("a second ada: %v", err)
		}
		// The transaction goes on after the Conflict, as with SQLite.
		if err := tx.SetMembership(core.Membership{Group: 3, User: 2, Owner: true}); err != nil {
			return err
		}
		ms, err := tx.GroupMembers(3)
		if err != nil || len(ms) != 1 || !ms[0].Owner {
			t.Errorf("members %+v, %v", ms, err)
		}
		g, err := tx.GroupByName("lab")
		if err != nil || g.Level != core.ReadAnnotate {
			t.Errorf("group %+v, %v", g, err)
		}
		return nil
	})
}

func TestTx_ObjectIDsAreNeverReused(t *testing.T) {
	st, _ := openTest(t)
	id := seed(t, st)
	write(t, st, func(tx core.Tx) error { return tx.DeleteObject(id) })
	write(t, st, func(tx core.Tx) error {
		d := dataset("next")
		if err := tx.CreateObject(d); err != nil {
			return err
		}
		if d.ID <= id {
			t.Errorf("new object got ID %d after %d was deleted", d.ID, id)
		}
		return nil
	})
}

func TestTx_DuplicateLinksAndReferencedObjectsAreConflictsTheTransactionSurvives(t *testing.T) {
	st, _ := openTest(t)
	d := seed(t, st)
	write(t, st, func(tx core.Tx) error {
		img := &core.Object{Ref: core.Ref{Class: core.Image}, Name: "i"}
		if err := tx.CreateObject(img); err != nil {
			return err
		}
		if err := tx.CreateObject(link(core.DatasetImageLink, d, img.ID)); err != nil {
			return err
		}
		if err := tx.CreateObject(link(core.DatasetImageLink, d, img.ID)); !core.Is(core.Conflict, err) {
			t.Errorf("a second identical link: %v", err)
		}
		if err := tx.DeleteObject(img.ID); !core.Is(core.Conflict, err) {
			t.Errorf("deleting a linked image: %v", err)
		}
		if err := tx.DeleteObjects([]core.ID{img.ID}); !core.Is(core.Conflict, err) {
			t.Errorf("bulk-deleting a linked image: %v", err)
		}
		if err := tx.DeleteObject(987654); !core.Is(core.NotFound, err) {
			t.Errorf("deleting a missing object: %v", err)
		}
		if err := tx.DeleteObjects([]core.ID{987654}); !core.Is(core.NotFound, err) {
			t.Errorf("bulk-deleting a missing object: %v", err)
		}
		if err := tx.SetObjectsGroup([]core.ID{img.ID, 987654}, 0); !core.Is(core.NotFound, err) {
			t.Errorf("moving a missing object: %v", err)
		}
		// Still usable: the link and the image go together in one batch.
		l, err := tx.FindLink(core.DatasetImageLink, d, img.ID)
		if err != nil {
			return err
		}
		return tx.DeleteObjects([]core.ID{l.ID, img.ID})
	})
	if n := countObjects(t, st, core.NewQuery(core.Image, core.DatasetImageLink)); n != 0 {
		t.Errorf("%d images and links left, want 0", n)
	}
}

func TestTx_GraphNeighboursReadsTheObjectsAndWhatRefersToThem(t *testing.T) {
	st, _ := openTest(t)
	d := seed(t, st)
	var img, other, l, roi, far core.ID
	write(t, st, func(tx core.Tx) error {
		mk := func(o *core.Object) core.ID {
			if err := tx.CreateObject(o); err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		img = mk(&core.Object{Ref: core.Ref{Class: core.Image}, Name: "i", Attrs: map[string]any{"x": "y"}})
		other = mk(&core.Object{Ref: core.Ref{Class: core.Image}, Name: "other"})
		l = mk(link(core.DatasetImageLink, d, img))
		roi = mk(&core.Object{Ref: core.Ref{Class: core.Roi}, Parent: img})
		far = mk(link(core.DatasetImageLink, d, other))
		return nil
	})
	st.Read(context.Background(), func(tx core.Tx) error {
		objs, err := tx.GraphNeighbours([]core.ID{img, img}, []core.Class{core.Image})
		if err != nil {
			t.Fatal(err)
		}
		var got []core.ID
		for _, o := range objs {
			got = append(got, o.ID)
			if o.ID == img && o.Attrs["x"] != "y" {
				t.Errorf("the image's attributes were not read: %v", o.Attrs)
			}
			if o.ID == l && (o.Parent != d || o.Child != img) {
				t.Errorf("link read as %+v", o)
			}
		}
		if want := []core.ID{img, l, roi}; !slices.Equal(got, want) {
			t.Errorf("neighbours of Image:%d = %v, want %v (not %d, %d)", img, got, want, other, far)
		}
		return nil
	})
}
