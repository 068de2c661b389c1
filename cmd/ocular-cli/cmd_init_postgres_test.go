package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/internal/pgtest"
	"github.com/ocular-lab/ocular/repository/local"
)

// TestInitAndServeOnPostgres: `init --db` puts the rows in PostgreSQL and
// the files in --repo; later commands find the database from the folder or
// from $OCULAR_DB; `serve` serves it.
func TestInitAndServeOnPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	c := newCLI(t)
	out := c.ok("--db", dsn, "init", "--root-password", "pw", "--json")
	var res struct{ Repository, Database, Admin string }
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Admin != "root" || !strings.Contains(res.Database, "/t_") {
		t.Fatalf("init --db --json = %q (%v)", out, err)
	}
	if _, err := os.Stat(filepath.Join(c.repo, "ocular.db")); err == nil {
		t.Errorf("init --db made an SQLite database too")
	}
	if _, err := os.Stat(filepath.Join(c.repo, local.DatabaseFile)); err != nil {
		t.Errorf("the folder does not remember its database: %v", err)
	}
	c.failsWith(ExitError, "already holds an Ocular repository", "--db", dsn, "init", "--root-password", "x")

	// The folder alone, and $OCULAR_DB with it, open the repository.
	c.ok("-u", "root", "-w", "pw", "obj", "new", "Dataset", "name=from-the-folder")
	c.env = map[string]string{EnvDB: dsn, "OCULAR_TEST_FAST_HASH": "1"}
	if out := c.ok("-u", "root", "-w", "pw", "tree"); !strings.Contains(out, "from-the-folder") {
		t.Errorf("tree with $OCULAR_DB:\n%s", out)
	}
	c.failsWith(ExitUsage, "not both", "--db", dsn, "--server", "https://127.0.0.1:1", "tree")

	cmd := exec.Command(os.Args[0], "--repo", c.repo, "serve", "--listen", "http://127.0.0.1:0")
	cmd.Env = append(cliProcessEnv(), EnvDB+"="+dsn)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := newLines()
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	_, url, _ := startLines(t, readLines(stdout), false)
	remote := newRemoteCLI(t)
	if out := remote.ok("--server", url, "-u", "root", "-w", "pw", "tree"); !strings.Contains(out, "from-the-folder") {
		t.Errorf("tree through the server:\n%s", out)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(liveness):
		t.Fatalf("serve did not stop after SIGTERM\n%s", stderr.String())
	}
}
