package ui_test

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/ocular-lab/ocular/core"
)

// Arrows move in the grid and the tree; Enter opens the image.
func TestArrowsMoveAndEnterOpens(t *testing.T) {
	f := newImaging(t, 32, 24, 1, 1)
	u := browseImaging(t, f, "olive", core.ReadAnnotate)
	u.Browser.Grid.Click(0, 0)
	key(u, fyne.KeyRight)
	img, ok := u.Browser.Grid.Primary()
	if !ok || img.Ref != f.images[core.ReadAnnotate][1] {
		t.Fatalf("Right selects %v, want the second image", img.Ref)
	}
	key(u, fyne.KeyLeft)
	if img, _ := u.Browser.Grid.Primary(); img.Ref != f.images[core.ReadAnnotate][0] {
		t.Errorf("Left selects %v, want the first image", img.Ref)
	}
	before := len(u.Viewers())
	key(u, fyne.KeyReturn)
	if len(u.Viewers()) != before+1 {
		t.Errorf("Enter opened %d viewers", len(u.Viewers())-before)
	}

	// In the tree, Down goes to the next row.
	rows := u.Browser.Tree.ChildUIDs("")
	u.Browser.ClickRow(rows[0], 0)
	key(u, fyne.KeyDown)
	if got := u.Browser.SelectedRefs(); len(got) != 1 || got[0].Class != core.Dataset {
		t.Errorf("Down from the project selects %v, want its dataset", got)
	}
}
