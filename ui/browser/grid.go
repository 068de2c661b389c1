package browser

import (
	"fmt"

	"fyne.io/fyne/v2"

	"github.com/ocular-lab/ocular/app/browse"
	appgrid "github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui/grid"
)

// gridHint is what the grid says when no container is selected.
const gridHint = "Select a dataset, a plate, a well or Orphaned Images to see its images."

func (v *View) newGrid() *grid.View {
	o := grid.Options{
		Run: v.opts.Run, Session: v.opts.Session,
		Scale: func() float32 { return v.opts.Window.Canvas().Scale() },
		// A thumbnail chosen in the grid fills the details panel.
		OnSelect: func(img core.ObjectView) {
			v.selected = img
			v.fromGrid = true
			v.details.show(&browse.Node{View: img})
			if img.Class == core.Image {
				v.loadImage(img.Ref)
			}
		},
		// A click (with Ctrl or Shift, or Ctrl+A) changed the selected
		// thumbnails: the actions take them, the keyboard goes to the grid.
		OnDrag:    func(img core.ObjectView, at fyne.Position) { v.dragFromGrid(img, at) },
		OnDragEnd: func() { v.endDrag(heldNow()) },
		OnMarked: func([]core.ObjectView) {
			v.fromGrid = true
			v.focusKeys(paneGrid)
			v.selectionChanged()
		},
	}
	// A right-click on a thumbnail opens the context menu for the selected
	// images (organising, then Rendering for the image clicked).
	o.OnSecondary = func(img core.ObjectView, at fyne.Position) {
		v.selected = img // the grid's OnSelect may have run already
		v.fromGrid = true
		v.focusKeys(paneGrid)
		v.showContextMenu(at)
	}
	o.OnError = v.trouble // offline or expired: the banner or the password dialog
	if ev := v.opts.OnEvent; ev != nil {
		o.OnListed = func(c core.ObjectView, n int) { ev(fmt.Sprintf("grid %s %d images", c.Ref, n)) }
	}
	if open := v.opts.OnOpenImage; open != nil {
		o.OnOpen = func(img core.ObjectView) { open(img, v.Grid.Shown()) }
	}
	if a := fyne.CurrentApp(); a != nil {
		o.Prefs = a.Preferences() // the thumbnail size, kept between runs
	}
	o.OnMore = v.moreResults
	o.OnShowInTree = v.showInTree
	if ev := v.opts.OnEvent; ev != nil {
		o.OnFiltered = func(shown, of int) { ev(fmt.Sprintf("grid filtered %d of %d", shown, of)) }
	}
	if v.thumbs != nil { // a nil *Service must not become a non-nil interface
		o.Thumbs = v.thumbs
	}
	g := grid.New(o)
	g.Clear(gridHint)
	return g
}

// showInGrid shows the images of the selected container; for an image, those
// of the container it sits in, with it selected.
func (v *View) showInGrid(uid string, n *browse.Node) {
	v.showPlate(n.View.Class == core.Plate)
	if n.View.Class == core.Plate {
		v.Plate.Show(n.View)
		return
	}
	if appgrid.Shows(n.View.Class) {
		v.Grid.Show(v.model.Group(), v.model.OwnerOf(uid), n.View, core.Ref{})
		return
	}
	if n.View.Class == core.Image {
		path := browse.Path(uid)
		if len(path) >= 2 {
			if p, ok := v.model.Node(path[len(path)-2]); ok && appgrid.Shows(p.View.Class) {
				v.Grid.Show(v.model.Group(), v.model.OwnerOf(uid), p.View, n.View.Ref)
				return
			}
		}
	}
	v.Grid.Clear(gridHint)
}
