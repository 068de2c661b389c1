package inprocess_test

import (
	"context"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

func TestSmoke(t *testing.T) {
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root, err := svc.Login(ctx, "root", testrepo.RootPassword, "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	u1, err := root.CreateUser(ctx, core.NewUser{Username: "u1", FirstName: "Ada", LastName: "Lovelace", Password: "pw", Groups: []core.ID{g.ID}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = root.CreateUser(ctx, core.NewUser{Username: "u2", Password: "pw", Groups: []core.ID{g.ID}})
	if err != nil {
		t.Fatal(err)
	}
	s1, err := svc.Login(ctx, "u1", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s1.Create(ctx, core.Project, map[string]string{"name": "P1"})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := s1.Create(ctx, core.Dataset, map[string]string{"name": "D1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s1.Create(ctx, core.ProjectDatasetLink, map[string]string{"parent": p.Ref.String(), "child": ds.Ref.String()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.Create(ctx, core.ProjectDatasetLink, map[string]string{"parent": p.Ref.String(), "child": ds.Ref.String()}); !core.Is(core.Conflict, err) {
		t.Fatalf("duplicate link: %v", err)
	}
	s2, _ := svc.Login(ctx, "u2", "pw", "")
	fl, err := s2.Flags(ctx, []core.Ref{p.Ref})
	if err != nil {
		t.Fatal(err)
	}
	want := core.Flags{Read: true, CanAnnotate: true}
	if fl[0].Flags != want {
		t.Fatalf("member flags in read-annotate: %+v", fl[0].Flags)
	}
	top, err := s2.Browse(ctx, core.BrowseRequest{Group: g.ID, Owner: u1.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 || top[0].Name != "P1" || top[0].ChildCount != 1 {
		t.Fatalf("top = %+v", top)
	}
	if _, err := svc.Login(ctx, "u1", "bad", ""); err == nil || core.UserMessage(err) != "wrong username or password" {
		t.Fatalf("bad login: %v", err)
	}
}

func TestLoggedOutSessionStopsWorking(t *testing.T) {
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root, _ := svc.Login(ctx, "root", testrepo.RootPassword, "")
	other, _ := svc.Resume(ctx, root.Key()) // the same session from another terminal
	if err := other.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := root.Me(ctx); !core.Is(core.Auth, err) {
		t.Fatalf("a logged-out session must fail with an authentication error, got %v", err)
	}
}

// IDs are never reused: deleting the newest object does not hand its ID to
// the next one (OMERO's behaviour; caches and scripts rely on it).
func TestDeletedIDsAreNotReused(t *testing.T) {
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root, _ := svc.Login(ctx, "root", testrepo.RootPassword, "")
	g, _ := root.CreateGroup(ctx, "lab", core.ReadWrite, "")
	root.SetGroup(ctx, g.ID)
	a, err := root.Create(ctx, core.Dataset, map[string]string{"name": "a"})
	if err != nil {
		t.Fatal(err)
	}
	if err := root.Delete(ctx, a.Ref); err != nil {
		t.Fatal(err)
	}
	b, err := root.Create(ctx, core.Dataset, map[string]string{"name": "b"})
	if err != nil {
		t.Fatal(err)
	}
	if b.ID <= a.ID {
		t.Fatalf("the new dataset got ID %d, not above the deleted %d", b.ID, a.ID)
	}
}
