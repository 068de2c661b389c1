package backup

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/checksum"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/labrepo"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/repofiles"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// A backup taken while another goroutine keeps adding datasets restores to
// a repository that opens, holds what the backup recorded, and shows the
// lab's images with their files.
func TestBackupWhileWriting_RestoresWhatItRecorded(t *testing.T) {
	ctx := context.Background()
	lab := labrepo.New(t, 4)
	stop, stopped := make(chan struct{}), make(chan int)
	go func() {
		n := 0
		defer func() { stopped <- n }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := lab.Ada.Create(ctx, core.Dataset, map[string]string{"name": fmt.Sprintf("busy %d", n)}); err != nil {
				t.Errorf("write during the backup: %v", err)
				return
			}
			n++
		}
	}()
	to := filepath.Join(t.TempDir(), "backup")
	rep, err := Backup(ctx, Source{Dir: lab.Dir}, to, nil)
	close(stop)
	written := <-stopped
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("backup: %d files, %d linked, %d copied; %d datasets written meanwhile", rep.Files, rep.Linked, rep.Copied, written)
	// 4 originals and the attachment.
	if rep.Files != 5 || rep.Counts["Image"] != 4 || len(rep.Missing) != 0 || len(rep.Damaged) != 0 {
		t.Fatalf("backup report = %+v", rep)
	}
	newRepo := filepath.Join(t.TempDir(), "restored")
	rr, err := Restore(ctx, to, newRepo, RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rr.Files != 5 || rr.Counts["Dataset"] != rep.Counts["Dataset"] || rr.Counts["Dataset"] < 1 {
		t.Fatalf("restore report = %+v (backup counts %v)", rr, rep.Counts)
	}
	st, err := sqlite.Open(ctx, newRepo)
	if err != nil {
		t.Fatal(err)
	}
	svc := inprocess.New(st)
	defer svc.Close()
	ada := testrepo.Login(t, svc, "ada", "pw")
	imgs, err := ada.List(ctx, core.Image, core.AnyID, core.AnyID)
	if err != nil || len(imgs) != 4 {
		t.Fatalf("restored images = %d, %v", len(imgs), err)
	}
	// The pixels come from the restored files.
	src, err := ada.PixelSource(ctx, lab.Images[0])
	if err != nil || len(src.Files) != 1 || !strings.HasPrefix(src.Files[0], newRepo) {
		t.Fatalf("pixels of the restored image: %+v, %v", src, err)
	}
	if _, err := detect.Open(src.Files[0]); err != nil {
		t.Fatalf("the restored original does not open: %v", err)
	}
	if rr.Counts["Dataset"] != rep.Counts["Dataset"] {
		t.Fatalf("datasets: backup %d, restored %d", rep.Counts["Dataset"], rr.Counts["Dataset"])
	}
}

// A file removed from the backup and one whose bytes changed are named by
// restore, which then restores nothing; with Force it restores the rest.
func TestRestore_NamesMissingAndDamagedFiles(t *testing.T) {
	ctx := context.Background()
	lab := labrepo.New(t, 3)
	to := filepath.Join(t.TempDir(), "backup")
	if _, err := Backup(ctx, Source{Dir: lab.Dir}, to, nil); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(filepath.Join(to, repofiles.ManagedDir), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 3 {
		t.Fatalf("backup files = %v", files)
	}
	// Replace, not write in place: the backup's files are hard links of
	// the repository's.
	os.Remove(files[0])
	os.Remove(files[1])
	os.WriteFile(files[1], []byte("not the original"), 0o600)
	rel := func(p string) string { r, _ := filepath.Rel(to, p); return filepath.ToSlash(r) }

	target := filepath.Join(t.TempDir(), "restored")
	_, err := Restore(ctx, to, target, RestoreOptions{})
	if err == nil {
		t.Fatal("restore of a damaged backup succeeded")
	}
	msg := core.UserMessage(err)
	if !strings.Contains(msg, rel(files[0])) || !strings.Contains(msg, rel(files[1])) || !strings.Contains(msg, "2 files") {
		t.Fatalf("message %q does not name both files", msg)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatalf("a refused restore left %s behind", target)
	}
	rr, err := Restore(ctx, to, target, RestoreOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if rr.BadCount != 2 || rr.Files != 2 {
		t.Fatalf("forced restore = %+v", rr)
	}
}

func TestRestore_RefusesWhatItCannotRestore(t *testing.T) {
	ctx := context.Background()
	lab := labrepo.New(t, 1)
	to := filepath.Join(t.TempDir(), "backup")
	if _, err := Backup(ctx, Source{Dir: lab.Dir}, to, nil); err != nil {
		t.Fatal(err)
	}
	busy := t.TempDir()
	os.WriteFile(filepath.Join(busy, "x"), nil, 0o600)
	if _, err := Restore(ctx, to, busy, RestoreOptions{}); err == nil || !strings.Contains(core.UserMessage(err), "not empty") {
		t.Errorf("restore into a non-empty folder: %v", err)
	}
	if _, err := Backup(ctx, Source{Dir: lab.Dir}, to, nil); err == nil || !strings.Contains(core.UserMessage(err), "not empty") {
		t.Errorf("backup into a non-empty folder: %v", err)
	}
	// A backup that was interrupted before its manifest.
	os.Rename(filepath.Join(to, ManifestName), filepath.Join(to, "."+ManifestName+".partial"))
	if _, err := Restore(ctx, to, filepath.Join(t.TempDir(), "r"), RestoreOptions{}); err == nil || !strings.Contains(core.UserMessage(err), "incomplete") {
		t.Errorf("restore of an interrupted backup: %v", err)
	}
	if _, err := Restore(ctx, t.TempDir(), filepath.Join(t.TempDir(), "r"), RestoreOptions{}); err == nil || !strings.Contains(core.UserMessage(err), "not an Ocular backup") {
		t.Errorf("restore of a folder that is no backup: %v", err)
	}
}

func TestBackup_RefusesNewerOrForeignDatabase(t *testing.T) {
	ctx := context.Background()
	lab := labrepo.New(t, 1)
	lab.Svc.Close()
	db, err := sql.Open("sqlite3", filepath.Join(lab.Dir, sqlite.DBName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Backup(ctx, Source{Dir: lab.Dir}, filepath.Join(t.TempDir(), "b"), nil)
	if err == nil || !strings.Contains(core.UserMessage(err), "newer version of Ocular") {
		t.Errorf("backup of a newer repository: %v", err)
	}

	foreign := t.TempDir()
	db, _ = sql.Open("sqlite3", filepath.Join(foreign, sqlite.DBName))
	db.Exec("CREATE TABLE notes (t TEXT)")
	db.Close()
	_, err = Backup(ctx, Source{Dir: foreign}, filepath.Join(t.TempDir(), "b"), nil)
	if err == nil || !strings.Contains(core.UserMessage(err), "not an Ocular repository") {
		t.Errorf("backup of a foreign database: %v", err)
	}
}

// A backup made before checksums named their algorithm holds "sha256"
// entries: restore still checks its files with SHA-256.
func TestEntrySum_ReadsBackupsMadeBeforeChecksumsNamedTheirAlgorithm(t *testing.T) {
	var old, now Entry
	hexSum := strings.Repeat("ab", 32)
	if err := json.Unmarshal([]byte(`{"path":"ManagedRepository/a.tif","size":3,"sha256":"`+hexSum+`"}`), &old); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"path":"ManagedRepository/a.tif","size":3,"checksum":"xxh3-128:`+strings.Repeat("cd", 16)+`"}`), &now); err != nil {
		t.Fatal(err)
	}
	if checksum.AlgorithmOf(old.Sum()) != checksum.SHA256 || !checksum.Same(old.Sum(), "sha256:"+hexSum) {
		t.Errorf("an old entry's checksum reads as %q", old.Sum())
	}
	if checksum.AlgorithmOf(now.Sum()) != checksum.XXH3 {
		t.Errorf("a new entry's checksum reads as %q", now.Sum())
	}
}
