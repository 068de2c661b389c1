package browser

import (
	"fmt"

	"fyne.io/fyne/v2"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// Multiple selection in the tree. widget.Tree selects one node at a time;
// the browser keeps the set of marked rows itself and draws them
// highlighted. The tree's own selection stays the primary node: the one
// the details panel shows and the Rendering menu acts on. The organising
// actions (links, delete, new dataset from images) act on Selection: the
// marked rows, or the marked thumbnails when the grid was clicked last.

func toggles(mods fyne.KeyModifier) bool {
	return mods&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0
}

// ClickRow selects a tree row as a click with mods does: alone without
// modifiers, added or removed with Ctrl, the range of visible rows from
// the last plain click with Shift.
func (v *View) ClickRow(uid string, mods fyne.KeyModifier) {
	if n, ok := v.model.Node(uid); !ok || n.Placeholder != "" {
		return
	}
	switch {
	case mods&fyne.KeyModifierShift != 0 && v.anchor != "":
		rows := v.visibleRows()
		a, b := indexOfUID(rows, v.anchor), indexOfUID(rows, uid)
		if a < 0 || b < 0 {
			v.ClickRow(uid, 0)
			return
		}
		v.marked = map[string]bool{}
		for _, r := range rows[min(a, b) : max(a, b)+1] {
			v.marked[r] = true
		}
		v.selectRowKeeping(uid)
	case toggles(mods):
		if v.marked[uid] && len(v.marked) > 1 {
			delete(v.marked, uid)
			if uid == v.primary {
				for _, r := range v.visibleRows() {
					if v.marked[r] {
						v.selectRowKeeping(r)
						break
					}
				}
			}
		} else {
			v.marked[uid] = true
			v.selectRowKeeping(uid)
		}
		v.anchor = uid
	default:
		v.marked, v.anchor = map[string]bool{uid: true}, uid
		if v.primary == uid {
			v.fromGrid = false // the tree's Select does nothing on its own selection
		}
		v.Tree.Select(uid)
	}
	v.fromGrid = false
	v.Tree.Refresh()
	v.focusKeys(paneTree)
	v.selectionChanged()
}

// selectRowKeeping makes uid the tree's selection without resetting the
// marked set.
func (v *View) selectRowKeeping(uid string) {
	v.extending = true
	defer func() { v.extending = false }()
	v.Tree.Select(uid)
}

// visibleRows lists the rows shown, top to bottom (open branches only).
func (v *View) visibleRows() []string {
	var out []string
	var walk func(string)
	walk = func(uid string) {
		for _, c := range v.model.Children(uid) {
			out = append(out, c)
			if v.model.IsBranch(c) && v.Tree.IsBranchOpen(c) {
				walk(c)
			}
		}
	}
	walk(browse.Root)
	return out
}

func indexOfUID(rows []string, uid string) int {
	for i, r := range rows {
		if r == uid {
			return i
		}
	}
	return -1
}

// Selection is what the organising actions act on: the thumbnails
// selected in the grid when it was clicked last, else the marked tree
// rows, top to bottom, each with the container it is shown in.
func (v *View) Selection() []browse.Item {
	if v.fromGrid {
		shown := v.Grid.Shown()
		var out []browse.Item
		for _, img := range v.Grid.Selected() {
			out = append(out, browse.Item{View: img, Parent: shown})
		}
		return out
	}
	var out []browse.Item
	for _, uid := range v.visibleRows() {
		if !v.marked[uid] {
			continue
		}
		if it, ok := v.item(uid); ok {
			out = append(out, it)
		}
	}
	if len(out) == 0 && v.primary != "" {
		if it, ok := v.item(v.primary); ok { // selected programmatically, scrolled out of an open branch
			out = append(out, it)
		}
	}
	return out
}

// SelectedRefs are the refs of Selection: the targets to hand to panels
// that act on several objects at once (annotations, batch actions).
func (v *View) SelectedRefs() []core.Ref { return browse.Refs(v.Selection()) }

// item describes a tree node with the container it sits in.
func (v *View) item(uid string) (browse.Item, bool) {
	n, ok := v.model.Node(uid)
	if !ok || n.Placeholder != "" {
		return browse.Item{}, false
	}
	it := browse.Item{UID: uid, View: n.View}
	if path := browse.Path(uid); len(path) >= 2 {
		if p, ok := v.model.Node(path[len(path)-2]); ok && p.View.Class != core.ClassExperimenter {
			it.Parent = p.View
		}
	}
	return it, true
}

// selectionChanged keeps the status bar true to the selection: a message
// about an earlier selection goes, several objects are counted.
func (v *View) selectionChanged() {
	sel := v.Selection()
	if len(sel) > 1 {
		v.setStatus(capitalizeFirst(browse.SelectionPhrase(sel)) + " selected.")
	} else {
		v.setStatus("")
	}
	if v.opts.OnSelectionChanged != nil {
		v.opts.OnSelectionChanged(browse.Refs(sel))
	}
	v.event(fmt.Sprintf("selection %d", len(sel)))
}

func capitalizeFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
