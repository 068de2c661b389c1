package migrate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
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

// The database server's disk fills up during a migration: the run says so
// and keeps every chunk copied; once there is room, the same command
// finishes it.
func TestMigrate_FullDatabaseDiskThenRoom(t *testing.T) {
	ctx := context.Background()
	dsn, grow := smalldisk.PostgresDSN(t, 24)
	lab := labrepo.New(t, 2)
	filler := make([]byte, 128<<10)
	for i := 0; i < 200; i++ {
		rand.Read(filler)
		if _, err := lab.Ada.Create(ctx, core.Dataset, map[string]string{"name": fmt.Sprint("filler ", i), "description": hex.EncodeToString(filler)}); err != nil {
			t.Fatal(err)
		}
	}
	filesTo := filepath.Join(t.TempDir(), "server")
	_, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo, ChunkRows: 20})
	if err == nil || !strings.Contains(core.UserMessage(err), "disk (or memory) is full") {
		t.Fatalf("migration onto a full database disk: %v", err)
	}
	grow(256)
	rep, err := Run(ctx, Options{From: lab.Dir, To: dsn, FilesTo: filesTo, ChunkRows: 20})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Resumed || rep.Counts["Dataset"] != 201 {
		t.Fatalf("second run: %+v", rep)
	}
}
