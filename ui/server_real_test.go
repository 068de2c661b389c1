package ui_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/login"
)

// The desktop against a real server (repository/remote over an httptest
// TLS server on the fixture's repository): the trust dialog shows the
// server's own fingerprint, Trust logs in, and a server that stops shows
// the offline banner. Parts of the wire still answering "not available
// over the wire yet" skip the rest, with a message.
func TestDesktopOnARealServer(t *testing.T) {
	f := newFixture(t)
	ts := httptest.NewTLSServer(server.New(server.Config{Service: f.svc}).Handler())
	defer ts.Close()
	fp := remote.Fingerprint(ts.Certificate())
	openRemote := func(ctx context.Context, at login.Location) (core.Service, error) {
		// No Transport from ts.Client(): it would trust the test
		// certificate as a CA, and there would be no first contact.
		svc, err := remote.Dial(ctx, at.Server, remote.Options{Fingerprint: at.Fingerprint})
		if err != nil {
			return nil, err
		}
		return svc, nil
	}
	app := test.NewTempApp(t)
	u := ui.New(ui.Options{App: app, Run: async.Immediate, Open: openRemote, Server: ts.URL,
		Username: "olive", Password: password, AutoLogin: true})
	t.Cleanup(u.Close)
	u.Window.Resize(ui.DefaultSize)

	l := u.Login
	if l.Trust == nil || l.Trust.Fingerprint != fp || l.Trust.Changed() {
		t.Fatalf("first contact with a real server: trust dialog %+v, error %q", l.Trust, l.Error.Text)
	}
	tapButton(t, u, "Trust")
	if got := app.Preferences().String("login.pin." + ts.URL); got != fp {
		t.Errorf("the pin stored is %q, want %s", got, fp)
	}
	if u.Browser == nil {
		if strings.Contains(l.Error.Text, "not available over the wire yet") {
			t.Skipf("the remote login is not there yet: %s", l.Error.Text)
		}
		t.Fatalf("trusting a real server did not log in: %q", l.Error.Text)
	}
	if !strings.Contains(u.Window.Title(), "on "+ts.URL) {
		t.Errorf("window title %q", u.Window.Title())
	}
	tree := treeShows(u)
	if len(tree) == 1 && strings.Contains(tree[0], "not available over the wire yet") {
		t.Skipf("browsing is not on the wire yet: %s", tree[0])
	}
	if !contains(tree, "Olive project (1)") {
		t.Fatalf("the tree from the server shows %q", tree)
	}

	ts.Close() // the server stops
	shortcut(u, &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault})
	if msg := u.Browser.OfflineMessage(); !strings.HasPrefix(msg, "Cannot reach the server "+ts.URL) {
		t.Fatalf("with the server stopped a refresh shows the banner %q; the tree %q", msg, treeShows(u))
	}
}
