package ui_test

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
)

// TestServerScreenshots saves pictures of the server login, the trust
// dialogs, the offline banner and the expired-session dialog, drawn by
// Fyne's software painter, into $OCULAR_SERVER_SHOTS (skipped when unset):
// the end-to-end run cannot drop a connection or expire a session on cue.
func TestServerScreenshots(t *testing.T) {
	dir := os.Getenv("OCULAR_SERVER_SHOTS")
	if dir == "" {
		t.Skip("set OCULAR_SERVER_SHOTS to a folder to save the server login's pictures")
	}
	must(t, os.MkdirAll(dir, 0o755))
	test.ApplyTheme(t, test.Theme())
	save := func(u *ui.UI, name string) {
		// The software painter cannot draw a rectangle without a colour
		// (the layouts' spacers): give them a transparent one.
		c := u.Window.Canvas()
		for _, o := range append([]fyne.CanvasObject{c.Content()}, c.Overlays().List()...) {
			walkObjects(o, func(o fyne.CanvasObject) bool {
				if r, ok := o.(*canvas.Rectangle); ok && r.FillColor == nil {
					r.FillColor = color.Transparent
				}
				return true
			})
		}
		out, err := os.Create(filepath.Join(dir, name+".png"))
		must(t, err)
		defer out.Close()
		must(t, png.Encode(out, u.Window.Canvas().Capture()))
	}
	f := newFixture(t)
	srv := &fakeServer{dir: f.dir, fingerprint: labCert}

	app := test.NewTempApp(t)
	save(newServerUI(t, srv, app, ui.Options{Dir: f.dir, Username: "olive"}), "folder-login")
	u := newServerUI(t, srv, app, ui.Options{Server: labAddress, Username: "olive"})
	save(u, "server-login")
	u.Login.Password.SetText(password)
	u.Login.Login()
	save(u, "server-trust-first")
	tapButton(t, u, "Cancel")
	app.Preferences().SetString("login.pin."+labAddress, oldCert)
	u.Login.Login()
	save(u, "server-trust-changed")
	tapButton(t, u, "Cancel")

	b := onServer(t, srv, f.groups[core.ReadAnnotate])
	srv.set("offline")
	b.Browser.Tree.OpenBranch(f.oliveProject[core.ReadAnnotate].String())
	save(b, "server-offline")
	srv.set("expired")
	test.Tap(findButton(t, b.Window.Content(), "Reconnect"))
	save(b, "server-expired")
}
