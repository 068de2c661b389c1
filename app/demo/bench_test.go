package demo_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ocular-lab/ocular/app/demo"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// diskUsage is what `du -s` reports: allocated blocks, each inode counted
// once however many hard links name it, directories included.
func diskUsage(root string, match func(rel string) bool) (int64, error) {
	seen := map[uint64]bool{}
	var total int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if match != nil && !match(rel) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		if seen[st.Ino] {
			return nil
		}
		seen[st.Ino] = true
		total += st.Blocks * 512
		return nil
	})
	return total, err
}

// BenchmarkDemo50 builds the full training setup (50 users, real bcrypt
// cost) and reports the repository's size against one user's data plus the
// database. The numbers: under 60 s, and under 1.5×.
//
//	go test -tags "sqlite_fts5 migrated_fynedo" -run XXX -bench Demo50 -benchtime 1x ./app/demo/
func BenchmarkDemo50(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "repo")
		st, err := sqlite.Create(ctx, dir)
		if err != nil {
			b.Fatal(err)
		}
		svc := inprocess.New(st) // default bcrypt cost: the real price of 52 accounts
		if err := svc.Initialize(ctx, demo.DefaultPassword); err != nil {
			b.Fatal(err)
		}
		sum, err := demo.Build(ctx, svc, demo.Options{Users: demo.DefaultUsers})
		if err != nil {
			b.Fatal(err)
		}
		svc.Close()
		b.StopTimer()
		repo, err := diskUsage(dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		db, _ := diskUsage(dir, func(rel string) bool { return strings.HasPrefix(rel, sqlite.DBName) })
		// One user's data: the files under user-1's folder.
		var oneUser int64
		entries, _ := os.ReadDir(filepath.Join(dir, inprocess.ManagedDirName))
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "user-1_") {
				oneUser, _ = diskUsage(filepath.Join(dir, inprocess.ManagedDirName, e.Name()), nil)
			}
		}
		b.ReportMetric(sum.Elapsed.Seconds(), "build-s")
		b.ReportMetric(float64(repo)/1e6, "repo-MB")
		b.ReportMetric(float64(oneUser)/1e6, "user-MB")
		b.ReportMetric(float64(db)/1e6, "db-MB")
		b.ReportMetric(float64(repo)/float64(oneUser+db), "ratio")
		b.ReportMetric(float64(len(sum.Users)*sum.ImagesPerUser), "images")
		if core.ID(len(sum.Users)) != demo.DefaultUsers {
			b.Fatalf("%d users", len(sum.Users))
		}
		b.StartTimer()
	}
}
