package admin

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	rules "github.com/ocular-lab/ocular/app/admin"
	"github.com/ocular-lab/ocular/core"
)

// GroupForm creates a group: name, permission level, description.
type GroupForm struct {
	Name, Description *widget.Entry
	Level             *widget.Select
	Error             *widget.Label
	Save              *widget.Button
	dialog            *dialog.CustomDialog
}

func (p *Pages) openGroupForm() { p.groupForm(nil) }

// groupForm creates a group, or edits one's name and description (editing
// not nil; its level changes in the group panel, with the downgrade preview).
func (p *Pages) groupForm(editing *core.GroupInfo) {
	f := &GroupForm{Name: widget.NewEntry(), Description: widget.NewMultiLineEntry(), Error: errorLabel()}
	f.Level = widget.NewSelect(levelNames(), nil)
	f.Level.SetSelected(core.ReadOnly.String())
	if editing != nil {
		f.Name.SetText(editing.Name)
		f.Description.SetText(editing.Description)
		f.Level.SetSelected(editing.Level.String())
		f.Level.Disable()
	}
	f.Description.SetMinRowsVisible(3)
	f.Save = widget.NewButton("Create", nil)
	f.Save.Importance = widget.HighImportance
	f.Save.OnTapped = func() {
		name := strings.TrimSpace(f.Name.Text)
		if err := rules.CheckGroupName(name); err != nil {
			say(f.Error, sentence(err))
			return
		}
		if len(f.Description.Text) > 10*rules.MaxName {
			say(f.Error, "The description is too long: keep it under a page.")
			return
		}
		level, err := core.ParseLevel(f.Level.Selected)
		if err != nil {
			say(f.Error, "Choose a permission level.")
			return
		}
		desc, sess := f.Description.Text, p.a.opts.Session
		f.Save.Disable()
		p.a.opts.Run.Go(func() func() {
			var err error
			if editing != nil {
				err = sess.UpdateGroup(ctx(), editing.ID, name, desc)
			} else {
				_, err = sess.CreateGroup(ctx(), name, level, desc)
			}
			return func() {
				f.Save.Enable()
				if err != nil {
					say(f.Error, sentence(err))
					p.a.event("group-form refused " + name)
					return
				}
				f.dialog.Hide()
				if editing != nil {
					p.a.event("group-form saved " + name)
				} else {
					p.a.event("group-form created " + name)
				}
				p.load()
			}
		})
	}
	form := widget.NewForm(widget.NewFormItem("Name", f.Name), widget.NewFormItem("Permissions", f.Level),
		widget.NewFormItem("Description", f.Description))
	title := "New Group"
	var note fyne.CanvasObject = layout.NewSpacer()
	if editing != nil {
		title, f.Save.Text = "Edit "+editing.Name, "Save"
		n := widget.NewLabel("Change the permissions in Members and Permissions…, which previews what a downgrade deletes.")
		n.Wrapping = fyne.TextWrapWord
		n.Importance = widget.LowImportance
		note = n
	}
	f.dialog = dialog.NewCustomWithoutButtons(title, container.NewVBox(form, note, f.Error), p.a.opts.Window)
	f.dialog.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", func() { f.dialog.Hide() }), f.Save})
	f.dialog.Resize(fyne.NewSize(520, 380))
	f.dialog.Show()
	p.GroupForm = f
}

// Hide closes the form.
func (f *GroupForm) Hide() { f.dialog.Hide() }
