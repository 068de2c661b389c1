package remote_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// The grid's filters read annotations 500 objects at a time over the wire
// too, and get what the in-process batch read gives: nothing for an object
// the caller may not see or that does not exist.
func TestAnnotationsOfOverTheWire(t *testing.T) {
	ctx := context.Background()
	svc, dir := testrepo.New(t)
	root := testrepo.Root(t, svc)
	lab, err := root.CreateGroup(ctx, "lab", core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	secret, err := root.CreateGroup(ctx, "secret", core.Private, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		name string
		g    core.ID
	}{{"alice", lab.ID}, {"carol", secret.ID}} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u.name, Password: "pw", Groups: []core.ID{u.g}}); err != nil {
			t.Fatal(err)
		}
	}
	alice, carol := testrepo.Login(t, svc, "alice", "pw"), testrepo.Login(t, svc, "carol", "pw")
	mk := func(s core.Session, class core.Class, f map[string]string) core.Ref {
		t.Helper()
		v, err := s.Create(ctx, class, f)
		if err != nil {
			t.Fatal(err)
		}
		return v.Ref
	}
	var refs []core.Ref
	for i := range 3 {
		img := mk(alice, core.Image, map[string]string{"name": "img"})
		for range i {
			tag := mk(alice, core.TagAnnotation, map[string]string{"textValue": "t"})
			mk(alice, core.ImageAnnotationLink, map[string]string{"parent": img.String(), "child": tag.String()})
		}
		refs = append(refs, img)
	}
	hidden := mk(carol, core.Image, map[string]string{"name": "secret"})
	tag := mk(carol, core.TagAnnotation, map[string]string{"textValue": "secret"})
	mk(carol, core.ImageAnnotationLink, map[string]string{"parent": hidden.String(), "child": tag.String()})
	refs = append(refs, hidden, core.Ref{Class: core.Image, ID: 987654})

	ts := httptest.NewTLSServer(server.New(server.Config{Service: svc, UploadDir: filepath.Join(dir, "uploads")}).Handler())
	defer ts.Close()
	rsvc, err := remote.Dial(ctx, ts.URL, remote.Options{Transport: ts.Client().Transport, Fingerprint: remote.Fingerprint(ts.Certificate())})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rsvc.Login(ctx, "alice", "pw", "")
	if err != nil {
		t.Fatal(err)
	}
	want, err := alice.(core.AnnotationsBatch).AnnotationsOf(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := rs.(core.AnnotationsBatch).AnnotationsOf(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(lists [][]core.AnnotationOn) [][]core.ID {
		out := make([][]core.ID, len(lists))
		for i, as := range lists {
			for _, a := range as {
				out[i] = append(out[i], a.Annotation.ID)
			}
		}
		return out
	}
	if g, w := ids(got), ids(want); !slices.EqualFunc(g, w, slices.Equal) {
		t.Errorf("over the wire %v, in-process %v", g, w)
	}
	if n := len(got[1]); n != 1 || len(got[3]) != 0 || len(got[4]) != 0 {
		t.Errorf("annotations per object: %v", ids(got))
	}
}
