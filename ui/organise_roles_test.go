package ui_test

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/ocular-lab/ocular/core"
)

// linkOwner is the owner of the DatasetImageLink from ds to img.
func linkOwner(t *testing.T, f *fixture, group core.ID, ds, img core.Ref) core.ID {
	t.Helper()
	links, err := f.login(t, "olive").List(t.Context(), core.DatasetImageLink, core.AnyID, group)
	must(t, err)
	for _, l := range links {
		if l.Parent == ds.ID && l.Child == img.ID {
			return l.Owner
		}
	}
	t.Fatalf("no link from %s to %s", ds, img)
	return 0
}

func userID(t *testing.T, f *fixture, login string) core.ID {
	t.Helper()
	me, err := f.login(t, login).Me(t.Context())
	must(t, err)
	return me.User.ID
}

// Mike cannot link Olive's images into his dataset in a read-annotate
// group (disabled, with the reason; the keyboard changes nothing) and can
// in a read-write one, where the link is his. The PI's links are the PI's;
// an administrator's links belong to the image's owner (spec §3.4).
func TestLinkingOthersImagesFollowsTheGroupLevelAndLinkOwnership(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		user      string
		level     core.Level
		allowed   bool
		linkOwner string
	}{
		{"mike", core.ReadAnnotate, false, ""},
		{"mike", core.ReadOnly, false, ""},
		{"mike", core.ReadWrite, true, "mike"},
		{"pia", core.ReadAnnotate, true, "pia"},
		{"ada", core.ReadWrite, true, "olive"},
	} {
		t.Run(tc.user+"/"+tc.level.String(), func(t *testing.T) {
			g := f.groups[tc.level].ID
			s := f.login(t, "mike")
			must(t, s.SetGroup(t.Context(), g))
			target := create(t, s, core.Dataset, "name", tc.user+" target")
			u := browseAs(t, f, tc.user, tc.level, "Olive Owner")
			_, d := oliveUIDs(f, tc.level)
			u.Browser.SelectPath(d)
			u.Browser.Grid.Click(0, 0)
			copyItem := organiseItem(t, u, "Copy Link")
			if copyItem.Disabled == tc.allowed {
				t.Fatalf("Copy Link disabled=%v for %s on Olive's image in %s", copyItem.Disabled, tc.user, tc.level)
			}
			if !tc.allowed {
				shortcut(u, &fyne.ShortcutCopy{})
				want := "Copy Link: You may not link image “olive-1.tif”: it belongs to Olive Owner and the group is " + tc.level.String() + "."
				if u.Browser.Status() != want {
					t.Errorf("Ctrl+C says %q, want %q", u.Browser.Status(), want)
				}
				return
			}
			shortcut(u, &fyne.ShortcutCopy{})
			u.Browser.Members.SetSelected("Mike Member")
			u.Browser.ClickRow(target.String(), 0)
			shortcut(u, &fyne.ShortcutPaste{})
			if got := namesIn(t, s, g, target); !reflect.DeepEqual(got, []string{"olive-1.tif"}) {
				t.Fatalf("the paste put %q in mike's dataset (status %q)", got, u.Browser.Status())
			}
			kids, err := s.Browse(t.Context(), core.BrowseRequest{Group: g, Owner: core.AnyID, Parent: target})
			must(t, err)
			img := kids[0].Ref
			if got, want := linkOwner(t, f, g, target, img), userID(t, f, tc.linkOwner); got != want {
				t.Errorf("the link belongs to user %d, want %s (%d)", got, tc.linkOwner, want)
			}
		})
	}
}

// A paste the rules refuse says why and changes nothing: Olive's image
// into Mike's dataset, pasted by Olive in read-annotate.
func TestAPasteIntoAnothersDatasetIsRefusedWithTheReason(t *testing.T) {
	f := newFixture(t)
	g := f.groups[core.ReadAnnotate].ID
	mike := f.login(t, "mike")
	must(t, mike.SetGroup(t.Context(), g))
	target := create(t, mike, core.Dataset, "name", "Mike dataset")
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	_, d := oliveUIDs(f, core.ReadAnnotate)
	u.Browser.SelectPath(d)
	u.Browser.Grid.Click(0, 0)
	shortcut(u, &fyne.ShortcutCopy{})
	u.Browser.Members.SetSelected("Mike Member")
	u.Browser.ClickRow(target.String(), 0)
	if !organiseItem(t, u, "Paste Link").Disabled {
		t.Error("Paste Link is offered on another member's dataset in read-annotate")
	}
	shortcut(u, &fyne.ShortcutPaste{})
	want := "Paste Link: You may not link into dataset “Mike dataset”: it belongs to Mike Member and the group is read-annotate."
	if u.Browser.Status() != want {
		t.Errorf("Ctrl+V says %q, want %q", u.Browser.Status(), want)
	}
	if got := namesIn(t, mike, g, target); len(got) != 0 {
		t.Errorf("a refused paste linked %q", got)
	}
}

func TestNewDatasetFromSelectedImagesAndRanges(t *testing.T) {
	f := newFixture(t)
	g := f.groups[core.ReadWrite].ID
	olive := f.login(t, "olive")
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	p, d := oliveUIDs(f, core.ReadWrite)
	u.Browser.SelectPath(d)
	u.Browser.Tree.OpenBranch(d)
	kids := u.Browser.Tree.ChildUIDs(d)
	// Shift-click selects the visible range in the tree.
	u.Browser.ClickRow(p, 0)
	u.Browser.ClickRow(kids[1], fyne.KeyModifierShift)
	if got := len(u.Browser.Selection()); got != 4 || u.Browser.Status() != "1 project, 1 dataset and 2 images selected." {
		t.Errorf("Shift-click selected %d rows, status %q", got, u.Browser.Status())
	}
	if !organiseItem(t, u, "New Dataset from Selected Images").Disabled {
		t.Error("New Dataset from Selected Images is offered for a project")
	}
	// Ctrl+A in the grid, then the new dataset.
	u.Browser.ClickRow(d, 0)
	u.Browser.Grid.Click(0, 0)
	shortcut(u, &fyne.ShortcutSelectAll{})
	if got := len(u.Browser.SelectedRefs()); got != 2 {
		t.Fatalf("Ctrl+A selected %d images", got)
	}
	chooseOrganise(t, u, "New Dataset from Selected Images")
	fillDialog(t, u, "Best cells")
	tapDialog(t, u, "Create")
	views, err := olive.List(t.Context(), core.Dataset, core.AnyID, g)
	must(t, err)
	var made core.Ref
	for _, v := range views {
		if v.Name == "Best cells" {
			made = v.Ref
		}
	}
	if got := namesIn(t, olive, g, made); !reflect.DeepEqual(got, []string{"olive-1.tif", "olive-2.tif"}) {
		t.Errorf("the new dataset holds %q", got)
	}
	// A plain click clears the stale multi-selection message.
	u.Browser.ClickRow(p, 0)
	if u.Browser.Status() == "2 images selected." {
		t.Error("the status bar still counts the old selection")
	}
}
