package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDelete(t *testing.T) {
	c := newLab(t)
	ada := c.as("ada")
	p := ada.mk("Project", "name=P")
	d := ada.mk("Dataset", "name=D")
	ada.mk("ProjectDatasetLink", "parent="+p, "child="+d)
	tag := ada.mk("TagAnnotation", "textValue=keep")
	com := ada.mk("CommentAnnotation", "textValue=goes")
	ada.mk("DatasetAnnotationLink", "parent="+d, "child="+tag)
	ada.mk("DatasetAnnotationLink", "parent="+d, "child="+com)
	c.unchanged(func() {
		out := ada.ok("delete", p, "--dry-run")
		if !strings.Contains(out, "Will be deleted: 1 CommentAnnotation, 1 Dataset, 1 Project") {
			t.Errorf("dry run said %q", out)
		}
		ada.failsWith(ExitError, `unknown class "Imag"`, "delete", p, "--include", "Imag")
		ada.failsWith(ExitError, "not found", "delete", "Project:9999")
		c.as("bob").failsWith(ExitError, "you may not delete", "delete", p)
		ada.failsWith(ExitUsage, "missing arguments", "delete")
	})
	var res struct {
		Processed []json.RawMessage `json:"processed"`
	}
	if err := json.Unmarshal([]byte(ada.ok("delete", p, "--json")), &res); err != nil || len(res.Processed) == 0 {
		t.Fatalf("--json: %v %+v", err, res)
	}
	if ada.exists(p) || ada.exists(d) || ada.exists(com) {
		t.Error("the project, its dataset and the comment should be gone")
	}
	if !ada.exists(tag) {
		t.Error("tags are kept unless --include TagAnnotation (OMERO CLI default)")
	}
	d2 := ada.mk("Dataset", "name=D2")
	ada.mk("DatasetAnnotationLink", "parent="+d2, "child="+tag)
	ada.ok("delete", d2, "--include", "TagAnnotation")
	if ada.exists(tag) {
		t.Error("--include TagAnnotation should delete the tag")
	}
}
