// Package ui is Ocular's desktop user interface: one window that shows the
// login screen (ui/login) and, once logged in, the data browser
// (ui/browser), from which images open in viewer windows (ui/viewer). It never opens a repository itself: the composition root
// (cmd/ocular) hands it an Opener that returns a core.Service.
//
// Threading: New and every method run on the UI goroutine. Background work
// (opening the repository, logging in, browsing, first-run set-up) goes
// through Options.Run: async.Fyne in the app, async.Immediate in tests.
package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/ui/admin"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/browser"
	"github.com/ocular-lab/ocular/ui/importwin"
	"github.com/ocular-lab/ocular/ui/login"
	"github.com/ocular-lab/ocular/ui/viewer"
)

// DefaultSize is the main window's size on first open: room for the tree and
// the details side by side on a laptop screen.
var DefaultSize = fyne.NewSize(1280, 800)

// Setup is work to do before anyone can log in, such as building the
// training repository on first run. Run reports progress as a fraction
// (0..1) and a sentence; it runs off the UI goroutine.
type Setup struct {
	Title string
	Run   func(ctx context.Context, progress func(fraction float64, msg string)) error
}

// Options configure the UI.
type Options struct {
	App  fyne.App
	Run  async.Runner
	Open login.Opener
	// Dir is the repository folder preselected in the login screen.
	Dir string
	// Server, when set, preselects Server mode with this address;
	// Fingerprint is then the certificate to trust for it (scripts).
	Server, Fingerprint string
	// Folder opens the login screen in Folder mode even when a server was
	// used last (the folder was asked for on the command line).
	Folder             bool
	Username, Password string
	// AutoLogin submits the login form at once (for scripts: --user/--password).
	AutoLogin bool
	// Note is shown under the login form.
	Note string
	// Setup, when set, runs before the login form can be used.
	Setup *Setup
	// Select is a path of refs to open and select after login
	// ("Project:3/Dataset:5/Image:9").
	Select string
	// OnReady runs once, when the browser first shows its tree (and Select).
	OnReady func()
	// OnEvent, when set, is told in one line what has just finished on
	// screen, for scripts: a tree branch or the grid loaded (see
	// browser.Options.OnEvent), or a viewer's picture settled ("viewer " and
	// viewer.View.Shown's description).
	OnEvent func(line string)
	// SearchDelay is the search field's pause before searching as-you-type
	// (see browser.Options.SearchDelay).
	SearchDelay time.Duration
}

// UI is the desktop window.
type UI struct {
	opts    Options
	Window  fyne.Window
	Login   *login.View
	Browser *browser.View
	// Admin is the account menu: user settings, group panel, users and groups.
	Admin  *admin.Admin
	svc    core.Service
	sess   core.Session
	render *rendering.Service
	// viewers are the open viewer windows; they share one clipboard of
	// copied rendering settings.
	viewers   []*viewer.View
	clipboard viewer.Clipboard
	// Import is the Import window, made on first use; ImportButton opens it.
	Import       *importwin.Window
	ImportButton *widget.Button
	repoDir      string
	me           core.Me
}

// New opens the window on the login screen.
func New(o Options) *UI {
	u := &UI{opts: o}
	u.Window = o.App.NewWindow("Ocular")
	u.Window.SetIcon(browser.AppIcon())
	u.Window.Resize(DefaultSize)
	u.Window.SetOnClosed(u.Close)
	// Ctrl+Q quits, as in most Linux desktop applications.
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { u.opts.App.Quit() })
	// Ctrl+I opens the Import window; files and folders dropped from the
	// system's file manager open it with them queued.
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { u.ShowImport() })
	u.Window.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { u.ImportDropped(importwin.Paths(uris)) })
	if o.Username == "" {
		o.Username = o.App.Preferences().String(prefUsername)
	}
	u.showLogin(o.Username, o.Password)
	if o.Setup != nil {
		u.runSetup(*o.Setup)
	} else if o.AutoLogin {
		u.Login.Login()
	}
	return u
}

func (u *UI) showLogin(username, password string) {
	u.Login = login.New(login.Options{
		Window: u.Window, Run: u.opts.Run, Open: u.opts.Open,
		Dir: u.opts.Dir, Server: u.opts.Server, Mode: u.mode(), Fingerprint: u.opts.Fingerprint, Prefs: u.opts.App.Preferences(),
		Username: username, Password: password, Note: u.opts.Note, Icon: browser.AppIcon(),
		OnLogin: u.loggedIn, OnEvent: u.opts.OnEvent,
	})
	u.Window.SetTitle("Ocular — log in")
	u.Window.SetContent(u.Login.Content())
	u.Login.Focus()
}

// mode is the login screen's mode to open in ("" for the one used last).
func (u *UI) mode() string {
	if u.opts.Folder || u.opts.Setup != nil {
		return login.ModeFolder
	}
	return ""
}

// prefUsername remembers who logged in last, to fill the form next time.
const prefUsername = "login.username"

func (u *UI) loggedIn(r login.Result) {
	u.svc, u.sess, u.repoDir, u.me = r.Service, r.Session, r.Dir, r.Me
	u.opts.App.Preferences().SetString(prefUsername, r.Me.User.Username)
	if r.Server != "" {
		// The server renders (and caches) pictures: nothing of it is kept
		// in a folder of this computer.
		u.render = rendering.New(rendering.Config{Session: r.Session})
	} else {
		u.render = rendering.New(rendering.Config{Session: r.Session, Thumbs: thumbcache.ForRepository(r.Dir),
			Pyramids: pyramid.ForRepository(r.Dir)})
	}
	u.Admin = admin.New(admin.Options{Window: u.Window, Run: u.opts.Run, Session: r.Session, OnEvent: u.opts.OnEvent,
		Group: func() core.ID {
			if u.Browser == nil {
				return 0
			}
			return u.Browser.Group()
		}})
	u.Browser = browser.New(browser.Options{
		Window: u.Window, Run: u.opts.Run, Session: r.Session, Me: r.Me, Dir: r.Dir, Server: r.Server, Thumbnails: u.render,
		OnLogout: u.logout, OnReady: u.opts.OnReady, OnEvent: u.opts.OnEvent, Select: u.opts.Select, OnOpenImage: u.openViewer,
		// The browser's Copy/Paste Settings share the viewers' clipboard.
		CopiedSettings:     func() (core.Ref, string) { return u.clipboard.From, u.clipboard.Name },
		CopySettings:       func(img core.Ref, name string) { u.clipboard = viewer.Clipboard{From: img, Name: name} },
		OnRenderingChanged: u.renderingChanged,
		Toolbar:            []fyne.CanvasObject{u.Admin.Button},
		SearchDelay:        u.opts.SearchDelay,
		ToolbarStart:       []fyne.CanvasObject{u.importButton()},
	})
	title := fmt.Sprintf("Ocular — %s (%s)", r.Me.User.FullName(), r.Me.User.Username)
	if r.Server != "" {
		title += " on " + r.Server
	}
	u.Window.SetTitle(title)
	u.Window.SetContent(u.Browser.Content())
	u.opts.Select, u.opts.OnReady = "", nil // only after the first login
}

// importButton is the toolbar's Import button.
func (u *UI) importButton() fyne.CanvasObject {
	u.ImportButton = widget.NewButtonWithIcon("Import", theme.UploadIcon(), u.ShowImport)
	return u.ImportButton
}

// ShowImport opens the Import window (made on first use: its queue lives
// as long as the login, so imports go on when it is closed).
func (u *UI) ShowImport() {
	if u.sess == nil || u.Browser == nil {
		return
	}
	if u.Import == nil {
		b := u.Browser
		cfg := importer.Config{Open: detect.Open, Supported: detect.Supported}
		if u.repoDir != "" {
			cfg.Thumbs, cfg.Pyramids = thumbcache.ForRepository(u.repoDir), pyramid.ForRepository(u.repoDir)
		}
		u.Import = importwin.New(importwin.Options{App: u.opts.App, Run: u.opts.Run, Session: u.sess, Me: u.me,
			Import: cfg, Jobs: b.Jobs(), Group: b.Group(), OnEvent: u.opts.OnEvent,
			OnImported: func(into core.Ref, images []core.Ref) {
				if u.Browser == b {
					b.Imported(into, images)
				}
			}})
	}
	u.Import.Show()
}

// ImportDropped opens the Import window with paths queued (files and
// folders dropped onto the main window).
func (u *UI) ImportDropped(paths []string) {
	if len(paths) == 0 || u.sess == nil {
		return
	}
	u.ShowImport()
	if u.Import != nil {
		u.Import.Add(paths)
	}
}

// logout ends the session and shows the login screen again, username kept.
func (u *UI) logout() {
	name := ""
	if u.Browser != nil {
		name = u.Login.Username.Text
	}
	// Ending the session is a call to the server, which may not answer:
	// the login screen shows at once and the session ends in the background.
	sess, svc := u.detach()
	u.opts.Run.Go(func() func() {
		endSession(sess, svc)
		return nil
	})
	u.Browser = nil
	u.showLogin(name, "")
}

// openViewer opens an image in a new viewer window; in is the container
// the grid listed it in, the target of the viewer's Save to All.
func (u *UI) openViewer(img, in core.ObjectView) {
	if u.sess == nil {
		return
	}
	var vw *viewer.View
	vw = viewer.Open(viewer.Options{App: u.opts.App, Run: u.opts.Run, Session: u.sess, Render: u.render,
		Clipboard: &u.clipboard, OnSaved: u.settingsSaved, Container: in, OnClosed: func() { u.forgetViewer(vw) },
		OnSettled: u.viewerSettled, OnError: u.viewerTrouble}, img)
	u.viewers = append(u.viewers, vw)
}

// viewerTrouble shows in the main window a server that cannot be reached
// or a session that expired while a viewer read the image, and brings the
// main window forward so the banner or the password dialog is seen.
func (u *UI) viewerTrouble(err error, retry func()) {
	if u.Browser != nil && u.Browser.Trouble(err, retry) {
		u.Window.RequestFocus()
	}
}

// viewerSettled reports a viewer's settled picture to OnEvent.
func (u *UI) viewerSettled(shown string) {
	if u.opts.OnEvent != nil {
		u.opts.OnEvent("viewer " + shown)
	}
}

// settingsSaved redraws an image's thumbnail: it shows the owner's settings,
// which may be the ones just saved.
func (u *UI) settingsSaved(img core.Ref) {
	if u.Browser != nil {
		u.Browser.Grid.Forget(img)
		u.Browser.Plate.Redraw([]core.Ref{img})
		u.Browser.ObjectChanged(img) // the details panel shows its channel names
	}
}

// renderingChanged follows a batch change from the browser's Rendering
// menu (the browser has redrawn its thumbnails): viewers showing a changed
// image reload it, so they do not keep showing settings that are no longer
// stored.
func (u *UI) renderingChanged(imgs []core.Ref) {
	changed := map[core.Ref]bool{}
	for _, r := range imgs {
		changed[r] = true
	}
	for _, vw := range u.viewers {
		if m := vw.Model(); m == nil || !changed[m.Image] {
			continue
		}
		vw.Reload()
	}
}

func (u *UI) forgetViewer(vw *viewer.View) {
	for i, o := range u.viewers {
		if o == vw {
			u.viewers = append(u.viewers[:i], u.viewers[i+1:]...)
			return
		}
	}
}

// Viewers are the open viewer windows, oldest first.
func (u *UI) Viewers() []*viewer.View { return u.viewers }

// Close logs out and closes the repository. Safe to call more than once.
func (u *UI) Close() {
	endSession(u.detach())
}

// detach closes the Import window, the browser and the viewers and hands
// back the session and the service for endSession.
func (u *UI) detach() (core.Session, core.Service) {
	if u.Import != nil {
		u.Import.Close()
		u.Import = nil
	}
	if u.Browser != nil {
		u.Browser.Close() // running jobs finish or roll back before the session ends
	}
	for _, vw := range append([]*viewer.View(nil), u.viewers...) {
		vw.Close()
	}
	u.viewers = nil
	if u.render != nil {
		_ = u.render.Close()
		u.render = nil
	}
	sess, svc := u.sess, u.svc
	u.sess, u.svc = nil, nil
	return sess, svc
}

// logoutTimeout bounds the logout call to a server that no longer
// answers: quitting must not wait for the client's full timeout.
const logoutTimeout = 5 * time.Second

// endSession logs out and closes the service (either may be nil).
func endSession(sess core.Session, svc core.Service) {
	if sess != nil {
		ctx, cancel := context.WithTimeout(context.Background(), logoutTimeout)
		_ = sess.Logout(ctx)
		cancel()
	}
	if svc != nil {
		_ = svc.Close()
	}
}

// runSetup shows a progress dialog while s runs, then enables the login.
func (u *UI) runSetup(s Setup) {
	bar := widget.NewProgressBar()
	msg := widget.NewLabel("Starting…")
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons(s.Title, container.NewVBox(msg, bar), u.Window)
	d.Resize(fyne.NewSize(480, 160))
	d.Show()
	u.Login.Submit.Disable()
	progress := func(f float64, m string) {
		u.opts.Run.Do(func() { bar.SetValue(f); msg.SetText(m) })
	}
	u.opts.Run.Go(func() func() {
		err := s.Run(context.Background(), progress)
		return func() {
			d.Hide()
			u.Login.Submit.Enable()
			if err != nil {
				u.Login.Error.SetText("Could not prepare the repository: " + core.UserMessage(err))
				u.Login.Error.Show()
				return
			}
			if u.opts.AutoLogin {
				u.Login.Login()
			}
		}
	})
}
