package remote_test

import (
	"context"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// TestReloginSwapsTheKeyInPlace: a session whose key stopped working (here
// logged out elsewhere, as an expiry would) works again after Relogin, in
// the same Session value and in the sessions InGroup made from it, in the
// group it was in.
func TestReloginSwapsTheKeyInPlace(t *testing.T) {
	ctx := context.Background()
	svc, c, _ := serve(t, server.Config{})
	root := testrepo.Root(t, svc)
	a, _ := root.CreateGroup(ctx, "a-lab", core.ReadOnly, "")
	b, _ := root.CreateGroup(ctx, "b-lab", core.ReadOnly, "")
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{a.ID, b.ID}}); err != nil {
		t.Fatal(err)
	}
	s := testrepo.Login(t, c, "ada", "pw").(*remote.Session)
	if err := s.SetGroup(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	inA, err := s.InGroup(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	old := s.Key()
	other, err := svc.Resume(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Me(ctx); !core.Is(core.Auth, err) {
		t.Fatalf("a logged-out key answers %v, want an Auth error", err)
	}
	if err := s.Relogin(ctx, "wrong"); !core.Is(core.Auth, err) {
		t.Errorf("Relogin with a wrong password: %v", err)
	}
	if err := s.Relogin(ctx, "pw"); err != nil {
		t.Fatal(err)
	}
	if s.Key() == old || s.Key() == "" {
		t.Errorf("the key did not change")
	}
	me, err := s.Me(ctx)
	if err != nil || me.User.Username != "ada" || me.Group.ID != b.ID {
		t.Errorf("after Relogin: %s in %q (%v), want ada in b-lab", me.User.Username, me.Group.Name, err)
	}
	if me, err := inA.Me(ctx); err != nil || me.Group.ID != a.ID {
		t.Errorf("the InGroup session after Relogin: group %q (%v), want a-lab", me.Group.Name, err)
	}
}

// TestInGroupAndSetGroup: InGroup changes only its copy; SetGroup is stored
// with the key, so a Resume starts there; a group the user is not in is
// NotFound, as in-process.
func TestInGroupAndSetGroup(t *testing.T) {
	ctx := context.Background()
	svc, c, _ := serve(t, server.Config{})
	root := testrepo.Root(t, svc)
	a, _ := root.CreateGroup(ctx, "a-lab", core.ReadOnly, "")
	b, _ := root.CreateGroup(ctx, "b-lab", core.ReadOnly, "")
	x, _ := root.CreateGroup(ctx, "x-lab", core.ReadOnly, "")
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{a.ID, b.ID}}); err != nil {
		t.Fatal(err)
	}
	s := testrepo.Login(t, c, "ada", "pw")
	inB, err := s.InGroup(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := inB.Create(ctx, core.Project, map[string]string{"name": "p"})
	if err != nil || p.Group != b.ID {
		t.Errorf("a project made in the InGroup session is in group %d (%v), want b-lab", p.Group, err)
	}
	if me, _ := s.Me(ctx); me.Group.ID != a.ID {
		t.Errorf("InGroup moved the session itself to %q", me.Group.Name)
	}
	_, errX := s.InGroup(ctx, x.ID)
	_, errMissing := s.InGroup(ctx, 999999)
	if !core.Is(core.NotFound, errX) || normalise(errX) != normalise(errMissing) {
		t.Errorf("InGroup of a group she is not in: %v; of a missing one: %v", errX, errMissing)
	}
	if err := inB.SetGroup(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if me, _ := inB.Me(ctx); me.Group.ID != a.ID {
		t.Errorf("SetGroup on the InGroup session: %q, want a-lab", me.Group.Name)
	}
	if err := s.SetGroup(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	r, err := c.Resume(ctx, s.Key())
	if err != nil {
		t.Fatal(err)
	}
	if me, _ := r.Me(ctx); me.Group.ID != b.ID {
		t.Errorf("a resumed session starts in %q, want b-lab where SetGroup moved it", me.Group.Name)
	}
	if _, err := c.Resume(ctx, "not-a-key"); !core.Is(core.Auth, err) {
		t.Errorf("Resume of a made-up key: %v, want Auth", err)
	}
	if _, err := s.RegisterFileset(ctx, core.FilesetImport{}); !core.Is(core.Unsupported, err) || core.UserMessage(err) == "" {
		t.Errorf("RegisterFileset over the wire: %v, want Unsupported with a sentence", err)
	}
}
