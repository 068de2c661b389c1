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
