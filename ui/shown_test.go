package ui_test

import (
	"testing"

	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// shown lists the texts of the visible labels under o, top to bottom and
// left to right: what a user reads on that part of the screen.
func shown(o fyne.CanvasObject) []string {
	type item struct {
		pos  fyne.Position
		text string
	}
	var items []item
	d := fyne.CurrentApp().Driver()
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			if w.Text != "" {
				items = append(items, item{d.AbsolutePositionForObject(w), w.Text})
			}
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i].pos, items[j].pos
		if a.Y != b.Y {
			return a.Y < b.Y
		}
		return a.X < b.X
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.text
	}
	return out
}

// after returns the text shown right after label in texts ("Can edit" → "no").
func after(texts []string, label string) (string, bool) {
	for i := 0; i+1 < len(texts); i++ {
		if texts[i] == label {
			return texts[i+1], true
		}
	}
	return "", false
}

func contains(texts []string, s string) bool {
	for _, t := range texts {
		if t == s {
			return true
		}
	}
	return false
}

// findButton finds a visible button by its text.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Button:
			if w.Text == text {
				found = w
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	return found
}
