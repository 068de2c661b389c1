// Package searchbench is the repository and the queries of the search
// benchmarks (issue 12's over SQLite in core/inprocess, issue 13's over
// PostgreSQL in repository/postgres), written once so that both engines
// are measured on the same data with the same queries.
package searchbench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// Size is OCULAR_SEARCH_BENCH_IMAGES, or def.
func Size(def int) int {
	if v, err := strconv.Atoi(os.Getenv("OCULAR_SEARCH_BENCH_IMAGES")); err == nil && v > 0 {
		return v
	}
	return def
}

// Queries are the searches measured, with how much of the repository each
// matches.
var Queries = []string{
	"tag:tag3",      // 1 image in 1000
	"exposure>=990", // 1 in 1000
	"cell 0004*",    // a prefix matching 1 image in 100
	"confocal",      // every image: the newest 200
	"objective=63x", // 1 in 10
	"comment:focus", // 1 in 1000
	"tag:tag3 exposure<500",
}

// Fill makes a read-annotate group "lab" in which "owner" owns n images
// with tags, key-value pairs and comments, and returns the group and a
// session of "member", who owns none of them, so every result passes the
// read rule.
func Fill(b testing.TB, svc core.Service, st core.Store, rootPW string, n int) (core.ID, core.Session) {
	b.Helper()
	ctx := context.Background()
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
		if err := st.Write(ctx, func(tx core.Tx) error { return fillBatch(tx, details, start, min(start+perBatch, n), start/perBatch) }); err != nil {
			b.Fatal(err)
		}
	}
	member, err := svc.Login(ctx, "member", "pw", "")
	if err != nil {
		b.Fatal(err)
	}
	return g.ID, member
}

// fillBatch writes images from to to (exclusive) with their annotations.
func fillBatch(tx core.Tx, details core.Details, from, to, batch int) error {
	mk := func(o core.Object) (core.ID, error) {
		o.Details = details
		err := tx.CreateObject(&o)
		return o.ID, err
	}
	link := func(parent, child core.ID) error {
		_, err := mk(core.Object{Ref: core.Ref{Class: core.ImageAnnotationLink}, Parent: parent, Child: child})
		return err
	}
	var tags []core.ID
	for t := range 10 { // 10 tags per batch, each on 1 image in 100
		id, err := mk(core.Object{Ref: core.Ref{Class: core.TagAnnotation}, TextValue: fmt.Sprintf("batch%d tag%d", batch, t)})
		if err != nil {
			return err
		}
		tags = append(tags, id)
	}
	for i := from; i < to; i++ {
		img, err := mk(core.Object{Ref: core.Ref{Class: core.Image}, Name: fmt.Sprintf("cell %07d well %c%d", i, 'A'+i%8, i%12+1),
			Description: "confocal stack"})
		if err != nil {
			return err
		}
		if i%100 == 0 {
			if err := link(img, tags[(i/100)%len(tags)]); err != nil {
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
			if err := link(img, id); err != nil {
				return err
			}
		}
		if i%1000 == 0 {
			c, err := mk(core.Object{Ref: core.Ref{Class: core.CommentAnnotation}, TextValue: "out of focus at the edges"})
			if err != nil {
				return err
			}
			if err := link(img, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// Search runs q as sess, the first 200 results, reporting how many came.
func Search(b *testing.B, sess core.Session, q string) {
	ctx := context.Background()
	var hits int
	for b.Loop() {
		r, err := sess.Search(ctx, core.SearchRequest{Query: q, Group: core.AnyID, Owner: core.AnyID, Limit: 200})
		if err != nil {
			b.Fatal(err)
		}
		hits = len(r.Hits)
	}
	b.ReportMetric(float64(hits), "results")
}
