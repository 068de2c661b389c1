package ui_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// The search field over the tree and the filters over the grid, driven as
// a user would: keys typed, buttons tapped; then what the grid, the details
// panel and the tree show.

// annotateKV gives an image a key-value table as its owner.
func annotateKV(t *testing.T, s core.Session, img core.Ref, pairs string) {
	t.Helper()
	a := create(t, s, core.MapAnnotation, "mapValue", pairs)
	create(t, s, core.ImageAnnotationLink, "parent", img.String(), "child", a.String())
}

func gridNames(u *ui.UI) []string {
	var out []string
	for _, im := range u.Browser.Grid.Images() {
		out = append(out, im.Name)
	}
	return out
}

func gridSays(u *ui.UI, text string) bool {
	return slices.Contains(shown(u.Browser.Grid.Content()), text)
}

// typeSearch types a query into the search field, key by key.
func typeSearch(u *ui.UI, q string) {
	s := u.Browser.Search()
	s.Field.SetText("")
	test.Type(s.Field, q)
}

func TestSearchFindsAnImageByAKeyValuePairAndShowsWhereItLives(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	img := f.oliveImage[core.ReadAnnotate]
	annotateKV(t, olive, img, "exposure=150;channel=GFP")

	u := browseAs(t, f, "mike", core.ReadAnnotate, browse.AllMembers.Label)
	typeSearch(u, "exposure>100")
	s := u.Browser.Search()
	if s.Error.Visible() {
		t.Fatalf("a good query shows an error: %q", s.Error.Text)
	}
	if got := gridNames(u); !slices.Equal(got, []string{"olive-2.tif"}) {
		t.Fatalf("exposure>100 shows %q, want olive-2.tif", got)
	}
	if !gridSays(u, "1 result for “exposure>100”") {
		t.Errorf("the grid's header: %q", shown(u.Browser.Grid.Content()))
	}
	if !gridSays(u, "Project Olive project / Dataset Olive dataset") {
		t.Errorf("the result does not say where it lives: %q", shown(u.Browser.Grid.Content()))
	}

	// Selecting the result shows its details as the tree would.
	u.Browser.Grid.Click(0, 0)
	if !slices.Contains(panelShows(u), "olive-2.tif") {
		t.Errorf("the details panel after selecting the result: %q", panelShows(u))
	}
	if u.Browser.Grid.Open.Disabled() {
		t.Error("Open is disabled for an image result")
	}
	test.Tap(u.Browser.Grid.Open)
	if vs := u.Viewers(); len(vs) != 1 {
		t.Errorf("Open on an image result opened %d viewers", len(vs))
	}

	// Show in tree opens the path and selects the image in its dataset.
	test.Tap(u.Browser.Grid.InTree)
	if u.Browser.Grid.ShowingResults() {
		t.Error("the grid still shows results after Show in tree")
	}
	if got := u.Browser.Grid.Shown().Ref; got != f.oliveDataset[core.ReadAnnotate] {
		t.Errorf("after Show in tree the grid lists %v, want the dataset", got)
	}
	if sel := u.Browser.Selection(); len(sel) != 1 || sel[0].View.Ref != img {
		t.Errorf("after Show in tree the selection is %v, want %v", sel, img)
	}

	// Escape goes back to the tree's selection.
	typeSearch(u, "gfp")
	if !u.Browser.Grid.ShowingResults() {
		t.Fatal("typing gfp shows no results")
	}
	s.Field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if u.Browser.Grid.ShowingResults() || s.Field.Text != "" {
		t.Errorf("after Escape: results %v, field %q", u.Browser.Grid.ShowingResults(), s.Field.Text)
	}
	if got := u.Browser.Grid.Shown().Ref; got != f.oliveDataset[core.ReadAnnotate] {
		t.Errorf("after Escape the grid lists %v, want the tree's dataset again", got)
	}
}

func TestSearchShowsABadQuerysSentenceUnderTheField(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	s := u.Browser.Search()
	for _, q := range []string{`"cell cycle`, "colour:red", "exposure>abc"} {
		typeSearch(u, q)
		if !s.Error.Visible() || s.Error.Text == "" {
			t.Errorf("%s: no sentence under the field", q)
			continue
		}
		if strings.Contains(s.Error.Text, "internal") {
			t.Errorf("%s: %q", q, s.Error.Text)
		}
		if n := len(u.Window.Canvas().Overlays().List()); n != 0 {
			t.Errorf("%s: %d dialogs opened", q, n)
		}
	}
	typeSearch(u, "olive")
	if s.Error.Visible() {
		t.Errorf("the sentence stays after a good query: %q", s.Error.Text)
	}
}

func TestSearchShowsNothingOfAnotherGroup(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	root := rootSession(t, f)
	own, err := root.CreateGroup(ctx, "Olive's bench", core.ReadOnly, "")
	must(t, err)
	me, err := f.login(t, "olive").Me(ctx)
	must(t, err)
	must(t, root.AddToGroup(ctx, own.ID, []core.ID{me.User.ID}, false))
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(ctx, own.ID))
	hidden := create(t, olive, core.Image, "name", "bench secret.tif")
	annotateKV(t, olive, hidden, "exposure=500")
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	annotateKV(t, olive, f.oliveImage[core.ReadAnnotate], "exposure=150")

	for _, c := range []struct {
		user string
		want []string
	}{{"mike", []string{"olive-2.tif"}}, {"olive", []string{"bench secret.tif", "olive-2.tif"}}} {
		u := browseAs(t, f, c.user, core.ReadAnnotate, "")
		s := u.Browser.Search()
		s.Group.SetSelected("All my groups")
		typeSearch(u, "exposure>100")
		got := gridNames(u)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s searching all groups: %q, want %q", c.user, got, c.want)
		}
		// This group only: the other group's image is left out.
		s.Group.SetSelected("This group")
		if got := gridNames(u); !slices.Equal(got, []string{"olive-2.tif"}) {
			t.Errorf("%s searching this group: %q", c.user, got)
		}
	}
}

func TestSearchPagesWithMore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	me, err := olive.Me(ctx)
	must(t, err)
	// 250 images in one transaction (the index follows the store).
	must(t, f.svc.Store().Write(ctx, func(tx core.Tx) error {
		for i := range 250 {
			o := core.Object{Ref: core.Ref{Class: core.Image}, Name: fmt.Sprintf("zebrafish %03d", i),
				Details: core.Details{Owner: me.User.ID, Group: f.groups[core.ReadAnnotate].ID}}
			if err := tx.CreateObject(&o); err != nil {
				return err
			}
		}
		return nil
	}))
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	typeSearch(u, "zebrafish")
	g := u.Browser.Grid
	if n := len(g.Images()); n != 200 || !g.More.Visible() {
		t.Fatalf("first page: %d results, More shown %v", n, g.More.Visible())
	}
	if !gridSays(u, "200 results for “zebrafish” (more follow)") {
		t.Errorf("header: %q", shown(g.Content()))
	}
	test.Tap(g.More)
	if n := len(g.Images()); n != 250 || g.More.Visible() {
		t.Errorf("after More: %d results, More shown %v", n, g.More.Visible())
	}
	seen := map[core.Ref]bool{}
	for _, im := range g.Images() {
		if seen[im.Ref] {
			t.Fatalf("%s shown twice", im.Name)
		}
		seen[im.Ref] = true
	}
}

func TestFiltersNarrowTheGrid(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	d := f.oliveDataset[core.ReadAnnotate]
	imgs := u2refs(u2names(t, olive, f.groups[core.ReadAnnotate].ID, d))
	annotateKV(t, olive, imgs["olive-1.tif"], "exposure=50")
	annotateKV(t, olive, imgs["olive-2.tif"], "exposure=150")
	tag := create(t, olive, core.TagAnnotation, "textValue", "Mitosis")
	create(t, olive, core.ImageAnnotationLink, "parent", imgs["olive-1.tif"].String(), "child", tag.String())

	u := browseAs(t, f, "mike", core.ReadAnnotate, browse.AllMembers.Label)
	u.Browser.SelectPath(f.oliveProject[core.ReadAnnotate].String() + "/" + d.String())
	g := u.Browser.Grid
	if got := gridNames(u); len(got) != 2 {
		t.Fatalf("the dataset shows %q", got)
	}
	test.Tap(g.FilterToggle)
	if !g.FilterName.Visible() {
		t.Fatal("Filter does not show the filters")
	}
	test.Type(g.FilterKV, "exposure>100")
	if got := gridNames(u); !slices.Equal(got, []string{"olive-2.tif"}) {
		t.Errorf("exposure>100: %q", got)
	}
	if !gridSays(u, "1 of 2 images") {
		t.Errorf("count: %q", shown(g.Content()))
	}
	g.FilterKV.SetText("")
	test.Type(g.FilterTag, "mito")
	if got := gridNames(u); !slices.Equal(got, []string{"olive-1.tif"}) {
		t.Errorf("tag mito: %q", got)
	}
	test.Type(g.FilterName, "2")
	if got := gridNames(u); len(got) != 0 || !gridSays(u, "Nothing here passes the filters.") {
		t.Errorf("tag mito and name 2: %q", got)
	}
	g.FilterTag.SetText("")
	g.FilterName.SetText("")
	g.FilterRating.SetSelected("Unrated")
	if got := gridNames(u); len(got) != 2 {
		t.Errorf("unrated: %q", got)
	}
	g.FilterRating.SetSelectedIndex(0)
	test.Type(g.FilterKV, "mitosis")
	if !g.FilterError.Visible() || len(gridNames(u)) != 2 {
		t.Errorf("a bad key-value filter: error %q shown %v, grid %q", g.FilterError.Text, g.FilterError.Visible(), gridNames(u))
	}

	// An image annotated meanwhile: the grid reads its annotations again
	// when told (the details panel tells it after each action).
	g.FilterKV.SetText("")
	test.Type(g.FilterTag, "fresh")
	if got := gridNames(u); len(got) != 0 {
		t.Fatalf("tag fresh before tagging: %q", got)
	}
	fresh := create(t, olive, core.TagAnnotation, "textValue", "fresh")
	create(t, olive, core.ImageAnnotationLink, "parent", imgs["olive-2.tif"].String(), "child", fresh.String())
	g.ForgetAnnotations([]core.Ref{imgs["olive-2.tif"]})
	if got := gridNames(u); !slices.Equal(got, []string{"olive-2.tif"}) {
		t.Errorf("tag fresh after tagging: %q", got)
	}
	g.FilterTag.SetText("")

	// The filters apply to search results too.
	g.FilterKV.SetText("")
	typeSearch(u, "olive")
	all := len(gridNames(u))
	test.Type(g.FilterKV, "exposure<100")
	if got := gridNames(u); !slices.Equal(got, []string{"olive-1.tif"}) || all < 2 {
		t.Errorf("search results filtered: %q of %d", got, all)
	}
}

func u2names(t *testing.T, s core.Session, g core.ID, d core.Ref) []core.ObjectView {
	t.Helper()
	vs, err := s.Browse(context.Background(), core.BrowseRequest{Group: g, Owner: core.AnyID, Parent: d})
	must(t, err)
	return vs
}

func u2refs(vs []core.ObjectView) map[string]core.Ref {
	out := map[string]core.Ref{}
	for _, v := range vs {
		out[v.Name] = v.Ref
	}
	return out
}

func TestCtrlFFocusesTheSearchField(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	sc := &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	u.Window.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
	if got := u.Window.Canvas().Focused(); got != fyne.Focusable(u.Browser.Search().Field) {
		t.Errorf("after Ctrl+F the focus is on %T", got)
	}
}

func TestSearchScopeRestrictsTypeOwnerAndDates(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "mike", core.ReadAnnotate, browse.AllMembers.Label)
	s := u.Browser.Search()
	test.Tap(s.ScopeButton)
	if !s.Type.Visible() {
		t.Fatal("the scope button does not show the scope row")
	}
	s.Type.SetSelected("Datasets")
	typeSearch(u, "olive")
	if got := gridNames(u); !slices.Equal(got, []string{"Olive dataset"}) {
		t.Errorf("olive, datasets only: %q", got)
	}
	s.Type.SetSelected("All types")
	s.Owner.SetSelected("Me")
	if got := gridNames(u); len(got) != 0 {
		t.Errorf("olive, owned by mike: %q", got)
	}
	s.Owner.SetSelected("Olive Owner")
	if got := gridNames(u); len(got) < 4 {
		t.Errorf("olive, owned by olive: %q", got)
	}
	// Imported before 2000: nothing; a date that is not one: a sentence.
	s.To.SetText("2000-01-01")
	s.To.OnSubmitted(s.To.Text)
	if got := gridNames(u); len(got) != 0 {
		t.Errorf("imported before 2000: %q", got)
	}
	s.To.SetText("yesterday")
	s.To.OnSubmitted(s.To.Text)
	if !s.Error.Visible() || !strings.Contains(s.Error.Text, "2024-05-31") {
		t.Errorf("a bad date: %q (shown %v)", s.Error.Text, s.Error.Visible())
	}
}

// The window's shortcuts still work while the cursor is in the search field
// (Fyne hands every shortcut to the focused entry, which would keep them).
func TestWindowShortcutsWorkWhileTypingASearch(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	ran := false
	custom := &desktop.CustomShortcut{KeyName: fyne.KeyJ, Modifier: fyne.KeyModifierShortcutDefault}
	u.Window.Canvas().AddShortcut(custom, func(fyne.Shortcut) { ran = true })
	field := u.Browser.Search().Field
	u.Window.Canvas().Focus(field)
	field.TypedShortcut(custom)
	if !ran {
		t.Error("a window shortcut typed in the search field did not reach the window")
	}
}
