// Package testrepo makes the real repository tests run against: a
// repository in a temporary folder (SQLite, or PostgreSQL when
// OCULAR_TEST_ENGINE=postgres), initialised with its root account, with
// password hashing at the minimum cost so tests stay fast.
package testrepo

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
)

// RootPassword is root's password in every test repository.
const RootPassword = "rootpw"

// New creates the repository and closes it when the test ends. It returns
// the service and the repository folder.
func New(t testing.TB) (*inprocess.Service, string) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "repo")
	svc := inprocess.New(CreateStore(t, dir))
	svc.SetPasswordCost(bcrypt.MinCost)
	t.Cleanup(func() { svc.Close() })
	if err := svc.Initialize(ctx, RootPassword); err != nil {
		t.Fatal(err)
	}
	return svc, dir
}

// Login logs a user in, failing the test when it cannot.
func Login(t testing.TB, svc core.Service, user, password string) core.Session {
	t.Helper()
	s, err := svc.Login(context.Background(), user, password, "")
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return s
}

// Root logs in as root.
func Root(t testing.TB, svc core.Service) core.Session {
	t.Helper()
	return Login(t, svc, "root", RootPassword)
}
