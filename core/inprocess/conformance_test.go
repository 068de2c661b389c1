package inprocess_test

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/conformance"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// newRepository makes an initialised in-process service over a fresh SQLite
// repository in a temporary folder.
func newRepository(t testing.TB) (*inprocess.Service, string) {
	t.Helper()
	ctx := context.Background()
	st := testrepo.CreateStore(t, filepath.Join(t.TempDir(), "repo"))
	svc := inprocess.New(st)
	t.Cleanup(func() { svc.Close() })
	svc.SetPasswordCost(bcrypt.MinCost)
	const rootPW = "root-password"
	if err := svc.Initialize(ctx, rootPW); err != nil {
		t.Fatal(err)
	}
	return svc, rootPW
}

// TestConformance runs the suite every core.Service implementation must pass.
func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) (core.Service, string) { return newRepository(t) })
}
