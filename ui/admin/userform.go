package admin

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	rules "github.com/ocular-lab/ocular/app/admin"
	"github.com/ocular-lab/ocular/core"
)

// Role choices of the user form, as OMERO.web words them.
const (
	roleUser       = "User"
	roleRestricted = "Restricted administrator"
	roleFull       = "Full administrator"
)

// UserForm creates a user, or edits one's groups, default group and role.
// Names, email and password are set when the user is created (the core
// has no rename; passwords are reset with Reset Password…).
type UserForm struct {
	p                                    *Pages
	editing                              *core.UserInfo
	groups                               []core.GroupInfo
	Username, FirstName, LastName, Email *widget.Entry
	Institution, Password, Repeat        *widget.Entry
	Groups                               map[string]*widget.Check // by group name
	Default                              *widget.Select
	Role                                 *widget.RadioGroup
	RoleReason                           *widget.Label
	Privileges                           map[core.Privilege]*widget.Check
	privBox                              *fyne.Container
	Error                                *widget.Label
	Save                                 *widget.Button
	dialog                               *dialog.CustomDialog
}

func (p *Pages) openUserForm(editing *core.UserInfo) {
	f := &UserForm{p: p, editing: editing, groups: p.groups, Groups: map[string]*widget.Check{},
		Privileges: map[core.Privilege]*widget.Check{}, Error: errorLabel(), RoleReason: reasonLabel()}
	f.Username, f.FirstName, f.LastName = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	f.Email, f.Institution = widget.NewEntry(), widget.NewEntry()
	f.Password, f.Repeat = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	f.Default = widget.NewSelect(nil, nil)
	groupBox := container.NewGridWithColumns(2)
	for _, g := range f.groups {
		c := widget.NewCheck(g.Name, func(bool) { f.fillDefaults() })
		f.Groups[g.Name] = c
		groupBox.Add(c)
	}
	f.Role = widget.NewRadioGroup([]string{roleUser, roleRestricted, roleFull}, func(string) { f.showPrivileges() })
	f.Role.Horizontal = true
	f.privBox = container.NewGridWithColumns(3)
	grantable := rules.Grantable(p.me)
	for _, pr := range core.AllPrivileges {
		if pr == core.PrivReadSession {
			continue // OMERO.web never gives it
		}
		c := widget.NewCheck(string(pr), nil)
		if !slices.Contains(grantable, pr) {
			c.Disable() // nobody grants what they lack (spec §3.3)
		}
		f.Privileges[pr] = c
		f.privBox.Add(c)
	}
	form := widget.NewForm()
	title := "New User"
	if editing == nil {
		form.Append("Username", f.Username)
		form.Append("First name", f.FirstName)
		form.Append("Last name", f.LastName)
		form.Append("Email", f.Email)
		form.Append("Institution", f.Institution)
		form.Append("Password", f.Password)
		form.Append("Repeat", f.Repeat)
		f.Role.SetSelected(roleUser)
	} else {
		title = "Edit " + editing.FullName() + " (" + editing.Username + ")"
		form.Append("Username", widget.NewLabel(editing.Username))
		form.Append("First name", f.FirstName)
		form.Append("Last name", f.LastName)
		form.Append("Email", f.Email)
		form.Append("Institution", f.Institution)
		f.FirstName.SetText(editing.FirstName)
		f.LastName.SetText(editing.LastName)
		f.Email.SetText(editing.Email)
		f.Institution.SetText(editing.Institution)
		f.fill(*editing)
	}
	f.fillDefaults()
	if editing != nil {
		f.selectDefault(editing.DefaultGroup)
	}
	f.showPrivileges()
	f.decideRole()
	body := container.NewVBox(form, bold("Groups"), groupBox,
		container.NewBorder(nil, nil, bold("Default group"), nil, f.Default),
		bold("Role"), f.Role, f.RoleReason, f.privBox)
	f.Save = widget.NewButton("Save", f.save)
	f.Save.Importance = widget.HighImportance
	if editing == nil {
		f.Save.SetText("Create")
	}
	// The error stays in sight below the scrolling form, above the buttons.
	f.dialog = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, f.Error, nil, nil, container.NewVScroll(body)), p.a.opts.Window)
	f.dialog.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { f.dialog.Hide() }), f.Save})
	if editing == nil {
		f.dialog.Resize(fyne.NewSize(640, 680))
	} else {
		f.dialog.Resize(fyne.NewSize(640, 640)) // no password to type
	}
	f.dialog.Show()
	p.UserForm = f
}

// fill shows an existing user's groups and role.
func (f *UserForm) fill(u core.UserInfo) {
	for _, m := range u.Groups {
		for _, g := range f.groups {
			if g.ID == m.Group {
				f.Groups[g.Name].SetChecked(true)
			}
		}
	}
	switch {
	case rules.IsFullAdmin(u):
		f.Role.SetSelected(roleFull)
	case u.Admin:
		f.Role.SetSelected(roleRestricted)
		for _, pr := range u.Privileges {
			if c := f.Privileges[pr]; c != nil {
				c.SetChecked(true)
			}
		}
	default:
		f.Role.SetSelected(roleUser)
	}
}

// decideRole disables the role controls the administrator may not use.
func (f *UserForm) decideRole() {
	if f.editing != nil {
		if d := rules.EditRole(f.p.me, *f.editing); !d.Allowed {
			f.Role.Disable()
			for _, c := range f.Privileges {
				c.Disable()
			}
			say(f.RoleReason, d.Reason)
			return
		}
	}
	if d := rules.CanMakeFullAdmin(f.p.me); !d.Allowed && f.Role.Selected != roleFull {
		say(f.RoleReason, d.Reason)
	}
}

// chosen are the ticked groups, in list order.
func (f *UserForm) chosen() []core.Group {
	var out []core.Group
	for _, g := range f.groups {
		if f.Groups[g.Name].Checked {
			out = append(out, g.Group)
		}
	}
	return out
}

func (f *UserForm) fillDefaults() {
	prev := f.Default.Selected
	var names []string
	for _, g := range f.chosen() {
		names = append(names, g.Name)
	}
	f.Default.Options = names
	f.Default.ClearSelected()
	if slices.Contains(names, prev) {
		f.Default.SetSelected(prev)
	} else if len(names) > 0 {
		f.Default.SetSelectedIndex(0)
	}
}

func (f *UserForm) selectDefault(id core.ID) {
	for _, g := range f.chosen() {
		if g.ID == id {
			f.Default.SetSelected(g.Name)
		}
	}
}

func (f *UserForm) showPrivileges() {
	if f.privBox == nil {
		return
	}
	if f.Role.Selected == roleRestricted {
		f.privBox.Show()
	} else {
		f.privBox.Hide()
	}
}

func (f *UserForm) privileges() []core.Privilege {
	out := []core.Privilege{}
	for _, pr := range core.AllPrivileges {
		if c := f.Privileges[pr]; c != nil && c.Checked {
			out = append(out, pr)
		}
	}
	return out
}

func (f *UserForm) defaultID() core.ID {
	for _, g := range f.chosen() {
		if g.Name == f.Default.Selected {
			return g.ID
		}
	}
	return 0
}

func (f *UserForm) role() string {
	switch f.Role.Selected {
	case roleFull:
		return rules.RoleFull
	case roleRestricted:
		return rules.RoleRestricted
	}
	return rules.RoleUser
}

func (f *UserForm) save() {
	if f.editing != nil {
		f.saveEdit()
		return
	}
	var ids []core.ID
	for _, g := range f.chosen() {
		ids = append(ids, g.ID)
	}
	form := rules.UserForm{Username: f.Username.Text, FirstName: f.FirstName.Text, LastName: f.LastName.Text,
		Email: f.Email.Text, Institution: f.Institution.Text, Password: f.Password.Text, Repeat: f.Repeat.Text,
		Groups: ids, Default: f.defaultID(), Role: f.role(), Privileges: f.privileges()}
	nu, err := form.NewUser()
	if err != nil {
		say(f.Error, sentence(err))
		return
	}
	f.run("created "+nu.Username, func(s core.Session) error {
		_, err := s.CreateUser(ctx(), nu)
		return err
	})
}

// run saves in the background; on success the form closes and the pages
// reload, on refusal the form stays with the reason.
func (f *UserForm) run(event string, do func(core.Session) error) {
	f.Save.Disable()
	say(f.Error, "")
	sess, p := f.p.a.opts.Session, f.p
	p.a.opts.Run.Go(func() func() {
		err := do(sess)
		return func() {
			f.Save.Enable()
			if err != nil {
				say(f.Error, sentence(err))
				p.a.event("user refused " + event)
				p.load()
				return
			}
			f.dialog.Hide()
			p.a.event("user " + event)
			p.load()
		}
	})
}

// saveEdit applies the differences: groups joined, the default group,
// groups left, then the role. Each step is one transaction in the core;
// the steps run in an order that never leaves the user without a default
// group, and stop at the first refusal, which the form shows.
func (f *UserForm) saveEdit() {
	u := *f.editing
	chosen := f.chosen()
	if len(chosen) == 0 {
		say(f.Error, "Choose at least one group for the user.")
		return
	}
	def := f.defaultID()
	in := map[core.ID]bool{}
	for _, m := range u.Groups {
		in[m.Group] = true
	}
	want := map[core.ID]bool{}
	var join, leave []core.ID
	for _, g := range chosen {
		want[g.ID] = true
		if !in[g.ID] {
			join = append(join, g.ID)
		}
	}
	for _, g := range f.groups {
		if in[g.ID] && !want[g.ID] {
			leave = append(leave, g.ID)
		}
	}
	role, privs := f.role(), f.privileges()
	editRole := rules.EditRole(f.p.me, u).Allowed
	first, last := strings.TrimSpace(f.FirstName.Text), strings.TrimSpace(f.LastName.Text)
	email, inst := strings.TrimSpace(f.Email.Text), strings.TrimSpace(f.Institution.Text)
	if first == "" || last == "" {
		say(f.Error, "Type the user's first and last name.")
		return
	}
	if len(first) > rules.MaxName || len(last) > rules.MaxName || len(email) > rules.MaxName || len(inst) > rules.MaxName {
		say(f.Error, fmt.Sprintf("A name or email is too long: use at most %d characters.", rules.MaxName))
		return
	}
	renamed := first != u.FirstName || last != u.LastName || email != u.Email || inst != u.Institution
	f.run("edited "+u.Username, func(s core.Session) error {
		if renamed {
			if err := s.UpdateUser(ctx(), u.ID, first, last, email, inst); err != nil {
				return err
			}
		}
		for _, g := range join {
			if err := s.AddToGroup(ctx(), g, []core.ID{u.ID}, false); err != nil {
				return err
			}
		}
		if def != 0 && def != u.DefaultGroup {
			if err := s.SetDefaultGroup(ctx(), u.ID, def); err != nil {
				return err
			}
		}
		for _, g := range leave {
			if err := s.RemoveFromGroup(ctx(), g, []core.ID{u.ID}, false); err != nil {
				return err
			}
		}
		if !editRole {
			return nil
		}
		switch {
		case role == rules.RoleUser && u.Admin:
			return s.RemoveFromGroup(ctx(), core.SystemGroupID, []core.ID{u.ID}, false)
		case role != rules.RoleUser && !u.Admin:
			if err := s.AddToGroup(ctx(), core.SystemGroupID, []core.ID{u.ID}, false); err != nil {
				return err
			}
		}
		switch {
		case role == rules.RoleRestricted:
			return s.SetPrivileges(ctx(), u.ID, privs)
		case role == rules.RoleFull && !rules.IsFullAdmin(u) && u.Admin:
			return s.SetPrivileges(ctx(), u.ID, nil)
		}
		return nil
	})
}

// PasswordForm resets another user's password (ModifyUser).
type PasswordForm struct {
	New, Repeat *widget.Entry
	Error       *widget.Label
	Save        *widget.Button
	dialog      *dialog.CustomDialog
}

func (p *Pages) openPasswordForm() {
	if p.userSel < 0 {
		return
	}
	u := p.users[p.userSel]
	f := &PasswordForm{New: widget.NewPasswordEntry(), Repeat: widget.NewPasswordEntry(), Error: errorLabel()}
	f.Save = widget.NewButton("Reset Password", nil)
	f.Save.Importance = widget.HighImportance
	f.Save.OnTapped = func() {
		if err := rules.CheckPasswordChange(false, "", f.New.Text, f.Repeat.Text); err != nil {
			say(f.Error, sentence(err))
			return
		}
		nw, sess := f.New.Text, p.a.opts.Session
		f.Save.Disable()
		p.a.opts.Run.Go(func() func() {
			err := sess.SetPassword(ctx(), u.ID, "", nw)
			return func() {
				f.Save.Enable()
				if err != nil {
					say(f.Error, sentence(err))
					p.a.event("password refused " + u.Username)
					return
				}
				f.dialog.Hide()
				p.a.event("password reset " + u.Username)
			}
		})
	}
	form := widget.NewForm(widget.NewFormItem("New password", f.New), widget.NewFormItem("Repeat", f.Repeat))
	f.dialog = dialog.NewCustomWithoutButtons(fmt.Sprintf("Reset Password of %s (%s)", u.FullName(), u.Username),
		container.NewVBox(form, f.Error), p.a.opts.Window)
	f.dialog.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { f.dialog.Hide() }), f.Save})
	f.dialog.Resize(fyne.NewSize(480, 260))
	f.dialog.Show()
	p.PasswordForm = f
}

// Hide closes the form.
func (f *UserForm) Hide() { f.dialog.Hide() }

// Hide closes the form.
func (f *PasswordForm) Hide() { f.dialog.Hide() }
