package grid

import (
	"fyne.io/fyne/v2"

	"github.com/ocular-lab/ocular/core"
)

// Multiple selection. widget.GridWrap selects one item at a time; the grid
// keeps the set of marked images itself and draws the marked cells
// highlighted. The GridWrap's own selection stays the primary image (the
// one the details panel shows, the Rendering menu's target); marked holds
// it and the others picked with Ctrl-click, Shift-click or Ctrl+A.

// toggles reports whether mods add to a selection (Ctrl, or Cmd on macOS).
func toggles(mods fyne.KeyModifier) bool {
	return mods&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0
}

// Click selects image id as a click with mods does: alone without
// modifiers, added or removed with Ctrl, the range from the last plain
// click with Shift.
func (v *View) Click(id int, mods fyne.KeyModifier) {
	if id < 0 || id >= len(v.images) {
		return
	}
	switch {
	case mods&fyne.KeyModifierShift != 0 && v.anchor >= 0 && v.anchor < len(v.images):
		lo, hi := min(v.anchor, id), max(v.anchor, id)
		v.marked = map[int]bool{}
		for i := lo; i <= hi; i++ {
			v.marked[i] = true
		}
		v.selectKeeping(id)
	case toggles(mods):
		if v.marked[id] && len(v.marked) > 1 {
			delete(v.marked, id)
			if id == v.selected {
				v.selectKeeping(v.firstMarked())
			}
		} else {
			v.marked[id] = true
			v.selectKeeping(id)
		}
		v.anchor = id
	default:
		v.marked = map[int]bool{id: true}
		v.anchor = id
		v.selectKeeping(id)
	}
	v.Grid.Refresh()
	v.markedChanged()
}

// SelectAll marks every image listed (Ctrl+A), keeping the primary one.
func (v *View) SelectAll() {
	if len(v.images) == 0 {
		return
	}
	v.marked = make(map[int]bool, len(v.images))
	for i := range v.images {
		v.marked[i] = true
	}
	if v.selected < 0 {
		v.selectKeeping(0)
	}
	v.Grid.Refresh()
	v.markedChanged()
}

// Move selects the image dx cells across and dy rows down from the
// primary one (the arrow keys), alone.
func (v *View) Move(dx, dy int) {
	if len(v.images) == 0 {
		return
	}
	if v.selected < 0 {
		v.Click(0, 0)
		return
	}
	cols := max(v.Grid.ColumnCount(), 1)
	next := min(max(v.selected+dx+dy*cols, 0), len(v.images)-1)
	v.Click(next, 0)
	v.Grid.ScrollTo(next)
}

// Selected lists the marked images in grid order; the primary one alone
// when nothing else is marked.
func (v *View) Selected() []core.ObjectView {
	var out []core.ObjectView
	for i, im := range v.images {
		if v.marked[i] || i == v.selected {
			out = append(out, im)
		}
	}
	return out
}

// Primary is the image the details panel shows (ok false when none).
func (v *View) Primary() (core.ObjectView, bool) {
	if v.selected < 0 || v.selected >= len(v.images) {
		return core.ObjectView{}, false
	}
	return v.images[v.selected], true
}

// selectKeeping makes id the GridWrap's selection without resetting the
// marked set (OnSelected would start a new selection otherwise).
func (v *View) selectKeeping(id int) {
	v.extending = true
	defer func() { v.extending = false }()
	if id < 0 {
		v.Grid.UnselectAll()
		return
	}
	v.Grid.Select(id)
}

func (v *View) firstMarked() int {
	for i := range v.images {
		if v.marked[i] {
			return i
		}
	}
	return -1
}

func (v *View) markedChanged() {
	if v.opts.OnMarked != nil {
		v.opts.OnMarked(v.Selected())
	}
}
