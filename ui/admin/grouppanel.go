package admin

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	rules "github.com/ocular-lab/ocular/app/admin"
	"github.com/ocular-lab/ocular/core"
)

// GroupPanel lists a group's members and owners; owners of the group and
// administrators add and remove members, make and unmake owners and change
// the permission level. For anyone else it is read-only, saying why.
type GroupPanel struct {
	a      *Admin
	me     core.Me
	groups []core.GroupInfo
	group  core.GroupInfo
	// Group switches the group shown.
	Group *widget.Select
	// Level shows the group's level; ChangeLevel opens the change dialog.
	Level       *widget.Select
	ChangeLevel *widget.Button
	LevelReason *widget.Label
	// Members lists "Full Name (username) — owner|member".
	Members                        *widget.List
	selected                       int
	Add, Remove, MakeOwner, Unmake *widget.Button
	MembersReason                  *widget.Label
	Message                        *widget.Label // the last action's error
	// LevelDialog is the permission change open last.
	LevelDialog *LevelChange
	// Chooser is the member chooser open last.
	Chooser   *Chooser
	settingUp bool
	dialog    dialog.Dialog
}

// OpenGroup shows the group panel on group g (0: the user's first group).
func (a *Admin) OpenGroup(g core.ID) *GroupPanel {
	p := &GroupPanel{a: a, selected: -1, LevelReason: reasonLabel(), MembersReason: reasonLabel(), Message: errorLabel()}
	p.Group = widget.NewSelect(nil, func(string) {
		if i := p.Group.SelectedIndex(); !p.settingUp && i >= 0 {
			p.load(p.groups[i].ID)
		}
	})
	p.Level = widget.NewSelect(levelNames(), nil)
	p.ChangeLevel = widget.NewButton("Change…", p.openLevelChange)
	p.Members = widget.NewList(func() int { return len(p.group.Members) },
		func() fyne.CanvasObject { return widget.NewLabel("Full Name (username) — member") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(memberLine(p.group.Members[i]))
		})
	p.Members.OnSelected = func(i widget.ListItemID) { p.selected = i; p.enable() }
	p.Members.OnUnselected = func(widget.ListItemID) { p.selected = -1; p.enable() }
	p.Add = widget.NewButton("Add Members…", p.openChooser)
	p.Remove = widget.NewButton("Remove", func() {
		p.change("remove", func(s core.Session, g, u core.ID) error { return s.RemoveFromGroup(ctx(), g, []core.ID{u}, false) })
	})
	p.MakeOwner = widget.NewButton("Make Owner", func() {
		p.change("owner", func(s core.Session, g, u core.ID) error { return s.AddToGroup(ctx(), g, []core.ID{u}, true) })
	})
	p.Unmake = widget.NewButton("Remove as Owner", func() {
		p.change("unowner", func(s core.Session, g, u core.ID) error { return s.RemoveFromGroup(ctx(), g, []core.ID{u}, true) })
	})
	p.enable()

	top := container.NewVBox(
		container.NewBorder(nil, nil, bold("Group"), nil, p.Group),
		container.NewBorder(nil, nil, bold("Permissions"), p.ChangeLevel, p.Level),
		p.LevelReason, widget.NewSeparator(), bold("Members and owners"))
	bottom := container.NewVBox(container.NewHBox(p.Add, p.Remove, p.MakeOwner, p.Unmake), p.MembersReason, p.Message)
	body := container.NewBorder(top, bottom, nil, nil, p.Members)
	p.dialog = dialog.NewCustom("Group Members and Permissions", "Close", body, a.opts.Window)
	p.dialog.Resize(fyne.NewSize(640, 600))
	p.dialog.Show()
	a.Panel = p
	p.load(g)
	return p
}

func levelNames() []string {
	return []string{core.Private.String(), core.ReadOnly.String(), core.ReadAnnotate.String(), core.ReadWrite.String()}
}

func memberLine(m core.MemberInfo) string {
	role := "member"
	if m.Owner {
		role = "owner"
	}
	return fmt.Sprintf("%s (%s) — %s", m.FullName(), m.Username, role)
}

// Rows are the member lines as shown.
func (p *GroupPanel) Rows() []string {
	var out []string
	for _, m := range p.group.Members {
		out = append(out, memberLine(m))
	}
	return out
}

// SelectMember selects the member with username; false when not listed.
func (p *GroupPanel) SelectMember(username string) bool {
	for i, m := range p.group.Members {
		if m.Username == username {
			p.Members.Select(i)
			return true
		}
	}
	return false
}

// Shown is the group on show.
func (p *GroupPanel) Shown() core.GroupInfo { return p.group }

// load reads who the user is now (ownership may have changed) and the
// groups, then shows group g.
func (p *GroupPanel) load(g core.ID) {
	sess := p.a.opts.Session
	p.a.opts.Run.Go(func() func() {
		me, err := sess.Me(ctx())
		return func() {
			if err != nil {
				say(p.Message, "Could not read the groups: "+sentence(err))
				return
			}
			p.me = me
			p.groups = nil
			for _, gi := range me.Groups {
				if !core.IsSpecialGroup(gi.ID) {
					p.groups = append(p.groups, gi)
				}
			}
			p.show(g)
		}
	})
}

func (p *GroupPanel) show(g core.ID) {
	p.settingUp = true
	defer func() { p.settingUp = false }()
	var names []string
	idx := -1
	for i, gi := range p.groups {
		names = append(names, gi.Name)
		if gi.ID == g {
			idx = i
		}
	}
	p.Group.Options = names
	if idx < 0 && len(p.groups) > 0 {
		idx = 0
	}
	p.group = core.GroupInfo{}
	if idx >= 0 {
		p.group = p.groups[idx]
		p.Group.SetSelectedIndex(idx)
		p.Level.SetSelected(p.group.Level.String())
	} else {
		say(p.Message, "You are in no group.")
	}
	p.selected = -1
	p.Members.UnselectAll()
	p.Members.Refresh()
	p.enable()
	p.a.event(fmt.Sprintf("group %s %d members", p.group.Name, len(p.group.Members)))
}

// enable applies app/admin's decisions to the controls.
func (p *GroupPanel) enable() {
	if p.group.ID == 0 && p.group.Name == "" {
		for _, b := range []*widget.Button{p.Add, p.Remove, p.MakeOwner, p.Unmake, p.ChangeLevel} {
			b.Disable()
		}
		p.Level.Disable()
		return
	}
	members := rules.ManageMembers(p.me, p.group.Group)
	level := rules.ChangeLevel(p.me, p.group.Group)
	setEnabled(p.Add, members.Allowed)
	var sel *core.MemberInfo
	if p.selected >= 0 && p.selected < len(p.group.Members) {
		sel = &p.group.Members[p.selected]
	}
	setEnabled(p.Remove, members.Allowed && sel != nil)
	setEnabled(p.MakeOwner, members.Allowed && sel != nil && !sel.Owner)
	setEnabled(p.Unmake, members.Allowed && sel != nil && sel.Owner)
	say(p.MembersReason, members.Reason)
	setEnabled(p.ChangeLevel, level.Allowed)
	if level.Allowed {
		p.Level.Enable()
	} else {
		p.Level.Disable()
	}
	say(p.LevelReason, level.Reason)
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// change runs one membership change on the selected member, then reloads;
// a refusal (the user or group removed meanwhile, no right) is shown and
// nothing changes.
func (p *GroupPanel) change(what string, do func(s core.Session, g, u core.ID) error) {
	if p.selected < 0 || p.selected >= len(p.group.Members) {
		return
	}
	u, g := p.group.Members[p.selected], p.group.ID
	p.apply(what+" "+u.Username, func(s core.Session) error { return do(s, g, u.ID) })
}

// apply runs a change in the background and reloads the panel.
func (p *GroupPanel) apply(event string, do func(core.Session) error) {
	sess, g := p.a.opts.Session, p.group.ID
	say(p.Message, "")
	p.a.opts.Run.Go(func() func() {
		err := do(sess)
		return func() {
			if err != nil {
				say(p.Message, sentence(err))
				p.a.event("group refused " + event)
				return
			}
			p.a.event("group changed " + event)
			p.load(g)
		}
	})
}

// Hide closes the panel.
func (p *GroupPanel) Hide() { p.dialog.Hide() }
