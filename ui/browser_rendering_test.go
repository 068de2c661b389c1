package ui_test

import (
	"bytes"
	"context"
	"image"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui"
)

// The browser's Rendering menu, driven as a user would: a right-click on a
// tree row or a thumbnail, an item of the menu that pops up, and what the
// status bar, the result dialog and the repository say afterwards.

// rightClickRow right-clicks the tree row that shows text.
func rightClickRow(t *testing.T, u *ui.UI, text string) {
	t.Helper()
	var row fyne.SecondaryTappable
	walkObjects(u.Browser.Tree, func(o fyne.CanvasObject) bool {
		if st, ok := o.(fyne.SecondaryTappable); ok && contains(texts(o), text) {
			row = st
			return false
		}
		return true
	})
	if row == nil {
		t.Fatalf("no tree row %q that takes a right-click: the tree shows %q", text, treeShows(u))
	}
	test.TapSecondary(row)
}

// rightClickCell right-clicks the n-th thumbnail of the grid.
func rightClickCell(t *testing.T, u *ui.UI, n int) {
	t.Helper()
	cells := gridCells(u.Browser.Grid.Grid)
	if len(cells) <= n {
		t.Fatalf("the grid shows %d cells", len(cells))
	}
	st, ok := cells[n].(fyne.SecondaryTappable)
	if !ok {
		t.Fatal("a thumbnail does not take right-clicks")
	}
	test.TapSecondary(st)
}

// popUpMenu is the menu shown on top of the window, with its items' labels.
func popUpMenu(t *testing.T, u *ui.UI) (fyne.CanvasObject, []string) {
	t.Helper()
	top := u.Window.Canvas().Overlays().Top()
	if top == nil || !contains(texts(top), "Set Min/Max") {
		t.Fatal("no Rendering menu popped up")
	}
	return top, texts(top)
}

// choose taps the menu item labelled item in the menu that popped up.
func choose(t *testing.T, u *ui.UI, item string) {
	t.Helper()
	menu, labels := popUpMenu(t, u)
	var found fyne.Tappable
	walkObjects(menu, func(o fyne.CanvasObject) bool {
		if tp, ok := o.(fyne.Tappable); ok && o != menu {
			if ts := texts(o); len(ts) == 1 && ts[0] == item {
				found = tp
				return false
			}
		}
		return true
	})
	if found == nil {
		t.Fatalf("the menu has no item %q: %q", item, labels)
	}
	test.Tap(found)
}

// disabled reports whether the Rendering menu's item is disabled for the
// selection now.
func disabled(t *testing.T, u *ui.UI, item string) bool {
	t.Helper()
	for _, mi := range u.Browser.RenderingMenu().Items {
		if mi.Label == item {
			return mi.Disabled
		}
	}
	t.Fatalf("the Rendering menu has no %q", item)
	return false
}

// dialogTexts are the texts of the dialog on top of the window.
func dialogTexts(u *ui.UI) []string {
	if top := u.Window.Canvas().Overlays().Top(); top != nil {
		return texts(top)
	}
	return nil
}

// texts lists every text under o (labels and plain canvas texts).
func texts(o fyne.CanvasObject) []string {
	var out []string
	walkObjects(o, func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *widget.Label:
			if w.Text != "" {
				out = append(out, w.Text)
			}
			return false
		case *canvas.Text:
			if w.Text != "" {
				out = append(out, w.Text)
			}
		}
		return true
	})
	return out
}

// walkObjects visits the visible objects under o, depth first, until fn
// returns false for one (then not below it either, and no more).
func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) {
	stop := false
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if stop || o == nil || !o.Visible() {
			return
		}
		if !fn(o) {
			if _, isLabel := o.(*widget.Label); !isLabel {
				stop = true
			}
			return
		}
		switch w := o.(type) {
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
}

// window0 is channel 0's window in the settings user sees on img.
func window0(t *testing.T, s core.Session, img core.Ref) (float64, float64) {
	t.Helper()
	def, err := s.ViewerRendering(context.Background(), img)
	must(t, err)
	return def.Settings.Channels[0].Start, def.Settings.Channels[0].End
}

// A member's Set Min/Max on the owner's dataset in a read-annotate group
// stores the member's own settings on every image, windowed to each
// channel's min and max, and leaves the owner's settings alone.
func TestSetMinMaxOnAnothersDatasetKeepsTheOwnersSettings(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	olive := testrepo.Login(t, f.svc, "olive", password)
	imgs := f.images[core.ReadAnnotate]
	saveWindow(t, olive, imgs[0], 0, 111, 2222)

	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	rightClickRow(t, u, "Cells (2)")
	_, items := popUpMenu(t, u)
	for _, want := range []string{"Rendering of dataset “Cells”", "Paste Settings", "Set Min/Max", "Set Full Range", "Set Imported", "Set Owner's", "Rename Channels…"} {
		if !contains(items, want) {
			t.Errorf("the menu lacks %q: %q", want, items)
		}
	}
	if !disabled(t, u, "Paste Settings") || !disabled(t, u, "Rename Channels…") || disabled(t, u, "Set Min/Max") {
		t.Error("want Paste disabled (nothing copied), Rename disabled (mike may not edit olive's images), Set Min/Max enabled")
	}
	choose(t, u, "Set Min/Max")
	if got, want := u.Browser.Status(), "Set the channel windows to min/max on 2 images of dataset “Cells”."; got != want {
		t.Errorf("the status bar says %q, want %q", got, want)
	}
	if top := u.Window.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog opened although nothing was skipped: %q", texts(top))
	}

	mike := testrepo.Login(t, f.svc, "mike", password)
	ctx := context.Background()
	for _, img := range imgs {
		_, chs, err := mike.ImageDetails(ctx, img)
		must(t, err)
		if lo, hi := window0(t, mike, img); lo != chs[0].StatsMin || hi != chs[0].StatsMax {
			t.Errorf("%s: mike sees channel 1 at %v..%v, want its min/max %v..%v", img, lo, hi, chs[0].StatsMin, chs[0].StatsMax)
		}
		defs, err := mike.RenderingDefs(ctx, img)
		must(t, err)
		if len(defs) != 2 {
			t.Errorf("%s has %d users' settings, want olive's and mike's", img, len(defs))
		}
	}
	if lo, hi := window0(t, olive, imgs[0]); lo != 111 || hi != 2222 {
		t.Errorf("olive's own settings changed to %v..%v", lo, hi)
	}
}

// Paste Settings onto a dataset skips the image whose channels do not fit
// and says which and why; the clipboard is the viewers' one.
func TestPasteOntoADatasetReportsTheIncompatibleImage(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	ctx := context.Background()
	olive := testrepo.Login(t, f.svc, "olive", password)
	must(t, olive.SetGroup(ctx, f.groups[core.ReadAnnotate].ID))
	path := filepath.Join(t.TempDir(), "three-channels.ome.tiff")
	writeCells(t, path, 64, 48, 3, 1)
	sum, err := importer.Run(ctx, importer.Config{Session: olive, Thumbs: thumbcache.ForRepository(f.dir),
		Open: func(p string) (formats.Reader, error) { return ome.Open(p) }}, []string{path}, importer.Options{Dataset: f.dataset[core.ReadAnnotate]}, nil)
	must(t, err)
	must(t, sum.Err())

	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	if n := len(u.Browser.Grid.Images()); n != 3 {
		t.Fatalf("the grid shows %d images, want 3", n)
	}
	rightClickCell(t, u, 0)
	choose(t, u, "Copy Settings")
	if !strings.HasPrefix(u.Browser.Status(), "Copied the settings of “read-annotate-cells-1.ome.tiff”") {
		t.Errorf("after Copy Settings the status bar says %q", u.Browser.Status())
	}
	rightClickRow(t, u, "Cells (3)")
	choose(t, u, "Paste Settings")
	got := dialogTexts(u)
	for _, want := range []string{"Changed 2 images; skipped 1:", "• three-channels.ome.tiff: it has 3 channels; the copied image has 2"} {
		if !contains(got, want) {
			t.Errorf("the result dialog does not say %q: %q", want, got)
		}
	}
	mike := testrepo.Login(t, f.svc, "mike", password)
	for _, img := range f.images[core.ReadAnnotate] {
		defs, err := mike.RenderingDefs(ctx, img)
		must(t, err)
		if len(defs) != 2 {
			t.Errorf("%s: %d users' settings after the paste, want olive's and mike's", img, len(defs))
		}
	}
	// The viewers paste what the browser copied.
	v := openViewer(t, u, 1)
	test.Tap(v.Controls().Paste)
	if !strings.Contains(v.Status(), "read-annotate-cells-1.ome.tiff") {
		t.Errorf("the viewer's Paste after the browser's Copy says %q", v.Status())
	}
}

// The owner renames the channels of every image of a dataset; an empty box
// keeps a name.
func TestRenameChannelsOfADatasetAsItsOwner(t *testing.T) {
	f := newImaging(t, 32, 24, 2, 1)
	u := browseImaging(t, f, "olive", core.ReadAnnotate)
	rightClickRow(t, u, "Cells (2)")
	choose(t, u, "Rename Channels…")
	var entries []*widget.Entry
	walkObjects(u.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
		return true
	})
	if len(entries) != 2 || entries[0].PlaceHolder != "Keep “DAPI”" || entries[1].PlaceHolder != "Keep “GFP”" {
		t.Fatalf("the dialog shows %d entries (want 2, for DAPI and GFP): %q", len(entries), dialogTexts(u))
	}
	test.Type(entries[0], "Nuclei")
	test.Tap(findButton(t, u.Window.Canvas().Overlays().Top(), "Rename"))
	if got, want := u.Browser.Status(), "Renamed the channels of 2 images of dataset “Cells”."; got != want {
		t.Errorf("the status bar says %q, want %q", got, want)
	}
	olive := testrepo.Login(t, f.svc, "olive", password)
	for _, img := range f.images[core.ReadAnnotate] {
		_, chs, err := olive.ImageDetails(context.Background(), img)
		must(t, err)
		if chs[0].Name != "Nuclei" || chs[1].Name != "GFP" {
			t.Errorf("%s's channels are %q, %q; want Nuclei, GFP", img, chs[0].Name, chs[1].Name)
		}
	}
}

// In a read-only group a member may keep settings of their own but not
// rename the owner's channels: the item is disabled and the status bar
// says why. In a private group, the PI cannot keep settings on a member's
// images at all.
func TestItemsNeedingRightsTheUserLacksAreDisabled(t *testing.T) {
	f := buildImaging(t, []core.Level{core.ReadOnly, core.Private}, 1, 32, 24, 2, 1)
	u := browseImaging(t, f, "mike", core.ReadOnly)
	rightClickRow(t, u, "Cells (1)")
	if !disabled(t, u, "Rename Channels…") {
		t.Error("Rename Channels is offered to a member on the owner's dataset in a read-only group")
	}
	if want := "You may not rename the channels of dataset “Cells”: it belongs to o olive and the group is read-only."; u.Browser.Status() != want {
		t.Errorf("the status bar says %q, want %q", u.Browser.Status(), want)
	}
	choose(t, u, "Set Imported")
	if got, want := u.Browser.Status(), "Restored the imported settings on 1 image of dataset “Cells”."; got != want {
		t.Errorf("Set Imported in a read-only group: %q, want %q", got, want)
	}

	pi := browseImaging(t, f, "pia", core.Private)
	rightClickRow(t, pi, "Cells (1)")
	for _, item := range []string{"Set Min/Max", "Set Full Range", "Set Imported", "Set Owner's", "Paste Settings"} {
		if !disabled(t, pi, item) {
			t.Errorf("%s is offered to the PI on a member's dataset in a private group", item)
		}
	}
	if st := pi.Browser.Status(); !strings.Contains(st, "where only the owner keeps rendering settings") {
		t.Errorf("the status bar does not say why: %q", st)
	}
}

// The owner's Set Full Range redraws the grid's thumbnails, which show the
// owner's settings.
func TestThumbnailOfAChangedImageIsRedrawn(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "olive", core.ReadAnnotate)
	cell := gridCells(u.Browser.Grid.Grid)[0].(fyne.CanvasObject)
	before := snapshot(thumbnail(cell).(*image.RGBA))
	rightClickCell(t, u, 0)
	if _, items := popUpMenu(t, u); !contains(items, "Rendering of image “read-annotate-cells-1.ome.tiff”") {
		t.Errorf("the menu does not name the image right-clicked: %q", items)
	}
	choose(t, u, "Set Full Range")
	if !strings.HasPrefix(u.Browser.Status(), "Set the channel windows to the full range on image") {
		t.Fatalf("the status bar says %q", u.Browser.Status())
	}
	after := snapshot(thumbnail(cell).(*image.RGBA))
	if bytes.Equal(before, after) {
		t.Error("the thumbnail still shows the settings from before Set Full Range")
	}
	// The toolbar's Rendering button opens the same menu for the selection.
	test.Tap(u.Browser.Rendering)
	if _, items := popUpMenu(t, u); !contains(items, "Set Owner's") {
		t.Errorf("the Rendering button's menu shows %q", items)
	}
	if !disabled(t, u, "Set Owner's") {
		t.Error("Set Owner's is offered on the user's own image")
	}
}
