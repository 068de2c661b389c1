package inprocess_test

import (
	"context"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// InGroup gives one holder of a session its own group: objects it creates
// go there, while the session it came from, and a later Resume of the key,
// stay in their group.
func TestInGroupIsTheHoldersOwn(t *testing.T) {
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root, err := svc.Login(ctx, "root", testrepo.RootPassword, "")
	if err != nil {
		t.Fatal(err)
	}
	lab, _ := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	solo, _ := root.CreateGroup(ctx, "solo", core.Private, "")
	other, _ := root.CreateGroup(ctx, "other", core.Private, "")
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "u1", Password: "pw", Groups: []core.ID{lab.ID, solo.ID}}); err != nil {
		t.Fatal(err)
	}
	s, err := svc.Login(ctx, "u1", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	inSolo, err := s.InGroup(ctx, solo.ID)
	if err != nil {
		t.Fatal(err)
	}
	d, err := inSolo.Create(ctx, core.Dataset, map[string]string{"name": "D"})
	if err != nil || d.Group != solo.ID {
		t.Fatalf("created in %v, %v; want solo", d.Group, err)
	}
	if me, _ := inSolo.Me(ctx); me.Group.ID != solo.ID {
		t.Errorf("the InGroup session says it is in %s", me.Group.Name)
	}
	if err := inSolo.SetGroup(ctx, lab.ID); err != nil {
		t.Fatal(err)
	}
	if err := inSolo.SetGroup(ctx, solo.ID); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Create(ctx, core.Project, map[string]string{"name": "P"})
	if p.Group != lab.ID {
		t.Errorf("the original session created in %v, want lab", p.Group)
	}
	resumed, err := svc.Resume(ctx, s.Key())
	if err != nil {
		t.Fatal(err)
	}
	if me, _ := resumed.Me(ctx); me.Group.ID != lab.ID {
		t.Errorf("a resume after InGroup is in %s, want lab", me.Group.Name)
	}
	if _, err := s.InGroup(ctx, other.ID); !core.Is(core.NotFound, err) {
		t.Errorf("InGroup of a group the user is not in: %v, want NotFound", err)
	}
	if _, err := s.InGroup(ctx, core.UserGroupID); !core.Is(core.Invalid, err) {
		t.Errorf("InGroup of the user group: %v, want Invalid", err)
	}
	s.Logout(ctx)
	if _, err := inSolo.Me(ctx); !core.Is(core.Auth, err) {
		t.Errorf("after logout the InGroup session still works: %v", err)
	}
}
