package graphreview_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// BenchmarkMoveReview10000 is what the Move to Group dialog does between
// choosing the group and showing the review, for a project of 10 datasets
// and 10,000 images: the dry run, the names of the first objects of each
// type, and the review's sections. The number: within 1.5 s.
//
//	go test -tags "sqlite_fts5 migrated_fynedo" -run XXX -bench MoveReview10000 -benchtime 3x ./app/graphreview/
func BenchmarkMoveReview10000(b *testing.B) {
	ctx := context.Background()
	svc, _ := testrepo.New(b)
	root := testrepo.Root(b, svc)
	src, err := root.CreateGroup(ctx, "Lab", core.ReadAnnotate, "")
	if err != nil {
		b.Fatal(err)
	}
	dst, err := root.CreateGroup(ctx, "AG_1234", core.ReadAnnotate, "")
	if err != nil {
		b.Fatal(err)
	}
	u, err := root.CreateUser(ctx, core.NewUser{Username: "olive", Password: "pw", Groups: []core.ID{src.ID, dst.ID}})
	if err != nil {
		b.Fatal(err)
	}
	var project core.Ref
	err = svc.Store().Write(ctx, func(tx core.Tx) error {
		mk := func(c core.Class, name string, parent, child core.ID) (core.Ref, error) {
			o := &core.Object{Ref: core.Ref{Class: c}, Details: core.Details{Owner: u.ID, Group: src.ID}, Name: name, Parent: parent, Child: child}
			return o.Ref, tx.CreateObject(o)
		}
		p, err := mk(core.Project, "Big project", 0, 0)
		if err != nil {
			return err
		}
		project = p
		for d := 0; d < 10; d++ {
			ds, err := mk(core.Dataset, fmt.Sprintf("Dataset %d", d), 0, 0)
			if err != nil {
				return err
			}
			if _, err := mk(core.ProjectDatasetLink, "", p.ID, ds.ID); err != nil {
				return err
			}
			for i := 0; i < 1000; i++ {
				im, err := mk(core.Image, fmt.Sprintf("image %d-%d", d, i), 0, 0)
				if err != nil {
					return err
				}
				if _, err := mk(core.DatasetImageLink, "", ds.ID, im.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	olive := testrepo.Login(b, svc, "olive", "pw")
	req := core.GraphRequest{Op: core.OpChgrp, Group: dst.ID, DryRun: true, Targets: []core.Target{{Class: core.Project, IDs: []core.ID{project.ID}}}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plan, err := olive.PlanGraph(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		names := graphreview.LoadNames(ctx, olive, plan.Processed)
		secs := graphreview.Sections(plan, names)
		if got := secs[0].Lines[len(secs[0].Lines)-1].Text; got != "10,000 images" && got != "10000 images" {
			b.Fatalf("the review says %q", got)
		}
	}
}
