package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// Helpers of the Move to Group, Change Owner, Duplicate and Activities
// tests: select a tree row, choose the item, find and tap the dialog's
// widgets, wait for the jobs, and the planner's own review of a request
// (the dry run the CLI's --dry-run --report prints) to compare with.

// selectRow selects the tree row of ref at the top level.
func selectRow(t *testing.T, u *ui.UI, ref core.Ref) {
	t.Helper()
	u.Browser.SelectPath(ref.String())
}

// graphItem runs the graph menu's item label; it fails the test when the
// item is disabled.
func graphItem(t *testing.T, u *ui.UI, label string) {
	t.Helper()
	for _, mi := range u.Browser.GraphItems() {
		if mi.Label == label {
			if mi.Disabled {
				t.Fatalf("%q is disabled: %s", label, u.Browser.GraphWhy(label))
			}
			mi.Action()
			return
		}
	}
	t.Fatalf("no item %q", label)
}

func graphDisabled(t *testing.T, u *ui.UI, label string) bool {
	t.Helper()
	for _, mi := range u.Browser.GraphItems() {
		if mi.Label == label {
			return mi.Disabled
		}
	}
	t.Fatalf("no item %q", label)
	return false
}

// find returns the first visible object of type T on top of the window
// for which ok says yes.
func find[T fyne.CanvasObject](t *testing.T, u *ui.UI, ok func(T) bool) T {
	t.Helper()
	var found T
	hit := false
	walkObjects(u.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if w, is := o.(T); is && ok(w) {
			found, hit = w, true
			return false
		}
		return true
	})
	if !hit {
		t.Fatalf("the dialog has no such %T; it shows %q", found, dialogTexts(u))
	}
	return found
}

func tapButton(t *testing.T, u *ui.UI, text string) {
	t.Helper()
	b := find(t, u, func(b *widget.Button) bool { return b.Text == text })
	if b.Disabled() {
		t.Fatalf("button %q is disabled; the dialog shows %q", text, dialogTexts(u))
	}
	test.Tap(b)
}

// waitJobs waits until every job of the session has ended.
func waitJobs(t *testing.T, u *ui.UI) []jobs.Info {
	t.Helper()
	m := u.Browser.Jobs()
	for _, i := range m.List() {
		j, _ := m.Get(i.ID)
		<-j.Done()
	}
	return m.List()
}

// reviewLines are the lines the planner's review has for req, as the
// dialogs word them.
func reviewLines(t *testing.T, s core.Session, req core.GraphRequest) []string {
	t.Helper()
	req.DryRun = true
	plan, err := s.PlanGraph(context.Background(), req)
	must(t, err)
	var out []string
	for _, sec := range graphreview.Sections(plan, nil) {
		out = append(out, sec.Title)
		for _, l := range sec.Lines {
			out = append(out, l.Text)
		}
	}
	return out
}

// dialogHas reports the lines of want the dialog does not show (bullets
// and accordion titles alike).
func missingLines(u *ui.UI, want []string) []string {
	got := dialogTexts(u)
	var missing []string
	for _, w := range want {
		if !contains(got, w) && !contains(got, "• "+w) {
			missing = append(missing, w)
		}
	}
	return missing
}

func idStr(r core.Ref) string { return strings.TrimPrefix(r.String(), string(r.Class)+":") }
