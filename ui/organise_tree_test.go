package ui_test

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"reflect"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// userRef is the tree UID of a member's node in "All members"
// ("Experimenter:3"), found by full name.
func (f *fixture) userRef(t *testing.T, fullName string) string {
	t.Helper()
	login := strings.ToLower(strings.Fields(fullName)[0])
	me, err := f.login(t, login).Me(context.Background())
	must(t, err)
	return core.Ref{Class: core.ClassExperimenter, ID: me.User.ID}.String()
}

// childLabels are the rows shown under uid (opened), in order.
func childLabels(u *ui.UI, uid string) []string {
	out := []string{}
	for _, c := range u.Browser.Tree.ChildUIDs(uid) {
		out = append(out, u.Browser.RowLabel(c))
	}
	return out
}

func TestAllMembersGroupsTheTreeByOwnerWithTheUserFirst(t *testing.T) {
	f := newFixture(t)
	for role, exp := range map[string][]string{
		"mike": {"Mike Member", "Olive Owner", "Pia Investigator"},
		"pia":  {"Pia Investigator", "Mike Member", "Olive Owner"},
	} {
		u := browseAs(t, f, role, core.ReadOnly, browse.AllMembers.Label)
		if got := childLabels(u, browse.Root); !reflect.DeepEqual(got, exp) {
			t.Errorf("%s: All members shows %q, want one node per owner %q", role, got, exp)
		}
		// Mike's and Olive's projects no longer sit side by side at the top.
		if got := treeShows(u); contains(got, "Olive project (1)") {
			t.Errorf("%s: closed owner nodes still show projects: %q", role, got)
		}
	}
	// One user's view stays as it was: their containers at the top.
	u := browseAs(t, f, "mike", core.ReadOnly, "Olive Owner")
	if got, exp := childLabels(u, browse.Root), []string{"Olive project (1)", "Orphaned Images (1)"}; !reflect.DeepEqual(got, exp) {
		t.Errorf("one user's view shows %q, want %q", got, exp)
	}
}

func TestSiblingsWithTheSameNameAreToldApartByID(t *testing.T) {
	f := newFixture(t)
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(context.Background(), f.groups[core.ReadWrite].ID))
	second := create(t, olive, core.Project, "name", "Olive project")
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	got := childLabels(u, browse.Root)
	first := f.oliveProject[core.ReadWrite]
	exp := []string{"Olive project · ID " + idOf(first) + " (1)", "Olive project · ID " + idOf(second) + " (0)", "Orphaned Images (1)"}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("two projects of one name show as %q, want %q", got, exp)
	}
}

func idOf(r core.Ref) string { return strings.TrimPrefix(r.String(), string(r.Class)+":") }

// The browser's keyboard handler takes Ctrl+C and Ctrl+V, but the
// window's own shortcuts still work while it has the focus.
func TestWindowShortcutsStillWorkWhileTheBrowserHasTheKeyboard(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	u.Browser.ClickRow(f.oliveProject[core.ReadWrite].String(), 0)
	if u.Window.Canvas().Focused() != u.Browser.Keys() {
		t.Fatal("a click on a row does not give the browser the keyboard")
	}
	fired := false
	sc := &desktop.CustomShortcut{KeyName: fyne.KeyJ, Modifier: fyne.KeyModifierControl}
	u.Window.Canvas().AddShortcut(sc, func(fyne.Shortcut) { fired = true })
	shortcut(u, sc)
	if !fired {
		t.Error("a window shortcut typed in the tree does not reach the window")
	}
}

// A right-click on the last row of a small window: the context menu
// (organising, then Rendering) stays inside the window, scrolling if it
// must, and its headings read whole.
func TestTheContextMenuStaysInsideTheWindow(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	u.Window.Resize(fyne.NewSize(900, 420))
	rightClickRow(t, u, "Orphaned Images (1)")
	top := u.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no menu popped up")
	}
	var menu *widget.PopUpMenu
	walkObjects(top, func(o fyne.CanvasObject) bool {
		if m, ok := o.(*widget.PopUpMenu); ok {
			menu = m
			return false
		}
		return true
	})
	if menu == nil {
		t.Fatal("no menu in the pop-up")
	}
	c := u.Window.Canvas().Size()
	p := menu.Position() // in the overlay, which covers the window
	if s := menu.Size(); p.Y < 0 || p.Y+s.Height > c.Height || p.X+s.Width > c.Width {
		t.Errorf("the menu at %v size %v runs off the %v window", p, s, c)
	}
	if got := texts(top); !contains(got, "Orphaned Images") || !contains(got, "Rendering of Orphaned Images") {
		t.Errorf("the menu's headings read %q", got)
	}
}

// A path given without its owner (--select Project:3/Dataset:5) still
// opens in the "All members" tree: under the owner's node.
func TestSelectPathFindsTheOwnersNodeInAllMembers(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "ada", core.ReadWrite, "") // an administrator outside the group: All members
	p, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)
	if got := u.Browser.SelectedRefs(); len(got) != 1 || got[0] != f.oliveDataset[core.ReadWrite] {
		t.Fatalf("SelectPath(%s) selected %v", d, got)
	}
	if got := childLabels(u, f.userRef(t, "Olive Owner")+"/"+p); !contains(got, "Olive dataset (2)") {
		t.Errorf("Olive's project under her node shows %q", got)
	}
}
