package conformance

import (
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testBadInput: issue 2 "Bad input": each request gets a clear error and the
// repository is unchanged.
func testBadInput(t *testing.T, newService NewService) {
	w := newWorld(t, newService)

	t.Run("malformed Class:ID", func(t *testing.T) {
		for _, s := range []string{"", "Image", "Image:", ":5", "Image:abc", "Image:-1", "Image:1,2", "Image:1.5", "Project/Image:1"} {
			_, err := core.ParseRef(s)
			if !core.Is(core.Invalid, err) || core.UserMessage(err) == "" {
				t.Errorf("ParseRef(%q) = %v, want an Invalid error with a message", s, err)
			}
		}
		_, err := core.ParseRef("Imaeg:1")
		if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), "unknown class") {
			t.Errorf("ParseRef of an unknown class = %v, want 'unknown class'", err)
		}
		if r, err := core.ParseRef(" image:42 "); err != nil || r != (core.Ref{Class: core.Image, ID: 42}) {
			t.Errorf("ParseRef(\" image:42 \") = %v, %v; want Image:42", r, err)
		}
	})

	t.Run("unknown group type", func(t *testing.T) {
		_, err := core.ParseLevel("public")
		if !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), "unknown group type") {
			t.Errorf("ParseLevel(public) = %v, want an Invalid 'unknown group type' error", err)
		}
		w := w.on(t)
		w.refused(t, "create a group with a level that does not exist", func() error {
			_, err := w.root.CreateGroup(w.ctx, "odd-lab", core.Level(42), "")
			return err
		}, core.Invalid)
		w.refused(t, "set a level that does not exist", func() error {
			return w.root.SetGroupLevel(w.ctx, w.gid(otherLab), core.Level(42))
		}, core.Invalid)
	})

	t.Run("requests the repository refuses", func(t *testing.T) {
		w := w.on(t)
		alice := w.as("alice")
		d := w.data["alice"][core.ReadWrite]
		for _, c := range []struct {
			what string
			do   func() error
			kind []core.Kind
		}{
			{"create an object of an unknown class", func() error {
				_, err := alice.Create(w.ctx, core.Class("Microscope"), named("x"))
				return err
			}, []core.Kind{core.Invalid}},
			{"create a project with a field projects do not have", func() error {
				_, err := alice.Create(w.ctx, core.Project, map[string]string{"name": "x", "colour": "red"})
				return err
			}, []core.Kind{core.Invalid}},
			{"create a link with a malformed end", func() error {
				_, err := alice.Create(w.ctx, core.DatasetImageLink, map[string]string{"parent": "Dataset:one", "child": d.image.Ref.String()})
				return err
			}, []core.Kind{core.Invalid}},
			{"create a link with ends of the wrong classes", func() error {
				_, err := alice.Create(w.ctx, core.DatasetImageLink, link(d.image.Ref, d.dataset.Ref))
				return err
			}, []core.Kind{core.Invalid}},
			{"create a link without a child", func() error {
				_, err := alice.Create(w.ctx, core.DatasetImageLink, map[string]string{"parent": d.dataset.Ref.String()})
				return err
			}, []core.Kind{core.Invalid}},
			{"link to an image that does not exist", func() error {
				_, err := alice.Create(w.ctx, core.DatasetImageLink, link(d.dataset.Ref, core.Ref{Class: core.Image, ID: missing}))
				return err
			}, []core.Kind{core.NotFound}},
			{"a rating of 7 stars", func() error {
				_, err := alice.Create(w.ctx, core.LongAnnotation, map[string]string{"longValue": "7", "ns": core.RatingNamespace})
				return err
			}, []core.Kind{core.Invalid}},
			{"edit a link", func() error {
				ls, err := alice.List(w.ctx, core.DatasetImageLink, w.uid("alice"), d.dataset.Group)
				if err != nil || len(ls) == 0 {
					t.Fatalf("no link to edit: %v", err)
				}
				_, err = alice.Update(w.ctx, ls[0].Ref, map[string]string{"child": d.orphan.Ref.String()})
				return err
			}, []core.Kind{core.Invalid}},
			{"move an object with update", func() error {
				_, err := alice.Update(w.ctx, d.project.Ref, map[string]string{"group": labName(core.ReadOnly)})
				return err
			}, []core.Kind{core.Invalid}},
			{"delete a dataset that still holds an image", func() error {
				return alice.Delete(w.ctx, d.dataset.Ref)
			}, []core.Kind{core.Conflict}},
			{"create data in the user group", func() error {
				_, err := alice.Create(w.ctx, core.Project, map[string]string{"name": "x", "group": "user"})
				return err
			}, []core.Kind{core.Invalid, core.Permission, core.NotFound}},
			{"create data in a group that does not exist", func() error {
				_, err := alice.Create(w.ctx, core.Project, map[string]string{"name": "x", "group": "no-such-lab"})
				return err
			}, []core.Kind{core.NotFound}},
			{"create a user with a space in the name", func() error {
				_, err := w.root.CreateUser(w.ctx, core.NewUser{Username: "a b", Password: "pw", Groups: []core.ID{w.gid(otherLab)}})
				return err
			}, []core.Kind{core.Invalid}},
			{"create a user without a password", func() error {
				_, err := w.root.CreateUser(w.ctx, core.NewUser{Username: "nopw", Groups: []core.ID{w.gid(otherLab)}})
				return err
			}, []core.Kind{core.Invalid}},
			{"create a group without a name", func() error {
				_, err := w.root.CreateGroup(w.ctx, "  ", core.ReadOnly, "")
				return err
			}, []core.Kind{core.Invalid}},
			{"add a user who does not exist to a group", func() error {
				return w.root.AddToGroup(w.ctx, w.gid(otherLab), []core.ID{missing}, false)
			}, []core.Kind{core.NotFound}},
			{"add users to a group that does not exist", func() error {
				return w.root.AddToGroup(w.ctx, missing, []core.ID{w.uid("alice")}, false)
			}, []core.Kind{core.NotFound}},
			{"add two users to a group when the second does not exist", func() error {
				return w.root.AddToGroup(w.ctx, w.gid(otherLab), []core.ID{w.uid("alice"), missing}, false)
			}, []core.Kind{core.NotFound}},
		} {
			w.refused(t, c.what, c.do, c.kind...)
		}
	})
}
