package testrepo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ocular-lab/ocular/internal/pgtest"
)

// reposDB is the database of the test cluster holding one schema per test
// repository. A schema costs a few catalog rows where a database per
// repository (pgtest.DSN) copies a template and writes it to the WAL: the
// suites make a hundred repositories, and this halves their time.
const reposDB = "ocular_test_repos"

var reposOnce struct {
	sync.Once
	err error
}

// schemaDSN makes an empty schema for one test repository, drops it when
// t ends, and returns an address whose search_path is that schema (the
// store keeps its tables, and takes its locks, there).
func schemaDSN(t testing.TB) string {
	t.Helper()
	pgtest.SkipWithout(t)
	base, err := url.Parse(os.Getenv(pgtest.Env))
	if err != nil {
		t.Fatalf("testrepo: %s is not a URL: %v", pgtest.Env, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	reposOnce.Do(func() {
		c, err := pgx.Connect(ctx, base.String())
		if err != nil {
			reposOnce.err = err
			return
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "CREATE DATABASE "+reposDB)
		var pe *pgconn.PgError
		// Another test process may have made it first.
		if errors.As(err, &pe) && (pe.Code == "42P04" || pe.Code == "23505") {
			err = nil
		}
		reposOnce.err = err
	})
	if reposOnce.err != nil {
		t.Fatalf("testrepo: cannot create the database %s: %v", reposDB, reposOnce.err)
	}
	u := *base
	u.Path = "/" + reposDB
	var b [6]byte
	rand.Read(b[:])
	schema := "r_" + hex.EncodeToString(b[:])
	c, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatalf("testrepo: %v", err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("testrepo: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, u.String())
		if err != nil {
			t.Errorf("testrepo: drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("testrepo: drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
