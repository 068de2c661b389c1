package ui_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// pencils are the details panel's icon-only pencil buttons: the name's,
// then the description's.
func pencils(t *testing.T, u *ui.UI) []*widget.Button {
	t.Helper()
	var out []*widget.Button
	walkObjects(u.Browser.Details(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*widget.Button); ok && b.Text == "" && b.Icon != nil && b.Icon.Name() == theme.DocumentCreateIcon().Name() {
			out = append(out, b)
		}
		return true
	})
	if len(out) != 2 {
		t.Fatalf("the General tab has %d pencils, want 2 (name and description)", len(out))
	}
	return out
}

// editing is the entry a pencil opened (it has the keyboard).
type editing interface {
	fyne.Focusable
	SetText(string)
}

func editInPlace(t *testing.T, u *ui.UI, pencil int, text string) editing {
	t.Helper()
	test.Tap(pencils(t, u)[pencil])
	e, ok := u.Window.Canvas().Focused().(editing)
	if !ok {
		t.Fatalf("the pencil gave the keyboard to %T, not an entry", u.Window.Canvas().Focused())
	}
	e.SetText(text)
	return e
}

func panelHas(u *ui.UI, text string) bool {
	for _, s := range panelShows(u) {
		if s == text {
			return true
		}
	}
	return false
}

// The owner renames her dataset in the details panel: a name of spaces is
// refused in the panel with nothing saved, Escape cancels, Enter saves and
// the tree row and the panel show the new name; the description is edited
// the same way with Save.
func TestRenameAndDescribeInPlaceInTheDetailsPanel(t *testing.T) {
	f := newFixture(t)
	olive := f.login(t, "olive")
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	p, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)
	u.Browser.ClickRow(d, 0)
	if !panelHas(u, "No description") {
		t.Errorf("the panel does not offer an empty description to edit: %q", panelShows(u))
	}

	e := editInPlace(t, u, 0, "   ")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !panelHas(u, "A name is needed: type at least one letter or digit.") {
		t.Errorf("a name of spaces says %q", panelShows(u))
	}
	if v, err := olive.Get(t.Context(), f.oliveDataset[core.ReadWrite]); err != nil || v.Name != "Olive dataset" {
		t.Fatalf("a name of spaces was saved: %q (%v)", v.Name, err)
	}
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if panelHas(u, "A name is needed: type at least one letter or digit.") || !panelHas(u, "Olive dataset") {
		t.Errorf("Escape left the panel showing %q", panelShows(u))
	}

	e = editInPlace(t, u, 0, "Renamed in place")
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := childLabels(u, p); len(got) != 1 || got[0] != "Renamed in place (2)" {
		t.Errorf("after renaming in place the project shows %q", got)
	}
	if !panelHas(u, "Renamed in place") || panelHas(u, "Olive dataset") {
		t.Errorf("after renaming the panel shows %q", panelShows(u))
	}
	if u.Browser.Status() != "Rename: saved “Renamed in place”." {
		t.Errorf("status %q", u.Browser.Status())
	}

	editInPlace(t, u, 1, "Cells on day 2\nfixed in PFA")
	test.Tap(findButton(t, u.Browser.Details(), "Save"))
	v, err := olive.Get(t.Context(), f.oliveDataset[core.ReadWrite])
	must(t, err)
	if v.Name != "Renamed in place" || v.Description != "Cells on day 2\nfixed in PFA" {
		t.Errorf("saved name %q, description %q", v.Name, v.Description)
	}
	if !panelHas(u, "Cells on day 2\nfixed in PFA") {
		t.Errorf("the panel shows %q after the description was saved", panelShows(u))
	}
}

// Mike may not edit Olive's dataset in read-annotate: both pencils are
// disabled and the reason is beside them, in the rename menu's words.
func TestPencilsDisabledWithTheReasonWhereTheUserMayNotEdit(t *testing.T) {
	f := newFixture(t)
	m := browseAs(t, f, "mike", core.ReadAnnotate, "Olive Owner")
	_, d := oliveUIDs(f, core.ReadAnnotate)
	m.Browser.SelectPath(d)
	m.Browser.ClickRow(d, 0)
	for i, b := range pencils(t, m) {
		if !b.Disabled() {
			t.Errorf("pencil %d is enabled for mike on Olive's dataset", i)
		}
	}
	why := "You may not edit dataset “Olive dataset”: it belongs to Olive Owner and the group is read-annotate."
	if !panelHas(m, why) {
		t.Errorf("the panel shows %q, not the reason", panelShows(m))
	}
	if got := m.Browser.OrganiseWhy("Rename…"); got != why {
		t.Errorf("the rename menu says %q, the panel %q", got, why)
	}
}

// A dataset someone else deleted while it was shown: saving its new name
// says so in the panel, and nothing is made.
func TestRenameInPlaceOfADatasetDeletedMeanwhileSaysSo(t *testing.T) {
	f := newFixture(t)
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(t.Context(), f.groups[core.ReadWrite].ID))
	doomed := create(t, olive, core.Dataset, "name", "Doomed dataset")
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	u.Browser.ClickRow(doomed.String(), 0)
	e := editInPlace(t, u, 0, "Saved")
	must(t, olive.Delete(t.Context(), doomed))
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want := "Dataset “Doomed dataset” no longer exists: someone else deleted it; refresh to see the tree as it is now."
	if !panelHas(u, want) {
		t.Errorf("the panel shows %q, want %q", panelShows(u), want)
	}
	if !strings.Contains(u.Browser.Status(), "no longer exists") {
		t.Errorf("status %q", u.Browser.Status())
	}
	all, err := olive.List(t.Context(), core.Dataset, core.AnyID, f.groups[core.ReadWrite].ID)
	must(t, err)
	for _, v := range all {
		if v.Name == "Saved" {
			t.Error("a dataset named Saved exists after the refused rename")
		}
	}
}
