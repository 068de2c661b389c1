package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/importwin"
)

// The Import window: a queue with targets, a failure in the middle, an
// administrator importing for a user, a folder with nothing importable and
// a target removed while importing, over a real repository.

// openImport taps the toolbar's Import button.
func openImport(t *testing.T, u *ui.UI) *importwin.Window {
	t.Helper()
	if u.ImportButton == nil {
		t.Fatal("the toolbar has no Import button")
	}
	test.Tap(u.ImportButton)
	if u.Import == nil || !u.Import.Window.Content().Visible() {
		t.Fatal("the Import button opened no Import window")
	}
	return u.Import
}

// rowTexts is what the Import window shows.
func importTexts(w *importwin.Window) []string { return shown(w.Window.Content()) }

func TestImportWindowQueuesEntriesWithTargetsAndTheImagesAppear(t *testing.T) {
	f := newFixture(t)
	src := t.TempDir()
	testrepo.WriteTIFF(t, filepath.Join(src, "a.tif"), 32, 24, 1)
	must(t, os.Mkdir(filepath.Join(src, "run2"), 0o755))
	testrepo.WriteTIFF(t, filepath.Join(src, "run2", "b.tif"), 32, 24, 2)
	testrepo.WriteTIFF(t, filepath.Join(src, "run2", "c.tif"), 32, 24, 3)

	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	w := openImport(t, u)
	if w.For.Disabled() == false {
		t.Error("a plain member is offered Import for")
	}
	// A new dataset for a.tif, with a tag.
	w.Target.SetSelected(importwin.NewDataset)
	if !w.NewName.Visible() {
		t.Fatal("choosing New dataset… shows no name field")
	}
	test.Type(w.NewName, "Fresh run")
	test.Type(w.Tags, "imported, desktop")
	w.Add([]string{filepath.Join(src, "a.tif")})
	// The folder into Olive's existing dataset.
	if !w.SelectTarget("Dataset: Olive project / Olive dataset") {
		t.Fatalf("the dataset chooser has no Olive dataset: %q", w.Target.Options)
	}
	w.Tags.SetText("")
	w.Add([]string{filepath.Join(src, "run2")})
	got := importTexts(w)
	for _, want := range []string{"a.tif", "→ New dataset “Fresh run”", "run2", "Waiting", "0 of 2 imported"} {
		if !contains(got, want) {
			t.Errorf("before Start the window shows %q, missing %q", got, want)
		}
	}
	test.Tap(w.Start)
	got = importTexts(w)
	for _, want := range []string{"Imported 1 image", "Imported 2 images", "2 of 2 imported"} {
		if !contains(got, want) {
			t.Errorf("after the run the window shows %q, missing %q", got, want)
		}
	}
	// The tree shows the new dataset with its image, and the existing one
	// holds the folder's images.
	if rows := treeShows(u); !contains(rows, "Fresh run (1)") {
		t.Errorf("the tree shows %q, want the new dataset Fresh run (1)", rows)
	}
	olive := f.login(t, "olive")
	lab := f.groups[core.ReadAnnotate].ID
	if names := namesIn(t, olive, lab, f.oliveDataset[core.ReadAnnotate]); !contains(names, "b.tif") || !contains(names, "c.tif") {
		t.Errorf("Olive dataset holds %q", names)
	}
	fresh := w.Queue.Entries()[0].Into
	u.Browser.SelectPath(fresh.String())
	var inGrid []string
	for _, v := range u.Browser.Grid.Images() {
		inGrid = append(inGrid, v.Name)
	}
	if len(inGrid) != 1 || inGrid[0] != "a.tif" {
		t.Errorf("the grid of the new dataset shows %q", inGrid)
	}
	// Each entry is in the activities, with Show.
	u.Browser.ShowActivities()
	if !contains(dialogTexts(u), "Imported 1 image.") || !contains(dialogTexts(u), "Imported 2 images.") {
		t.Errorf("the activities say %q", dialogTexts(u))
	}
	// The newest first: Show selects the folder's images in Olive dataset.
	u.Browser.SelectPath(f.oliveProject[core.ReadAnnotate].String())
	u.Browser.ShowActivities()
	tapButton(t, u, "Show")
	if g := u.Browser.Grid.Shown(); g.Ref != f.oliveDataset[core.ReadAnnotate] {
		t.Errorf("after Show the grid shows %s, want Olive dataset", g.Ref)
	}
}

func TestImportWindowAFailureInTheMiddleIsListedWithRetry(t *testing.T) {
	f := newFixture(t)
	src := t.TempDir()
	good1, notImage, truncated, good2 := filepath.Join(src, "first.tif"), filepath.Join(src, "notes.tif"), filepath.Join(src, "cut.tif"), filepath.Join(src, "last.tif")
	testrepo.WriteTIFF(t, good1, 16, 16, 1)
	must(t, os.WriteFile(notImage, []byte("meeting notes"), 0o644))
	testrepo.WriteTruncatedTIFF(t, truncated, 64, 64)
	testrepo.WriteTIFF(t, good2, 16, 16, 2)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	w := openImport(t, u)
	// Dropped onto the main window, as from a file manager.
	var uris []fyne.URI
	for _, p := range []string{good1, notImage, truncated, good2} {
		uris = append(uris, storage.NewFileURI(p))
	}
	u.ImportDropped(importwin.Paths(uris))
	test.Tap(w.Start)
	got := importTexts(w)
	if !contains(got, "2 of 4 imported, 2 failed") {
		t.Errorf("the window shows %q, want 2 of 4 imported, 2 failed", got)
	}
	var reasons []string
	for _, s := range got {
		if strings.Contains(s, "Nothing of it was imported.") {
			reasons = append(reasons, s)
		}
	}
	if len(reasons) != 2 || !strings.Contains(reasons[0], "not in a format Ocular recognises") || !strings.Contains(reasons[1], "damaged or incomplete") {
		t.Errorf("the failures say %q", reasons)
	}
	olive := f.login(t, "olive")
	lab := f.groups[core.ReadAnnotate].ID
	orphans := namesIn(t, olive, lab, core.Ref{Class: core.OrphanedImages})
	if !contains(orphans, "first.tif") || !contains(orphans, "last.tif") || contains(orphans, "cut.tif") || contains(orphans, "notes.tif") {
		t.Errorf("orphaned images: %q", orphans)
	}
	if !w.RetryAll.Visible() {
		t.Error("two failures offer no Retry all failed")
	}
	// Fix the truncated file, Retry: it imports.
	testrepo.WriteTIFF(t, truncated, 64, 64, 3)
	retries := 0
	for _, e := range w.Queue.Entries() {
		if e.Name == "cut.tif" {
			retries++
			tapRetry(t, w, e.ID)
		}
	}
	if retries != 1 {
		t.Fatal("no cut.tif entry")
	}
	if got := importTexts(w); !contains(got, "3 of 4 imported, 1 failed") {
		t.Errorf("after Retry the window shows %q", got)
	}
	if orphans := namesIn(t, olive, lab, core.Ref{Class: core.OrphanedImages}); !contains(orphans, "cut.tif") {
		t.Errorf("after Retry the orphaned images are %q", orphans)
	}
}

// tapRetry taps the Retry button of the entry's row.
func tapRetry(t *testing.T, w *importwin.Window, id int) {
	t.Helper()
	b := w.RowButton(id, "Retry")
	if b == nil || !b.Visible() {
		t.Fatal("the failed entry has no Retry button")
	}
	test.Tap(b)
}

func TestImportWindowAnAdministratorImportsForAUser(t *testing.T) {
	f := newFixture(t)
	src := filepath.Join(t.TempDir(), "for-olive.tif")
	testrepo.WriteTIFF(t, src, 16, 16, 1)
	// Ada is a full administrator; she browses the read-annotate group.
	u := browseAs(t, f, "ada", core.ReadAnnotate, "")
	w := openImport(t, u)
	if w.For.Disabled() {
		t.Fatal("an administrator is not offered Import for")
	}
	picked := false
	for _, o := range w.For.Options {
		if strings.HasPrefix(o, "Olive Owner") {
			w.For.SetSelected(o)
			picked = true
		}
	}
	if !picked {
		t.Fatalf("Import for offers %q", w.For.Options)
	}
	w.Target.SetSelected(importwin.NewDataset)
	test.Type(w.NewName, "For Olive")
	w.Add([]string{src})
	test.Tap(w.Start)
	e := w.Queue.Entries()[0]
	if len(e.Images) != 1 {
		t.Fatalf("the entry made %v: %q", e.Images, importTexts(w))
	}
	olive := f.login(t, "olive")
	me, err := olive.Me(t.Context())
	must(t, err)
	for _, r := range []core.Ref{e.Into, e.Images[0]} {
		v, err := olive.Get(t.Context(), r)
		must(t, err)
		if v.Owner != me.User.ID {
			t.Errorf("%s is owned by user %d, want Olive (%d)", r, v.Owner, me.User.ID)
		}
	}
}

func TestImportWindowAFolderWithNothingImportableSaysSo(t *testing.T) {
	f := newFixture(t)
	dir := filepath.Join(t.TempDir(), "notes")
	must(t, os.Mkdir(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("hi"), 0o644))
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	w := openImport(t, u)
	w.Add([]string{dir})
	if !w.Problems.Visible() || !strings.Contains(w.Problems.Text, "The folder notes holds nothing Ocular can import") {
		t.Errorf("the window says %q (visible %v)", w.Problems.Text, w.Problems.Visible())
	}
	if len(w.Queue.Entries()) != 0 {
		t.Error("an empty folder was queued")
	}
}

func TestImportWindowATargetRemovedWhileImporting(t *testing.T) {
	f := newFixture(t)
	src := t.TempDir()
	first, second := filepath.Join(src, "first.tif"), filepath.Join(src, "second.tif")
	testrepo.WriteTIFF(t, first, 16, 16, 1)
	testrepo.WriteTIFF(t, second, 16, 16, 2)
	lab := f.groups[core.ReadAnnotate].ID
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(t.Context(), lab))
	ds := create(t, olive, core.Dataset, "name", "Soon gone")

	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	w := openImport(t, u)
	if !w.SelectTarget("Dataset: Soon gone") {
		t.Fatalf("no Soon gone in %q", w.Target.Options)
	}
	w.Add([]string{first})
	test.Tap(w.Start)
	// Someone deletes the dataset; the next file queued for it fails with
	// a sentence and leaves nothing behind.
	_, err := olive.RunGraph(t.Context(), core.GraphRequest{Op: core.OpDelete, Targets: []core.Target{{Class: core.Dataset, IDs: []core.ID{ds.ID}}}})
	must(t, err)
	w.Add([]string{second})
	test.Tap(w.Start)
	got := importTexts(w)
	found := false
	for _, s := range got {
		if strings.Contains(s, "The target dataset no longer exists") && strings.Contains(s, "nothing was imported") {
			found = true
		}
	}
	if !found {
		t.Errorf("the window shows %q", got)
	}
	if n := countOf(t, olive, lab, core.Image, "second.tif"); n != 0 {
		t.Errorf("second.tif was imported %d times into a removed target", n)
	}
}

// The toolbar, Import button included, fits a 1366-pixel laptop screen.
func TestTheMainWindowWithImportFitsALaptopScreen(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	if w := u.Browser.Content().MinSize().Width; w > 1366 {
		t.Errorf("the main window needs %.0f pixels of width, more than a 1366-pixel screen", w)
	}
}

// Ctrl+I opens the Import window from the browser.
func TestCtrlIOpensTheImportWindow(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadAnnotate, "")
	shortcut(u, &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault})
	if u.Import == nil {
		t.Fatal("Ctrl+I opened no Import window")
	}
}
