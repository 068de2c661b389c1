package conformance

import (
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testSudo: spec §3.3 "Sudo means acting as the user with exactly that
// user's rights" (OMERO's `login --sudo`, LightAdminRolesTest
// testImporterAsSudo*): a full administrator, or a restricted one holding
// Sudo, opens a session as a user with their own password; what the session
// creates is the user's; nobody else may, and nobody reaches privileges they
// lack through it.
func testSudo(t *testing.T, newService NewService) {
	w := newWorld(t, newService)
	w.mustUser(core.NewUser{Username: "sudoer", FirstName: "Barbara", LastName: "McClintock", Groups: []core.ID{w.gid(otherLab)},
		Admin: true, Privileges: []core.Privilege{core.PrivSudo}})
	alice := w.uid("alice")

	t.Run("a restricted admin with only Sudo works as the user; what it creates is the user's", func(t *testing.T) {
		w := w.on(t)
		s, err := w.svc.Sudo(w.ctx, "sudoer", password("sudoer"), "alice", labName(core.Private))
		if err != nil {
			t.Fatal(err)
		}
		me, err := s.Me(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if me.User.ID != alice || me.Admin || me.Group.Name != labName(core.Private) {
			t.Errorf("the sudo session is %s (admin %v) in %q, want alice, no admin, in %q", me.User.Username, me.Admin, me.Group.Name, labName(core.Private))
		}
		p, err := s.Create(w.ctx, core.Project, named("made through sudo"))
		ok(t, "create a project as alice", err)
		if err != nil {
			return
		}
		if p.Owner != alice {
			t.Errorf("the project belongs to Experimenter:%d, want alice", p.Owner)
		}
		// In a private group only the owner links her data: the sudo session can.
		d := w.data["alice"][core.Private]
		l, err := s.Create(w.ctx, core.ProjectDatasetLink, link(p.Ref, d.dataset.Ref))
		ok(t, "private/sudo as alice/link alice's dataset into her project", err)
		if err == nil && l.Owner != alice {
			t.Errorf("the link belongs to Experimenter:%d, want alice", l.Owner)
		}
		// The user's rights, not more: bob's data in a private group stays invisible.
		if _, err := s.Get(w.ctx, w.data["bob"][core.Private].dataset.Ref); !core.Is(core.NotFound, err) {
			t.Errorf("the sudo session sees bob's private dataset: %v", err)
		}
	})

	t.Run("a full admin may sudo, as anyone", func(t *testing.T) {
		w := w.on(t)
		for _, who := range []string{"bob", "writer", "sudoer", "root"} {
			s, err := w.svc.Sudo(w.ctx, "root", w.rootPW, who, "")
			ok(t, "root sudo as "+who, err)
			if err != nil {
				continue
			}
			if me, err := s.Me(w.ctx); err != nil || me.User.ID != w.uid(who) {
				t.Errorf("root sudo as %s: session of %s (%v)", who, me.User.Username, err)
			}
		}
	})

	t.Run("refused: non-admins, admins without Sudo, escalation, bad passwords, unknown users", func(t *testing.T) {
		w := w.on(t)
		for _, c := range []struct {
			what, admin, pw, as, group string
			kind                       core.Kind
		}{
			{"a member", "bob", password("bob"), "alice", "", core.Permission},
			{"a PI", "pi", password("pi"), "alice", "", core.Permission},
			{"a restricted admin without Sudo", "writer", password("writer"), "alice", "", core.Permission},
			{"a restricted admin as a full admin", "sudoer", password("sudoer"), "root", "", core.Permission},
			{"a restricted admin as one holding privileges it lacks", "sudoer", password("sudoer"), "writer", "", core.Permission},
			{"a wrong password", "sudoer", "not-the-password", "alice", "", core.Auth},
			{"the user's password instead of the admin's", "sudoer", password("alice"), "alice", "", core.Auth},
			{"an unknown user", "sudoer", password("sudoer"), "nobody-by-this-name", "", core.NotFound},
			{"a group the user is not in", "sudoer", password("sudoer"), "carol", labName(core.ReadOnly), core.NotFound},
		} {
			w.refused(t, c.what, func() error {
				_, err := w.svc.Sudo(w.ctx, c.admin, c.pw, c.as, c.group)
				return err
			}, c.kind)
		}
	})
}
