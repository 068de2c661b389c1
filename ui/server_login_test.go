package ui_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/login"
)

// These tests log in to a pretend server: the opener answers a server
// address as repository/remote.Dial does (a *core.CertificateError unless
// the pin given is the server's certificate) and serves the fixture's
// repository through sessions that can be made to fail as the remote
// client fails: "cannot reach the server" (core.IO) or an expired session
// (core.Auth), renewed by Relogin with the password.

const (
	labAddress = "https://lab.example.org:4064"
	labCert    = "SHA256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	oldCert    = "SHA256:" + "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
)

type fakeServer struct {
	dir         string // the repository it serves
	fingerprint string
	mu          sync.Mutex
	dialled     []login.Location
	state       string // "", "offline" or "expired"
	relogins    int
}

func (s *fakeServer) set(state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = state
}

func (s *fakeServer) failure() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case "offline":
		return &core.Error{Op: "browse", Kind: core.IO,
			Msg: "cannot reach the server " + labAddress + "; check the address and the network, then try again"}
	case "expired":
		return core.Errorf("browse", core.Auth, "your session has expired: log in again")
	}
	return nil
}

func (s *fakeServer) open(ctx context.Context, at login.Location) (core.Service, error) {
	if at.Server == "" {
		return open(ctx, at)
	}
	s.mu.Lock()
	s.dialled = append(s.dialled, at)
	s.mu.Unlock()
	if at.Fingerprint != s.fingerprint {
		return nil, &core.CertificateError{Address: at.Server, Fingerprint: s.fingerprint, Pinned: at.Fingerprint}
	}
	svc, err := open(ctx, login.Location{Dir: s.dir})
	if err != nil {
		return nil, err
	}
	return &fakeService{Service: svc, srv: s}, nil
}

type fakeService struct {
	core.Service
	srv *fakeServer
}

func (s *fakeService) Login(ctx context.Context, user, pw, group string) (core.Session, error) {
	sess, err := s.Service.Login(ctx, user, pw, group)
	if err != nil {
		return nil, err
	}
	return &fakeSession{Session: sess, srv: s.srv}, nil
}

// fakeSession fails its reads of the tree as the server's state says.
type fakeSession struct {
	core.Session
	srv *fakeServer
}

func (s *fakeSession) Browse(ctx context.Context, q core.BrowseRequest) ([]core.ObjectView, error) {
	if err := s.srv.failure(); err != nil {
		return nil, err
	}
	return s.Session.Browse(ctx, q)
}

func (s *fakeSession) Me(ctx context.Context) (core.Me, error) {
	if err := s.srv.failure(); err != nil {
		return core.Me{}, err
	}
	return s.Session.Me(ctx)
}

func (s *fakeSession) Relogin(ctx context.Context, pw string) error {
	if err := s.srv.failure(); err != nil && core.Is(core.IO, err) {
		return err
	}
	if pw != password {
		return core.Errorf("login", core.Auth, "wrong password")
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.srv.state = ""
	s.srv.relogins++
	return nil
}

func newServerUI(t *testing.T, srv *fakeServer, app fyne.App, o ui.Options) *ui.UI {
	t.Helper()
	o.App, o.Run, o.Open = app, async.Immediate, srv.open
	u := ui.New(o)
	t.Cleanup(u.Close)
	u.Window.Resize(ui.DefaultSize)
	return u
}

func TestServerLoginAsksToTrustTheCertificateAndRemembersTheServer(t *testing.T) {
	f := newFixture(t)
	srv := &fakeServer{dir: f.dir, fingerprint: labCert}
	app := test.NewTempApp(t)
	u := newServerUI(t, srv, app, ui.Options{Dir: f.dir})
	l := u.Login
	if l.ServerMode() {
		t.Fatal("the first login screen is in Server mode; Folder is the default")
	}
	if l.Server.Visible() {
		t.Fatal("Folder mode shows the server's address")
	}
	l.Mode.SetSelected(login.ModeServer)
	if !l.Server.Visible() {
		t.Fatal("Server mode does not show the address field instead of the folder")
	}
	if form := texts(u.Window.Content()); contains(form, "Repository") || !contains(form, "Server") {
		t.Errorf("the form's first field is not labelled Server: %q", form)
	}
	test.Type(l.Server, "lab.example.org:4064/")
	test.Type(l.Username, "olive")
	test.Type(l.Password, password)
	l.Password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})

	// First contact: the dialog shows the address and the fingerprint.
	if l.Trust == nil || u.Browser != nil {
		t.Fatalf("no trust dialog on first contact (browser %v, error %q)", u.Browser != nil, l.Error.Text)
	}
	if l.Trust.Changed() || l.Trust.Address != labAddress {
		t.Fatalf("trust dialog for %q changed=%v", l.Trust.Address, l.Trust.Changed())
	}
	said := strings.Join(dialogTexts(u), "\n")
	for _, want := range []string{"First contact with " + labAddress, "check with your administrator", "0123456789abcdef0123456789abcdef"} {
		if !strings.Contains(strings.ToLower(said), strings.ToLower(want)) {
			t.Errorf("the trust dialog does not say %q: %q", want, said)
		}
	}
	if got := l.Pin(labAddress); got != "" {
		t.Fatalf("a pin %q is stored before the user trusted it", got)
	}
	tapButton(t, u, "Trust")
	if u.Browser == nil {
		t.Fatalf("trusting the certificate did not log in: %q", l.Error.Text)
	}
	if got := app.Preferences().String("login.pin." + labAddress); got != labCert {
		t.Errorf("the pin stored for %s is %q", labAddress, got)
	}
	if last := srv.dialled[len(srv.dialled)-1]; last.Fingerprint != labCert || last.Server != labAddress {
		t.Errorf("after Trust the opener got %+v", last)
	}
	if title := u.Window.Title(); !strings.Contains(title, "(olive)") || !strings.Contains(title, labAddress) {
		t.Errorf("window title %q does not name the user and the server", title)
	}
	if !contains(shown(u.Window.Content()), "Server: "+labAddress) {
		t.Errorf("the status bar does not name the server")
	}

	// Log out: the form is back in Server mode with the server offered.
	test.Tap(findButton(t, u.Window.Content(), "Log out"))
	l = u.Login
	if !l.ServerMode() || l.Server.Text != labAddress {
		t.Fatalf("after logout: server mode %v, address %q", l.ServerMode(), l.Server.Text)
	}
	// A new window (the next run) remembers the server and its pin: no dialog.
	next := newServerUI(t, srv, app, ui.Options{Username: "olive", Password: password})
	if !next.Login.ServerMode() || next.Login.Server.Text != labAddress {
		t.Fatalf("the next run shows mode server=%v address %q", next.Login.ServerMode(), next.Login.Server.Text)
	}
	next.Login.Login()
	if next.Login.Trust != nil || next.Browser == nil {
		t.Fatalf("a remembered server asked again or did not log in: %q", next.Login.Error.Text)
	}
	// A folder asked for on the command line wins over the server used last.
	if folder := newServerUI(t, srv, app, ui.Options{Dir: f.dir, Folder: true}); folder.Login.ServerMode() {
		t.Error("a window asked to open a folder opened in Server mode")
	}
}

func TestChangedCertificateWarnsAndCancelTrustsNothing(t *testing.T) {
	f := newFixture(t)
	srv := &fakeServer{dir: f.dir, fingerprint: labCert}
	app := test.NewTempApp(t)
	app.Preferences().SetString("login.pin."+labAddress, oldCert)
	u := newServerUI(t, srv, app, ui.Options{Server: labAddress, Username: "olive", Password: password, AutoLogin: true})
	l := u.Login
	if l.Trust == nil || !l.Trust.Changed() {
		t.Fatalf("a changed certificate did not open the warning (error %q)", l.Error.Text)
	}
	said := strings.Join(dialogTexts(u), "\n")
	for _, want := range []string{"CHANGED", "intercepting", "fedcba9876543210fedcba9876543210", "0123456789abcdef0123456789abcdef"} {
		if !strings.Contains(said, want) {
			t.Errorf("the warning does not say %q: %q", want, said)
		}
	}
	tapButton(t, u, "Cancel")
	if u.Browser != nil {
		t.Fatal("Cancel logged in")
	}
	if got := l.Error.Text; got != "Not connected: the certificate of "+labAddress+" was not trusted." {
		t.Errorf("after Cancel the form says %q", got)
	}
	if got := app.Preferences().String("login.pin." + labAddress); got != oldCert {
		t.Errorf("Cancel changed the pin to %q", got)
	}
	// Trusting the new certificate replaces the pin.
	l.Login()
	tapButton(t, u, "Trust the new certificate")
	if u.Browser == nil || app.Preferences().String("login.pin."+labAddress) != labCert {
		t.Fatalf("trusting the new certificate: browser %v, pin %q", u.Browser != nil, app.Preferences().String("login.pin."+labAddress))
	}
}

func TestServerAddressIsRequired(t *testing.T) {
	f := newFixture(t)
	srv := &fakeServer{dir: f.dir, fingerprint: labCert}
	u := newServerUI(t, srv, test.NewTempApp(t), ui.Options{Username: "olive", Password: password})
	u.Login.Mode.SetSelected(login.ModeServer)
	u.Login.Server.SetText("  ")
	u.Login.Login()
	if got := u.Login.Error.Text; !strings.Contains(got, "Enter the server's address") {
		t.Fatalf("an empty address says %q", got)
	}
	if len(srv.dialled) != 0 {
		t.Fatal("an empty address was dialled")
	}
}

// onServer logs olive in to the pretend server (its certificate trusted
// on the command line) and shows her read-annotate group.
func onServer(t *testing.T, srv *fakeServer, group core.Group) *ui.UI {
	t.Helper()
	u := newServerUI(t, srv, test.NewTempApp(t), ui.Options{Server: labAddress, Fingerprint: labCert,
		Username: "olive", Password: password, AutoLogin: true})
	if u.Browser == nil {
		t.Fatalf("could not log in to the server: %q", u.Login.Error.Text)
	}
	u.Browser.Groups.SetSelected(browse.GroupLabel(group))
	return u
}

func TestOfflineShowsABannerAndReconnectCarriesOn(t *testing.T) {
	f := newFixture(t)
	srv := &fakeServer{dir: f.dir, fingerprint: labCert}
	u := onServer(t, srv, f.groups[core.ReadAnnotate])
	p := f.oliveProject[core.ReadAnnotate].String()
	if got := treeShows(u); !contains(got, "Olive project (1)") {
		t.Fatalf("the tree shows %q", got)
	}
	if u.Browser.OfflineMessage() != "" {
		t.Fatal("the offline banner shows while the server answers")
	}

	srv.set("offline")
	u.Browser.Tree.OpenBranch(p)
	msg := u.Browser.OfflineMessage()
	if !strings.HasPrefix(msg, "Cannot reach the server "+labAddress) || !contains(shown(u.Window.Content()), msg) {
		t.Fatalf("offline, the banner says %q", msg)
	}
	reconnect := findButton(t, u.Window.Content(), "Reconnect")
	if got := treeShows(u); !contains(got, "Olive project (1)") {
		t.Errorf("offline, the tree lost what it showed: %q", got)
	}
	// Still offline: Reconnect keeps the banner and the tree as they were.
	test.Tap(reconnect)
	if u.Browser.OfflineMessage() == "" {
		t.Fatal("Reconnect while offline hid the banner")
	}
	if got := treeShows(u); !contains(got, "Olive project (1)") || !contains(got, "Orphaned Images (1)") {
		t.Errorf("Reconnect while offline cleared the tree: %q", got)
	}
	srv.set("")
	// Ctrl+R (refresh) reconnects while the banner shows.
	shortcut(u, &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault})
	if msg := u.Browser.OfflineMessage(); msg != "" {
		t.Fatalf("back online, the banner still says %q", msg)
	}
	if got := treeShows(u); !contains(got, "Olive dataset (2)") {
		t.Fatalf("after Reconnect the project shows %q", got)
	}
}

func TestExpiredSessionAsksForThePasswordAndKeepsTheWindow(t *testing.T) {
	f := newFixture(t)
	srv := &fakeServer{dir: f.dir, fingerprint: labCert}
	u := onServer(t, srv, f.groups[core.ReadAnnotate])
	b := u.Browser
	p := f.oliveProject[core.ReadAnnotate].String()
	b.Tree.Select(p)

	srv.set("expired")
	b.Tree.OpenBranch(p)
	if texts := strings.Join(dialogTexts(u), "\n"); !strings.Contains(texts, "Session expired") || !strings.Contains(texts, "session on the server has expired") {
		t.Fatalf("an expired session shows %q", texts)
	}
	pw := find(t, u, func(e *widget.Entry) bool { return e.Password })
	test.Type(pw, "wrong")
	tapButton(t, u, "Log in")
	if texts := dialogTexts(u); !contains(texts, "Wrong password.") {
		t.Fatalf("a wrong password shows %q", texts)
	}
	if srv.relogins != 0 {
		t.Fatal("a wrong password renewed the session")
	}
	test.Type(pw, password)
	pw.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if srv.relogins != 1 {
		t.Fatalf("the session was renewed %d times", srv.relogins)
	}
	if u.Browser != b {
		t.Fatal("renewing the session replaced the browser")
	}
	if texts := dialogTexts(u); strings.Contains(strings.Join(texts, "\n"), "Session expired") {
		t.Fatalf("the password dialog is still open: %q", texts)
	}
	if got := treeShows(u); !contains(got, "Olive dataset (2)") {
		t.Fatalf("after the password the project shows %q", got)
	}
	if sel := b.Selection(); len(sel) != 1 || sel[0].View.Ref != f.oliveProject[core.ReadAnnotate] {
		t.Errorf("the selection after renewing the session is %v", sel)
	}
}

func TestViewerOnAnExpiredSessionAsksInTheMainWindowAndOpensAfterwards(t *testing.T) {
	f := newImaging(t, 64, 48, 2, 3)
	srv := &fakeServer{dir: f.dir, fingerprint: labCert}
	u := onServer(t, srv, f.groups[core.ReadAnnotate])
	u.Browser.Members.SetSelected("o olive")
	tree := u.Browser.Tree
	p := firstOf(t, tree, browse.Root, core.Project)
	tree.OpenBranch(p)
	tree.Select(firstOf(t, tree, p, core.Dataset))
	first := openViewer(t, u, 0)

	srv.set("expired")
	test.DoubleTap(gridCells(u.Browser.Grid.Grid)[1])
	second := u.Viewers()[len(u.Viewers())-1]
	if second == first || second.Model() != nil {
		t.Fatalf("the viewer opened although the session expired: %q", second.Status())
	}
	if said := strings.Join(dialogTexts(u), "\n"); !strings.Contains(said, "Session expired") {
		t.Fatalf("the main window does not ask for the password: %q", said)
	}
	pw := find(t, u, func(e *widget.Entry) bool { return e.Password })
	test.Type(pw, password)
	tapButton(t, u, "Log in")
	if second.Model() == nil {
		t.Fatalf("after the password the viewer still says %q", second.Status())
	}
	if len(u.Viewers()) != 2 || first.Model() == nil {
		t.Errorf("renewing the session lost a viewer: %d open", len(u.Viewers()))
	}
}
