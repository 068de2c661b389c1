package postgres_test

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/conformance"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/pgtest"
	"github.com/ocular-lab/ocular/repository/postgres"
)

// newService is an initialised in-process service over a PostgreSQL
// repository in a fresh database.
func newService(t testing.TB) (*inprocess.Service, string) {
	t.Helper()
	svc, _, pw := newServiceStore(t)
	return svc, pw
}

// newServiceStore is newService, and its store.
func newServiceStore(t testing.TB) (*inprocess.Service, *postgres.Store, string) {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, pgtest.DSN(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := inprocess.New(st)
	t.Cleanup(func() { svc.Close() })
	svc.SetPasswordCost(bcrypt.MinCost)
	const rootPW = "root-password"
	if err := svc.Initialize(ctx, rootPW); err != nil {
		t.Fatal(err)
	}
	return svc, st, rootPW
}

// TestSearchConformance runs the conformance suite's search part (words,
// prefixes, phrases, fields, key-value comparisons, filters, the read
// rule, the index following every change, bad queries) on PostgreSQL.
func TestSearchConformance(t *testing.T) {
	conformance.RunSearch(t, func(t *testing.T) (core.Service, string) { return newService(t) })
}
