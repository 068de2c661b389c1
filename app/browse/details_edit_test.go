package browse

import (
	"testing"

	"github.com/ocular-lab/ocular/core"
)

// The details panel edits the name and description of data objects in
// place: Describe marks them editable, keeps the description for the
// editor rather than among the fields, and gives the rename menu's reason
// when the user may not edit.
func TestDescribeMarksNamesEditableWithTheRenameReason(t *testing.T) {
	ds := item(core.Dataset, 5, "Cells", core.Flags{}, core.ObjectView{}).View
	ds.Description = "Day 1"
	d := Describe(&Node{View: ds})
	if !d.Editable || d.Name != "Cells" || d.Description != "Day 1" {
		t.Fatalf("Describe = %+v, want an editable dataset with its name and description", d)
	}
	for _, f := range d.Fields {
		if f.Label == "Description" {
			t.Error("the description is both a field and edited in place")
		}
	}
	want := OrganiseWhy(OrganiseMenu([]Item{{View: ds}}, Clipboard{}), Rename)
	if d.EditWhy == "" || d.EditWhy != want {
		t.Errorf("EditWhy %q, the rename menu says %q", d.EditWhy, want)
	}
	ds.Flags.CanEdit = true
	if d := Describe(&Node{View: ds}); d.EditWhy != "" {
		t.Errorf("the owner may not edit: %q", d.EditWhy)
	}
	orphans := core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.OrphanedImages}}}
	if Describe(&Node{View: orphans}).Editable {
		t.Error("Orphaned Images has a name to edit")
	}
}
