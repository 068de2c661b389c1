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

// Pages are the administrators' users and groups pages (OMERO.web's
// admin): lists of users and groups with New User…, Edit…, Reset
// Password…, New Group…, Edit… (a group) and Members…. Everyone may open them to read;
// what their role does not allow is disabled with the reason.
type Pages struct {
	a                         *Admin
	me                        core.Me
	users                     []core.UserInfo
	groups                    []core.GroupInfo
	userSel, groupSel         int
	Users, Groups             *widget.List
	NewUser, EditUser, Reset  *widget.Button
	NewGroup, GroupMembers    *widget.Button
	EditGroup                 *widget.Button
	UsersReason, GroupsReason *widget.Label
	Error                     *widget.Label
	// UserForm, PasswordForm and GroupForm are the forms open last.
	UserForm     *UserForm
	PasswordForm *PasswordForm
	GroupForm    *GroupForm
	dialog       dialog.Dialog
}

// OpenPages shows the users and groups pages.
func (a *Admin) OpenPages() *Pages {
	p := &Pages{a: a, userSel: -1, groupSel: -1, UsersReason: reasonLabel(), GroupsReason: reasonLabel(), Error: errorLabel()}
	p.Users = widget.NewList(func() int { return len(p.users) },
		func() fyne.CanvasObject { return widget.NewLabel("Full Name (username) — role — groups") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(userLine(p.users[i])) })
	p.Users.OnSelected = func(i widget.ListItemID) { p.userSel = i; p.enable() }
	p.Groups = widget.NewList(func() int { return len(p.groups) },
		func() fyne.CanvasObject { return widget.NewLabel("Group — level — members") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(groupLine(p.groups[i])) })
	p.Groups.OnSelected = func(i widget.ListItemID) { p.groupSel = i; p.enable() }
	p.NewUser = widget.NewButton("New User…", func() { p.openUserForm(nil) })
	p.EditUser = widget.NewButton("Edit…", func() {
		if p.userSel >= 0 {
			u := p.users[p.userSel]
			p.openUserForm(&u)
		}
	})
	p.Reset = widget.NewButton("Reset Password…", p.openPasswordForm)
	p.NewGroup = widget.NewButton("New Group…", p.openGroupForm)
	p.EditGroup = widget.NewButton("Edit…", func() {
		if p.groupSel >= 0 {
			g := p.groups[p.groupSel]
			p.groupForm(&g)
		}
	})
	p.GroupMembers = widget.NewButton("Members and Permissions…", func() {
		if p.groupSel >= 0 {
			a.OpenGroup(p.groups[p.groupSel].ID)
		}
	})
	p.enable()
	users := container.NewBorder(nil, container.NewVBox(container.NewHBox(p.NewUser, p.EditUser, p.Reset), p.UsersReason), nil, nil, p.Users)
	groups := container.NewBorder(nil, container.NewVBox(container.NewHBox(p.NewGroup, p.EditGroup, p.GroupMembers), p.GroupsReason), nil, nil, p.Groups)
	tabs := container.NewAppTabs(container.NewTabItem("Users", users), container.NewTabItem("Groups", groups))
	p.dialog = dialog.NewCustom("Users and Groups", "Close", container.NewBorder(p.Error, nil, nil, nil, tabs), a.opts.Window)
	p.dialog.Resize(fyne.NewSize(760, 600))
	p.dialog.Show()
	a.Pages = p
	p.load()
	return p
}

func userLine(u core.UserInfo) string {
	var groups []string
	for _, n := range u.GroupNames {
		if n != "user" && n != "system" {
			groups = append(groups, n)
		}
	}
	line := fmt.Sprintf("%s (%s) — %s", u.FullName(), u.Username, rules.Role(u))
	if len(groups) > 0 {
		line += " — " + strings.Join(groups, ", ")
	}
	return line
}

func groupLine(g core.GroupInfo) string {
	return fmt.Sprintf("%s — %s — %d members", g.Name, g.Level, len(g.Members))
}

// UserRows and GroupRows are the lines listed.
func (p *Pages) UserRows() []string {
	var out []string
	for _, u := range p.users {
		out = append(out, userLine(u))
	}
	return out
}

// SelectUser selects a user by username.
func (p *Pages) SelectUser(username string) bool {
	for i, u := range p.users {
		if u.Username == username {
			p.Users.Select(i)
			return true
		}
	}
	return false
}

// SelectGroup selects a group by name.
func (p *Pages) SelectGroup(name string) bool {
	for i, g := range p.groups {
		if g.Name == name {
			p.Groups.Select(i)
			return true
		}
	}
	return false
}

func (p *Pages) load() {
	sess := p.a.opts.Session
	p.a.opts.Run.Go(func() func() {
		me, err := sess.Me(ctx())
		var users []core.UserInfo
		var groups []core.GroupInfo
		if err == nil {
			users, err = sess.Users(ctx())
		}
		if err == nil {
			groups, err = sess.Groups(ctx())
		}
		return func() {
			if err != nil {
				say(p.Error, "Could not list the users and groups: "+sentence(err))
				return
			}
			say(p.Error, "")
			p.me, p.users, p.groups = me, nil, nil
			for _, u := range users {
				if u.ID != core.GuestUserID {
					p.users = append(p.users, u)
				}
			}
			for _, g := range groups {
				if !core.IsSpecialGroup(g.ID) {
					p.groups = append(p.groups, g)
				}
			}
			p.userSel, p.groupSel = -1, -1
			p.Users.UnselectAll()
			p.Groups.UnselectAll()
			p.Users.Refresh()
			p.Groups.Refresh()
			p.enable()
			p.a.event(fmt.Sprintf("pages %d users %d groups", len(p.users), len(p.groups)))
		}
	})
}

func (p *Pages) enable() {
	edit := rules.EditUsers(p.me)
	setEnabled(p.NewUser, edit.Allowed)
	setEnabled(p.EditUser, edit.Allowed && p.userSel >= 0)
	reset := edit
	if edit.Allowed && p.userSel >= 0 {
		reset = rules.ResetPassword(p.me, p.users[p.userSel])
	}
	setEnabled(p.Reset, reset.Allowed && p.userSel >= 0)
	reason := edit.Reason
	if reason == "" {
		reason = reset.Reason
	}
	say(p.UsersReason, reason)
	grp := rules.CreateGroup(p.me)
	setEnabled(p.NewGroup, grp.Allowed)
	setEnabled(p.GroupMembers, p.groupSel >= 0)
	reason = grp.Reason
	if p.groupSel >= 0 {
		edit := rules.EditGroup(p.me, p.groups[p.groupSel].Group)
		setEnabled(p.EditGroup, edit.Allowed)
		if !edit.Allowed {
			reason = edit.Reason
		}
	} else {
		p.EditGroup.Disable()
	}
	say(p.GroupsReason, reason)
}

// Hide closes the pages.
func (p *Pages) Hide() { p.dialog.Hide() }
