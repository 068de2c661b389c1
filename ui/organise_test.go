package ui_test

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// uids of Olive's project, dataset and images in her own view of level.
func oliveUIDs(f *fixture, l core.Level) (project, dataset string) {
	project = f.oliveProject[l].String()
	return project, project + "/" + f.oliveDataset[l].String()
}

func TestNewDatasetGoesIntoTheSelectedProjectAndAnEmptyNameIsRefused(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	olive := f.login(t, "olive")
	g := f.groups[core.ReadWrite].ID
	p, _ := oliveUIDs(f, core.ReadWrite)
	u.Browser.ClickRow(p, 0)

	chooseOrganise(t, u, "New Dataset…")
	if got := texts(topOverlay(t, u)); !contains(got, "It goes into project “Olive project”.") {
		t.Errorf("the dialog does not say where the dataset goes: %q", got)
	}
	fillDialog(t, u, "   ", "spaces only")
	tapDialog(t, u, "Create")
	if !dialogShown(u) || !contains(texts(topOverlay(t, u)), "A name is needed: type at least one letter or digit.") {
		t.Fatalf("a name of spaces is not refused in the dialog: %q", texts(topOverlay(t, u)))
	}
	if n := countOf(t, olive, g, core.Dataset, ""); n != 0 {
		t.Fatalf("%d unnamed datasets were made", n)
	}
	fillDialog(t, u, "  Day 2  ", "second day")
	tapDialog(t, u, "Create")
	if got := namesIn(t, olive, g, f.oliveProject[core.ReadWrite]); !reflect.DeepEqual(got, []string{"Day 2", "Olive dataset"}) {
		t.Errorf("the project holds %q, want the new dataset beside the old", got)
	}
	if got := childLabels(u, browse.Root); !contains(got, "Olive project (2)") {
		t.Errorf("the tree still shows %q after the create", got)
	}
	if got := childLabels(u, p); !contains(got, "Day 2 (0)") {
		t.Errorf("the reopened project shows %q", got)
	}

	// New Project from the toolbar's menu: at the top level.
	u.Browser.ClickRow(p, 0)
	chooseOrganise(t, u, "New Project…")
	fillDialog(t, u, "Second project")
	tapDialog(t, u, "Create")
	if got := childLabels(u, browse.Root); !contains(got, "Second project (0)") {
		t.Errorf("the new project is not at the top: %q", got)
	}
}

func TestRenameWithF2AndDescription(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	_, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)
	u.Browser.ClickRow(d, 0)
	key(u, fyne.KeyF2)
	fillDialog(t, u, "")
	tapDialog(t, u, "Rename")
	if !dialogShown(u) {
		t.Fatal("an empty name closed the rename dialog")
	}
	fillDialog(t, u, "Renamed dataset")
	tapDialog(t, u, "Rename")
	p, _ := oliveUIDs(f, core.ReadWrite)
	if got := childLabels(u, p); !reflect.DeepEqual(got, []string{"Renamed dataset (2)"}) {
		t.Errorf("after F2 the project shows %q", got)
	}
	if u.Browser.Status() != "Rename: saved “Renamed dataset”." {
		t.Errorf("status %q", u.Browser.Status())
	}
	chooseOrganise(t, u, "Edit Description…")
	fillDialog(t, u, "Cells on day 1")
	tapDialog(t, u, "Save")
	v, err := f.login(t, "olive").Get(t.Context(), f.oliveDataset[core.ReadWrite])
	must(t, err)
	if v.Description != "Cells on day 1" {
		t.Errorf("description %q", v.Description)
	}

	// Mike may not rename Olive's dataset in read-annotate: disabled, with the reason.
	m := browseAs(t, f, "mike", core.ReadAnnotate, "Olive Owner")
	_, d = oliveUIDs(f, core.ReadAnnotate)
	m.Browser.SelectPath(d)
	m.Browser.ClickRow(d, 0)
	if !organiseItem(t, m, "Rename…").Disabled {
		t.Error("mike may rename Olive's dataset in read-annotate")
	}
	key(m, fyne.KeyF2)
	if want := "Rename…: You may not edit dataset “Olive dataset”: it belongs to Olive Owner and the group is read-annotate."; m.Browser.Status() != want {
		t.Errorf("F2 says %q, want %q", m.Browser.Status(), want)
	}
	if dialogShown(m) {
		t.Error("F2 opened a dialog for a refused rename")
	}
}

// Copy Link and Paste Link with the keyboard put an image in a second
// dataset; Cut Link moves one; Remove from Container unlinks.
func TestCopyCutPasteAndRemoveLinks(t *testing.T) {
	f := newFixture(t)
	olive := f.login(t, "olive")
	g := f.groups[core.ReadWrite].ID
	must(t, olive.SetGroup(t.Context(), g))
	other := create(t, olive, core.Dataset, "name", "Other dataset")
	third := create(t, olive, core.Dataset, "name", "Third dataset")
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	_, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)
	u.Browser.Grid.Click(0, 0)
	u.Browser.Grid.Click(1, fyne.KeyModifierControl)
	if got := u.Browser.SelectedRefs(); len(got) != 2 || u.Browser.Status() != "2 images selected." {
		t.Fatalf("Ctrl-click selects %v, status %q", got, u.Browser.Status())
	}
	shortcut(u, &fyne.ShortcutCopy{})
	u.Browser.ClickRow(other.String(), 0)
	shortcut(u, &fyne.ShortcutPaste{})
	if got := namesIn(t, olive, g, other); !reflect.DeepEqual(got, []string{"olive-1.tif", "olive-2.tif"}) {
		t.Fatalf("Paste Link put %q in the other dataset", got)
	}
	if got := namesIn(t, olive, g, f.oliveDataset[core.ReadWrite]); len(got) != 2 {
		t.Errorf("a copy removed images from their dataset: %q", got)
	}
	if got := childLabels(u, browse.Root); !contains(got, "Other dataset (2)") {
		t.Errorf("the tree shows %q after the paste", got)
	}
	// Pasting again links nothing twice.
	shortcut(u, &fyne.ShortcutPaste{})
	if !strings.Contains(u.Browser.Status(), "2 were already there") {
		t.Errorf("a second paste says %q", u.Browser.Status())
	}

	// Cut Link moves: the link to the source dataset goes.
	u.Browser.Tree.OpenBranch(other.String())
	u.Browser.ClickRow(u.Browser.Tree.ChildUIDs(other.String())[0], 0)
	shortcut(u, &fyne.ShortcutCut{})
	mikeDS := third
	u.Browser.ClickRow(mikeDS.String(), 0)
	shortcut(u, &fyne.ShortcutPaste{})
	if got := namesIn(t, olive, g, mikeDS); !reflect.DeepEqual(got, []string{"olive-1.tif"}) {
		t.Errorf("Cut and Paste put %q in the third dataset", got)
	}
	if got := namesIn(t, olive, g, other); !reflect.DeepEqual(got, []string{"olive-2.tif"}) {
		t.Errorf("after the cut the other dataset holds %q", got)
	}

	// Remove from Container unlinks, the image stays.
	u.Browser.Tree.OpenBranch(mikeDS.String())
	u.Browser.ClickRow(u.Browser.Tree.ChildUIDs(mikeDS.String())[0], 0)
	chooseOrganise(t, u, "Remove from Dataset “Third dataset”")
	if got := namesIn(t, olive, g, mikeDS); len(got) != 0 {
		t.Errorf("Remove from Container left %q", got)
	}
	if got := namesIn(t, olive, g, f.oliveDataset[core.ReadWrite]); !contains(got, "olive-1.tif") {
		t.Errorf("the image was deleted, not unlinked: %q", got)
	}
}
