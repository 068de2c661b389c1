package browse

import (
	"errors"
	"reflect"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

func view(class core.Class, id core.ID, name string, children int) core.ObjectView {
	return core.ObjectView{Object: core.Object{Ref: core.Ref{Class: class, ID: id}, Name: name}, ChildCount: children}
}

func TestTreeLoadsLazilyAndLabelsWithCounts(t *testing.T) {
	tr := NewTree(3, core.AnyID)
	if tr.Children(Root) != nil {
		t.Fatal("children before any load")
	}
	req, ok := tr.Begin(Root)
	if !ok || req.Browse.Group != 3 || req.Browse.Owner != core.AnyID || !req.Browse.Parent.IsZero() {
		t.Fatalf("root request = %+v", req)
	}
	if _, again := tr.Begin(Root); again {
		t.Fatal("a second load started while one is running")
	}
	kids := tr.Children(Root)
	if n, _ := tr.Node(kids[0]); len(kids) != 1 || Label(n) != "Loading…" || tr.IsBranch(kids[0]) {
		t.Fatalf("while loading the root shows %q", kids)
	}
	tr.Fill(req, []core.ObjectView{
		view(core.Project, 5, "Training project", 3),
		view(core.Dataset, 6, "Empty", 0),
		{Object: core.Object{Ref: core.Ref{Class: core.OrphanedImages}, Name: "Orphaned Images"}, ChildCount: 2},
	}, nil)
	want := []string{"Project:5", "Dataset:6", "OrphanedImages:0"}
	if got := tr.Children(Root); !reflect.DeepEqual(got, want) {
		t.Fatalf("root children = %q", got)
	}
	labels := []string{}
	for _, uid := range want {
		n, _ := tr.Node(uid)
		labels = append(labels, Label(n))
	}
	if exp := []string{"Training project (3)", "Empty (0)", "Orphaned Images (2)"}; !reflect.DeepEqual(labels, exp) {
		t.Errorf("labels = %q", labels)
	}
	if !tr.IsBranch("Project:5") || tr.IsBranch("Dataset:6") || !tr.IsBranch("OrphanedImages:0") {
		t.Error("only containers with children open")
	}
	req, _ = tr.Begin("Project:5")
	if req.Browse.Parent != (core.Ref{Class: core.Project, ID: 5}) {
		t.Fatalf("project request = %+v", req.Browse)
	}
	tr.Fill(req, []core.ObjectView{view(core.Dataset, 7, "D", 1)}, nil)
	if got := tr.Children("Project:5"); !reflect.DeepEqual(got, []string{"Project:5/Dataset:7"}) {
		t.Errorf("project children = %q", got)
	}
}

func TestTreeShowsLoadErrorsAndDropsStaleResults(t *testing.T) {
	tr := NewTree(3, 2)
	req, _ := tr.Begin(Root)
	tr.Fill(req, nil, core.Errorf("browse", core.NotFound, "the group is gone"))
	kids := tr.Children(Root)
	if n, _ := tr.Node(kids[0]); len(kids) != 1 || Label(n) != "Could not load: the group is gone" {
		t.Fatalf("after an error the root shows %q", kids)
	}
	req, ok := tr.Begin(Root) // opening again retries
	if !ok {
		t.Fatal("no retry after an error")
	}
	tr.Reset(4, core.AnyID)
	if tr.Fill(req, []core.ObjectView{view(core.Project, 1, "old", 0)}, errors.New("x")) {
		t.Fatal("a result for the previous group was applied")
	}
	if tr.Children(Root) != nil {
		t.Fatal("stale children shown")
	}
}

func TestPathAndRef(t *testing.T) {
	if got := Path("Project:3/Dataset:5/Image:9"); !reflect.DeepEqual(got, []string{"Project:3", "Project:3/Dataset:5", "Project:3/Dataset:5/Image:9"}) {
		t.Errorf("Path = %q", got)
	}
	if r, err := Ref("Project:3/Dataset:5"); err != nil || r != (core.Ref{Class: core.Dataset, ID: 5}) {
		t.Errorf("Ref = %v, %v", r, err)
	}
	if r, err := Ref("OrphanedImages:0"); err != nil || r.Class != core.OrphanedImages {
		t.Errorf("Ref(orphans) = %v, %v", r, err)
	}
}

func TestDescribeAndChoices(t *testing.T) {
	v := view(core.Project, 5, "P", 2)
	v.OwnerName, v.GroupName, v.Level = "Ada Lovelace", "Training", core.ReadAnnotate
	v.Flags = core.Flags{CanAnnotate: true}
	d := Describe(&Node{View: v})
	fields := map[string]string{}
	for _, f := range d.Fields {
		fields[f.Label] = f.Value
	}
	if fields["ID"] != "Project:5" || fields["Permissions"] != "read-annotate (rwra--)" || fields["Contains"] != "2 datasets" {
		t.Errorf("fields = %v", fields)
	}
	if len(d.Flags) != 6 || d.Flags[0].Label != "Can edit" || d.Flags[0].Value || !d.Flags[1].Value {
		t.Errorf("flags = %+v", d.Flags)
	}
	me := core.Me{User: core.Experimenter{ID: 2}, Group: core.Group{ID: 9},
		Groups: []core.GroupInfo{{Group: core.Group{ID: 8, Name: "A"}}, {Group: core.Group{ID: 9, Name: "B"}, Members: []core.MemberInfo{
			{Experimenter: core.Experimenter{ID: 3, FirstName: "Zed", LastName: "Z"}, Owner: true},
			{Experimenter: core.Experimenter{ID: 2, FirstName: "Me", LastName: "Myself"}}}}}}
	if g, _ := DefaultGroup(me); g != 9 || DefaultOwner(me, 9) != 2 || DefaultOwner(me, 8) != core.AnyID {
		t.Error("defaults: the session's group, the user's own data where a member, everyone's elsewhere")
	}
	got := MemberChoices(me, 9)
	if exp := []Choice{AllMembers, {2, "Me Myself"}, {3, "Zed Z (owner)"}}; !reflect.DeepEqual(got, exp) {
		t.Errorf("members = %v", got)
	}
}

func TestPixelFields(t *testing.T) {
	got := PixelFields(core.PixelsInfo{SizeX: 512, SizeY: 256, SizeZ: 5, SizeC: 3, SizeT: 1, PixelType: "uint16",
		PhysicalSizeX: 0.13, PhysicalSizeY: 0.13, PhysicalSizeZ: 0.5},
		[]core.ChannelInfo{{Index: 0, Name: "457"}, {Index: 1, Name: "528"}, {Index: 2}})
	want := []Field{{"Dimensions", "512 × 256 pixels, 5 Z-sections, 3 channels"}, {"Pixel type", "uint16"},
		{"Pixel size", "0.13 × 0.13 × 0.5 µm"}, {"Channels", "457, 528, Channel 3"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PixelFields = %q", got)
	}
}

func TestAllMembersTreeOpensEachOwnersDataUnderTheirNode(t *testing.T) {
	tr := NewTree(3, core.AnyID)
	tr.GroupByOwner([]Choice{{ID: 7, Label: "Mike Member"}, {ID: 5, Label: "Olive Owner"}})
	if got := tr.Children(Root); !reflect.DeepEqual(got, []string{"Experimenter:7", "Experimenter:5"}) {
		t.Fatalf("top level = %q", got)
	}
	n, _ := tr.Node("Experimenter:5")
	if Label(n) != "Olive Owner" || !tr.IsBranch("Experimenter:5") {
		t.Errorf("owner node reads %q, branch %v", Label(n), tr.IsBranch("Experimenter:5"))
	}
	req, ok := tr.Begin("Experimenter:5")
	if !ok || req.Browse.Owner != 5 || !req.Browse.Parent.IsZero() {
		t.Fatalf("opening Olive's node asks %+v, want her top level", req.Browse)
	}
	tr.Fill(req, []core.ObjectView{view(core.Dataset, 9, "D", 1)}, nil)
	if tr.OwnerOf("Experimenter:5/Dataset:9") != 5 || tr.OwnerOf("Experimenter:7") != 7 {
		t.Error("nodes under an owner do not browse that owner's data")
	}
	req, _ = tr.Begin("Experimenter:5/Dataset:9")
	if req.Browse.Owner != 5 || req.Browse.Parent != (core.Ref{Class: core.Dataset, ID: 9}) {
		t.Errorf("opening her dataset asks %+v", req.Browse)
	}
	tr.Reset(3, 5)
	if tr.Grouped() || tr.OwnerOf("Dataset:9") != 5 {
		t.Error("a single-user view is still grouped")
	}
}
