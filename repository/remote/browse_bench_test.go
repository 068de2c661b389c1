package remote_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// BenchmarkBrowseDataset10000Remote expands a dataset of 10,000 images with
// their flags, as core/inprocess's BenchmarkBrowseDataset10000 does, once
// in-process and once through the client over HTTPS on loopback, over the
// same repository, side by side (issue 11 target: remote <= 2x in-process).
func BenchmarkBrowseDataset10000Remote(b *testing.B) {
	const n = 10000
	ctx := context.Background()
	svcAny, c, _ := serve(b, server.Config{})
	svc := svcAny.(*inprocess.Service)
	root, err := svc.Login(ctx, "root", testrepo.RootPassword, "")
	if err != nil {
		b.Fatal(err)
	}
	g, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		b.Fatal(err)
	}
	owner, err := root.CreateUser(ctx, core.NewUser{Username: "owner", FirstName: "Ada", LastName: "Lovelace", Password: "pw", Groups: []core.ID{g.ID}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := root.CreateUser(ctx, core.NewUser{Username: "member", Password: "pw", Groups: []core.ID{g.ID}}); err != nil {
		b.Fatal(err)
	}
	var ds core.Object
	err = svc.Store().Write(ctx, func(tx core.Tx) error {
		details := core.Details{Owner: owner.ID, Group: g.ID}
		ds = core.Object{Ref: core.Ref{Class: core.Dataset}, Details: details, Name: "big"}
		if err := tx.CreateObject(&ds); err != nil {
			return err
		}
		for i := range n {
			img := core.Object{Ref: core.Ref{Class: core.Image}, Details: details, Name: fmt.Sprintf("img-%05d.tif", i)}
			if err := tx.CreateObject(&img); err != nil {
				return err
			}
			l := core.Object{Ref: core.Ref{Class: core.DatasetImageLink}, Details: details, Parent: ds.ID, Child: img.ID}
			if err := tx.CreateObject(&l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	req := core.BrowseRequest{Group: g.ID, Owner: core.AnyID, Parent: ds.Ref}
	for _, side := range []struct {
		name string
		svc  core.Service
	}{{"in-process", svc}, {"remote", c}} {
		b.Run(side.name, func(b *testing.B) {
			member, err := side.svc.Login(ctx, "member", "pw", "")
			if err != nil {
				b.Fatal(err)
			}
			fastest := time.Duration(math.MaxInt64)
			for b.Loop() {
				start := time.Now()
				vs, err := member.Browse(ctx, req)
				fastest = min(fastest, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if len(vs) != n || !vs[0].Flags.CanAnnotate || vs[0].Flags.CanEdit {
					b.Fatalf("got %d images, first flags %s", len(vs), vs[0].Flags)
				}
			}
			b.ReportMetric(float64(fastest.Milliseconds()), "fastest-ms")
		})
	}
}
