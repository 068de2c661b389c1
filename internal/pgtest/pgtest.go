// Package pgtest gives tests a fresh PostgreSQL database of their own in the
// cluster named by OCULAR_TEST_PG (scripts/with-postgres.sh starts one for
// `make test`), and skips them, saying why, where there is none.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the variable holding the test cluster's address (a postgres://
// URL to a database the tests may create databases from).
const Env = "OCULAR_TEST_PG"

// Available reports whether a test cluster is configured.
func Available() bool { return os.Getenv(Env) != "" }

// SkipWithout skips t when no test cluster is configured.
func SkipWithout(t testing.TB) {
	t.Helper()
	if !Available() {
		t.Skip("no PostgreSQL for tests: set " + Env + " to a postgres:// URL, or run through scripts/with-postgres.sh (make test does)")
	}
}

// DSN creates an empty database for t, drops it when t ends, and returns
// its address. It skips t when no cluster is configured.
func DSN(t testing.TB) string {
	t.Helper()
	SkipWithout(t)
	base := os.Getenv(Env)
	var b [6]byte
	rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: cannot reach the test PostgreSQL at %s: %v", base, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: %s is not a URL: %v", Env, err)
	}
	u.Path = "/" + name
	return fmt.Sprint(u)
}
