package ui_test

import (
	"context"

	"github.com/ocular-lab/ocular/core"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/async"
)

func newUI(t *testing.T, f *fixture, o ui.Options) *ui.UI {
	t.Helper()
	o.App = test.NewTempApp(t)
	o.Run = async.Immediate
	o.Open = open
	if o.SearchDelay == 0 {
		o.SearchDelay = -1 // search as each key is typed: no timers in tests
	}
	if o.Dir == "" {
		o.Dir = f.dir
	}
	u := ui.New(o)
	t.Cleanup(u.Close)
	u.Window.Resize(ui.DefaultSize)
	return u
}

func TestLoginShowsErrorsInlineAndEnterSubmits(t *testing.T) {
	f := newFixture(t)
	u := newUI(t, f, ui.Options{})
	l := u.Login

	test.Type(l.Username, "olive")
	test.Type(l.Password, "wrong")
	l.Password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !l.Error.Visible() || l.Error.Text != "Wrong username or password." {
		t.Fatalf("after a wrong password the form shows %q (visible %v)", l.Error.Text, l.Error.Visible())
	}
	if u.Browser != nil {
		t.Fatal("a wrong password opened the browser")
	}

	l.Password.SetText(password)
	l.Password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.Browser == nil {
		t.Fatalf("Enter with the right password did not log in; form says %q", l.Error.Text)
	}
	if got := u.Browser.Status(); got != "Logged in as Olive Owner (olive)" {
		t.Errorf("status bar = %q", got)
	}
	if !strings.Contains(u.Window.Title(), "Olive Owner") {
		t.Errorf("window title = %q", u.Window.Title())
	}
	if !contains(shown(u.Window.Content()), "Repository: "+f.dir) {
		t.Errorf("the status bar does not show the repository folder %s", f.dir)
	}
}

func TestLoginRefusesAFolderThatIsNotARepository(t *testing.T) {
	f := newFixture(t)
	u := newUI(t, f, ui.Options{Dir: t.TempDir(), Username: "olive", Password: password, AutoLogin: true})
	if u.Browser != nil {
		t.Fatal("logged in to an empty folder")
	}
	if msg := u.Login.Error.Text; !strings.Contains(msg, "is not an Ocular repository") {
		t.Fatalf("error shown = %q", msg)
	}
}

func TestLoginAsksForMissingFields(t *testing.T) {
	f := newFixture(t)
	u := newUI(t, f, ui.Options{})
	u.Login.Submit.OnTapped()
	if u.Login.Error.Text != "Enter your username." {
		t.Fatalf("error shown = %q", u.Login.Error.Text)
	}
}

func TestLogoutReturnsToLogin(t *testing.T) {
	f := newFixture(t)
	u := newUI(t, f, ui.Options{Username: "mike", Password: password, AutoLogin: true})
	if u.Browser == nil {
		t.Fatalf("auto login failed: %q", u.Login.Error.Text)
	}
	test.Tap(findButton(t, u.Window.Content(), "Log out"))
	if u.Browser != nil || u.Login.Username.Text != "mike" || u.Login.Password.Text != "" {
		t.Fatalf("after logout: browser %v, username %q", u.Browser != nil, u.Login.Username.Text)
	}
}

func TestSetupRunsBeforeLogin(t *testing.T) {
	f := newFixture(t)
	var steps []string
	u := newUI(t, f, ui.Options{Username: "olive", Password: password, AutoLogin: true, Setup: &ui.Setup{
		Title: "Creating the training repository",
		Run: func(_ context.Context, progress func(float64, string)) error {
			progress(0.5, "Building user-1's data")
			steps = append(steps, "ran")
			return nil
		},
	}})
	if len(steps) != 1 || u.Browser == nil {
		t.Fatalf("setup ran %d times; logged in: %v (%q)", len(steps), u.Browser != nil, u.Login.Error.Text)
	}

	failing := newUI(t, f, ui.Options{Setup: &ui.Setup{Run: func(context.Context, func(float64, string)) error {
		return core.Errorf("demo", core.IO, "the disk is full")
	}}})
	if got := failing.Login.Error.Text; got != "Could not prepare the repository: the disk is full" {
		t.Fatalf("a failed set-up shows %q", got)
	}
}
