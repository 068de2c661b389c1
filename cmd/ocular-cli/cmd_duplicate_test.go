package main

import (
	"strings"
	"testing"
)

func TestDuplicate(t *testing.T) {
	c := newLab(t)
	ada, bob := c.as("ada"), c.as("bob")
	d := ada.mk("Dataset", "name=Original")
	tag := ada.mk("TagAnnotation", "textValue=t")
	ada.mk("DatasetAnnotationLink", "parent="+d, "child="+tag)
	c.unchanged(func() {
		out := bob.ok("duplicate", d, "--dry-run")
		if !strings.Contains(out, "Will be duplicated: 1 Dataset, 1 TagAnnotation") {
			t.Errorf("dry run said %q", out)
		}
		bob.failsWith(ExitError, `unknown class "Tagg"`, "duplicate", d, "--ignore", "Tagg")
	})
	out := bob.ok("duplicate", d, "--reference", "Annotation", "--report")
	if !strings.Contains(out, "Duplicated: 1 Dataset") || !strings.Contains(out, d+" -> Dataset:") {
		t.Errorf("duplicate said %q", out)
	}
	if !strings.Contains(bob.ok("tree", "--owner", "bob"), "Original") {
		t.Error("bob should own a dataset named Original")
	}
}

// TestDuplicatePrintsTheNewObjects: without --report, duplicate prints the
// copies of the named objects as CLASS:ID (test_duplicate_single_object), and
// it takes OMERO's ImageI-style class names.
func TestDuplicatePrintsTheNewObjects(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	d1, d2 := ada.mk("Dataset", "name=One"), ada.mk("Dataset", "name=Two")
	im := ada.mk("Image", "name=pic")
	ada.mk("DatasetImageLink", "parent="+d1, "child="+im)
	out := ada.ok("duplicate", strings.Replace(d1, "Dataset:", "DatasetI:", 1), d2)
	var line string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "New: ") {
			line = strings.TrimPrefix(l, "New: ")
		}
	}
	ids := strings.TrimPrefix(line, "Dataset:")
	if ids == line || strings.Count(ids, ",") != 1 || strings.Contains(ids, " ") {
		t.Fatalf("duplicate should print the two new datasets as Dataset:ID,ID, said %q", out)
	}
	for _, id := range strings.Split(ids, ",") {
		copyRef := "Dataset:" + id
		if copyRef == d1 || copyRef == d2 {
			t.Errorf("%s is an original, not a copy", copyRef)
		}
		if name := ada.field(copyRef, "name"); name != "One" && name != "Two" {
			t.Errorf("%s is named %q", copyRef, name)
		}
	}
	// Class/SubClass: the images below are the new objects.
	out = ada.ok("duplicate", "DatasetI/ImageI:"+strings.TrimPrefix(d1, "Dataset:"))
	if !strings.Contains(out, "New: Image:") {
		t.Errorf("duplicate Dataset/Image should print the new image, said %q", out)
	}
}
