package browser

import (
	"context"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// The name and description at the top of the General tab, edited in place
// as in OMERO.insight's and OMERO.web's right-hand pane: the text with a
// pencil; the pencil turns it into an entry with Save and Cancel (Enter
// saves the name, Escape cancels). Saving goes through the same use case
// and reload as the Rename… and Edit Description… dialogs. Where the user
// may not edit, the pencils are disabled and the reason is shown beside
// them, in the rename menu item's words.

// editField is one of the two fields edited in place.
type editField struct {
	label  string // "Name", "Description"
	what   string // the action, as the status bar and the dialogs say it
	multi  bool
	value  func(core.ObjectView) string
	save   func(context.Context, core.Session, core.ObjectView, string) (core.ObjectView, error)
	absent string // what is shown for an empty value
}

var (
	nameField = editField{label: "Name", what: "Rename", value: func(v core.ObjectView) string { return v.Name },
		save: browse.SetName, absent: "No name"}
	descriptionField = editField{label: "Description", what: "Edit Description", multi: true,
		value: func(v core.ObjectView) string { return v.Description },
		save:  browse.SetDescription, absent: "No description"}
)

// showEditable makes the editable rows of the General tab's form for the
// node shown (none for what has no name to edit: Orphaned Images, users);
// setFields puts them first.
func (p *detailsPanel) showEditable(v core.ObjectView, d browse.Details) {
	p.editRows = nil
	if !d.Editable {
		return
	}
	for _, f := range []editField{nameField, descriptionField} {
		key := widget.NewLabel(f.label)
		key.TextStyle.Bold = true
		cell := container.NewStack()
		p.viewCell(cell, f, v, d.EditWhy)
		p.editRows = append(p.editRows, key, cell)
	}
	if d.EditWhy != "" {
		why := widget.NewLabel(d.EditWhy)
		why.Wrapping = fyne.TextWrapWord
		why.Importance = widget.LowImportance
		p.editRows = append(p.editRows, widget.NewLabel(""), why)
	}
}

// viewCell shows a field's value with its pencil.
func (p *detailsPanel) viewCell(cell *fyne.Container, f editField, v core.ObjectView, why string) {
	text := widget.NewLabel(f.value(v))
	text.Wrapping = fyne.TextWrapWord
	text.Selectable = true
	if text.Text == "" {
		text.Text = f.absent
		text.Selectable = false
		text.Importance = widget.LowImportance
		text.TextStyle.Italic = true
	}
	pencil := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { p.editCell(cell, f, v) })
	pencil.Importance = widget.LowImportance
	if why != "" {
		pencil.Disable()
	}
	cell.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, nil, container.NewVBox(pencil), text)}
	cell.Refresh()
}

// editCell turns a field into an entry with Save and Cancel.
func (p *detailsPanel) editCell(cell *fyne.Container, f editField, v core.ObjectView) {
	token := p.token
	cancel := func() {
		if token == p.token {
			p.v.opts.Window.Canvas().Unfocus()
			p.viewCell(cell, f, v, "")
			p.body.Refresh()
		}
	}
	entry := newEditEntry(f.multi, cancel)
	entry.SetText(f.value(v))
	if !f.multi {
		// Typing adds to the name rather than before it. (A wrapped
		// description counts its cursor in display rows, unknown until
		// drawn: its cursor stays at the start, as in the dialog.)
		entry.cursorToEnd()
	}
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	problem.Hide()
	say := func(msg string) {
		problem.SetText(capitalizeFirst(msg))
		problem.Show()
		p.body.Refresh()
	}
	save := func() {
		if p.v.busy {
			say("Wait for the running action to finish.")
			return
		}
		typed := entry.Text
		if !f.multi {
			if _, err := browse.CleanName(typed); err != nil {
				say(core.UserMessage(err) + ".")
				p.v.event("refused name")
				return
			}
		}
		p.v.update(f.what, func(ctx context.Context, s core.Session) (core.ObjectView, error) {
			return f.save(ctx, s, v, typed)
		}, func(err error) {
			if token == p.token {
				say(core.UserMessage(err) + ".")
			}
		})
	}
	if !f.multi {
		entry.OnSubmitted = func(string) { save() }
	}
	saveBtn := widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), save)
	saveBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(layout.NewSpacer(), widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), cancel), saveBtn)
	cell.Objects = []fyne.CanvasObject{container.NewVBox(entry, problem, buttons)}
	cell.Refresh()
	p.body.Refresh()
	if c := fyne.CurrentApp().Driver().CanvasForObject(entry); c != nil {
		c.Focus(entry)
	} else {
		p.v.opts.Window.Canvas().Focus(entry)
	}
	p.v.event("editing " + f.label)
}

// editEntry is an entry that Escape cancels.
type editEntry struct {
	widget.Entry
	onEscape func()
}

func newEditEntry(multi bool, onEscape func()) *editEntry {
	e := &editEntry{onEscape: onEscape}
	e.MultiLine = multi
	e.ExtendBaseWidget(e)
	if multi {
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(4)
	}
	return e
}

func (e *editEntry) cursorToEnd() {
	e.CursorColumn = utf8.RuneCountInString(e.Text)
	e.Refresh()
}

// TypedKey cancels on Escape; every other key edits as usual.
func (e *editEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}
