package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/pgtest"
	"github.com/ocular-lab/ocular/repository/backup"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// benchImages is the size of the repository migrated:
// OCULAR_BENCH_IMAGES (default 10,000; docs/benchmarks.md records 100,000).
func benchImages() int {
	if n, err := strconv.Atoi(os.Getenv("OCULAR_BENCH_IMAGES")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// makeBigRepo writes an SQLite repository of n imported images, each with
// its fileset, one file, pixels, a channel, a dataset link, a tag link and
// rendering settings (7 objects and 3 other rows per image), in 10 datasets.
func makeBigRepo(b *testing.B, n int) string {
	b.Helper()
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "repo")
	st, err := sqlite.Create(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	svc := inprocess.New(st)
	svc.SetPasswordCost(bcrypt.MinCost)
	defer svc.Close()
	if err := svc.Initialize(ctx, "pw"); err != nil {
		b.Fatal(err)
	}
	managed := filepath.Join(dir, inprocess.ManagedDirName)
	const owner, group = core.ID(0), core.ID(0)
	var dss []core.ID
	var tag core.ID
	mk := func(tx core.Tx, c core.Class, parent, child core.ID, set func(o *core.Object)) (core.ID, error) {
		o := &core.Object{Ref: core.Ref{Class: c}, Details: core.Details{Owner: owner, Group: group}, Parent: parent, Child: child}
		if set != nil {
			set(o)
		}
		return o.ID, tx.CreateObject(o)
	}
	err = st.Write(ctx, func(tx core.Tx) error {
		for i := 0; i < 10; i++ {
			o := &core.Object{Ref: core.Ref{Class: core.Dataset}, Details: core.Details{Owner: owner, Group: group}, Name: fmt.Sprint("plate ", i)}
			if err := tx.CreateObject(o); err != nil {
				return err
			}
			dss = append(dss, o.ID)
		}
		o := &core.Object{Ref: core.Ref{Class: core.TagAnnotation}, Details: core.Details{Owner: owner, Group: group}, TextValue: "screen"}
		tag = o.ID
		err := tx.CreateObject(o)
		tag = o.ID
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	for start := 0; start < n; start += 5000 {
		err := st.Write(ctx, func(tx core.Tx) error {
			for i := start; i < min(start+5000, n); i++ {
				rel := fmt.Sprintf("root_0/2026-12/04/%03d/%06d.tif", i/1000, i)
				data := []byte(fmt.Sprintf("pixels of image %d", i))
				fp := filepath.Join(managed, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(fp), 0o700); err != nil {
					return err
				}
				if err := os.WriteFile(fp, data, 0o600); err != nil {
					return err
				}
				fs, err := mk(tx, core.Fileset, 0, 0, func(o *core.Object) { o.Name = filepath.Base(rel) })
				if err != nil {
					return err
				}
				sum := sha256.Sum256(data)
				if err := tx.AddFilesetEntry(core.FilesetEntry{Fileset: fs, ClientPath: "/data/" + rel, RepoPath: rel, Size: int64(len(data)), Checksum: hex.EncodeToString(sum[:]), Transfer: "copy"}); err != nil {
					return err
				}
				im, err := mk(tx, core.Image, fs, 0, func(o *core.Object) { o.Name = fmt.Sprintf("well %d", i); o.SetAttr("series", 0) })
				if err != nil {
					return err
				}
				if err := tx.SetPixels(core.PixelsInfo{Image: im, SizeX: 512, SizeY: 512, SizeZ: 1, SizeC: 1, SizeT: 1, PixelType: "uint16", DimensionOrder: "XYZCT"}); err != nil {
					return err
				}
				if err := tx.SetChannels(im, []core.ChannelInfo{{Name: "DAPI"}}); err != nil {
					return err
				}
				if _, err := mk(tx, core.DatasetImageLink, dss[i%10], im, nil); err != nil {
					return err
				}
				if _, err := mk(tx, core.ImageAnnotationLink, im, tag, nil); err != nil {
					return err
				}
				if _, err := mk(tx, core.RenderingDef, im, 0, func(o *core.Object) {
					o.SetAttr("settings", `{"model":"greyscale","channels":[{"start":0,"end":4095,"color":"FFFFFF","active":true}]}`)
				}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkMigrate moves a repository of benchImages() images into an
// empty PostgreSQL database (rows, files hard-linked, every file's
// checksum verified). The anchor is a backup of the same repository on the
// same disk (online database copy, files hard-linked and hashed): the
// local cost of reading the same rows and files once.
//
//	scripts/with-postgres.sh go test -tags "sqlite_fts5 migrated_fynedo" -run '^$' -bench Migrate -benchtime 1x ./repository/migrate/
func BenchmarkMigrate(b *testing.B) {
	pgtest.SkipWithout(b)
	n := benchImages()
	t0 := time.Now()
	src := makeBigRepo(b, n)
	b.Logf("source of %d images made in %v", n, time.Since(t0).Round(time.Millisecond))
	b.Run(fmt.Sprintf("migrate-%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dsn := pgtest.DSN(b)
			files := filepath.Join(b.TempDir(), "server")
			b.StartTimer()
			start, step := time.Now(), ""
			rep, err := Run(context.Background(), Options{From: src, To: dsn, FilesTo: files, Progress: func(s string, done, total int64) {
				if s != step {
					b.Logf("%v: %s begins", time.Since(start).Round(time.Millisecond), s)
					step = s
				}
			}})
			if err != nil {
				b.Fatal(err)
			}
			var rows int64
			for _, r := range rep.Tables {
				rows += r
			}
			b.ReportMetric(float64(rows)/rep.Took.Seconds(), "rows/s")
			b.Logf("%d rows, %d files in %v", rows, rep.Files, rep.Took.Round(time.Millisecond))
		}
	})
	b.Run(fmt.Sprintf("anchor-backup-%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			to := filepath.Join(b.TempDir(), "backup")
			if _, err := backup.Backup(context.Background(), backup.Source{Dir: src}, to, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
