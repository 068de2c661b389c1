package ui_test

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
)

// The details panel follows changes made in another window: a channel
// renamed in the viewer shows in the browser's General tab at once.
func TestChannelRenamedInTheViewerShowsInTheDetails(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	u := browseImaging(t, f, "olive", core.ReadAnnotate)
	v := openViewer(t, u, 0)
	if got, _ := after(panelShows(u), "Channels"); got != "DAPI, GFP" {
		t.Fatalf("before: the details show channels %q", got)
	}
	o := openOptions(t, v, 0)
	o.Name.SetText("Nuclei")
	test.Tap(o.Rename)
	if got, _ := after(panelShows(u), "Channels"); got != "Nuclei, GFP" {
		t.Errorf("after renaming in the viewer the details show channels %q", got)
	}
}
