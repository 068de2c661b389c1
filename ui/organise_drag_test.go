package ui_test

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// centreOfRow is the middle of the tree row that reads label, on the canvas.
func centreOfRow(t *testing.T, u *ui.UI, label string) fyne.Position {
	t.Helper()
	var row fyne.CanvasObject
	walkObjects(u.Browser.Tree, func(o fyne.CanvasObject) bool {
		if _, ok := o.(fyne.Draggable); ok && contains(texts(o), label) {
			row = o
			return false
		}
		return true
	})
	if row == nil {
		t.Fatalf("no tree row %q: %q", label, treeShows(u))
	}
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(row)
	return p.AddXY(row.Size().Width/2, row.Size().Height/2)
}

// dragCell drags the n-th thumbnail onto the tree row that reads label.
func dragCell(t *testing.T, u *ui.UI, n int, label string) {
	t.Helper()
	cells := gridCells(u.Browser.Grid.Grid)
	if len(cells) <= n {
		t.Fatalf("the grid shows %d cells", len(cells))
	}
	cell := cells[n].(fyne.CanvasObject)
	from := fyne.CurrentApp().Driver().AbsolutePositionForObject(cell).AddXY(10, 10)
	to := centreOfRow(t, u, label)
	test.Drag(u.Window.Canvas(), from, to.X-from.X, to.Y-from.Y)
}

func dragRow(t *testing.T, u *ui.UI, label, onto string) {
	t.Helper()
	from, to := centreOfRow(t, u, label), centreOfRow(t, u, onto)
	test.Drag(u.Window.Canvas(), from, to.X-from.X, to.Y-from.Y)
}

func TestDragAndDropMovesImagesDatasetsAndOrphans(t *testing.T) {
	f := newFixture(t)
	g := f.groups[core.ReadWrite].ID
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(t.Context(), g))
	other := create(t, olive, core.Dataset, "name", "Other dataset")
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	_, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)

	// An image from the grid onto another dataset: moved.
	dragCell(t, u, 0, "Other dataset (0)")
	if got := namesIn(t, olive, g, other); !reflect.DeepEqual(got, []string{"olive-1.tif"}) {
		t.Fatalf("the drop put %q in the other dataset (status %q)", got, u.Browser.Status())
	}
	if got := namesIn(t, olive, g, f.oliveDataset[core.ReadWrite]); !reflect.DeepEqual(got, []string{"olive-2.tif"}) {
		t.Errorf("after the move Olive's dataset holds %q", got)
	}

	// An orphaned image into a dataset: linked, no longer an orphan.
	u.Browser.ClickRow("OrphanedImages:0", 0)
	dragCell(t, u, 0, "Other dataset (1)")
	if got := namesIn(t, olive, g, other); !reflect.DeepEqual(got, []string{"olive-1.tif", "olive-orphan.tif"}) {
		t.Errorf("the orphan's drop left the dataset with %q", got)
	}

	// A dataset onto a project.
	dragRow(t, u, "Other dataset (2)", "Olive project (1)")
	if got := namesIn(t, olive, g, f.oliveProject[core.ReadWrite]); !reflect.DeepEqual(got, []string{"Olive dataset", "Other dataset"}) {
		t.Errorf("the project holds %q after the drop", got)
	}

	// An image onto a project: refused with the reason, nothing changed.
	u.Browser.SelectPath(d)
	dragCell(t, u, 0, "Olive project (2)")
	if want := "Drop refused: Images can only be dropped on a dataset, not on project “Olive project”."; u.Browser.Status() != want {
		t.Errorf("the refused drop says %q, want %q", u.Browser.Status(), want)
	}
	if got := namesIn(t, olive, g, f.oliveDataset[core.ReadWrite]); !reflect.DeepEqual(got, []string{"olive-2.tif"}) {
		t.Errorf("a refused drop changed the dataset: %q", got)
	}
}

// Mike drags Olive's image onto his dataset in read-annotate: refused
// with the reason (spec §1.5), nothing changed.
func TestADropTheRulesRefuseSaysWhy(t *testing.T) {
	f := newFixture(t)
	g := f.groups[core.ReadAnnotate].ID
	mike := f.login(t, "mike")
	must(t, mike.SetGroup(t.Context(), g))
	mine := create(t, mike, core.Dataset, "name", "Mike dataset")
	u := browseAs(t, f, "mike", core.ReadAnnotate, "All members")
	olive, me := f.userRef(t, "Olive Owner"), f.userRef(t, "Mike Member")
	u.Browser.Tree.OpenBranch(me)
	u.Browser.SelectPath(olive + "/" + f.oliveProject[core.ReadAnnotate].String() + "/" + f.oliveDataset[core.ReadAnnotate].String())
	dragCell(t, u, 0, "Mike dataset (0)")
	if want := "Drop refused: You may not link image “olive-1.tif”: it belongs to Olive Owner and the group is read-annotate."; u.Browser.Status() != want {
		t.Errorf("the refused drop says %q, want %q", u.Browser.Status(), want)
	}
	if got := namesIn(t, mike, g, mine); len(got) != 0 {
		t.Errorf("a refused drop linked %q", got)
	}
}
