package browser

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// Drag and drop. Fyne has no widget-to-widget drag and drop: tree rows and
// thumbnails are fyne.Draggable, and while one is dragged the browser
// hit-tests the pointer against the tree's rows on screen. The row under
// it is the drop target, highlighted, and the status bar says what a drop
// there does or why the rules refuse it (spec §1.5). A drop moves (the
// link to the container the objects were shown in goes, a link to the
// target is made); with Ctrl held it only links. A refused drop says why
// and changes nothing.

type dragState struct {
	items  []browse.Item
	target string // the UID of the row under the pointer, "" when none
	why    string // why a drop on target is refused, "" when it is not
}

// pointerOf is where a drag event's pointer is on the canvas: the driver
// gives it; test.Drag gives the start in the object and the move.
func pointerOf(o fyne.CanvasObject, e *fyne.DragEvent) fyne.Position {
	if !e.AbsolutePosition.IsZero() {
		return e.AbsolutePosition
	}
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(e.Position)
	return p.AddXY(e.Dragged.DX, e.Dragged.DY)
}

// dragFromTree starts or continues dragging tree rows (the selection when
// the row is in it).
func (v *View) dragFromTree(uid string, at fyne.Position) {
	if v.drag == nil {
		var items []browse.Item
		if v.marked[uid] && !v.fromGrid {
			items = v.Selection()
		} else if it, ok := v.item(uid); ok {
			items = []browse.Item{it}
		}
		v.startDrag(items)
	}
	v.dragOver(at)
}

// dragFromGrid starts or continues dragging thumbnails.
func (v *View) dragFromGrid(img core.ObjectView, at fyne.Position) {
	if v.drag == nil {
		items := []browse.Item{{View: img, Parent: v.Grid.Shown()}}
		sel := v.Grid.Selected()
		for _, s := range sel {
			if s.Ref == img.Ref && len(sel) > 1 {
				items = items[:0]
				for _, s := range sel {
					items = append(items, browse.Item{View: s, Parent: v.Grid.Shown()})
				}
				break
			}
		}
		v.startDrag(items)
	}
	v.dragOver(at)
}

func (v *View) startDrag(items []browse.Item) {
	v.drag = &dragState{items: items}
	v.event(fmt.Sprintf("drag %d", len(items)))
}

// dragOver hit-tests the pointer against the tree's rows.
func (v *View) dragOver(at fyne.Position) {
	d := v.drag
	if d == nil || len(d.items) == 0 {
		return
	}
	target := ""
	drv := fyne.CurrentApp().Driver()
	for _, r := range v.rows {
		if r.uid == "" || !r.Visible() {
			continue
		}
		p, s := drv.AbsolutePositionForObject(r), r.Size()
		if at.X >= p.X && at.X < p.X+s.Width && at.Y >= p.Y && at.Y < p.Y+s.Height {
			target = r.uid
			break
		}
	}
	if target == d.target {
		return
	}
	d.target, d.why = target, ""
	if target != "" {
		n, _ := v.model.Node(target)
		d.why = browse.DropWhy(d.items, n.View)
		if d.why == "" && toggles(heldNow()) {
			v.setStatus("Drop to link " + browse.SelectionPhrase(d.items) + " into " + browse.ShortName(n.View.DisplayName()) + " (they stay where they are too).")
		} else if d.why == "" {
			v.setStatus("Drop to move " + browse.SelectionPhrase(d.items) + " into " + browse.ShortName(n.View.DisplayName()) + " (hold Ctrl to link without moving).")
		} else {
			v.setStatus(d.why)
		}
	}
	v.Tree.Refresh() // the drop target's highlight
}

// dropTarget is the row highlighted as the drop target ("" when none).
func (v *View) dropTarget() string {
	if v.drag == nil {
		return ""
	}
	return v.drag.target
}

// endDrag drops on the row under the pointer.
func (v *View) endDrag(mods fyne.KeyModifier) {
	d := v.drag
	v.drag = nil
	v.Tree.Refresh()
	if d == nil || len(d.items) == 0 {
		return
	}
	if d.target == "" {
		v.setStatus("Dropped outside the tree's containers: nothing changed.")
		v.event("refused drop")
		return
	}
	n, _ := v.model.Node(d.target)
	if d.why != "" {
		v.setStatus("Drop refused: " + d.why)
		v.event("refused drop")
		dialog.ShowInformation("Drop refused: nothing changed", d.why, v.opts.Window)
		return
	}
	v.pasteClip(browse.Clipboard{Items: d.items, Cut: !toggles(mods)}, n.View)
}

// heldNow are the modifiers held at a drop (the keys went down in this
// window while dragging, so the driver's state is current).
func heldNow() fyne.KeyModifier {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()
	}
	return 0
}
