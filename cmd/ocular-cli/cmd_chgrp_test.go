package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestChgrp(t *testing.T) {
	c := newLab(t)
	c.ok("group", "add", "dest", "--type", "read-annotate")
	c.ok("group", "adduser", "--name", "dest", "ada", "bob")
	ada := c.as("ada")
	d := ada.mk("Dataset", "name=D")
	tag := ada.mk("TagAnnotation", "textValue=Mitosis")
	other := ada.mk("Dataset", "name=Other")
	ada.mk("DatasetAnnotationLink", "parent="+d, "child="+tag)
	ada.mk("DatasetAnnotationLink", "parent="+other, "child="+tag)
	c.unchanged(func() {
		out := ada.ok("chgrp", "dest", d, "--dry-run")
		for _, want := range []string{"Will be moved: 1 Dataset", "Not included:", "Tags: Mitosis"} {
			if !strings.Contains(out, want) {
				t.Errorf("dry run lacks %q:\n%s", want, out)
			}
		}
		ada.failsWith(ExitError, "not found", "chgrp", "nosuchgroup", d)
		ada.failsWith(ExitError, "not found", "chgrp", "dest", "Dataset:9999")
		c.as("bob").failsWith(ExitError, "only your own data", "chgrp", "dest", d)
		ada.failsWith(ExitUsage, "--target or --target-new", "chgrp", "dest", d, "--target", "Project:1", "--target-new", "Project:x")
	})
	var g struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal([]byte(c.ok("group", "info", "dest", "--json")), &g); err != nil {
		t.Fatal(err)
	}
	out := ada.ok("chgrp", fmt.Sprintf("ExperimenterGroup:%d", g.ID), d, "--dry-run", "--keep-annotations")
	if !strings.Contains(out, `Kept: TagAnnotation "Mitosis" is copied into the destination`) {
		t.Errorf("the keep-annotations review said:\n%s", out)
	}
	ada.ok("chgrp", "dest", d, "--keep-annotations", "--target-new", "Project:Arrivals")
	if !strings.Contains(ada.ok("-g", "dest", "tree"), "Arrivals") {
		t.Error("the new project should be in the destination's tree")
	}
}
