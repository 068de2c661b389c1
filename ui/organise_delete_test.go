package ui_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// cliPlanSummary is what `ocular-cli delete OBJ --dry-run` plans for the
// same targets (its default keeps tags and file attachments), worded as
// the CLI prints the counts.
func cliPlanSummary(t *testing.T, s core.Session, refs ...core.Ref) string {
	t.Helper()
	req := core.GraphRequest{Op: core.OpDelete, DryRun: true, ChildOptions: core.ChildOptions{Exclude: []core.Class{core.TagAnnotation, core.FileAnnotation}}}
	for _, r := range refs {
		req.Targets = append(req.Targets, core.Target{Class: r.Class, IDs: []core.ID{r.ID}})
	}
	plan, err := s.PlanGraph(t.Context(), req)
	must(t, err)
	var parts []string
	for c, n := range plan.Review.Counts {
		parts = append(parts, fmt.Sprintf("%d %s", n, c))
	}
	sort.Slice(parts, func(i, j int) bool { return strings.Fields(parts[i])[1] < strings.Fields(parts[j])[1] })
	return strings.Join(parts, ", ")
}

// deleteFixture puts olive-1 in a second dataset of the read-write group.
func deleteFixture(t *testing.T) (*fixture, core.Session, core.Ref, core.Ref) {
	f := newFixture(t)
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(t.Context(), f.groups[core.ReadWrite].ID))
	other := create(t, olive, core.Dataset, "name", "Other dataset")
	kids, err := olive.Browse(t.Context(), core.BrowseRequest{Group: f.groups[core.ReadWrite].ID, Owner: core.AnyID, Parent: f.oliveDataset[core.ReadWrite]})
	must(t, err)
	img1 := kids[0].Ref // olive-1.tif
	create(t, olive, core.DatasetImageLink, "parent", other.String(), "child", img1.String())
	return f, olive, other, img1
}

func TestDeletingAnImageInTwoDatasetsWarnsNamingThem(t *testing.T) {
	f, olive, other, img1 := deleteFixture(t)
	g := f.groups[core.ReadWrite].ID
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	_, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)
	u.Browser.Grid.Click(0, 0)
	key(u, fyne.KeyDelete)
	got := texts(topOverlay(t, u))
	want := "Will be deleted: " + cliPlanSummary(t, olive, img1) + "."
	for _, s := range []string{want, browse.MultiLinkWarning, "• olive-1.tif (in Olive dataset, Other dataset)", "• Image: olive-1.tif"} {
		if !contains(got, s) {
			t.Errorf("the delete review lacks %q: %q", s, got)
		}
	}
	tapDialog(t, u, "Delete")
	for _, ds := range []core.Ref{f.oliveDataset[core.ReadWrite], other} {
		if names := namesIn(t, olive, g, ds); contains(names, "olive-1.tif") {
			t.Errorf("%s still holds the deleted image: %q", ds, names)
		}
	}
	if imgs := u.Browser.Grid.Images(); len(imgs) != 1 || imgs[0].Name != "olive-2.tif" {
		t.Errorf("the grid shows %d images after the delete", len(imgs))
	}
	if !strings.HasPrefix(u.Browser.Status(), "Deleted image “olive-1.tif”") {
		t.Errorf("status %q", u.Browser.Status())
	}
}

func TestDeletingADatasetKeepsImagesLinkedElsewhereAndSaysWhere(t *testing.T) {
	f, olive, other, img1 := deleteFixture(t)
	g := f.groups[core.ReadWrite].ID
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	p, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)
	u.Browser.ClickRow(d, 0)
	chooseOrganise(t, u, "Delete…")
	got := texts(topOverlay(t, u))
	want := "Will be deleted: " + cliPlanSummary(t, olive, f.oliveDataset[core.ReadWrite]) + "."
	for _, s := range []string{want, browse.KeptNote, "• olive-1.tif (also in Other dataset)", "• Dataset: Olive dataset", "• Image: olive-2.tif"} {
		if !contains(got, s) {
			t.Errorf("the delete review lacks %q: %q", s, got)
		}
	}
	tapDialog(t, u, "Delete")
	if names := namesIn(t, olive, g, other); !contains(names, "olive-1.tif") {
		t.Errorf("the image in another dataset was deleted: %q", names)
	}
	if got := childLabels(u, p); len(got) != 0 {
		t.Errorf("the project still shows %q", got)
	}
	_ = img1
}

// An object deleted by someone else while the review was open: a clear
// message, nothing else deleted.
func TestADeleteReviewedBeforeSomeoneElseChangedTheDataChangesNothing(t *testing.T) {
	f, olive, other, img1 := deleteFixture(t)
	g := f.groups[core.ReadWrite].ID
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	_, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)
	u.Browser.ClickRow(d, 0)
	key(u, fyne.KeyDelete)
	// Meanwhile, in another window, olive-1 leaves the other dataset.
	links, err := olive.List(t.Context(), core.DatasetImageLink, core.AnyID, g)
	must(t, err)
	for _, l := range links {
		if l.Parent == other.ID && l.Child == img1.ID {
			must(t, olive.Delete(t.Context(), l.Ref))
		}
	}
	tapDialog(t, u, "Delete")
	if got := texts(topOverlay(t, u)); !contains(got, "Nothing was deleted: the data changed since the review (someone else deleted or moved some of it); look again and retry") {
		t.Errorf("the window does not say why nothing was deleted: %q", got)
	}
	if names := namesIn(t, olive, g, f.oliveDataset[core.ReadWrite]); len(names) != 2 {
		t.Errorf("the dataset changed: %q", names)
	}
}

func TestDeleteIsRefusedWithTheReasonWhereTheRulesForbidIt(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "mike", core.ReadAnnotate, "Olive Owner")
	_, d := oliveUIDs(f, core.ReadAnnotate)
	u.Browser.SelectPath(d)
	u.Browser.ClickRow(d, 0)
	if !organiseItem(t, u, "Delete…").Disabled {
		t.Error("Delete is offered on Olive's dataset to mike in read-annotate")
	}
	test := u.Browser.Delete
	test.OnTapped()
	if want := "Delete…: You may not delete dataset “Olive dataset”: it belongs to Olive Owner and the group is read-annotate."; u.Browser.Status() != want {
		t.Errorf("the toolbar's Delete says %q, want %q", u.Browser.Status(), want)
	}
	if dialogShown(u) {
		t.Error("a refused delete opened a dialog")
	}
}
