package browser

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/graphreview"
)

// The Move & Copy items: Move to Group…, Change Owner…, Duplicate… and
// Duplicate to Group…, on the toolbar's Move & Copy button and after the
// Rendering items of a right-click. Items that do not apply are disabled;
// choosing one of those says why in the status bar.

// Graph menu labels.
const (
	MoveToGroup      = "Move to Group…"
	ChangeOwner      = "Change Owner…"
	DuplicateItem    = "Duplicate…"
	DuplicateToGroup = "Duplicate to Group…"
)

// GraphItems are the menu items for the selection.
func (v *View) GraphItems() []*fyne.MenuItem {
	sel := v.selectedViews()
	me := v.opts.Me
	dupWhy := graphreview.DuplicateWhy(me, sel)
	dupGroupWhy := dupWhy
	if dupGroupWhy == "" && len(graphreview.MoveDestinations(me, v.model.Group())) == 0 {
		dupGroupWhy = "You are a member of no other group to put the copies in."
	}
	items := []struct {
		label, why string
		run        func()
	}{
		{MoveToGroup, graphreview.MoveWhy(me, sel), func() { v.openMove(sel) }},
		{ChangeOwner, graphreview.ChownWhy(me, sel), func() { v.openChown(sel) }},
		{DuplicateItem, dupWhy, func() { v.openDuplicate(sel, false) }},
		{DuplicateToGroup, dupGroupWhy, func() { v.openDuplicate(sel, true) }},
	}
	out := make([]*fyne.MenuItem, 0, len(items))
	for _, it := range items {
		it := it
		mi := fyne.NewMenuItem(it.label, it.run)
		mi.Disabled = it.why != ""
		out = append(out, mi)
	}
	return out
}

// GraphWhy says why an item is disabled for the selection now ("" when
// it is enabled).
func (v *View) GraphWhy(label string) string {
	sel, me := v.selectedViews(), v.opts.Me
	switch label {
	case MoveToGroup:
		return graphreview.MoveWhy(me, sel)
	case ChangeOwner:
		return graphreview.ChownWhy(me, sel)
	}
	return graphreview.DuplicateWhy(me, sel)
}

// graphMenuWhy is the first reason an item is disabled, for the status bar.
func (v *View) graphMenuWhy() string {
	for _, l := range []string{MoveToGroup, ChangeOwner} {
		if why := v.GraphWhy(l); why != "" {
			return strings.TrimSuffix(l, "…") + ": " + why
		}
	}
	return ""
}

func (v *View) newGraphButton() *widget.Button {
	var b *widget.Button
	b = widget.NewButtonWithIcon("Move & Copy", theme.ContentCopyIcon(), func() {
		if why := v.graphMenuWhy(); why != "" {
			v.setStatus(why)
		}
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		widget.ShowPopUpMenuAtPosition(fyne.NewMenu("Move & Copy", v.GraphItems()...), v.opts.Window.Canvas(), pos.AddXY(0, b.Size().Height))
	})
	return b
}
