package testrepo

import (
	"context"
	"os"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/postgres"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// EngineEnv selects the database the test repositories use: "postgres"
// for a fresh schema per repository in the PostgreSQL test cluster
// (pgschema.go; the test skips without a cluster), anything else the embedded SQLite. The
// same tests then check both engines (make unit runs the core suites twice).
const EngineEnv = "OCULAR_TEST_ENGINE"

// Postgres reports whether the tests run against PostgreSQL.
func Postgres() bool { return os.Getenv(EngineEnv) == "postgres" }

// CreateStore makes a new, empty repository store with its managed files
// in dir, on the engine EngineEnv names. The caller closes it (usually
// through the service built on it).
func CreateStore(t testing.TB, dir string) core.Store {
	t.Helper()
	ctx := context.Background()
	if Postgres() {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		st, err := postgres.Open(ctx, schemaDSN(t), dir)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st, err := sqlite.Create(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
