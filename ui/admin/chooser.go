package admin

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/core"
)

// Chooser is the searchable list of users to add to a group: every user
// not yet a member, filtered by name or username as one types.
type Chooser struct {
	p       *GroupPanel
	all     []core.UserInfo
	shown   []core.UserInfo
	picked  map[core.ID]bool
	Search  *widget.Entry
	List    *widget.List
	AsOwner *widget.Check
	AddNow  *widget.Button
	Error   *widget.Label
	dialog  *dialog.CustomDialog
}

// Chooser is the member chooser open last.
func (p *GroupPanel) openChooser() {
	c := &Chooser{p: p, picked: map[core.ID]bool{}, Search: widget.NewEntry(), Error: errorLabel()}
	c.Search.SetPlaceHolder("Search by name or username")
	c.Search.OnChanged = func(string) { c.filter() }
	c.List = widget.NewList(func() int { return len(c.shown) },
		func() fyne.CanvasObject { return widget.NewCheck("Full Name (username)", nil) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			u := c.shown[i]
			ch := o.(*widget.Check)
			ch.OnChanged = nil
			ch.SetText(u.FullName() + " (" + u.Username + ")")
			ch.SetChecked(c.picked[u.ID])
			ch.OnChanged = func(on bool) { c.picked[u.ID] = on; c.enable() }
		})
	c.AsOwner = widget.NewCheck("Add as owners", nil)
	c.AddNow = widget.NewButton("Add", c.add)
	c.AddNow.Importance = widget.HighImportance
	c.AddNow.Disable()
	body := container.NewBorder(c.Search, container.NewVBox(c.Error, container.NewHBox(c.AsOwner)), nil, nil, c.List)
	c.dialog = dialog.NewCustomWithoutButtons("Add Members to "+p.group.Name, body, p.a.opts.Window)
	c.dialog.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", c.dialog.Hide), c.AddNow})
	c.dialog.Resize(fyne.NewSize(460, 480))
	c.dialog.Show()
	p.Chooser = c
	sess, members := p.a.opts.Session, p.group.Members
	p.a.opts.Run.Go(func() func() {
		users, err := sess.Users(ctx())
		return func() {
			if err != nil {
				say(c.Error, "Could not list the users: "+sentence(err))
				return
			}
			in := map[core.ID]bool{}
			for _, m := range members {
				in[m.ID] = true
			}
			for _, u := range users {
				if !in[u.ID] && u.ID != core.RootUserID && u.ID != core.GuestUserID {
					c.all = append(c.all, u)
				}
			}
			c.filter()
			p.a.event("chooser " + p.group.Name)
		}
	})
}

func (c *Chooser) filter() {
	q := strings.ToLower(strings.TrimSpace(c.Search.Text))
	c.shown = c.shown[:0]
	for _, u := range c.all {
		if q == "" || strings.Contains(strings.ToLower(u.FullName()+" "+u.Username), q) {
			c.shown = append(c.shown, u)
		}
	}
	c.List.Refresh()
}

// Shown are the usernames listed.
func (c *Chooser) Shown() []string {
	var out []string
	for _, u := range c.shown {
		out = append(out, u.Username)
	}
	return out
}

// Pick ticks username (as a click on its row would).
func (c *Chooser) Pick(username string) bool {
	for _, u := range c.all {
		if u.Username == username {
			c.picked[u.ID] = true
			c.List.Refresh()
			c.enable()
			return true
		}
	}
	return false
}

func (c *Chooser) enable() {
	for _, on := range c.picked {
		if on {
			c.AddNow.Enable()
			return
		}
	}
	c.AddNow.Disable()
}

func (c *Chooser) add() {
	var ids []core.ID
	var names []string
	for _, u := range c.all {
		if c.picked[u.ID] {
			ids = append(ids, u.ID)
			names = append(names, u.Username)
		}
	}
	if len(ids) == 0 {
		return
	}
	p, owner := c.p, c.AsOwner.Checked
	sess, g := p.a.opts.Session, p.group.ID
	c.AddNow.Disable()
	p.a.opts.Run.Go(func() func() {
		err := sess.AddToGroup(ctx(), g, ids, owner)
		return func() {
			c.enable()
			if err != nil {
				say(c.Error, sentence(err))
				p.a.event("group refused add " + strings.Join(names, ","))
				return
			}
			c.dialog.Hide()
			p.a.event("group changed add " + strings.Join(names, ","))
			p.load(g)
		}
	})
}
