package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/pgtest"
)

func TestPostgres_InitThenOpenByFolderOrByDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	dir := filepath.Join(t.TempDir(), "repo")
	svc, err := CreatePostgres(ctx, dir, dsn, "rootpw", "")
	if err != nil {
		t.Fatal(err)
	}
	svc.Close()
	if !Exists(dir) {
		t.Fatalf("%s is not recognised as a repository", dir)
	}
	// The folder alone finds its database; --db with the folder too.
	s1, err := Open(ctx, dir)
	if err != nil {
		t.Fatalf("open by folder: %v", err)
	}
	if _, err := s1.Login(ctx, "root", "rootpw", ""); err != nil {
		t.Errorf("root cannot log in: %v", err)
	}
	s1.Close()
	s2, err := OpenPostgres(ctx, dir, dsn)
	if err != nil {
		t.Fatalf("open with --db: %v", err)
	}
	s2.Close()

	// A second init on the same database is refused, and leaves no folder.
	other := filepath.Join(t.TempDir(), "other")
	if _, err := CreatePostgres(ctx, other, dsn, "pw", ""); !core.Is(core.Conflict, err) {
		t.Errorf("second init on one database: %v", err)
	}
	if _, err := os.Stat(other); err == nil {
		t.Errorf("the refused init left %s behind", other)
	}
	// A folder that is not the database's own is refused.
	os.MkdirAll(other, 0o700)
	if _, err := OpenPostgres(ctx, other, dsn); !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), "not the folder") {
		t.Errorf("open with an empty folder: %v", err)
	}
	os.WriteFile(filepath.Join(other, IDFile), []byte("0123\n"), 0o600)
	if _, err := OpenPostgres(ctx, other, dsn); !core.Is(core.Invalid, err) || !strings.Contains(core.UserMessage(err), "another repository") {
		t.Errorf("open with another repository's folder: %v", err)
	}
}

func TestPostgres_InitRefusesAForeignDatabaseAndAnEmptyOneHasNoRepository(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "CREATE TABLE invoices (id int)"); err != nil {
		t.Fatal(err)
	}
	c.Close(ctx)
	dir := filepath.Join(t.TempDir(), "repo")
	if _, err := CreatePostgres(ctx, dir, dsn, "pw", ""); !core.Is(core.Invalid, err) {
		t.Errorf("init on another program's database: %v", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("the refused init left %s behind", dir)
	}

	empty := pgtest.DSN(t)
	os.MkdirAll(dir, 0o700)
	if _, err := OpenPostgres(ctx, dir, empty); !core.Is(core.NotFound, err) || !strings.Contains(core.UserMessage(err), "ocular-cli init") {
		t.Errorf("open an empty database: %v", err)
	}
}
