package inprocess_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// Annotations and OpenFile: what is linked to an object, with tag sets and
// attached files, as each user may see it; an object or file a user may not
// see is NotFound.
func TestAnnotationsListsLinksTagSetsAndFilesAsEachUserMaySee(t *testing.T) {
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root := testrepo.Root(t, svc)
	private, err := root.CreateGroup(ctx, "private", core.Private, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"olive", "mike"} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw", Groups: []core.ID{private.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	olive := testrepo.Login(t, svc, "olive", "pw")
	mk := func(class core.Class, kv ...string) core.ObjectView {
		t.Helper()
		f := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		v, err := olive.Create(ctx, class, f)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	img := mk(core.Image, "name", "a.tif")
	set := mk(core.TagAnnotation, "textValue", "Phases", "ns", core.TagSetNamespace)
	tag := mk(core.TagAnnotation, "textValue", "mitosis")
	mk(core.AnnotationAnnotationLink, "parent", set.Ref.String(), "child", tag.Ref.String())
	mk(core.ImageAnnotationLink, "parent", img.Ref.String(), "child", tag.Ref.String())
	file, err := olive.Upload(ctx, "notes.txt", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	fa := mk(core.FileAnnotation, "file", file.Ref.String())
	mk(core.ImageAnnotationLink, "parent", img.Ref.String(), "child", fa.Ref.String())

	ons, err := olive.Annotations(ctx, img.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(ons) != 2 || ons[0].Annotation.Ref != tag.Ref || len(ons[0].TagSets) != 1 || ons[0].TagSets[0] != "Phases" {
		t.Fatalf("annotations %+v", ons)
	}
	if ons[1].File == nil || ons[1].File.Name != "notes.txt" || ons[1].File.AttrInt("size") != 5 {
		t.Fatalf("the attachment's file %+v", ons[1].File)
	}
	r, err := olive.OpenFile(ctx, file.Ref)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "hello" {
		t.Errorf("OpenFile reads %q", b)
	}

	mike := testrepo.Login(t, svc, "mike", "pw")
	if _, err := mike.Annotations(ctx, img.Ref); !core.Is(core.NotFound, err) {
		t.Errorf("Mike lists the annotations of Olive's image in a private group: %v", err)
	}
	if _, err := mike.OpenFile(ctx, file.Ref); !core.Is(core.NotFound, err) {
		t.Errorf("Mike opens Olive's file in a private group: %v", err)
	}
	if _, err := olive.Annotations(ctx, core.Ref{Class: core.Image, ID: 999999}); !core.Is(core.NotFound, err) {
		t.Errorf("an image that does not exist: %v", err)
	}
}
