package admin

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	rules "github.com/ocular-lab/ocular/app/admin"
	"github.com/ocular-lab/ocular/core"
)

// Settings is the User Settings dialog (OMERO.insight's UserProfile):
// change password, choose the default group, see memberships and roles.
type Settings struct {
	a                *Admin
	me               core.UserInfo
	defaults         []core.Group
	Old, New, Repeat *widget.Entry
	ChangePassword   *widget.Button
	PasswordMessage  *widget.Label // an error, or "Password changed."
	Default          *widget.Select
	SaveDefault      *widget.Button
	DefaultMessage   *widget.Label
	Role             *widget.Label
	Memberships      *fyne.Container // one label per group
	Error            *widget.Label   // loading failed
	dialog           dialog.Dialog
}

// OpenSettings shows the User Settings dialog and loads the user.
func (a *Admin) OpenSettings() *Settings {
	s := &Settings{a: a, Old: widget.NewPasswordEntry(), New: widget.NewPasswordEntry(), Repeat: widget.NewPasswordEntry(),
		PasswordMessage: errorLabel(), DefaultMessage: errorLabel(), Error: errorLabel(),
		Role: widget.NewLabel("Loading…"), Memberships: container.NewVBox()}
	s.Old.SetPlaceHolder("Current password")
	s.New.SetPlaceHolder("New password")
	s.Repeat.SetPlaceHolder("New password again")
	s.ChangePassword = widget.NewButton("Change Password", s.changePassword)
	s.Default = widget.NewSelect(nil, nil)
	s.SaveDefault = widget.NewButton("Set as Default", s.saveDefault)
	s.ChangePassword.Disable()
	s.SaveDefault.Disable()

	password := container.NewVBox(bold("Change password"),
		widget.NewForm(widget.NewFormItem("Current", s.Old), widget.NewFormItem("New", s.New),
			widget.NewFormItem("Repeat", s.Repeat)),
		container.NewHBox(s.ChangePassword), s.PasswordMessage)
	def := container.NewVBox(bold("Default group"),
		widget.NewLabel("Ocular opens on this group after you log in."),
		container.NewBorder(nil, nil, nil, s.SaveDefault, s.Default), s.DefaultMessage)
	roles := container.NewVBox(bold("Role"), s.Role, bold("Groups"), s.Memberships)
	body := container.NewVBox(s.Error, password, widget.NewSeparator(), def, widget.NewSeparator(), roles)
	s.dialog = dialog.NewCustom("User Settings", "Close", container.NewVScroll(body), a.opts.Window)
	s.dialog.Resize(fyne.NewSize(600, 700))
	s.dialog.Show()
	a.Settings = s
	s.load()
	return s
}

// load reads the user, their groups and the groups' names and levels.
func (s *Settings) load() {
	sess := s.a.opts.Session
	s.a.opts.Run.Go(func() func() {
		me, err := sess.Me(ctx())
		var u core.UserInfo
		var groups []core.GroupInfo
		if err == nil {
			u, err = sess.User(ctx(), fmt.Sprint(me.User.ID))
		}
		if err == nil {
			groups, err = sess.Groups(ctx())
		}
		return func() {
			if err != nil {
				say(s.Error, "Could not read your account: "+sentence(err))
				return
			}
			s.show(u, groups)
			s.a.event("settings loaded")
		}
	})
}

func (s *Settings) show(u core.UserInfo, groups []core.GroupInfo) {
	s.me = u
	s.ChangePassword.Enable()
	s.Role.SetText(roleLine(u))
	s.defaults = rules.DefaultGroupChoices(u, groups)
	var names []string
	for _, g := range s.defaults {
		names = append(names, g.Name)
	}
	s.Default.Options = names
	s.Default.ClearSelected()
	for i, g := range s.defaults {
		if g.ID == u.DefaultGroup {
			s.Default.SetSelectedIndex(i)
		}
	}
	if len(names) > 0 {
		s.SaveDefault.Enable()
	} else {
		s.SaveDefault.Disable()
		say(s.DefaultMessage, "You are in no group that can be a default group; ask an administrator to add you to one.")
	}
	s.Memberships.RemoveAll()
	for _, line := range membershipLines(u, groups) {
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		s.Memberships.Add(l)
	}
	s.Memberships.Refresh()
}

// membershipLines say, per group of u, its level and u's role there:
// "Lab read-only — read-only (rwr---) — owner, default".
func membershipLines(u core.UserInfo, groups []core.GroupInfo) []string {
	byID := map[core.ID]core.GroupInfo{}
	for _, g := range groups {
		byID[g.ID] = g
	}
	var out []string
	for _, m := range u.Groups {
		if m.Group == core.UserGroupID {
			continue // every user is in it; it says nothing
		}
		g, ok := byID[m.Group]
		if !ok {
			continue
		}
		role := "member"
		if m.Owner {
			role = "owner"
		}
		if m.Group == core.SystemGroupID {
			role = "administrator"
		}
		parts := []string{g.Name, g.Level.String() + " (" + g.Level.Perms() + ")", role}
		if m.Group == u.DefaultGroup {
			parts[2] += ", default"
		}
		out = append(out, strings.Join(parts, " — "))
	}
	return out
}

func (s *Settings) changePassword() {
	old, nw, rep := s.Old.Text, s.New.Text, s.Repeat.Text
	if err := rules.CheckPasswordChange(true, old, nw, rep); err != nil {
		say(s.PasswordMessage, sentence(err))
		return
	}
	s.ChangePassword.Disable()
	sess, id := s.a.opts.Session, s.me.ID
	s.a.opts.Run.Go(func() func() {
		err := sess.SetPassword(ctx(), id, old, nw)
		return func() {
			s.ChangePassword.Enable()
			if err != nil {
				s.PasswordMessage.Importance = widget.DangerImportance
				say(s.PasswordMessage, sentence(err))
				s.a.event("settings password refused")
				return
			}
			s.Old.SetText("")
			s.New.SetText("")
			s.Repeat.SetText("")
			s.PasswordMessage.Importance = widget.SuccessImportance
			say(s.PasswordMessage, "Password changed.")
			s.a.event("settings password changed")
		}
	})
}

func (s *Settings) saveDefault() {
	i := s.Default.SelectedIndex()
	if i < 0 || i >= len(s.defaults) {
		say(s.DefaultMessage, "Choose one of your groups first.")
		return
	}
	g := s.defaults[i]
	sess, id := s.a.opts.Session, s.me.ID
	s.SaveDefault.Disable()
	s.a.opts.Run.Go(func() func() {
		err := sess.SetDefaultGroup(ctx(), id, g.ID)
		return func() {
			s.SaveDefault.Enable()
			if err != nil {
				s.DefaultMessage.Importance = widget.DangerImportance
				say(s.DefaultMessage, sentence(err))
				return
			}
			s.DefaultMessage.Importance = widget.SuccessImportance
			say(s.DefaultMessage, "Your default group is now "+g.Name+".")
			s.a.event("settings default " + g.Name)
			s.load()
		}
	})
}

// Hide closes the dialog.
func (s *Settings) Hide() { s.dialog.Hide() }

// roleLine is the user's role, with the groups they own (PI) for users.
func roleLine(u core.UserInfo) string {
	role := rules.Role(u)
	owned := 0
	for _, m := range u.Groups {
		if m.Owner && !core.IsSpecialGroup(m.Group) {
			owned++
		}
	}
	switch {
	case owned == 1:
		role += "; owner (PI) of 1 group"
	case owned > 1:
		role += fmt.Sprintf("; owner (PI) of %d groups", owned)
	}
	return role
}
