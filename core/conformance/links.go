package conformance

import (
	"fmt"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testLinks: the linking rules of spec §1.5 and §6 end to end, and who owns
// a link made for somebody else (§3.4).
func testLinks(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	alice := w.uid("alice")

	t.Run("a duplicate link = conflict", func(t *testing.T) {
		w := w.on(t)
		d := w.data["alice"][core.ReadWrite]
		w.refused(t, "link the image into its dataset again", func() error {
			_, err := w.as("alice").Create(w.ctx, core.DatasetImageLink, link(d.dataset.Ref, d.image.Ref))
			return err
		}, core.Conflict)
		w.create("alice", core.ReadWrite, core.ImageAnnotationLink, link(d.image.Ref, d.tag.Ref))
		w.refused(t, "tag the image with the same tag again", func() error {
			_, err := w.as("alice").Create(w.ctx, core.ImageAnnotationLink, link(d.image.Ref, d.tag.Ref))
			return err
		}, core.Conflict)
	})

	t.Run("a cross-group link = refused, even for root", func(t *testing.T) {
		w := w.on(t)
		ra, rw := w.data["alice"][core.ReadAnnotate], w.data["alice"][core.ReadWrite]
		for _, who := range []string{"alice", "root"} {
			w.refused(t, who+" links an image of one group into a dataset of another", func() error {
				_, err := w.as(who).Create(w.ctx, core.DatasetImageLink, link(ra.dataset.Ref, rw.image.Ref))
				return err
			}, core.Invalid, core.Permission)
			w.refused(t, who+" tags an image with a tag of another group", func() error {
				_, err := w.as(who).Create(w.ctx, core.ImageAnnotationLink, link(rw.image.Ref, ra.tag.Ref))
				return err
			}, core.Invalid, core.Permission)
		}
	})

	t.Run("annotating other's data: read-only refused, read-annotate allowed", func(t *testing.T) {
		w := w.on(t)
		bob := w.as("bob")
		ro := w.data["alice"][core.ReadOnly]
		w.refused(t, "read-only/member/tag other's image", func() error {
			_, err := bob.Create(w.ctx, core.ImageAnnotationLink, link(ro.image.Ref, w.data["bob"][core.ReadOnly].tag.Ref))
			return err
		}, core.Permission)
		w.refused(t, "read-only/member/comment on other's image", func() error {
			c := w.create("bob", core.ReadOnly, core.CommentAnnotation, map[string]string{"textValue": "nice"})
			_, err := bob.Create(w.ctx, core.ImageAnnotationLink, link(ro.image.Ref, c.Ref))
			if err != nil {
				ok(t, "clean up the comment", bob.Delete(w.ctx, c.Ref))
			}
			return err
		}, core.Permission)
		w.refused(t, "read-only/member/tag own image with other's tag", func() error {
			_, err := bob.Create(w.ctx, core.ImageAnnotationLink, link(w.data["bob"][core.ReadOnly].image.Ref, ro.tag.Ref))
			return err
		}, core.Permission)
		w.refused(t, "read-only/member/ROI on other's image", func() error {
			_, err := bob.Create(w.ctx, core.Roi, map[string]string{"image": ro.image.Ref.String(), "group": labName(core.ReadOnly)})
			return err
		}, core.Permission)

		ra := w.data["alice"][core.ReadAnnotate]
		l, err := bob.Create(w.ctx, core.ImageAnnotationLink, link(ra.image.Ref, w.data["bob"][core.ReadAnnotate].tag.Ref))
		ok(t, "read-annotate/member/tag other's image", err)
		if err != nil {
			return
		}
		// §1.5 rule 4: the tagger owns the link; the image owner cannot remove
		// it except in a read-write group, the tagger can.
		if l.Owner != w.uid("bob") {
			t.Errorf("the link belongs to Experimenter:%d, want bob", l.Owner)
		}
		w.refused(t, "read-annotate/owner/remove other's tag link from own image", func() error {
			return w.as("alice").Delete(w.ctx, l.Ref)
		}, core.Permission)
		ok(t, "read-annotate/member/remove own tag link", bob.Delete(w.ctx, l.Ref))
		_, err = bob.Create(w.ctx, core.ImageAnnotationLink, link(ra.image.Ref, ra.tag.Ref))
		ok(t, "read-annotate/member/tag other's image with other's tag", err)
		_, err = bob.Create(w.ctx, core.Roi, map[string]string{"image": ra.image.Ref.String(), "group": labName(core.ReadAnnotate)})
		ok(t, "read-annotate/member/ROI on other's image", err)

		rw := w.data["alice"][core.ReadWrite]
		l, err = bob.Create(w.ctx, core.ImageAnnotationLink, link(rw.image.Ref, w.data["bob"][core.ReadWrite].tag.Ref))
		ok(t, "read-write/member/tag other's image", err)
		if err == nil {
			ok(t, "read-write/owner/remove other's tag link from own image", w.as("alice").Delete(w.ctx, l.Ref))
		}
	})

	t.Run("container links need write on both ends", func(t *testing.T) {
		w := w.on(t)
		bob := w.as("bob")
		ra, mine := w.data["alice"][core.ReadAnnotate], w.data["bob"][core.ReadAnnotate]
		w.refused(t, "read-annotate/member/link other's image into own dataset", func() error {
			_, err := bob.Create(w.ctx, core.DatasetImageLink, link(mine.dataset.Ref, ra.image.Ref))
			return err
		}, core.Permission)
		w.refused(t, "read-annotate/member/link own dataset into other's project", func() error {
			_, err := bob.Create(w.ctx, core.ProjectDatasetLink, link(ra.project.Ref, mine.dataset.Ref))
			return err
		}, core.Permission)
		rw, mineRW := w.data["alice"][core.ReadWrite], w.data["bob"][core.ReadWrite]
		_, err := bob.Create(w.ctx, core.DatasetImageLink, link(mineRW.dataset.Ref, rw.image.Ref))
		ok(t, "read-write/member/link other's image into own dataset", err)
		_, err = bob.Create(w.ctx, core.ProjectDatasetLink, link(rw.project.Ref, mineRW.dataset.Ref))
		ok(t, "read-write/member/link own dataset into other's project", err)
	})

	t.Run("who owns a link made for another user (spec §3.4)", func(t *testing.T) {
		w := w.on(t)
		// At the level of the service, a link belongs to whoever makes it,
		// administrators included (testLinkNoSudo: "assertOwnedBy(link,
		// lightAdmin)" until the link itself is given away).
		for _, c := range []struct {
			who string
			lv  core.Level
		}{{"root", core.ReadWrite}, {"writer", core.ReadOnly}, {"pi", core.ReadOnly}, {"bob", core.ReadWrite}} {
			d := w.data["alice"][c.lv]
			img := w.create("alice", c.lv, core.Image, named("linked by "+c.who))
			l, err := w.as(c.who).Create(w.ctx, core.DatasetImageLink, link(d.dataset.Ref, img.Ref))
			ok(t, c.lv.String()+"/"+roleNames[c.who]+"/link other's image into other's dataset", err)
			if err == nil && l.Owner != w.uid(c.who) {
				t.Errorf("%s/%s: the link belongs to Experimenter:%d, want %s", c.lv, roleNames[c.who], l.Owner, c.who)
			}
		}
		// §1.5 rule 2's exception: in a private group an admin may link a
		// user's data to that user's data in that user's name.
		d := w.data["alice"][core.Private]
		img := w.create("alice", core.Private, core.Image, named("linked by root for alice"))
		l, err := w.as("root").Create(w.ctx, core.DatasetImageLink, map[string]string{
			"parent": d.dataset.Ref.String(), "child": img.Ref.String(), "owner": "alice"})
		ok(t, "private/full admin/link other's image into other's dataset in that user's name", err)
		if err == nil && l.Owner != alice {
			t.Errorf("the link belongs to Experimenter:%d, want alice", l.Owner)
		}
	})

	t.Run("a restricted admin's links: not in private groups; given away only with Chown (testLinkNoSudo)", func(t *testing.T) {
		w := w.on(t)
		w.mustUser(core.NewUser{Username: "giver", FirstName: "Chien-Shiung", LastName: "Wu", Groups: []core.ID{w.gid(otherLab)},
			Admin: true, Privileges: []core.Privilege{core.PrivWriteOwned, core.PrivChown}})
		w.sessions["giver"] = w.login("giver")
		for _, who := range []string{"writer", "giver"} {
			withChown := who == "giver"
			for _, lv := range levels {
				name := fmt.Sprintf("%s/restricted admin with WriteOwned (Chown %v, non-member)", lv, withChown)
				d := w.data["alice"][lv]
				img := w.create("alice", lv, core.Image, named("linked by "+who))
				ds := w.create("alice", lv, core.Dataset, named("dataset linked by "+who))
				if lv == core.Private {
					w.refused(t, name+"/link other's image into other's dataset", func() error {
						_, err := w.as(who).Create(w.ctx, core.DatasetImageLink, link(ds.Ref, img.Ref))
						return err
					}, core.Permission)
					w.refused(t, name+"/link other's dataset into other's project", func() error {
						_, err := w.as(who).Create(w.ctx, core.ProjectDatasetLink, link(d.project.Ref, ds.Ref))
						return err
					}, core.Permission)
					continue
				}
				for _, l := range []struct {
					class         core.Class
					parent, child core.Ref
				}{{core.DatasetImageLink, ds.Ref, img.Ref}, {core.ProjectDatasetLink, d.project.Ref, ds.Ref}} {
					v, err := w.as(who).Create(w.ctx, l.class, link(l.parent, l.child))
					ok(t, name+"/create a "+string(l.class), err)
					if err != nil {
						continue
					}
					if v.Owner != w.uid(who) {
						t.Errorf("%s: the %s belongs to Experimenter:%d, want the admin", name, l.class, v.Owner)
					}
					if v.Flags.CanChown != withChown {
						t.Errorf("%s: canChown on the %s = %v", name, l.class, v.Flags.CanChown)
					}
					give := core.GraphRequest{Op: core.OpChown, User: alice, Targets: []core.Target{{Class: l.class, IDs: []core.ID{v.ID}}}}
					if !withChown {
						w.refused(t, name+"/give the "+string(l.class)+" to the user", func() error {
							_, err := w.as(who).RunGraph(w.ctx, give)
							return err
						}, core.Permission)
						continue
					}
					_, err = w.as(who).RunGraph(w.ctx, give)
					ok(t, name+"/give the "+string(l.class)+" to the user", err)
					if got, err := w.root.Get(w.ctx, v.Ref); err != nil || got.Owner != alice {
						t.Errorf("%s: after the chown the %s belongs to Experimenter:%d (%v), want alice", name, l.class, got.Owner, err)
					}
				}
			}
		}
	})

	t.Run("private group: nobody mixes users' data", func(t *testing.T) {
		w := w.on(t)
		d := w.data["alice"][core.Private]
		for _, who := range []string{"root", "pi", "writer"} {
			w.refused(t, "private/"+roleNames[who]+"/tag other's image", func() error {
				tag := w.create(who, core.Private, core.TagAnnotation, map[string]string{"textValue": "tag of " + who})
				_, err := w.as(who).Create(w.ctx, core.ImageAnnotationLink, link(d.image.Ref, tag.Ref))
				if err != nil {
					ok(t, "clean up", w.as(who).Delete(w.ctx, tag.Ref))
				}
				return err
			}, core.Permission)
			w.refused(t, "private/"+roleNames[who]+"/link other's image into own dataset", func() error {
				ds := w.create(who, core.Private, core.Dataset, named("dataset of "+who))
				_, err := w.as(who).Create(w.ctx, core.DatasetImageLink, link(ds.Ref, d.orphan.Ref))
				if err != nil {
					ok(t, "clean up", w.as(who).Delete(w.ctx, ds.Ref))
				}
				return err
			}, core.Permission)
		}
		w.refused(t, "private/PI/link other's image into other's dataset as the PI", func() error {
			_, err := w.as("pi").Create(w.ctx, core.DatasetImageLink, link(d.dataset.Ref, d.orphan.Ref))
			return err
		}, core.Permission)
		l, err := w.as("pi").Create(w.ctx, core.DatasetImageLink, map[string]string{
			"parent": d.dataset.Ref.String(), "child": d.orphan.Ref.String(), "owner": "alice"})
		ok(t, "private/PI/link other's image into other's dataset in that user's name", err)
		if err == nil && l.Owner != alice {
			t.Errorf("the link belongs to Experimenter:%d, want alice", l.Owner)
		}
	})

	t.Run("creating data in a group: members, and admins with WriteOwned", func(t *testing.T) {
		w := w.on(t)
		_, err := w.tryCreate("writer", core.ReadOnly, core.Project, named("by writer"))
		ok(t, "a restricted admin with WriteOwned creates a project in a group they are not in", err)
		w.refused(t, "a restricted admin without WriteOwned creates a project in a group they are not in", func() error {
			_, err := w.tryCreate("viewer", core.ReadOnly, core.Project, named("by viewer"))
			return err
		}, core.Permission, core.NotFound)
		w.refused(t, "a non-member creates a project in the group", func() error {
			_, err := w.tryCreate("carol", core.ReadWrite, core.Project, named("by carol"))
			return err
		}, core.NotFound, core.Permission)
		w.refused(t, "a member creates a project in another user's name", func() error {
			_, err := w.tryCreate("bob", core.ReadWrite, core.Project, map[string]string{"name": "for alice", "owner": "alice"})
			return err
		}, core.Permission)
	})
}
