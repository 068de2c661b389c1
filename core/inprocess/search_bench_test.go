package inprocess_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// BenchmarkSearch1M searches a repository of 1,000,000 images with tags,
// key-value pairs and comments (issue 12 target: the first 200 results in
// under 50 ms), as a member of the group who owns none of them, so every
// result passes the read rule. OCULAR_SEARCH_BENCH_IMAGES changes the size.
// It reports the size of the index.
func BenchmarkSearch1M(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("OCULAR_SEARCH_BENCH_IMAGES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	svc, rootPW := newRepository(b)
	root, err := svc.Login(ctx, "root", rootPW, "")
	if err != nil {
		b.Fatal(err)
	}
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		b.Fatal(err)
	}
	owner, err := root.CreateUser(ctx, core.NewUser{Username: "owner", Password: "pw", Groups: []core.ID{g.ID}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "member", Password: "pw", Groups: []core.ID{g.ID}}); err != nil {
		b.Fatal(err)
	}
	details := core.Details{Owner: owner.ID, Group: g.ID}
	const perBatch = 50_000
	for start := 0; start < n; start += perBatch {
		err = svc.Store().Write(ctx, func(tx core.Tx) error {
			mk := func(o core.Object) (core.ID, error) {
				o.Details = details
				err := tx.CreateObject(&o)
				return o.ID, err
			}
			link := func(class core.Class, parent, child core.ID) error {
				_, err := mk(core.Object{Ref: core.Ref{Class: class}, Parent: parent, Child: child})
				return err
			}
			var tags []core.ID
			for t := range 10 { // 10 tags per batch, each on 1 image in 100
				id, err := mk(core.Object{Ref: core.Ref{Class: core.TagAnnotation}, TextValue: fmt.Sprintf("batch%d tag%d", start/perBatch, t)})
				if err != nil {
					return err
				}
				tags = append(tags, id)
			}
			for i := start; i < min(start+perBatch, n); i++ {
				img, err := mk(core.Object{Ref: core.Ref{Class: core.Image}, Name: fmt.Sprintf("cell %07d well %c%d", i, 'A'+i%8, i%12+1),
					Description: "confocal stack"})
				if err != nil {
					return err
				}
				if i%100 == 0 {
					if err := link(core.ImageAnnotationLink, img, tags[(i/100)%len(tags)]); err != nil {
						return err
					}
				}
				if i%10 == 0 { // one image in 10 has its acquisition settings as key-value pairs
					kv := core.Object{Ref: core.Ref{Class: core.MapAnnotation}}
					kv.SetAttr("mapValue", []core.KeyValue{{Key: "exposure", Value: strconv.Itoa(i % 1000)}, {Key: "objective", Value: "63x"}})
					id, err := mk(kv)
					if err != nil {
						return err
					}
					if err := link(core.ImageAnnotationLink, img, id); err != nil {
						return err
					}
				}
				if i%1000 == 0 {
					c, err := mk(core.Object{Ref: core.Ref{Class: core.CommentAnnotation}, TextValue: "out of focus at the edges"})
					if err != nil {
						return err
					}
					if err := link(core.ImageAnnotationLink, img, c); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportIndexSize(b, svc.Store().Dir())
	member, err := svc.Login(ctx, "member", "pw", "")
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		"tag:tag3",      // 1 image in 1000
		"exposure>=990", // 1 in 1000
		"cell 0004*",    // a prefix matching 1 image in 100
		"confocal",      // every image: the newest 200
		"objective=63x", // 1 in 10
		"comment:focus", // 1 in 1000
		"tag:tag3 exposure<500",
	} {
		b.Run(q, func(b *testing.B) {
			var hits int
			for b.Loop() {
				r, err := member.Search(ctx, core.SearchRequest{Query: q, Group: core.AnyID, Owner: core.AnyID, Limit: 200})
				if err != nil {
					b.Fatal(err)
				}
				hits = len(r.Hits)
			}
			b.ReportMetric(float64(hits), "results")
		})
	}
}

// reportIndexSize logs how much of the database the search index takes: the
// size of a copy without it subtracted from the size of a copy with it.
func reportIndexSize(b *testing.B, dir string) {
	db, err := sql.Open("sqlite3", filepath.Join(dir, "ocular.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tmp := b.TempDir()
	with, without := filepath.Join(tmp, "with.db"), filepath.Join(tmp, "without.db")
	if _, err := db.Exec("VACUUM INTO ?", with); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec("VACUUM INTO ?", without); err != nil {
		b.Fatal(err)
	}
	cp, err := sql.Open("sqlite3", without)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []string{"DROP TABLE search_fts", "DROP TABLE search_kv", "VACUUM"} {
		if _, err := cp.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	cp.Close()
	a, _ := os.Stat(with)
	c, _ := os.Stat(without)
	b.Logf("database %.1f MB, of which the search index %.1f MB", float64(a.Size())/1e6, float64(a.Size()-c.Size())/1e6)
}
