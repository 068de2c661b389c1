package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// Helpers for the organising tests: menus, dialogs and keys as a user
// reaches them.

// organiseItem finds an item of the context menu by its label's start.
func organiseItem(t *testing.T, u *ui.UI, label string) *fyne.MenuItem {
	t.Helper()
	var labels []string
	items := u.Browser.ContextMenu().Items
	for i := 0; i < len(items); i++ {
		mi := items[i]
		if strings.HasPrefix(mi.Label, label) {
			return mi
		}
		if mi.ChildMenu != nil {
			items = append(items, mi.ChildMenu.Items...) // the New submenu
		}
		labels = append(labels, mi.Label)
	}
	t.Fatalf("the context menu has no %q: %q", label, labels)
	return nil
}

// chooseOrganise taps an enabled item of the context menu.
func chooseOrganise(t *testing.T, u *ui.UI, label string) {
	t.Helper()
	mi := organiseItem(t, u, label)
	if mi.Disabled {
		t.Fatalf("%q is disabled: %s", label, u.Browser.Status())
	}
	mi.Action()
}

func topOverlay(t *testing.T, u *ui.UI) fyne.CanvasObject {
	t.Helper()
	top := u.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is shown")
	}
	return top
}

// fillDialog types values into the entries of the dialog on top, in order.
func fillDialog(t *testing.T, u *ui.UI, values ...string) {
	t.Helper()
	var entries []*widget.Entry
	walkObjects(topOverlay(t, u), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
		return true
	})
	if len(entries) < len(values) {
		t.Fatalf("the dialog has %d entries, want %d", len(entries), len(values))
	}
	for i, v := range values {
		entries[i].SetText(v)
	}
}

func tapDialog(t *testing.T, u *ui.UI, button string) {
	t.Helper()
	test.Tap(findButton(t, topOverlay(t, u), button))
}

func dialogShown(u *ui.UI) bool {
	top := u.Window.Canvas().Overlays().Top()
	return top != nil && top.Visible()
}

func shortcut(u *ui.UI, s fyne.Shortcut) {
	u.Browser.Keys().(fyne.Shortcutable).TypedShortcut(s)
}

func key(u *ui.UI, k fyne.KeyName) {
	u.Browser.Keys().TypedKey(&fyne.KeyEvent{Name: k})
}

// namesIn lists what a container holds, read from the repository.
func namesIn(t *testing.T, s core.Session, group core.ID, c core.Ref) []string {
	t.Helper()
	views, err := s.Browse(context.Background(), core.BrowseRequest{Group: group, Owner: core.AnyID, Parent: c})
	must(t, err)
	var out []string
	for _, v := range views {
		out = append(out, v.DisplayName())
	}
	return out
}

// countOf counts the objects of a class named name in a group.
func countOf(t *testing.T, s core.Session, group core.ID, class core.Class, name string) int {
	t.Helper()
	views, err := s.List(context.Background(), class, core.AnyID, group)
	must(t, err)
	n := 0
	for _, v := range views {
		if v.Name == name {
			n++
		}
	}
	return n
}
