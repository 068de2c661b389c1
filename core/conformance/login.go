package conformance

import (
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testLogin: issue 2 "Bad input" (wrong password or unknown user, same
// message) and spec §3.1 (membership of `user` is required to log in; the
// guest logs in with any password and can change nothing).
func testLogin(t *testing.T, newService NewService) {
	w := newWorld(t, newService)

	t.Run("wrong password and unknown user give the same message", func(t *testing.T) {
		w := w.on(t)
		_, errPW := w.svc.Login(w.ctx, "alice", "not-her-password", "")
		_, errUser := w.svc.Login(w.ctx, "nobody-by-this-name", "whatever", "")
		if errPW == nil || errUser == nil {
			t.Fatalf("a bad login succeeded: wrong password: %v, unknown user: %v", errPW, errUser)
		}
		if !core.Is(core.Auth, errPW) || !core.Is(core.Auth, errUser) {
			t.Errorf("kinds %s and %s, want %s", core.KindOf(errPW), core.KindOf(errUser), core.Auth)
		}
		if errPW.Error() != errUser.Error() || core.UserMessage(errPW) != core.UserMessage(errUser) {
			t.Errorf("the messages tell the cases apart:\n wrong password: %q\n unknown user:   %q", errPW, errUser)
		}
		if strings.Contains(errUser.Error(), "nobody-by-this-name") {
			t.Errorf("the message repeats the username: %q", errUser)
		}
	})

	t.Run("the right password logs in, into the default group", func(t *testing.T) {
		w := w.on(t)
		me, err := w.as("alice").Me(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if me.User.Username != "alice" || me.Group.ID != w.gid(labName(core.Private)) {
			t.Errorf("logged in as %s in %q, want alice in %q", me.User.Username, me.Group.Name, labName(core.Private))
		}
		if me.Admin || me.FullAdmin {
			t.Errorf("alice is shown as an administrator")
		}
	})

	t.Run("login into a chosen group", func(t *testing.T) {
		w := w.on(t)
		s, err := w.svc.Login(w.ctx, "alice", password("alice"), labName(core.ReadOnly))
		if err != nil {
			t.Fatal(err)
		}
		me, err := s.Me(w.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if me.Group.Name != labName(core.ReadOnly) {
			t.Errorf("session group %q, want %q", me.Group.Name, labName(core.ReadOnly))
		}
		if _, err := w.svc.Login(w.ctx, "alice", password("alice"), otherLab); err == nil {
			t.Errorf("alice logged into %q, a group she is not a member of", otherLab)
		}
	})

	t.Run("a disabled user cannot log in", func(t *testing.T) {
		w := w.on(t)
		carol := w.uid("carol")
		ok(t, "root removes carol from the user group", w.root.RemoveFromGroup(w.ctx, core.UserGroupID, []core.ID{carol}, false))
		_, err := w.svc.Login(w.ctx, "carol", password("carol"), "")
		if err == nil {
			t.Fatal("a disabled user logged in")
		}
		if !core.Is(core.Auth, err) || !strings.Contains(strings.ToLower(core.UserMessage(err)), "disabled") {
			t.Errorf("error %q (%s), want an authentication error saying the account is disabled", err, core.KindOf(err))
		}
		// Without the right password, a disabled account looks like any bad login.
		_, errPW := w.svc.Login(w.ctx, "carol", "wrong", "")
		_, errUser := w.svc.Login(w.ctx, "nobody-by-this-name", "wrong", "")
		if errPW == nil || normalise(errPW) != normalise(errUser) {
			t.Errorf("a wrong password on a disabled account says %q, an unknown user %q", errPW, errUser)
		}
		ok(t, "root re-activates carol", w.root.AddToGroup(w.ctx, core.UserGroupID, []core.ID{carol}, false))
		if _, err := w.svc.Login(w.ctx, "carol", password("carol"), ""); err != nil {
			t.Errorf("re-activated user cannot log in: %v", err)
		}
	})

	t.Run("sessions resume by key and end on logout", func(t *testing.T) {
		w := w.on(t)
		s, err := w.svc.Login(w.ctx, "bob", password("bob"), "")
		if err != nil {
			t.Fatal(err)
		}
		r, err := w.svc.Resume(w.ctx, s.Key())
		if err != nil {
			t.Fatalf("resume: %v", err)
		}
		if me, err := r.Me(w.ctx); err != nil || me.User.Username != "bob" {
			t.Errorf("resumed session is %q, %v; want bob", me.User.Username, err)
		}
		ok(t, "logout", s.Logout(w.ctx))
		if _, err := w.svc.Resume(w.ctx, s.Key()); err == nil {
			t.Errorf("a session resumed after logout")
		}
		if _, err := w.svc.Resume(w.ctx, "not-a-session-key"); err == nil {
			t.Errorf("an unknown session key resumed")
		}
	})

	t.Run("the guest logs in with any password and can create nothing", func(t *testing.T) {
		w := w.on(t)
		g, err := w.svc.Login(w.ctx, "guest", "anything at all", "")
		if err != nil {
			t.Fatalf("guest login: %v", err)
		}
		w.refused(t, "guest creates a project", func() error {
			_, err := g.Create(w.ctx, core.Project, named("guest project"))
			return err
		}, core.Permission)
		img := w.data["alice"][core.ReadWrite].image
		if _, err := g.Get(w.ctx, img.Ref); !core.Is(core.NotFound, err) {
			t.Errorf("guest reads %s of a group they are not in: %v", img.Ref, err)
		}
	})
}
