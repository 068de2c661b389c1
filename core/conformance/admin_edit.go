package conformance

import (
	"fmt"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testAdminEdit: editing a user's names and email, and a group's name and
// description (spec §3.3 ModifyUser, ModifyGroup; a PI edits their group).
func testAdminEdit(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	ra := w.gid(labName(core.ReadAnnotate))
	w.mustUser(core.NewUser{Username: "keeper", Groups: []core.ID{ra}, Admin: true,
		Privileges: []core.Privilege{core.PrivModifyUser}})
	w.sessions["keeper"] = w.login("keeper")
	user := func(name string) core.UserInfo {
		u, err := w.root.User(w.ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}

	t.Run("users", func(t *testing.T) {
		ok(t, "alice edits herself", w.as("alice").UpdateUser(w.ctx, w.uid("alice"), "Alice", "Liddell", "alice@example.org", "Oxford"))
		if u := user("alice"); u.FullName() != "Alice Liddell" || u.Email != "alice@example.org" || u.Institution != "Oxford" {
			t.Errorf("after editing alice is %q %q %q", u.FullName(), u.Email, u.Institution)
		}
		ok(t, "keeper (ModifyUser) edits bob", w.as("keeper").UpdateUser(w.ctx, w.uid("bob"), "Bob", "Builder", "", ""))
		before := user("bob")
		for _, c := range []struct {
			who  string
			user core.ID
			kind core.Kind
		}{
			{"alice", w.uid("bob"), core.Permission},
			{"pi", w.uid("bob"), core.Permission},
			{"keeper", core.RootUserID, core.Permission},
			{"root", 9999, core.NotFound},
		} {
			w.refused(t, c.who+" edits another user", func() error {
				return w.as(c.who).UpdateUser(w.ctx, c.user, "X", "Y", "", "")
			}, c.kind)
		}
		w.refused(t, "an empty last name", func() error {
			return w.root.UpdateUser(w.ctx, w.uid("bob"), "Bob", " ", "", "")
		}, core.Invalid)
		if after := user("bob"); after.FullName() != before.FullName() || after.Email != before.Email {
			t.Errorf("refused edits changed bob: %q", after.FullName())
		}
	})

	t.Run("groups", func(t *testing.T) {
		ok(t, "pi renames a group they own", w.as("pi").UpdateGroup(w.ctx, ra, "annotators", "renamed by the PI"))
		g, err := w.root.Group(w.ctx, fmt.Sprint(ra))
		ok(t, "read the group", err)
		if g.Name != "annotators" || g.Description != "renamed by the PI" || g.Level != core.ReadAnnotate {
			t.Errorf("after editing the group is %q %q %s", g.Name, g.Description, g.Level)
		}
		for _, c := range []struct {
			who, name string
			group     core.ID
			kind      core.Kind
		}{
			{"alice", "x", ra, core.Permission},
			{"keeper", "x", ra, core.Permission},
			{"root", otherLab, ra, core.Conflict},
			{"root", "", ra, core.Invalid},
			{"root", "x", core.UserGroupID, core.Invalid},
			{"root", "x", 9999, core.NotFound},
		} {
			w.refused(t, fmt.Sprintf("%s renames group %d to %q", c.who, c.group, c.name), func() error {
				return w.as(c.who).UpdateGroup(w.ctx, c.group, c.name, "")
			}, c.kind)
		}
		if g, _ := w.root.Group(w.ctx, fmt.Sprint(ra)); g.Name != "annotators" {
			t.Errorf("refused edits renamed the group to %q", g.Name)
		}
	})
}
