package conformance

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// testAnnotations: what the annotations panel shows of an object (tags with
// their tag sets, comments, key-value pairs, attachments with their file),
// who sees it, and an attachment's content read back, for a member of the
// group and nothing for anyone else.
func testAnnotations(t *testing.T, newService NewService) {
	ctx := context.Background()
	w := newWorld(t, newService)
	const l = core.ReadAnnotate
	img := w.data["alice"][l].image
	alice, bob := w.in("alice", l), w.in("bob", l)
	mk := func(s core.Session, class core.Class, f map[string]string) core.ObjectView {
		t.Helper()
		v, err := s.Create(ctx, class, f)
		if err != nil {
			t.Fatalf("create %s %v: %v", class, f, err)
		}
		return v
	}
	on := func(s core.Session, a core.ObjectView) {
		t.Helper()
		mk(s, core.ImageAnnotationLink, map[string]string{"parent": img.Ref.String(), "child": a.Ref.String()})
	}
	tag := mk(alice, core.TagAnnotation, map[string]string{"textValue": "mitosis"})
	set := mk(alice, core.TagAnnotation, map[string]string{"textValue": "phases", "ns": "openmicroscopy.org/omero/insight/tagset"})
	mk(alice, core.AnnotationAnnotationLink, map[string]string{"parent": set.Ref.String(), "child": tag.Ref.String()})
	on(alice, tag)
	on(bob, mk(bob, core.CommentAnnotation, map[string]string{"textValue": "nice cells"}))
	on(alice, mk(alice, core.MapAnnotation, map[string]string{"mapValue": "exposure=100;objective=63x"}))
	const content = "cell counts, day 1\n"
	file, err := alice.Upload(ctx, "counts.csv", strings.NewReader(content))
	if err != nil {
		t.Fatalf("upload an attachment: %v", err)
	}
	on(alice, mk(alice, core.FileAnnotation, map[string]string{"file": file.Ref.String()}))

	for _, who := range []string{"alice", "bob"} {
		as, err := w.in(who, l).Annotations(ctx, img.Ref)
		if err != nil {
			t.Fatalf("%s lists the annotations: %v", who, err)
		}
		var got []string
		for _, a := range as {
			s := string(a.Annotation.Class) + " " + a.Annotation.TextValue
			switch a.Annotation.Class {
			case core.TagAnnotation:
				s += " in " + strings.Join(a.TagSets, ",")
			case core.FileAnnotation:
				if a.File == nil {
					t.Errorf("%s: the attachment comes without its file", who)
					continue
				}
				s += a.File.Name
			case core.MapAnnotation:
				s += a.Annotation.Attr("mapValue")
			}
			if a.Link.Owner != a.Annotation.Owner {
				s += " (linked by another)"
			}
			got = append(got, s)
		}
		slices.Sort(got)
		want := []string{`CommentAnnotation nice cells`, `FileAnnotation counts.csv`,
			`MapAnnotation [{"key":"exposure","value":"100"},{"key":"objective","value":"63x"}]`, `TagAnnotation mitosis in phases`}
		if !slices.Equal(got, want) {
			t.Errorf("%s sees %q, want %q", who, got, want)
		}
	}
	rc, err := bob.OpenFile(ctx, file.Ref)
	if err != nil {
		t.Fatalf("bob opens the attachment: %v", err)
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || string(b) != content {
		t.Errorf("bob reads %q (%v), want %q", b, err, content)
	}
	// carol is in none of alice's groups: the image and the file do not
	// exist for her.
	carol := w.as("carol")
	if _, err := carol.Annotations(ctx, img.Ref); !core.Is(core.NotFound, err) {
		t.Errorf("carol lists the annotations of alice's image: %v, want not found", err)
	}
	if rc, err := carol.OpenFile(ctx, file.Ref); !core.Is(core.NotFound, err) {
		if rc != nil {
			rc.Close()
		}
		t.Errorf("carol opens alice's attachment: %v, want not found", err)
	}
}
