package migrate

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/labrepo"
	"github.com/ocular-lab/ocular/internal/pgtest"
	"github.com/ocular-lab/ocular/internal/smalldisk"
)

// The server's file folder fills up during a migration: the run says so;
// once there is room, the same command finishes it.
func TestMigrate_FullFileDiskThenRoom(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	lab := labrepo.New(t, 6)
	disk := smalldisk.Mount(t, "12k") // three pages: not all the files
	filesTo := filepath.Join(disk, "server")
	_, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo})
	if err == nil || !strings.Contains(core.UserMessage(err), "is full") {
		t.Fatalf("migration onto a full disk: %v", err)
	}
	if out, err := exec.Command("mount", "-o", "remount,size=4M", disk).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v %s", err, out)
	}
	rep, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Resumed || rep.Checksums != 7 {
		t.Fatalf("second run: %+v", rep)
	}
}
