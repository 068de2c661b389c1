package ui_test

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// Save to All saves what the viewer shows as mike's own settings on every
// image of the dataset it was opened from; olive's stay as they were.
func TestSaveToAllSavesTheShownSettingsOnTheDatasetsImages(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 1)
	u := browseImaging(t, f, "mike", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	c := v.Controls()
	if c.SaveAll.Disabled() {
		t.Fatal("Save to All is disabled in a viewer opened from a dataset")
	}
	dragSlider(c.Channels[0].Window, 0.95, 0.4)
	end := v.Model().Settings.Channels[0].End
	test.Tap(c.SaveAll)
	imgs := f.images[core.ReadAnnotate]
	if want := "Saved these settings to " + itoa(len(imgs)) + " images of"; !strings.HasPrefix(v.Status(), want) {
		t.Errorf("after Save to All the viewer says %q, want it to start with %q", v.Status(), want)
	}
	if texts := shown(v.Window.Content()); contains(texts, "changed, not saved") {
		t.Errorf("after Save to All the viewer still says its settings are not saved: %q", texts)
	}
	mike := testrepo.Login(t, f.svc, "mike", password)
	olive := testrepo.Login(t, f.svc, "olive", password)
	for _, img := range imgs {
		mine, err := mike.ViewerRendering(context.Background(), img)
		must(t, err)
		if mine.Owner != v.Model().Me() || mine.Settings.Channels[0].End != end {
			t.Errorf("%s: mike sees settings of user %d with window end %v, want his own with %v", img, mine.Owner, mine.Settings.Channels[0].End, end)
		}
		owners, err := olive.ViewerRendering(context.Background(), img)
		must(t, err)
		if owners.Settings.Channels[0].End == end {
			t.Errorf("%s: olive's own settings changed with mike's Save to All", img)
		}
	}
}

// The "Settings of" menu lists every user's settings on the image and
// shows the one chosen.
func TestSettingsOfAnotherUserAreShownOnRequest(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 1)
	img := f.images[core.ReadAnnotate][0]
	mike := testrepo.Login(t, f.svc, "mike", password)
	mine := saveWindow(t, mike, img, 0, 150, 170)

	u := browseImaging(t, f, "olive", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	users := v.Controls().Users
	if len(users.Options) != 2 {
		t.Fatalf("the Settings of menu lists %q, want olive's and mike's", users.Options)
	}
	if !strings.HasSuffix(users.Options[0], "olive (yours, the owner's)") && !strings.HasSuffix(users.Options[1], "olive (yours, the owner's)") {
		t.Errorf("the menu does not name olive's own settings: %q", users.Options)
	}
	before := snapshot(v.Picture())
	for i, o := range users.Options {
		if strings.HasSuffix(o, "mike") {
			users.SetSelectedIndex(i)
		}
	}
	if got := v.Model().Settings.Channels[0]; got.Start != mine.Settings.Channels[0].Start || got.End != mine.Settings.Channels[0].End {
		t.Errorf("choosing mike's settings shows window %v-%v, want %v-%v", got.Start, got.End, mine.Settings.Channels[0].Start, mine.Settings.Channels[0].End)
	}
	if string(before) == string(snapshot(v.Picture())) {
		t.Error("the picture did not change to mike's settings")
	}
	if !strings.Contains(v.Status(), "mike") || !v.Model().Unsaved() {
		t.Errorf("the viewer says %q (unsaved: %v); want mike's settings shown, not saved as olive's", v.Status(), v.Model().Unsaved())
	}
}

// A change made from the browser's Rendering menu reaches an open viewer.
func TestViewerReloadsSettingsChangedElsewhere(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 1)
	img := f.images[core.ReadAnnotate][0]
	u := browseImaging(t, f, "olive", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	olive := testrepo.Login(t, f.svc, "olive", password)
	saved := saveWindow(t, olive, img, 1, 120, 130)
	v.Reload()
	if got := v.Model().Settings.Channels[1]; got.Start != saved.Settings.Channels[1].Start || got.End != saved.Settings.Channels[1].End {
		t.Errorf("after Reload the viewer shows channel 2's window %v-%v, want the stored %v-%v", got.Start, got.End, 120.0, 130.0)
	}
	if v.Model().Unsaved() {
		t.Error("after Reload the viewer says its settings differ from the stored ones")
	}
}
