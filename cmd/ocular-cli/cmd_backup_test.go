package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/internal/pgtest"
)

// A backup of the lab restores into a repository where the same user sees
// the same images; a damaged backup is refused, naming the file.
func TestBackupAndRestore(t *testing.T) {
	c := newLab(t)
	bob := c.as("bob")
	imgs := importForRender(t, bob, "", []float64{457, 528})
	to := filepath.Join(t.TempDir(), "backup")
	out := c.ok("backup", "--to", to)
	if !strings.Contains(out, "Backed up") || !strings.Contains(out, "1 image,") {
		t.Errorf("backup said %q", out)
	}
	restored := &testCLI{t: t, repo: filepath.Join(t.TempDir(), "restored"), config: filepath.Join(t.TempDir(), "s.json")}
	var rep struct {
		Files  int              `json:"files"`
		Counts map[string]int64 `json:"counts"`
	}
	if err := json.Unmarshal([]byte(restored.ok("restore", "--from", to, "--json")), &rep); err != nil || rep.Files != 1 || rep.Counts["Image"] != 1 {
		t.Fatalf("restore --json: %+v, %v", rep, err)
	}
	restored.ok("login", "-u", "bob", "-w", "pw")
	if got := restored.ok("obj", "get", imgs[0]); !strings.Contains(got, "id="+strings.TrimPrefix(imgs[0], "Image:")+"\n") {
		t.Errorf("the restored repository does not show %s: %q", imgs[0], got)
	}

	// Damage a file of the backup (replaced: it is a hard link of the
	// repository's).
	var managed string
	filepath.WalkDir(filepath.Join(to, "ManagedRepository"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			managed = p
		}
		return nil
	})
	os.Remove(managed)
	os.WriteFile(managed, []byte("garbage"), 0o600)
	rel, _ := filepath.Rel(to, managed)
	other := &testCLI{t: t, repo: filepath.Join(t.TempDir(), "again"), config: filepath.Join(t.TempDir(), "s.json")}
	other.failsWith(ExitError, filepath.ToSlash(rel), "restore", "--from", to)
	other.failsWith(ExitError, "not empty", "restore", "--from", to, "--repo", c.repo)
}

func TestMigrateVerb(t *testing.T) {
	dsn := pgtest.DSN(t)
	c := newLab(t)
	bob := c.as("bob")
	imgs := importForRender(t, bob, "", []float64{457})
	server := filepath.Join(t.TempDir(), "server")
	c.failsWith(ExitUsage, "another folder", "migrate", "--from", c.repo, "--to", dsn, "--files-to", c.repo)
	out := c.ok("migrate", "--from", c.repo, "--to", dsn, "--files-to", server)
	if !strings.Contains(out, "Object IDs are the same") || !strings.Contains(out, "Verified") {
		t.Errorf("migrate said %q", out)
	}
	if b, err := os.ReadFile(filepath.Join(server, "database.url")); err != nil || strings.TrimSpace(string(b)) != dsn {
		t.Errorf("the server folder does not name its database: %q, %v", b, err)
	}
	out = c.ok("migrate", "--from", c.repo, "--to", dsn, "--files-to", server)
	if !strings.Contains(out, "Resumed") {
		t.Errorf("a second run said %q", out)
	}

	// The server's folder opens the migrated repository (its database.url
	// and repository.id), is backed up with pg_dump and restored into
	// another empty database.
	srv := &testCLI{t: t, repo: server, config: filepath.Join(t.TempDir(), "s.json")}
	srv.ok("login", "-u", "bob", "-w", "pw")
	if got := srv.ok("obj", "get", imgs[0]); !strings.Contains(got, "name=a\n") {
		t.Errorf("the migrated image: %q", got)
	}
	to := filepath.Join(t.TempDir(), "backup")
	if out := srv.ok("backup", "--to", to); !strings.Contains(out, "PostgreSQL database") {
		t.Errorf("backup of the server said %q", out)
	}
	again := pgtest.DSN(t)
	restored := &testCLI{t: t, repo: filepath.Join(t.TempDir(), "restored"), config: filepath.Join(t.TempDir(), "s.json")}
	restored.failsWith(ExitError, "name the empty database", "restore", "--from", to)
	restored.ok("restore", "--from", to, "--db", again)
	restored.ok("login", "-u", "bob", "-w", "pw")
	if got := restored.ok("obj", "get", imgs[0]); !strings.Contains(got, "name=a\n") {
		t.Errorf("the restored image: %q", got)
	}
}

func TestBackupRestoreMigrate_UsageAndBadInput(t *testing.T) {
	c := newCLI(t)
	c.failsWith(ExitUsage, "--to FOLDER", "backup")
	c.failsWith(ExitUsage, "--from FOLDER", "restore")
	c.failsWith(ExitUsage, "--from FOLDER", "migrate", "--to", "postgres://x/y", "--files-to", "z")
	c.failsWith(ExitUsage, "--to postgres://", "migrate", "--from", "a", "--files-to", "z")
	c.failsWith(ExitUsage, "--files-to FOLDER", "migrate", "--from", "a", "--to", "postgres://x/y")
	c.failsWith(ExitError, "not an Ocular repository", "backup", "--to", filepath.Join(t.TempDir(), "b"))
	c.failsWith(ExitError, "not an Ocular backup", "restore", "--from", t.TempDir())
	c.failsWith(ExitError, "not an Ocular repository", "migrate", "--from", t.TempDir(), "--to", "postgres://nobody@127.0.0.1:1/x", "--files-to", t.TempDir())
	if out := c.ok("help"); !strings.Contains(out, "  backup ") || !strings.Contains(out, "  restore ") || !strings.Contains(out, "  migrate ") {
		t.Errorf("the verb list lacks backup, restore or migrate:\n%s", out)
	}
}
