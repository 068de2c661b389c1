package inprocess_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// TestAnnotationsOfAnswersAsAnnotationsDoes: the batch read gives each
// target exactly what Annotations gives it, in order, and nothing for a
// target the caller may not see, that does not exist or that cannot be
// annotated.
func TestAnnotationsOfAnswersAsAnnotationsDoes(t *testing.T) {
	ctx := context.Background()
	svc, rootPW := newRepository(t)
	root, err := svc.Login(ctx, "root", rootPW, "")
	if err != nil {
		t.Fatal(err)
	}
	lab, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	secret, err := root.CreateGroup(ctx, "secret", core.Private, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"alice", "bob"} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw", Groups: []core.ID{lab.ID, secret.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	login := func(u string, g core.ID) core.Session {
		s, err := svc.Login(ctx, u, "pw", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		return s
	}
	alice, bob := login("alice", lab.ID), login("bob", lab.ID)
	mk := func(s core.Session, class core.Class, f map[string]string) core.ObjectView {
		t.Helper()
		v, err := s.Create(ctx, class, f)
		if err != nil {
			t.Fatalf("create %s %v: %v", class, f, err)
		}
		return v
	}
	link := func(s core.Session, lc core.Class, target, a core.ObjectView) {
		mk(s, lc, map[string]string{"parent": target.Ref.String(), "child": a.Ref.String()})
	}
	img1 := mk(alice, core.Image, map[string]string{"name": "one"})
	img2 := mk(alice, core.Image, map[string]string{"name": "two"})
	ds := mk(alice, core.Dataset, map[string]string{"name": "d"})
	tag := mk(alice, core.TagAnnotation, map[string]string{"textValue": "live"})
	set := mk(alice, core.TagAnnotation, map[string]string{"textValue": "state", "ns": core.TagSetNamespace})
	mk(alice, core.AnnotationAnnotationLink, map[string]string{"parent": set.Ref.String(), "child": tag.Ref.String()})
	link(alice, core.ImageAnnotationLink, img1, tag)
	link(alice, core.ImageAnnotationLink, img2, tag)
	link(bob, core.ImageAnnotationLink, img1, mk(bob, core.CommentAnnotation, map[string]string{"textValue": "nice"}))
	link(alice, core.ImageAnnotationLink, img2, mk(alice, core.MapAnnotation, map[string]string{"mapValue": "exposure=10"}))
	link(alice, core.DatasetAnnotationLink, ds, mk(alice, core.LongAnnotation, map[string]string{"longValue": "3", "ns": core.RatingNamespace}))
	bobSecret := login("bob", secret.ID)
	hidden := mk(bobSecret, core.Image, map[string]string{"name": "hidden"})
	link(bobSecret, core.ImageAnnotationLink, hidden, mk(bobSecret, core.TagAnnotation, map[string]string{"textValue": "x"}))

	targets := []core.Ref{img1.Ref, hidden.Ref, img2.Ref, ds.Ref, {Class: core.Image, ID: 999999}, img1.Ref, tag.Ref,
		{Class: core.Dataset, ID: img1.ID}}
	batch, ok := alice.(core.AnnotationsBatch)
	if !ok {
		t.Fatal("the in-process session reads no batches")
	}
	got, err := batch.AnnotationsOf(ctx, targets)
	if err != nil {
		t.Fatal(err)
	}
	for i, target := range targets {
		want, err := alice.Annotations(ctx, target)
		if err != nil {
			want = nil
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("%v: batch %+v, one by one %+v (%v)", target, got[i], want, err)
		}
	}
	if len(got[0]) != 2 || len(got[2]) != 2 || len(got[1]) != 0 || len(got[0][0].TagSets) != 1 {
		t.Errorf("batch: %d, %d, %d annotations; tag sets %v", len(got[0]), len(got[2]), len(got[1]), got[0][0].TagSets)
	}
	if _, err := batch.AnnotationsOf(ctx, make([]core.Ref, 1001)); !core.Is(core.Invalid, err) {
		t.Errorf("1001 targets: %v, want invalid", err)
	}
}
