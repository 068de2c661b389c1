package smalldisk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ocular-lab/ocular/internal/pgtest"
)

// PostgresDSN gives the test a database of the test cluster whose tables
// live on a tmpfs of sizeMB, and a function to grow that file system. It
// needs what scripts/with-postgres.sh gives a root account (a cluster on
// this machine run by the postgres account, and mount); otherwise the test
// skips.
func PostgresDSN(t testing.TB, sizeMB int) (dsn string, grow func(mb int)) {
	t.Helper()
	pgtest.SkipWithout(t)
	if os.Geteuid() != 0 {
		t.Skip("mounting a small file system for the database needs root")
	}
	pgUser, err := user.Lookup("postgres")
	if err != nil {
		t.Skip("no postgres account to own the small file system")
	}
	base, _ := url.Parse(os.Getenv(pgtest.Env))
	if h := base.Hostname(); h != "127.0.0.1" && h != "localhost" {
		t.Skip("the test cluster is not on this machine")
	}
	dir := filepath.Join(t.TempDir(), "small")
	os.Mkdir(dir, 0o755)
	// The postgres account must pass through the test's folders.
	os.Chmod(filepath.Dir(dir), 0o755)
	os.Chmod(filepath.Dir(filepath.Dir(dir)), 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%dm", sizeMB), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small file system: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	uid, _ := strconv.Atoi(pgUser.Uid)
	gid, _ := strconv.Atoi(pgUser.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var b [4]byte
	rand.Read(b[:])
	name := "full_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE TABLESPACE "+name+" LOCATION '"+dir+"'"); err != nil {
		t.Skipf("cannot make a tablespace there: %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TABLESPACE "+name); err != nil {
		admin.Exec(ctx, "DROP TABLESPACE "+name)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base.String())
		if err != nil {
			return
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		c.Exec(ctx, "DROP TABLESPACE IF EXISTS "+name)
	})
	u := *base
	u.Path = "/" + name
	return u.String(), func(mb int) {
		if out, err := exec.Command("mount", "-o", fmt.Sprintf("remount,size=%dm", mb), dir).CombinedOutput(); err != nil {
			t.Fatalf("growing the file system: %v %s", err, out)
		}
	}
}
