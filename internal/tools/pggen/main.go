// Command pggen generates the repository of issue 13's benchmarks: by
// default 1,000,000 images in datasets of 10,000 with about ten annotations
// and links each (internal/bigrepo says what exactly), written with COPY
// into a PostgreSQL database that repository/postgres has just created, or
// into a new SQLite repository of the same size for comparison. It prints
// how long it took and how big the database is.
//
//	go run -tags "sqlite_fts5 migrated_fynedo" ./internal/tools/pggen --db postgres://... --repo DIR [--reset]
//	go run -tags "sqlite_fts5 migrated_fynedo" ./internal/tools/pggen --sqlite DIR
//
// It refuses a database that already holds objects; --reset drops and
// recreates the database (PostgreSQL) or empties the folder (SQLite) first.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/bigrepo"
)

func main() {
	db := flag.String("db", "", "the PostgreSQL database (postgres://...) to fill")
	repo := flag.String("repo", "", "with --db: the folder for the repository's managed files")
	sqliteDir := flag.String("sqlite", "", "make a SQLite repository in this new folder instead")
	images := flag.Int("images", bigrepo.DefaultImages, "number of images")
	perDataset := flag.Int("per-dataset", bigrepo.DefaultPerDataset, "images per dataset")
	chunk := flag.Int("chunk", 20_000, "images per transaction")
	rootPW := flag.String("root-password", "root-password", "root's password in the new repository")
	noChecks := flag.Bool("no-checks", false, "PostgreSQL: write with session_replication_role = replica (no per-row foreign-key checks or triggers) and check the references afterwards")
	workers := flag.Int("workers", 1, "PostgreSQL: chunks written at once, each over a connection of its own")
	resume := flag.Bool("resume", false, "finish a generation that was stopped (same --images and --per-dataset)")
	reset := flag.Bool("reset", false, "empty the target first (drops and recreates the PostgreSQL database)")
	flag.Parse()
	if (*db == "") == (*sqliteDir == "") {
		fmt.Fprintln(os.Stderr, "pggen: give either --db postgres://... --repo DIR, or --sqlite DIR")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *db, *repo, *sqliteDir, *rootPW, *reset, *noChecks, bigrepo.Options{Images: *images, PerDataset: *perDataset, Chunk: *chunk, Workers: *workers, Resume: *resume}); err != nil {
		fmt.Fprintln(os.Stderr, "pggen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, db, repo, sqliteDir, rootPW string, reset, noChecks bool, opt bigrepo.Options) error {
	var (
		svc  *inprocess.Service
		sink bigrepo.Sink
		err  error
	)
	start := time.Now()
	if db != "" {
		if repo == "" {
			return fmt.Errorf("--db needs --repo DIR, the folder for the managed files")
		}
		svc, sink, err = openPostgres(ctx, db, repo, rootPW, reset && !opt.Resume, opt.Resume)
		if err == nil {
			sink.(*bigrepo.PostgresSink).NoChecks = noChecks
			opt.NewSink = func(ctx context.Context) (bigrepo.Sink, error) {
				s, err := bigrepo.NewPostgresSink(ctx, db)
				if err == nil {
					s.NoChecks = noChecks
				}
				return s, err
			}
		}
	} else {
		if reset && !opt.Resume {
			if err := os.RemoveAll(sqliteDir); err != nil {
				return err
			}
		}
		svc, sink, err = bigrepo.CreateSQLite(ctx, sqliteDir, rootPW, false, opt.Resume)
	}
	if err != nil {
		return err
	}
	defer svc.Close()
	defer sink.Close()
	opt.Progress = func(done, total int, elapsed time.Duration) {
		rate := float64(done) / elapsed.Seconds()
		fmt.Fprintf(os.Stderr, "\r%d/%d images, %.0f images/s, %v left   ", done, total, rate,
			(time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second))
	}
	inf, err := bigrepo.Generate(ctx, svc, rootPW, sink, opt)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	size, err := sink.Size(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("%d images in %d datasets and %d projects, %d objects of which %d annotations and links\n",
		inf.Images, inf.Datasets, inf.Projects, inf.Objects, inf.AnnotationsAndLinks)
	fmt.Printf("took %v; the database is %.2f GB\n", time.Since(start).Round(time.Second), float64(size)/1e9)
	fmt.Printf("browse Dataset:%d (group %d), move Project:%d as %s to group %d; users' password %q\n",
		inf.BrowseDataset, inf.BrowseGroup, inf.MoveProject, inf.MoveOwner, inf.DestGroup, inf.Password)
	return nil
}
