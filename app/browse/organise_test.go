package browse

import (
	"reflect"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

func item(class core.Class, id core.ID, name string, f core.Flags, parent core.ObjectView) Item {
	v := core.ObjectView{Object: core.Object{Ref: core.Ref{Class: class, ID: id}, Name: name, Details: core.Details{Group: 3}},
		Flags: f, OwnerName: "Olive Owner", Level: core.ReadAnnotate}
	return Item{View: v, Parent: parent}
}

var all = core.Flags{CanEdit: true, CanLink: true, CanDelete: true}

func TestCleanNameRefusesEmptyAndSpaces(t *testing.T) {
	for _, in := range []string{"", "   ", "\t\n"} {
		if _, err := CleanName(in); err == nil || !core.Is(core.Invalid, err) {
			t.Errorf("CleanName(%q) = %v, want Invalid", in, err)
		}
	}
	if got, err := CleanName("  Day 2 "); err != nil || got != "Day 2" {
		t.Errorf("CleanName trims to %q, %v", got, err)
	}
}

func TestMenuRulesSayWhyAndDropWhy(t *testing.T) {
	ds := item(core.Dataset, 5, "Cells", all, core.ObjectView{}).View
	img := item(core.Image, 9, "a.tif", core.Flags{}, ds)
	items := OrganiseMenu([]Item{img}, Clipboard{})
	if why := OrganiseWhy(items, CopyLink); why != "You may not link image “a.tif”: it belongs to Olive Owner and the group is read-annotate." {
		t.Errorf("Copy Link on a locked image: %q", why)
	}
	if why := OrganiseWhy(items, PasteLink); why == "" {
		t.Error("Paste Link is enabled with an empty clipboard")
	}
	mine := item(core.Image, 10, "b.tif", all, ds)
	proj := item(core.Project, 1, "P", all, core.ObjectView{}).View
	if why := DropWhy([]Item{mine}, proj); why != "Images can only be dropped on a dataset, not on project “P”." {
		t.Errorf("image onto project: %q", why)
	}
	other := ds
	other.Group = 4
	if why := DropWhy([]Item{mine}, other); why == "" {
		t.Error("a drop across groups is allowed")
	}
	if why := DropWhy([]Item{mine}, ds); why != "" {
		t.Errorf("a permitted drop is refused: %q", why)
	}
	if why := OrganiseWhy(OrganiseMenu([]Item{mine}, Clipboard{}), RemoveFromContainer); why != "" {
		t.Errorf("Remove from Container refused: %q", why)
	}
	orphan := item(core.Image, 11, "c.tif", all, core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.OrphanedImages}}})
	if why := OrganiseWhy(OrganiseMenu([]Item{orphan}, Clipboard{}), RemoveFromContainer); why == "" {
		t.Error("an orphaned image can be removed from a container")
	}
}

// The desktop's delete asks what `ocular-cli delete` asks: tags and file
// attachments are kept unless "Also delete annotations" is ticked.
func TestDeleteRequestMatchesTheCLIDefaults(t *testing.T) {
	ds := item(core.Dataset, 5, "Cells", all, core.ObjectView{})
	a := item(core.Image, 9, "a", all, ds.View)
	b := item(core.Image, 12, "b", all, ds.View)
	req := DeleteRequest([]Item{a, ds, b}, DeleteOptions{})
	want := []core.Target{{Class: core.Image, IDs: []core.ID{9, 12}}, {Class: core.Dataset, IDs: []core.ID{5}}}
	if !reflect.DeepEqual(req.Targets, want) || !reflect.DeepEqual(req.Exclude, []core.Class{core.TagAnnotation, core.FileAnnotation}) || req.AddMissingFilesetImages {
		t.Errorf("request = %+v", req)
	}
	req = DeleteRequest([]Item{a}, DeleteOptions{OrphanAnnotations: true, WholeFilesets: true})
	if len(req.Exclude) != 0 || !req.AddMissingFilesetImages {
		t.Errorf("with both options: %+v", req)
	}
}
