package browser

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/core"
)

// The connection to a server can drop or its session expire while the
// window is open. trouble is the one place the browser's failures pass
// through before they are shown: those two cases get a banner with
// Reconnect and a password dialog instead of a sentence in a tree row or
// the status bar, and the window keeps its tree, selection and viewers.
// Every call already runs off the UI goroutine (async.Runner), so a server
// that does not answer never freezes the window: it shows the banner when
// the client's timeout ends.

// unreachable is what the remote client's core.IO errors say when no
// answer came back (repository/remote: netError).
const unreachable = "cannot reach the server"

// Offline reports an error saying the server could not be reached.
func Offline(err error) bool {
	return err != nil && core.Is(core.IO, err) && strings.Contains(err.Error(), unreachable)
}

// Expired reports an error saying the session is no longer valid. Inside
// the browser, where the user logged in already, core.Auth means that.
func Expired(err error) bool { return err != nil && core.Is(core.Auth, err) }

// relogger is a session that can log in again with the password and keep
// its identity (repository/remote.Session): the holders of the session
// (tree, grid, viewers) carry on with it.
type relogger interface {
	Relogin(ctx context.Context, password string) error
}

// connection is the banner and the password dialog.
type connection struct {
	banner  *fyne.Container
	message *widget.Label
	// What Reconnect or a new password runs again: the tree (read again
	// once however many of its loads failed) and the other failed reads
	// (a grid, a viewer), the most recent maxRetries of them.
	reloadTree bool
	retries    []func()
	asking     bool // the password dialog is open
	probing    bool // Reconnect is asking the server whether it is back
	// The password dialog's entry and its sentence for a wrong password.
	password *widget.Entry
	problem  *widget.Label
}

func (v *View) newConnection() *connection {
	// Two lines that do not wrap: a wrapped label's height is not known
	// before the window lays it out, and the banner would cover the tree.
	c := &connection{message: widget.NewLabel("")}
	c.message.Truncation = fyne.TextTruncateEllipsis
	c.message.Importance = widget.DangerImportance
	c.message.TextStyle.Bold = true
	hint := widget.NewLabel("Nothing in the window is lost: press Reconnect once the network is back.")
	hint.Truncation = fyne.TextTruncateEllipsis
	reconnect := widget.NewButtonWithIcon("Reconnect", theme.ViewRefreshIcon(), v.Reconnect)
	reconnect.Importance = widget.HighImportance
	c.banner = container.NewVBox(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()),
		container.NewCenter(reconnect), container.NewVBox(c.message, hint)), widget.NewSeparator())
	c.banner.Hide()
	return c
}

// trouble shows err when the server cannot be reached (the banner) or the
// session expired (the password dialog) and then reports true; retry is
// what to run again once connected (nil: read the tree again). Any other
// error is left to the caller, which reports false.
func (v *View) trouble(err error, retry func()) bool {
	if !Offline(err) && !Expired(err) {
		return false
	}
	v.conn.add(retry)
	v.showTrouble(err)
	return true
}

// showTrouble shows the banner for an offline error, the password dialog
// for an expired session.
func (v *View) showTrouble(err error) {
	if Expired(err) {
		v.askPassword()
		return
	}
	c := v.conn
	c.message.SetText(capitalizeFirst(core.UserMessage(err)) + ".")
	c.banner.Show()
	v.relayout()
	v.setStatus("Offline: the server cannot be reached.")
	v.event("offline")
}

// maxRetries bounds the failed reads kept to run again: a viewer whose
// every redraw fails must not grow the list without end.
const maxRetries = 16

// add keeps retry to run once connected; nil is the tree.
func (c *connection) add(retry func()) {
	if retry == nil {
		c.reloadTree = true
		return
	}
	if len(c.retries) == maxRetries {
		c.retries = c.retries[1:]
	}
	c.retries = append(c.retries, retry)
}

// again runs what failed, once connected (the tree when nothing is kept).
func (v *View) again() {
	c := v.conn
	reload, retries := c.reloadTree, c.retries
	c.reloadTree, c.retries = false, nil
	if reload || len(retries) == 0 {
		v.reload()
	}
	for _, r := range retries {
		r()
	}
}

// Trouble is the seam for the other windows (the viewers): it shows err
// as trouble does and reports whether it did; retry runs once connected.
func (v *View) Trouble(err error, retry func()) bool { return v.trouble(err, retry) }

// OfflineMessage is the banner's sentence ("" when the banner is hidden).
func (v *View) OfflineMessage() string {
	if !v.conn.banner.Visible() {
		return ""
	}
	return v.conn.message.Text
}

// Reconnect asks the server who is logged in (a cheap call) and, once it
// answers, hides the banner and runs again what failed. While the server
// still cannot be reached the banner stays and the window keeps showing
// what it had: nothing is cleared before the server is back.
func (v *View) Reconnect() {
	c := v.conn
	if c.probing {
		return
	}
	c.probing = true
	v.setStatus("Reconnecting…")
	v.event("reconnect")
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		_, err := sess.Me(context.Background())
		return func() {
			c.probing = false
			if err != nil {
				// Still offline (the banner stays) or expired (the
				// password dialog): what failed is still kept.
				if Offline(err) || Expired(err) {
					v.showTrouble(err)
				} else {
					v.setStatus("Reconnect: " + core.UserMessage(err))
				}
				return
			}
			c.banner.Hide()
			v.relayout()
			v.setStatus("")
			v.event("reconnected")
			v.again()
		}
	})
}

// relayout fits the window's content around the banner just shown or
// hidden (a container does not follow a child's size by itself).
func (v *View) relayout() {
	if c, ok := v.content.(*fyne.Container); ok {
		c.Refresh()
	}
}

// askPassword asks for the password again and, once the session is
// renewed, runs again what failed. Only one dialog at a time: several
// calls failing together ask once.
func (v *View) askPassword() {
	c := v.conn
	if c.asking {
		return
	}
	c.asking = true
	sess, ok := v.opts.Session.(relogger)
	if !ok {
		// A session that cannot be renewed in place: say so once.
		d := dialog.NewInformation("Session ended", "Your session has ended: log out and log in again.", v.opts.Window)
		d.SetOnClosed(func() { c.asking = false })
		d.Show()
		return
	}
	c.password = widget.NewPasswordEntry()
	c.problem = widget.NewLabel("")
	c.problem.Importance = widget.DangerImportance
	c.problem.Wrapping = fyne.TextWrapWord
	c.problem.Hide()
	intro := widget.NewLabel("Your session on the server has expired. Enter the password of " +
		v.opts.Me.User.Username + " to carry on where you were: nothing in the window is lost.")
	intro.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	submit := func() {
		pw := c.password.Text
		if pw == "" {
			c.problem.SetText("Enter your password.")
			c.problem.Show()
			return
		}
		c.problem.Hide()
		v.event("relogin")
		v.opts.Run.Go(func() func() {
			err := sess.Relogin(context.Background(), pw)
			return func() {
				if err != nil {
					if Offline(err) {
						d.Hide()
						c.asking = false
						v.showTrouble(err)
						return
					}
					c.problem.SetText(capitalizeFirst(core.UserMessage(err)) + ".")
					c.problem.Show()
					c.password.SetText("")
					return
				}
				c.asking = false
				d.Hide()
				v.setStatus("")
				v.event("relogged")
				v.again()
			}
		})
	}
	c.password.OnSubmitted = func(string) { submit() }
	ok2 := widget.NewButtonWithIcon("Log in", theme.LoginIcon(), submit)
	ok2.Importance = widget.HighImportance
	logout := widget.NewButtonWithIcon("Log out", theme.LogoutIcon(), func() {
		c.asking = false
		d.Hide()
		if v.opts.OnLogout != nil {
			v.opts.OnLogout()
		}
	})
	form := container.NewVBox(intro, widget.NewForm(widget.NewFormItem("Password", c.password)), c.problem)
	d = dialog.NewCustomWithoutButtons("Session expired", form, v.opts.Window)
	d.SetButtons([]fyne.CanvasObject{logout, ok2})
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
	v.opts.Window.Canvas().Focus(c.password)
	v.event("password asked")
}
