package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUploadAndAttach(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	src := filepath.Join(t.TempDir(), "counts.csv")
	os.WriteFile(src, []byte("cell,count\nA1,12\n"), 0o644)
	file := strings.TrimSpace(ada.ok("upload", src))
	if !strings.HasPrefix(file, "OriginalFile:") {
		t.Fatalf("upload printed %q", file)
	}
	if got := ada.ok("obj", "get", file, "mimetype"); !strings.Contains(got, "text/csv") {
		t.Errorf("mimetype: %q", got)
	}
	fa := strings.TrimSpace(ada.ok("obj", "new", "FileAnnotation", "file="+file))
	ds := strings.TrimSpace(ada.ok("obj", "new", "Dataset", "name=with attachment"))
	ada.ok("obj", "new", "DatasetAnnotationLink", "parent="+ds, "child="+fa)
	stored, _ := filepath.Glob(filepath.Join(c.repo, "Files", "ada_*", "*", "counts.csv"))
	if len(stored) != 1 {
		t.Fatalf("stored files: %v", stored)
	}
	if b, _ := os.ReadFile(stored[0]); string(b) != "cell,count\nA1,12\n" {
		t.Errorf("stored bytes differ: %q", b)
	}
	// OriginalFiles, filesets and rendering settings have their own use cases.
	c.unchanged(func() {
		ada.failsWith(1, "upload", "obj", "new", "OriginalFile", "name=x", "path=ManagedRepository/x")
		ada.failsWith(1, "import", "obj", "new", "Fileset")
		ada.failsWith(1, "render set", "obj", "new", "RenderingDef", "image=Image:1")
	})
	ada.failsWith(1, "cannot read", "upload", filepath.Join(t.TempDir(), "missing.csv"))
}
