package conformance

import (
	"slices"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testAdmin: the administration rules of spec §3.1-§3.3.
func testAdmin(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	ra := w.gid(labName(core.ReadAnnotate))
	other := w.gid(otherLab)
	// keeper is a restricted administrator who may manage users and
	// memberships and write data, and holds nothing else.
	w.mustUser(core.NewUser{Username: "keeper", Groups: []core.ID{other}, Admin: true,
		Privileges: []core.Privilege{core.PrivModifyUser, core.PrivModifyGroupMembership, core.PrivWriteOwned}})
	w.mustUser(core.NewUser{Username: "admin2", Groups: []core.ID{other}, Admin: true})
	w.sessions["keeper"], w.sessions["admin2"] = w.login("keeper"), w.login("admin2")
	newUser := func(name string) core.NewUser {
		return core.NewUser{Username: name, Password: password(name), Groups: []core.ID{other}}
	}

	t.Run("who may create users", func(t *testing.T) {
		w := w.on(t)
		for _, u := range []string{"alice", "pi", "writer", "viewer"} {
			w.refused(t, u+" creates a user", func() error {
				_, err := w.as(u).CreateUser(w.ctx, newUser("new-by-"+u))
				return err
			}, core.Permission)
		}
		for _, u := range []string{"root", "keeper", "admin2"} {
			_, err := w.as(u).CreateUser(w.ctx, newUser("new-by-"+u))
			ok(t, u+" creates a user", err)
		}
		w.refused(t, "a second user with a taken username", func() error {
			_, err := w.root.CreateUser(w.ctx, newUser("alice"))
			return err
		}, core.Conflict)
	})

	t.Run("who may create groups", func(t *testing.T) {
		w := w.on(t)
		for _, u := range []string{"alice", "pi", "keeper", "viewer"} {
			w.refused(t, u+" creates a group", func() error {
				_, err := w.as(u).CreateGroup(w.ctx, "group-by-"+u, core.ReadOnly, "")
				return err
			}, core.Permission)
		}
		g, err := w.root.CreateGroup(w.ctx, "group-by-root", core.ReadOnly, "")
		ok(t, "root creates a group", err)
		if g.Level != core.ReadOnly {
			t.Errorf("new group is %s, want read-only", g.Level)
		}
		w.refused(t, "a second group with a taken name", func() error {
			_, err := w.root.CreateGroup(w.ctx, otherLab, core.ReadOnly, "")
			return err
		}, core.Conflict)
	})

	t.Run("a new user needs a real group", func(t *testing.T) {
		w := w.on(t)
		for _, groups := range [][]core.ID{nil, {core.UserGroupID}, {core.UserGroupID, core.SystemGroupID}} {
			w.refused(t, "create a user whose groups are "+formatIDs(groups), func() error {
				_, err := w.root.CreateUser(w.ctx, core.NewUser{Username: "groupless", Password: "pw", Groups: groups})
				return err
			}, core.Invalid)
		}
	})

	t.Run("a PI manages the members and owners of their group; a member cannot", func(t *testing.T) {
		w := w.on(t)
		carol := w.uid("carol")
		pi := w.as("pi")
		ok(t, "pi adds carol to their group", pi.AddToGroup(w.ctx, ra, []core.ID{carol}, false))
		ok(t, "pi makes carol an owner", pi.AddToGroup(w.ctx, ra, []core.ID{carol}, true))
		if !isOwner(t, w, labName(core.ReadAnnotate), "carol") {
			t.Errorf("carol is not an owner of %s", labName(core.ReadAnnotate))
		}
		ok(t, "pi removes carol's ownership", pi.RemoveFromGroup(w.ctx, ra, []core.ID{carol}, true))
		if isOwner(t, w, labName(core.ReadAnnotate), "carol") || !isMember(t, w, labName(core.ReadAnnotate), "carol") {
			t.Errorf("after removing ownership carol should stay a plain member")
		}
		w.refused(t, "member alice adds bob as an owner", func() error {
			return w.as("alice").AddToGroup(w.ctx, ra, []core.ID{w.uid("bob")}, true)
		}, core.Permission)
		w.refused(t, "member alice removes carol", func() error {
			return w.as("alice").RemoveFromGroup(w.ctx, ra, []core.ID{carol}, false)
		}, core.Permission)
		w.refused(t, "pi adds alice to a group pi does not own", func() error {
			return pi.AddToGroup(w.ctx, other, []core.ID{w.uid("alice")}, false)
		}, core.Permission)
		ok(t, "pi removes carol", pi.RemoveFromGroup(w.ctx, ra, []core.ID{carol}, false))
		if isMember(t, w, labName(core.ReadAnnotate), "carol") {
			t.Errorf("carol is still a member after removal")
		}
		ok(t, "an admin with ModifyGroupMembership adds carol", w.as("keeper").AddToGroup(w.ctx, ra, []core.ID{carol}, false))
		ok(t, "and removes her again", w.as("keeper").RemoveFromGroup(w.ctx, ra, []core.ID{carol}, false))
		// §3.2: a user can be made owner of a group they are not otherwise a member of.
		ok(t, "root makes carol an owner of a group she was not in", w.root.AddToGroup(w.ctx, ra, []core.ID{carol}, true))
		if !isOwner(t, w, labName(core.ReadAnnotate), "carol") {
			t.Errorf("carol is not an owner of %s", labName(core.ReadAnnotate))
		}
		ok(t, "clean up", w.root.RemoveFromGroup(w.ctx, ra, []core.ID{carol}, false))
	})

	t.Run("default group: a member's group, never user", func(t *testing.T) {
		w := w.on(t)
		alice, ro := w.uid("alice"), w.gid(labName(core.ReadOnly))
		w.refused(t, "alice sets user as her default group", func() error {
			return w.as("alice").SetDefaultGroup(w.ctx, alice, core.UserGroupID)
		}, core.Invalid)
		w.refused(t, "root sets user as alice's default group", func() error {
			return w.root.SetDefaultGroup(w.ctx, alice, core.UserGroupID)
		}, core.Invalid)
		w.refused(t, "alice sets a group she is not in as default", func() error {
			return w.as("alice").SetDefaultGroup(w.ctx, alice, other)
		}, core.Invalid, core.NotFound)
		w.refused(t, "member bob sets alice's default group", func() error {
			return w.as("bob").SetDefaultGroup(w.ctx, alice, ro)
		}, core.Permission)
		ok(t, "alice sets her own default group", w.as("alice").SetDefaultGroup(w.ctx, alice, ro))
		me, err := w.login("alice").Me(w.ctx)
		if err != nil || me.Group.ID != ro {
			t.Errorf("after setting the default group, login lands in %q (%v), want %q", me.Group.Name, err, labName(core.ReadOnly))
		}
		ok(t, "root sets alice's default group back", w.root.SetDefaultGroup(w.ctx, alice, w.gid(labName(core.Private))))
	})

	t.Run("every user stays in at least one real group", func(t *testing.T) {
		w := w.on(t)
		err := w.refused(t, "root removes carol from her only group", func() error {
			return w.root.RemoveFromGroup(w.ctx, other, []core.ID{w.uid("carol")}, false)
		}, core.Invalid)
		if err != nil && !strings.Contains(core.UserMessage(err), "user") {
			t.Errorf("the message does not explain the rule: %q", core.UserMessage(err))
		}
		// Leaving the default group moves the default to another real group.
		ok(t, "root adds carol to read-only-lab", w.root.AddToGroup(w.ctx, w.gid(labName(core.ReadOnly)), []core.ID{w.uid("carol")}, false))
		ok(t, "root removes carol from her default group", w.root.RemoveFromGroup(w.ctx, other, []core.ID{w.uid("carol")}, false))
		if info, err := w.root.User(w.ctx, "carol"); err != nil || info.DefaultGroup != w.gid(labName(core.ReadOnly)) {
			t.Errorf("carol's default group is %q (%v), want %q", info.DefaultName, err, labName(core.ReadOnly))
		}
		ok(t, "root adds carol back", w.root.AddToGroup(w.ctx, other, []core.ID{w.uid("carol")}, false))
		ok(t, "root removes carol from read-only-lab", w.root.RemoveFromGroup(w.ctx, w.gid(labName(core.ReadOnly)), []core.ID{w.uid("carol")}, false))
		w.refused(t, "carol leaves her only group herself", func() error {
			return w.as("carol").RemoveFromGroup(w.ctx, other, []core.ID{w.uid("carol")}, false)
		})
	})

	t.Run("nobody removes themselves from system or user; root stays", func(t *testing.T) {
		w := w.on(t)
		w.refused(t, "admin2 removes themselves from system", func() error {
			return w.as("admin2").RemoveFromGroup(w.ctx, core.SystemGroupID, []core.ID{w.uid("admin2")}, false)
		})
		w.refused(t, "admin2 removes themselves from user", func() error {
			return w.as("admin2").RemoveFromGroup(w.ctx, core.UserGroupID, []core.ID{w.uid("admin2")}, false)
		})
		w.refused(t, "bob removes himself from user", func() error {
			return w.as("bob").RemoveFromGroup(w.ctx, core.UserGroupID, []core.ID{w.uid("bob")}, false)
		})
		w.refused(t, "admin2 removes root from system", func() error {
			return w.as("admin2").RemoveFromGroup(w.ctx, core.SystemGroupID, []core.ID{core.RootUserID}, false)
		})
		w.refused(t, "root removes root from user", func() error {
			return w.root.RemoveFromGroup(w.ctx, core.UserGroupID, []core.ID{core.RootUserID}, false)
		})
		w.refused(t, "root restricts root", func() error {
			return w.root.SetPrivileges(w.ctx, core.RootUserID, []core.Privilege{core.PrivSudo})
		})
		if me, err := w.root.Me(w.ctx); err != nil || !me.FullAdmin {
			t.Errorf("root is no longer a full administrator (%v)", err)
		}
	})

	t.Run("no privilege escalation", func(t *testing.T) {
		w := w.on(t)
		keeper := w.as("keeper")
		w.refused(t, "a restricted admin creates a full admin", func() error {
			_, err := keeper.CreateUser(w.ctx, core.NewUser{Username: "boss", Password: "pw", Groups: []core.ID{other}, Admin: true})
			return err
		}, core.Permission)
		w.refused(t, "a restricted admin gives Chgrp, which it lacks", func() error {
			_, err := keeper.CreateUser(w.ctx, core.NewUser{Username: "mover", Password: "pw", Groups: []core.ID{other}, Admin: true,
				Privileges: []core.Privilege{core.PrivChgrp}})
			return err
		}, core.Permission)
		w.refused(t, "a restricted admin adds Sudo to another admin", func() error {
			return keeper.SetPrivileges(w.ctx, w.uid("viewer"), []core.Privilege{core.PrivSudo})
		}, core.Permission)
		w.refused(t, "a restricted admin lifts another admin's restrictions", func() error {
			return keeper.SetPrivileges(w.ctx, w.uid("viewer"), core.AllPrivileges)
		}, core.Permission)
		w.refused(t, "a restricted admin makes bob an administrator", func() error {
			return keeper.AddToGroup(w.ctx, core.SystemGroupID, []core.ID{w.uid("bob")}, false)
		}, core.Permission)
		w.refused(t, "a restricted admin restricts the full admin admin2", func() error {
			return keeper.SetPrivileges(w.ctx, w.uid("admin2"), []core.Privilege{core.PrivWriteOwned})
		}, core.Permission)
		w.refused(t, "a member gives themselves privileges", func() error {
			return w.as("bob").SetPrivileges(w.ctx, w.uid("bob"), core.AllPrivileges)
		}, core.Permission)
		_, err := keeper.CreateUser(w.ctx, core.NewUser{Username: "helper", Password: "pw", Groups: []core.ID{other}, Admin: true,
			Privileges: []core.Privilege{core.PrivWriteOwned}})
		ok(t, "a restricted admin creates an admin with a privilege it holds", err)
		info, err := w.root.User(w.ctx, "helper")
		if err != nil {
			t.Fatal(err)
		}
		if !info.Admin || !slices.Equal(info.Privileges, []core.Privilege{core.PrivWriteOwned}) {
			t.Errorf("helper: admin=%v privileges=%v, want a restricted admin with WriteOwned", info.Admin, info.Privileges)
		}
	})
}

func formatIDs(ids []core.ID) string {
	var b strings.Builder
	b.WriteString("[")
	for i, id := range ids {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(core.Ref{Class: core.ClassExperimenterGroup, ID: id}.String())
	}
	b.WriteString("]")
	return b.String()
}

func memberInfo(t *testing.T, w *world, group, user string) (member, owner bool) {
	t.Helper()
	gi, err := w.root.Group(w.ctx, group)
	if err != nil {
		t.Fatalf("group %s: %v", group, err)
	}
	for _, m := range gi.Members {
		if m.Username == user {
			return true, m.Owner
		}
	}
	return false, false
}

func isMember(t *testing.T, w *world, group, user string) bool {
	m, _ := memberInfo(t, w, group, user)
	return m
}

func isOwner(t *testing.T, w *world, group, user string) bool {
	_, o := memberInfo(t, w, group, user)
	return o
}

// testGroupLevels: spec §2 and Rulings 1/2: who may change a group's level;
// upgrades and downgrades between shared levels change no data; a downgrade
// to private deletes the links between different owners' data.
func testGroupLevels(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	g := w.gid(labName(core.Private))
	level := func() core.Level {
		gi, err := w.root.Group(w.ctx, labName(core.Private))
		if err != nil {
			t.Fatal(err)
		}
		return gi.Level
	}
	w.refused(t, "member alice upgrades her group", func() error {
		return w.as("alice").SetGroupLevel(w.ctx, g, core.ReadOnly)
	}, core.Permission)
	w.refused(t, "a restricted admin without ModifyGroup upgrades a group", func() error {
		return w.as("writer").SetGroupLevel(w.ctx, g, core.ReadOnly)
	}, core.Permission)
	for _, up := range []core.Level{core.ReadOnly, core.ReadAnnotate, core.ReadWrite} {
		ok(t, "pi upgrades to "+up.String(), w.as("pi").SetGroupLevel(w.ctx, g, up))
		if got := level(); got != up {
			t.Errorf("after upgrading to %s the group is %s", up, got)
		}
	}
	// In read-write, bob links alice's image into his dataset and tags it.
	bobDS := w.create("bob", core.Private, core.Dataset, named("D-bob-2"))
	aliceImg := w.data["alice"][core.Private].image
	w.create("bob", core.Private, core.DatasetImageLink, link(bobDS.Ref, aliceImg.Ref))
	w.create("bob", core.Private, core.ImageAnnotationLink, link(aliceImg.Ref, w.data["bob"][core.Private].tag.Ref))
	before := w.snapshot()
	for _, down := range []core.Level{core.ReadAnnotate, core.ReadOnly} {
		ok(t, "pi downgrades to "+down.String(), w.as("pi").SetGroupLevel(w.ctx, g, down))
		if got := level(); got != down {
			t.Errorf("after downgrading to %s the group is %s", down, got)
		}
	}
	// Spec §2: downgrades between shared levels delete nothing.
	if after := w.snapshot(); stripGroups(after) != stripGroups(before) {
		t.Errorf("a downgrade between shared levels changed data:\n%s", diff(stripGroups(before), stripGroups(after)))
	}
	// Spec §2: a downgrade to private deletes every link between different
	// owners' objects, and nothing else: bob's tag and dataset survive, as
	// does alice's own dataset-image link.
	bobTag := w.data["bob"][core.Private].tag
	ok(t, "pi downgrades to private", w.as("pi").SetGroupLevel(w.ctx, g, core.Private))
	if got := level(); got != core.Private {
		t.Errorf("after downgrading to private the group is %s", got)
	}
	for _, c := range []struct {
		what  string
		class core.Class
		owner string
		want  int
	}{
		{"bob's link of alice's image into his dataset", core.DatasetImageLink, "bob", 1}, // only his own image in his own dataset
		{"alice's link of her image into her dataset", core.DatasetImageLink, "alice", 1}, // kept
		{"bob's tag on alice's image", core.ImageAnnotationLink, "bob", 0},                // deleted
		{"bob's tag itself", core.TagAnnotation, "bob", 1},                                // kept
		{"bob's datasets", core.Dataset, "bob", 2},                                        // kept
	} {
		vs, err := w.root.List(w.ctx, c.class, w.uid(c.owner), g)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != c.want {
			t.Errorf("%s: %d %s objects of %s remain, want %d", c.what, len(vs), c.class, c.owner, c.want)
		}
	}
	if _, err := w.root.Get(w.ctx, bobTag.Ref); err != nil {
		t.Errorf("bob's tag was deleted with its link: %v", err)
	}
	ok(t, "root upgrades to read-write", w.root.SetGroupLevel(w.ctx, g, core.ReadWrite))
	w.refused(t, "root changes the level of the user group", func() error {
		return w.root.SetGroupLevel(w.ctx, core.UserGroupID, core.ReadWrite)
	})
	w.refused(t, "member bob downgrades the group", func() error {
		return w.as("bob").SetGroupLevel(w.ctx, g, core.ReadOnly)
	}, core.Permission)
}

// stripGroups drops the group lines of a snapshot, keeping users and data.
func stripGroups(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "group ") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
