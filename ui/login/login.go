// Package login is the login screen: where to log in, either a repository
// Folder (the default one preselected, another picked with "Browse…") or a
// Server (an https:// address, the servers used before offered again), then
// a username and a password. Errors appear inline as the sentence
// core.UserMessage gives. Opening the repository or connecting to the
// server and checking the password run off the UI goroutine through the
// async seam. A server whose certificate is not trusted yet, or changed,
// is shown with its fingerprint before anything is sent to it (trust.go).
package login

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui/async"
)

// Location is where to log in: a repository folder (Dir) or a server
// (Server, "https://host:port", with the certificate Fingerprint this
// computer trusts for it; empty on first contact).
type Location struct {
	Dir         string
	Server      string
	Fingerprint string
}

// Opener opens the repository at a location: the embedded one in a folder
// or a connection to a server. The desktop's composition root supplies it,
// so the UI never imports a repository package. For a server whose
// certificate is not the trusted one it returns a *core.CertificateError.
type Opener func(ctx context.Context, at Location) (core.Service, error)

// Result is a successful login. The receiver owns Service and closes it.
// Server is the server's address when logged in to one ("" for a folder).
type Result struct {
	Dir     string
	Server  string
	Service core.Service
	Session core.Session
	Me      core.Me
}

// Options configure the login screen.
type Options struct {
	Window fyne.Window
	Run    async.Runner
	Open   Opener
	Dir    string // the preselected repository folder
	// Server, when set, preselects Server mode with this address;
	// Fingerprint, when set too, is the certificate to trust for it (as if
	// the user had trusted it: scripts pass the one the server printed).
	Server, Fingerprint string
	// Mode, when set (ModeFolder or ModeServer), is the mode to open in;
	// otherwise the one used last (a Server given opens in Server mode).
	Mode string
	// Prefs remembers the mode, the servers used before and their trusted
	// certificates; nil remembers nothing.
	Prefs    fyne.Preferences
	Username string
	Password string
	// Note is shown under the form, e.g. the accounts of a training repository.
	Note string
	// Icon is the application's icon, shown beside its name.
	Icon fyne.Resource
	// OnLogin runs on the UI goroutine after a successful login.
	OnLogin func(Result)
	// OnEvent, when set, is told in one line what the screen asks or says
	// (scripts): "trust first https://… SHA256:…" or "trust changed …" when
	// the trust dialog opens, "login failed: SENTENCE" when a login fails.
	OnEvent func(line string)
}

// View is the login screen.
type View struct {
	opts Options
	// Mode chooses between ModeFolder and ModeServer.
	Mode *widget.RadioGroup
	Dir  *widget.Entry
	// Server is the server's address, offering the servers used before.
	Server   *widget.SelectEntry
	Username *widget.Entry
	Password *widget.Entry
	Error    *widget.Label
	Submit   *widget.Button
	busy     *widget.Activity
	content  fyne.CanvasObject
	form     *widget.Form
	folder   fyne.CanvasObject // the folder entry and Browse…
	// Trust is the certificate dialog while it is open (nil otherwise).
	Trust *TrustDialog
}

// New builds the login screen.
func New(o Options) *View {
	v := &View{opts: o}
	v.Dir = widget.NewEntry()
	v.Dir.SetText(o.Dir)
	v.Dir.SetPlaceHolder("Folder of an Ocular repository")
	browse := widget.NewButtonWithIcon("Browse…", theme.FolderOpenIcon(), v.pickFolder)
	v.folder = container.NewBorder(nil, nil, nil, browse, v.Dir)
	v.Server = widget.NewSelectEntry(v.servers())
	v.Server.SetPlaceHolder("https://host:port")
	v.Server.SetText(o.Server)
	if o.Server == "" {
		if s := v.servers(); len(s) > 0 {
			v.Server.SetText(s[0]) // the server used last
		}
	}
	v.Username = widget.NewEntry()
	v.Username.SetPlaceHolder("user-1")
	v.Username.SetText(o.Username)
	v.Password = widget.NewPasswordEntry()
	v.Password.SetText(o.Password)
	for _, e := range []*widget.Entry{v.Dir, &v.Server.Entry, v.Username, v.Password} {
		e.OnSubmitted = func(string) { v.Login() } // Enter submits
	}
	v.Error = widget.NewLabel("")
	v.Error.Importance = widget.DangerImportance
	v.Error.Wrapping = fyne.TextWrapWord
	v.Error.Hide()
	v.Submit = widget.NewButtonWithIcon("Log in", theme.LoginIcon(), v.Login)
	v.Submit.Importance = widget.HighImportance
	v.busy = widget.NewActivity()
	v.busy.Hide()

	title := canvas.NewText("Ocular", theme.Color(theme.ColorNamePrimary))
	title.TextSize = 32
	title.TextStyle.Bold = true
	subtitle := widget.NewLabel("Microscopy data manager")

	v.form = widget.NewForm(
		widget.NewFormItem("Repository", container.NewStack(v.folder, v.Server)),
		widget.NewFormItem("Username", v.Username),
		widget.NewFormItem("Password", v.Password),
	)
	v.Mode = widget.NewRadioGroup([]string{ModeFolder, ModeServer}, func(string) { v.modeChanged() })
	v.Mode.Horizontal = true
	v.Mode.Required = true
	mode := o.Mode
	switch {
	case o.Server != "":
		mode = ModeServer
	case mode == "":
		mode = v.remembered(prefMode)
	}
	if mode != ModeServer {
		mode = ModeFolder
	}
	v.Mode.SetSelected(mode)
	v.modeChanged()
	heading := container.NewHBox(title, container.NewCenter(subtitle))
	if o.Icon != nil {
		logo := canvas.NewImageFromResource(o.Icon)
		logo.FillMode = canvas.ImageFillContain
		logo.SetMinSize(fyne.NewSize(48, 48))
		heading.Objects = append([]fyne.CanvasObject{logo}, heading.Objects...)
	}
	items := []fyne.CanvasObject{
		heading,
		widget.NewSeparator(),
		container.NewHBox(widget.NewLabel("Log in to"), v.Mode),
		v.form,
		v.Error,
		container.NewHBox(layout.NewSpacer(), v.busy, v.Submit),
	}
	if o.Note != "" {
		note := widget.NewLabel(o.Note)
		note.Wrapping = fyne.TextWrapWord
		note.Importance = widget.WarningImportance // the training password matters: make it stand out
		items = append(items, widget.NewSeparator(), note)
	}
	// A fixed-width column keeps the form readable in a large window.
	width := canvas.NewRectangle(nil)
	width.SetMinSize(fyne.NewSize(520, 0))
	card := container.NewStack(width, container.NewPadded(container.NewVBox(items...)))
	v.content = container.NewCenter(card)
	return v
}

// Content is the screen to put in a window.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Focus puts the cursor where the user types next.
func (v *View) Focus() {
	c := v.opts.Window.Canvas()
	switch {
	case v.ServerMode() && v.Server.Text == "":
		c.Focus(v.Server)
	case v.Username.Text == "":
		c.Focus(v.Username)
	default:
		c.Focus(v.Password)
	}
}

func (v *View) pickFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			v.showError(core.UserMessage(err))
			return
		}
		if u != nil {
			v.Dir.SetText(u.Path())
		}
	}, v.opts.Window)
	if l, err := storage.ListerForURI(storage.NewFileURI(parentDir(v.Dir.Text))); err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// Login checks the form and logs in off the UI goroutine.
func (v *View) Login() {
	at := Location{Dir: strings.TrimSpace(v.Dir.Text)}
	if v.ServerMode() {
		at = Location{Server: address(v.Server.Text)}
		at.Fingerprint = v.pin(at.Server)
	}
	user := strings.TrimSpace(v.Username.Text)
	pass := v.Password.Text
	switch {
	case !v.ServerMode() && at.Dir == "":
		v.showError("Choose the folder of a repository.")
		return
	case v.ServerMode() && at.Server == "":
		v.showError("Enter the server's address, such as https://ocular.example.org:4064.")
		return
	case user == "":
		v.showError("Enter your username.")
		return
	case pass == "":
		v.showError("Enter your password.")
		return
	}
	if v.Submit.Disabled() {
		return // a login is already running
	}
	v.setBusy(true)
	v.opts.Run.Go(func() func() {
		res, err := login(v.opts.Open, at, user, pass)
		return func() {
			v.setBusy(false)
			var ce *core.CertificateError
			if errors.As(err, &ce) {
				v.Error.Hide()
				v.askTrust(at.Server, ce)
				return
			}
			if err != nil {
				v.showError(sentence(core.UserMessage(err)))
				if v.opts.OnEvent != nil {
					v.opts.OnEvent("login failed: " + v.Error.Text)
				}
				return
			}
			v.Error.Hide()
			v.remember(res)
			v.opts.OnLogin(res)
		}
	})
}

// login runs on a background goroutine: it touches no widget.
func login(open Opener, at Location, user, pass string) (Result, error) {
	ctx := context.Background()
	svc, err := open(ctx, at)
	if err != nil {
		return Result{}, err
	}
	sess, err := svc.Login(ctx, user, pass, "")
	if err != nil {
		svc.Close()
		return Result{}, err
	}
	me, err := sess.Me(ctx)
	if err != nil {
		svc.Close()
		return Result{}, err
	}
	return Result{Dir: at.Dir, Server: at.Server, Service: svc, Session: sess, Me: me}, nil
}

func (v *View) setBusy(b bool) {
	if b {
		v.Submit.Disable()
		v.busy.Show()
		v.busy.Start()
		return
	}
	v.busy.Stop()
	v.busy.Hide()
	v.Submit.Enable()
}

func (v *View) showError(msg string) {
	v.Error.SetText(msg)
	v.Error.Show()
}

// sentence capitalises a message and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

func parentDir(dir string) string {
	if dir == "" {
		return "/"
	}
	return filepath.Dir(filepath.Clean(dir))
}
