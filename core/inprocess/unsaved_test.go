package inprocess_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// fullDisk is a store whose writes fail as on a full disk while full is set:
// fn runs, then the commit fails and nothing is kept.
type fullDisk struct {
	core.Store
	full   atomic.Bool
	writes atomic.Int32
}

var errFull = core.Errorf("write", core.IO, "the disk is full; free some space and try again")

func (f *fullDisk) Write(ctx context.Context, fn func(core.Tx) error) error {
	f.writes.Add(1)
	if !f.full.Load() {
		return f.Store.Write(ctx, fn)
	}
	err := f.Store.Write(ctx, func(tx core.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errFull // roll back what fn did, like a commit that cannot be written
	})
	return err
}

// On a full disk: Resume writes nothing it needs (it reads; the hourly
// renewal is tried and its failure ignored); Login fails unless unsaved
// sessions are allowed, and then reads work with a session kept in memory.
func TestFullDiskSessions(t *testing.T) {
	ctx := context.Background()
	base, _ := testrepo.New(t)
	disk := &fullDisk{Store: base.Store()}
	svc := inprocess.New(disk)
	root := testrepo.Root(t, svc)
	lab, _ := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "u1", Password: "pw", Groups: []core.ID{lab.ID}}); err != nil {
		t.Fatal(err)
	}
	saved := testrepo.Login(t, svc, "u1", "pw")
	if _, err := saved.Create(ctx, core.Dataset, map[string]string{"name": "D"}); err != nil {
		t.Fatal(err)
	}

	before := disk.writes.Load()
	if _, err := svc.Resume(ctx, saved.Key()); err != nil {
		t.Fatal(err)
	}
	if n := disk.writes.Load() - before; n != 0 {
		t.Errorf("resuming a fresh session wrote %d times", n)
	}

	disk.full.Store(true)
	resumed, err := svc.Resume(ctx, saved.Key())
	if err != nil {
		t.Fatalf("resume on a full disk: %v", err)
	}
	if vs, err := resumed.List(ctx, core.Dataset, core.AnyID, core.AnyID); err != nil || len(vs) != 1 {
		t.Errorf("list on a full disk: %v %v", vs, err)
	}
	if _, err := resumed.Create(ctx, core.Dataset, map[string]string{"name": "E"}); !core.Is(core.IO, err) {
		t.Errorf("create on a full disk: %v, want the I/O error", err)
	}
	if _, err := svc.Login(ctx, "u1", "pw", ""); !core.Is(core.IO, err) {
		t.Errorf("login on a full disk without unsaved sessions: %v", err)
	}
	svc.AllowUnsavedSessions(true)
	if _, err := svc.Login(ctx, "u1", "wrong", ""); !core.Is(core.Auth, err) {
		t.Errorf("a wrong password on a full disk: %v, want Auth", err)
	}
	mem, err := svc.Login(ctx, "u1", "pw", "")
	if err != nil {
		t.Fatalf("login with unsaved sessions allowed: %v", err)
	}
	if vs, err := mem.List(ctx, core.Dataset, core.AnyID, core.AnyID); err != nil || len(vs) != 1 {
		t.Errorf("list with an unsaved session: %v %v", vs, err)
	}
	if err := mem.SetGroup(ctx, lab.ID); err != nil {
		t.Errorf("switching group in an unsaved session: %v", err)
	}
	if err := mem.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Me(ctx); !core.Is(core.Auth, err) {
		t.Errorf("an unsaved session after logout: %v", err)
	}
}
