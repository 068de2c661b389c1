package inprocess_test

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// changeFirst is a store that, before the next write, runs change: what
// another process might commit between a login's password check (outside
// the write transaction) and the transaction opening its session.
type changeFirst struct {
	core.Store
	change func(tx core.Tx) error
}

func (c *changeFirst) Write(ctx context.Context, fn func(core.Tx) error) error {
	if ch := c.change; ch != nil {
		c.change = nil
		if err := c.Store.Write(ctx, ch); err != nil {
			return err
		}
	}
	return c.Store.Write(ctx, fn)
}

// A password checked right but changed before the session is written, or
// an account disabled meanwhile, does not log in; the old password does not
// work after, the new one does.
func TestLoginConfirmsTheCheckedPasswordInItsTransaction(t *testing.T) {
	ctx := context.Background()
	base, _ := testrepo.New(t)
	store := &changeFirst{Store: base.Store()}
	svc := inprocess.New(store)
	root := testrepo.Root(t, svc)
	lab, _ := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	u, err := root.CreateUser(ctx, core.NewUser{Username: "u1", Password: "old", Groups: []core.ID{lab.ID}})
	if err != nil {
		t.Fatal(err)
	}
	newHash, _ := bcrypt.GenerateFromPassword([]byte("new"), bcrypt.MinCost)
	store.change = func(tx core.Tx) error { return tx.SetPasswordHash(u.ID, string(newHash)) }
	if _, err := svc.Login(ctx, "u1", "old", ""); !core.Is(core.Auth, err) {
		t.Fatalf("login with the password changed under it: %v, want an authentication error", err)
	}
	if _, err := svc.Login(ctx, "u1", "old", ""); !core.Is(core.Auth, err) {
		t.Fatalf("old password after the change: %v", err)
	}
	if _, err := svc.Login(ctx, "u1", "new", ""); err != nil {
		t.Fatalf("new password: %v", err)
	}
	store.change = func(tx core.Tx) error { return tx.RemoveMembership(core.UserGroupID, u.ID) }
	if _, err := svc.Login(ctx, "u1", "new", ""); !core.Is(core.Auth, err) {
		t.Fatalf("login of an account disabled under it: %v, want an authentication error", err)
	}
}
