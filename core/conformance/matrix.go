package conformance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// expectation is one row of spec §1.3/§1.4 for another user's (alice's)
// image, per level (private, read-only, read-annotate, read-write), in the
// spec's notation: R(ead) A(nnotate) D(elete) E(dit) L(ink) Cg Co; "R0"
// means invisible.
type expectation struct {
	role string
	want [4]string
}

var matrix = []expectation{
	{"alice", [4]string{"R1 A1 D1 E1 L1 Cg1 Co0", "R1 A1 D1 E1 L1 Cg1 Co0", "R1 A1 D1 E1 L1 Cg1 Co0", "R1 A1 D1 E1 L1 Cg1 Co0"}},
	{"bob", [4]string{"R0", "R1 A0 D0 E0 L0 Cg0 Co0", "R1 A1 D0 E0 L0 Cg0 Co0", "R1 A1 D1 E1 L1 Cg0 Co0"}},
	{"pi", [4]string{"R1 A0 D1 E1 L0 Cg0 Co1", "R1 A1 D1 E1 L1 Cg0 Co1", "R1 A1 D1 E1 L1 Cg0 Co1", "R1 A1 D1 E1 L1 Cg0 Co1"}},
	{"root", [4]string{"R1 A0 D1 E1 L0 Cg1 Co1", "R1 A1 D1 E1 L1 Cg1 Co1", "R1 A1 D1 E1 L1 Cg1 Co1", "R1 A1 D1 E1 L1 Cg1 Co1"}},
	{"writer", [4]string{"R1 A0 D0 E1 L0 Cg0 Co0", "R1 A1 D0 E1 L1 Cg0 Co0", "R1 A1 D0 E1 L1 Cg0 Co0", "R1 A1 D0 E1 L1 Cg0 Co0"}},
	{"viewer", [4]string{"R1 A0 D0 E0 L0 Cg0 Co0", "R1 A0 D0 E0 L0 Cg0 Co0", "R1 A0 D0 E0 L0 Cg0 Co0", "R1 A0 D0 E0 L0 Cg0 Co0"}},
	{"carol", [4]string{"R0", "R0", "R0", "R0"}},
}

var roleNames = map[string]string{
	"alice":  "owner",
	"bob":    "member",
	"pi":     "PI",
	"root":   "full admin (non-member)",
	"writer": "restricted admin with WriteOwned (non-member)",
	"viewer": "restricted admin with no privileges (non-member)",
	"carol":  "non-member",
}

type cell struct{ R, A, D, E, L, Cg, Co bool }

func parseCell(s string) cell {
	var c cell
	for _, tok := range strings.Fields(s) {
		v := strings.HasSuffix(tok, "1")
		switch strings.TrimRight(tok, "01") {
		case "R":
			c.R = v
		case "A":
			c.A = v
		case "D":
			c.D = v
		case "E":
			c.E = v
		case "L":
			c.L = v
		case "Cg":
			c.Cg = v
		case "Co":
			c.Co = v
		}
	}
	return c
}

func (c cell) flags() core.Flags {
	return core.Flags{CanEdit: c.E, CanAnnotate: c.A, CanDelete: c.D, CanLink: c.L, CanChgrp: c.Cg, CanChown: c.Co}
}

// sixFlags drops Read, which is not part of what clients are shown.
func sixFlags(f core.Flags) core.Flags { f.Read = false; return f }

func verdict(b bool) string {
	if b {
		return "allowed"
	}
	return "refused"
}

// testMatrix runs every role of spec §1.4 against alice's data at every
// level through the services: Get, Flags, List, Update, Delete, annotating
// (tagging her image) and linking (her image into the role's own dataset,
// the role's own image into her dataset).
func testMatrix(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	for _, e := range matrix {
		for i, lv := range levels {
			want := parseCell(e.want[i])
			role, s := e.role, w.as(e.role)
			img := w.data["alice"][lv].image
			whose := "other's"
			if role == "alice" {
				whose = "own"
			}
			name := func(action, object string, allowed bool) string {
				return fmt.Sprintf("%s/%s/%s %s %s = %s", lv, roleNames[role], action, whose, object, verdict(allowed))
			}
			hidden := core.Permission
			if !want.R {
				hidden = core.NotFound
			}

			t.Run(name("view", "image", want.R), func(t *testing.T) {
				v, err := s.Get(w.ctx, img.Ref)
				if want.R != (err == nil) {
					t.Fatalf("Get: %v", err)
				}
				if err != nil && !core.Is(core.NotFound, err) {
					t.Errorf("an invisible object gives %s, want %s", core.KindOf(err), core.NotFound)
				}
				listed := false
				if vs, err := s.List(w.ctx, core.Image, core.AnyID, img.Group); err == nil {
					listed = slices.ContainsFunc(vs, func(v core.ObjectView) bool { return v.ID == img.ID })
				}
				if listed != want.R {
					t.Errorf("List shows the image: %v", listed)
				}
				if !want.R {
					return
				}
				if got := sixFlags(v.Flags); got != want.flags() {
					t.Errorf("Get flags %s, want %s (%s)", got, want.flags(), e.want[i])
				}
				fl, err := s.Flags(w.ctx, []core.Ref{img.Ref})
				if err != nil || len(fl) != 1 || sixFlags(fl[0].Flags) != want.flags() || fl[0].Object != img.Ref.String() {
					t.Errorf("Flags = %+v, %v; want %s for %s", fl, err, want.flags(), img.Ref)
				}
			})

			t.Run(name("edit", "project", want.E), func(t *testing.T) {
				w := w.on(t)
				victim := w.create("alice", lv, core.Project, named("victim"))
				if want.E {
					v, err := s.Update(w.ctx, victim.Ref, named("renamed"))
					ok(t, "update", err)
					if err == nil && v.Name != "renamed" {
						t.Errorf("update returned name %q", v.Name)
					}
					return
				}
				w.refused(t, "update", func() error { _, err := s.Update(w.ctx, victim.Ref, named("renamed")); return err }, hidden)
			})

			t.Run(name("delete", "project", want.D), func(t *testing.T) {
				w := w.on(t)
				victim := w.create("alice", lv, core.Project, named("victim"))
				if want.D {
					ok(t, "delete", s.Delete(w.ctx, victim.Ref))
					if _, err := w.root.Get(w.ctx, victim.Ref); !core.Is(core.NotFound, err) {
						t.Errorf("after delete, Get gives %v", err)
					}
					return
				}
				w.refused(t, "delete", func() error { return s.Delete(w.ctx, victim.Ref) }, hidden)
			})

			t.Run(name("annotate", "image", want.A), func(t *testing.T) {
				w := w.on(t)
				tag, err := w.tryCreate(role, lv, core.TagAnnotation, map[string]string{"textValue": "tag of " + role})
				if err != nil {
					if want.A {
						t.Fatalf("%s cannot make a tag in %s: %v", role, labName(lv), err)
					}
					return // cannot even make a tag there
				}
				if want.A {
					_, err := s.Create(w.ctx, core.ImageAnnotationLink, link(img.Ref, tag.Ref))
					ok(t, "tag", err)
					return
				}
				w.refused(t, "tag", func() error {
					_, err := s.Create(w.ctx, core.ImageAnnotationLink, link(img.Ref, tag.Ref))
					return err
				}, hidden)
			})

			t.Run(name("link", "image into own dataset", want.L), func(t *testing.T) {
				w := w.on(t)
				ds, err := w.tryCreate(role, lv, core.Dataset, named("dataset of "+role))
				if err != nil {
					if want.L {
						t.Fatalf("%s cannot make a dataset in %s: %v", role, labName(lv), err)
					}
					return
				}
				if want.L {
					_, err := s.Create(w.ctx, core.DatasetImageLink, link(ds.Ref, img.Ref))
					ok(t, "link", err)
					return
				}
				w.refused(t, "link", func() error {
					_, err := s.Create(w.ctx, core.DatasetImageLink, link(ds.Ref, img.Ref))
					return err
				}, hidden)
			})

			if role == "alice" {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s/link own image into other's dataset = %s", lv, roleNames[role], verdict(want.L)), func(t *testing.T) {
				w := w.on(t)
				mine, err := w.tryCreate(role, lv, core.Image, named("image of "+role))
				if err != nil {
					if want.L {
						t.Fatalf("%s cannot make an image in %s: %v", role, labName(lv), err)
					}
					return
				}
				ds := w.data["alice"][lv].dataset
				if want.L {
					_, err := s.Create(w.ctx, core.DatasetImageLink, link(ds.Ref, mine.Ref))
					ok(t, "link", err)
					return
				}
				w.refused(t, "link", func() error {
					_, err := s.Create(w.ctx, core.DatasetImageLink, link(ds.Ref, mine.Ref))
					return err
				}, hidden)
			})
		}
	}
}
