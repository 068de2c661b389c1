package backup

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/labrepo"
	"github.com/ocular-lab/ocular/internal/pgtest"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/migrate"
	"github.com/ocular-lab/ocular/repository/postgres"
)

// A PostgreSQL-backed repository backed up with pg_dump while its server
// writes restores into an empty database with what the backup recorded.
func TestBackupPostgres_WhileWriting_Restores(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	lab := labrepo.New(t, 3)
	files := filepath.Join(t.TempDir(), "server")
	if _, err := migrate.Run(ctx, migrate.Options{From: lab.Dir, To: dsn, FilesTo: files}); err != nil {
		t.Fatal(err)
	}
	st, err := postgres.Open(ctx, dsn, files)
	if err != nil {
		t.Fatal(err)
	}
	svc := inprocess.New(st)
	defer svc.Close()
	ada := testrepo.Login(t, svc, "ada", "pw")
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := ada.Create(ctx, core.Dataset, map[string]string{"name": fmt.Sprint("busy ", n)}); err != nil {
				t.Errorf("write during the backup: %v", err)
				return
			}
		}
	}()
	to := filepath.Join(t.TempDir(), "backup")
	rep, err := Backup(ctx, Source{Dir: files, Postgres: dsn}, to, nil)
	close(stop)
	<-stopped
	if err != nil {
		t.Fatal(err)
	}
	if rep.Engine != "postgres" || rep.Files != 4 || rep.Counts["Image"] != 3 {
		t.Fatalf("backup report = %+v", rep)
	}
	target := pgtest.DSN(t)
	rr, err := Restore(ctx, to, filepath.Join(t.TempDir(), "restored"), RestoreOptions{Postgres: target})
	if err != nil {
		t.Fatal(err)
	}
	if rr.Counts["Dataset"] != rep.Counts["Dataset"] || rr.Files != 4 {
		t.Fatalf("restore = %+v, backup counts %v", rr, rep.Counts)
	}
	st2, err := postgres.Open(ctx, target, rr.To)
	if err != nil {
		t.Fatal(err)
	}
	svc2 := inprocess.New(st2)
	svc2.SetPasswordCost(bcrypt.MinCost)
	defer svc2.Close()
	imgs, err := testrepo.Login(t, svc2, "ada", "pw").List(ctx, core.Image, core.AnyID, core.AnyID)
	if err != nil || len(imgs) != 3 {
		t.Fatalf("restored images: %d, %v", len(imgs), err)
	}
	// Restoring into a database that is not empty is refused.
	if _, err := Restore(ctx, to, filepath.Join(t.TempDir(), "again"), RestoreOptions{Postgres: target}); err == nil {
		t.Fatal("restore into a database in use succeeded")
	}
}
