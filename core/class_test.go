package core_test

import (
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// TestParseClassAcceptsOMEROSpellings: OMERO's CLI takes the names of the
// Java/Python model classes (ImageI, TagAnnotationI) and the abstract
// TextAnnotation wherever it takes a class; so does Ocular.
func TestParseClassAcceptsOMEROSpellings(t *testing.T) {
	for in, want := range map[string]core.Class{
		"Image": core.Image, "ImageI": core.Image, "DatasetI": core.Dataset, "TagAnnotationI": core.TagAnnotation,
		"DatasetImageLinkI": core.DatasetImageLink, "Roi": core.Roi, "RoiI": core.Roi, "roi": core.Roi,
		"TextAnnotation": core.TextAnnotation, "textannotation": core.TextAnnotation, "TextAnnotationI": core.TextAnnotation,
		"ExperimenterI": core.ClassExperimenter, "IAnnotationLink": core.IAnnotationLink,
	} {
		got, err := core.ParseClass(in)
		if err != nil || got != want {
			t.Errorf("ParseClass(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"ImageII", "I", "", "Imag", "TextI"} {
		if c, err := core.ParseClass(bad); err == nil {
			t.Errorf("ParseClass(%q) = %q, want an error", bad, c)
		}
	}
	r, err := core.ParseRef("ImageI:1")
	if err != nil || r != (core.Ref{Class: core.Image, ID: 1}) {
		t.Errorf("ParseRef(ImageI:1) = %v, %v", r, err)
	}
	tg, err := core.ParseTarget("ProjectI/DatasetI:3,4")
	if err != nil || tg.String() != "Project/Dataset:3,4" {
		t.Errorf("ParseTarget(ProjectI/DatasetI:3,4) = %v, %v", tg, err)
	}
}

// TestTextAnnotationCoversCommentsAndTags: in OMERO's model TextAnnotation
// is the superclass of CommentAnnotation and TagAnnotation (and
// XmlAnnotation, which Ocular does not have).
func TestTextAnnotationCoversCommentsAndTags(t *testing.T) {
	for _, c := range core.Classes() {
		want := c == core.CommentAnnotation || c == core.TagAnnotation
		if got := c.Matches(core.TextAnnotation); got != want {
			t.Errorf("%s matches TextAnnotation = %v, want %v", c, got, want)
		}
	}
	if !core.TextAnnotation.Abstract() || core.TagAnnotation.Abstract() {
		t.Error("TextAnnotation is abstract, TagAnnotation is not")
	}
}
