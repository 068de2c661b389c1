// Package admin is the desktop's user and group administration: the user
// settings every user has (password, default group, memberships and
// roles), the group panel of owners and administrators (members, owners,
// permission level with the downgrade loss preview) and the
// administrators' users and groups pages (create and edit users and
// groups, reset passwords, restricted-administrator privileges). The rules
// of who may do what live in app/admin; controls a role does not allow are
// disabled with app/admin's reason.
//
// Threading: every method runs on the UI goroutine; repository reads and
// writes go through Options.Run and come back to it.
package admin

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui/async"
)

// Options configure the administration dialogs.
type Options struct {
	Window  fyne.Window
	Run     async.Runner
	Session core.Session
	// Group is the group the browser shows: the group panel opens on it.
	Group func() core.ID
	// OnEvent, when set, is told in one line what has just finished
	// ("admin settings loaded", "admin level-preview Lab x 3 objects 2 links").
	OnEvent func(line string)
}

// Admin opens the dialogs; Button is the toolbar entry.
type Admin struct {
	opts Options
	// Button opens the menu: User Settings…, Group…, Users and Groups….
	Button *widget.Button
	// The dialogs open last (nil before), for tests.
	Settings *Settings
	Panel    *GroupPanel
	Pages    *Pages
}

// New makes the toolbar entry.
func New(o Options) *Admin {
	a := &Admin{opts: o}
	a.Button = widget.NewButtonWithIcon("Account", theme.AccountIcon(), a.showMenu)
	return a
}

func (a *Admin) showMenu() {
	m := fyne.NewMenu("",
		fyne.NewMenuItem("User Settings…", func() { a.OpenSettings() }),
		fyne.NewMenuItem("Group Members and Permissions…", func() { a.OpenGroup(a.currentGroup()) }),
		fyne.NewMenuItem("Users and Groups…", func() { a.OpenPages() }),
	)
	c := a.opts.Window.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(a.Button)
	widget.ShowPopUpMenuAtPosition(m, c, pos.AddXY(0, a.Button.Size().Height))
}

func (a *Admin) currentGroup() core.ID {
	if a.opts.Group != nil {
		return a.opts.Group()
	}
	return 0
}

func (a *Admin) event(line string) {
	if a.opts.OnEvent != nil {
		a.opts.OnEvent("admin " + line)
	}
}

// ctx is the context of repository calls: dialogs are short-lived and the
// core's own transactions bound each call.
func ctx() context.Context { return context.Background() }

// errorLabel is a wrapping label for a dialog's one-sentence error.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// reasonLabel is a wrapping label saying why controls are disabled.
func reasonLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.WarningImportance
	l.Hide()
	return l
}

// say shows msg on l, or hides l when msg is empty.
func say(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// sentence is err as a sentence a user can act on.
func sentence(err error) string {
	m := core.UserMessage(err)
	if m == "" {
		return ""
	}
	r := []rune(m)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	m = string(r)
	if m[len(m)-1] != '.' {
		m += "."
	}
	return m
}

func bold(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	return l
}
