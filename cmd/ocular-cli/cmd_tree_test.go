package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTree(t *testing.T) {
	c := newLab(t)
	ada, bob := c.as("ada"), c.as("bob")
	p := ada.newRef("Project", "name=Mitosis")
	d := ada.newRef("Dataset", "name=Day 1")
	i1 := ada.newRef("Image", "name=cell-01.tif")
	ada.newRef("ProjectDatasetLink", "parent="+p, "child="+d)
	ada.newRef("DatasetImageLink", "parent="+d, "child="+i1)
	orphan := ada.newRef("Image", "name=stray.tif")
	s := ada.newRef("Screen", "name=Screen A")
	pl := ada.newRef("Plate", "name=Plate 1")
	ada.newRef("ScreenPlateLink", "parent="+s, "child="+pl)
	w := ada.newRef("Well", "plate="+pl, "row=0", "column=0")
	field := ada.newRef("Image", "name=A1 field 1")
	ada.newRef("WellSample", "well="+w, "image="+field)
	bp := bob.newRef("Project", "name=Bob's project")

	out := bob.ok("tree")
	want := "lab (read-annotate)\n" +
		"├── " + bp + " Bob's project [Bob Crick]\n" +
		"├── " + p + " Mitosis [Ada Lovelace]\n" +
		"│   └── " + d + " Day 1 [Ada Lovelace]\n" +
		"│       └── " + i1 + " cell-01.tif [Ada Lovelace]\n" +
		"├── " + s + " Screen A [Ada Lovelace]\n" +
		"│   └── " + pl + " Plate 1 [Ada Lovelace]\n" +
		"│       └── " + w + " A1 [Ada Lovelace]\n" +
		"│           └── " + field + " A1 field 1 [Ada Lovelace]\n" +
		"└── Orphaned Images (1)\n" +
		"    └── " + orphan + " stray.tif [Ada Lovelace]\n"
	if out != want {
		t.Errorf("tree\n got:\n%s\nwant:\n%s", out, want)
	}
	if out := c.ok("tree", "lab", "--owner", "bob"); !strings.Contains(out, bp+" ") || strings.Contains(out, p+" ") || !strings.Contains(out, "Orphaned Images (0)") {
		t.Errorf("tree --owner bob:\n%s", out)
	}
	var tr struct {
		Group struct{ Name, Type string }
		Nodes []struct {
			Class      string
			Name       string
			ChildCount int
			Children   []struct{ Class, Name string }
		}
	}
	if err := json.Unmarshal([]byte(ada.ok("tree", "--json")), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.Group.Name != "lab" || len(tr.Nodes) != 4 || tr.Nodes[1].Name != "Mitosis" || tr.Nodes[1].ChildCount != 1 ||
		len(tr.Nodes[1].Children) != 1 || tr.Nodes[1].Children[0].Name != "Day 1" || tr.Nodes[3].Class != "OrphanedImages" {
		t.Errorf("tree --json: %+v", tr)
	}
	// Another group, and what a non-member sees.
	if out := c.ok("tree", "solo"); out != "solo (private)\n└── Orphaned Images (0)\n" {
		t.Errorf("tree solo:\n%s", out)
	}
	c.as("dan").failsWith(ExitError, "not found", "tree", "lab")
	bob.failsWith(ExitUsage, "give the group once", "tree", "lab", "-g", "solo")
}
