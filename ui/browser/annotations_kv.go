package browser

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// Key-value pairs (MapAnnotations): each table editable in place when the
// rules allow (add, remove and move rows, then Save), its namespace and who
// added it shown; rows copied from one object paste into another's.

// kvEditor is one table being edited: its rows as typed, not yet saved.
type kvEditor struct {
	ann  browse.Annotation // zero Annotation.ID: a new table
	rows []core.KeyValue
}

func (p *annotationsPanel) editorFor(a browse.Annotation) *kvEditor {
	if e, ok := p.editors[a.Annotation.ID]; ok {
		return e
	}
	e := &kvEditor{ann: a, rows: browse.KeyValuesOf(a.Annotation)}
	p.editors[a.Annotation.ID] = e
	return e
}

func (p *annotationsPanel) drawKeyValues() {
	c := p.kvs
	c.Objects = nil
	var whys []string
	for _, a := range p.shown.KeyValues {
		e := p.editorFor(a)
		ns := a.Annotation.Ns
		if ns == "" {
			ns = "no namespace"
		}
		c.Add(addedBy(a, "namespace "+ns))
		c.Add(p.kvTable(e, a.CanEdit))
		whys = append(whys, a.EditWhy)
	}
	if e, ok := p.editors[0]; ok {
		c.Add(widget.NewLabel("New table"))
		c.Add(p.kvTable(e, true))
	} else if len(p.shown.KeyValues) == 0 {
		c.Add(none("No key-value pairs."))
	}
	c.Add(reasons(whys))
	add := disabledUnless(widget.NewButtonWithIcon("New table", theme.ContentAddIcon(), func() {
		p.editors[0] = &kvEditor{rows: []core.KeyValue{{}}}
		p.drawKeyValues()
	}), p.shown.CanAnnotate && p.editors[0] == nil)
	c.Add(container.NewHBox(add))
	c.Refresh()
}

// kvTable draws one table: a row of entries per pair with buttons to move
// and remove it, then the table's own buttons.
func (p *annotationsPanel) kvTable(e *kvEditor, editable bool) fyne.CanvasObject {
	rows := container.NewVBox()
	redraw := func() { p.drawKeyValues() }
	for i := range e.rows {
		i := i
		key, val := widget.NewEntry(), widget.NewEntry()
		key.SetPlaceHolder("Key")
		val.SetPlaceHolder("Value")
		key.SetText(e.rows[i].Key)
		val.SetText(e.rows[i].Value)
		key.OnChanged = func(s string) { e.rows[i].Key = s }
		val.OnChanged = func(s string) { e.rows[i].Value = s }
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() {
			e.rows[i-1], e.rows[i] = e.rows[i], e.rows[i-1]
			redraw()
		})
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() {
			e.rows[i+1], e.rows[i] = e.rows[i], e.rows[i+1]
			redraw()
		})
		del := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
			e.rows = append(e.rows[:i:i], e.rows[i+1:]...)
			redraw()
		})
		for _, b := range []*widget.Button{up, down, del} {
			b.Importance = widget.LowImportance
		}
		if i == 0 {
			up.Disable()
		}
		if i == len(e.rows)-1 {
			down.Disable()
		}
		if !editable {
			key.Disable()
			val.Disable()
			up.Disable()
			down.Disable()
			del.Disable()
		}
		rows.Add(container.NewBorder(nil, nil, nil, container.NewHBox(up, down, del),
			container.NewGridWithColumns(2, key, val)))
	}
	addRow := disabledUnless(widget.NewButtonWithIcon("Add row", theme.ContentAddIcon(), func() {
		if len(e.rows) >= browse.MaxKeyValueRows {
			p.setMessage(fmt.Sprintf("A table holds at most %d rows.", browse.MaxKeyValueRows), true)
			return
		}
		e.rows = append(e.rows, core.KeyValue{})
		redraw()
	}), editable)
	save := disabledUnless(widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() { p.saveTable(e) }), editable)
	save.Importance = widget.HighImportance
	copyRows := widget.NewButtonWithIcon("Copy rows", theme.ContentCopyIcon(), func() {
		p.kvClip = append([]core.KeyValue(nil), e.rows...)
		p.setMessage(fmt.Sprintf("Copied %d rows: Paste rows adds them to a table of this or another object.", len(e.rows)), false)
		p.drawKeyValues()
	})
	paste := disabledUnless(widget.NewButtonWithIcon("Paste rows", theme.ContentPasteIcon(), func() {
		e.rows = append(e.rows, p.kvClip...)
		redraw()
		p.setMessage(fmt.Sprintf("Pasted %d rows: Save keeps them.", len(p.kvClip)), false)
	}), editable && len(p.kvClip) > 0)
	buttons := container.NewHBox(addRow, paste, copyRows, save)
	if e.ann.Annotation.ID == 0 {
		cancel := widget.NewButton("Cancel", func() { delete(p.editors, 0); p.drawKeyValues() })
		buttons.Add(cancel)
	} else {
		a := e.ann
		remove := disabledUnless(widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() {
			p.act("Removing the table…", "Removed the key-value table.", func(ctx context.Context, s core.Session) error {
				if a.CanDelete {
					return browse.DeleteAnnotation(ctx, s, a)
				}
				return browse.RemoveLinks(ctx, s, a.Links)
			})
		}), a.CanRemove || a.CanDelete)
		buttons.Add(remove)
	}
	return container.NewVBox(rows, container.NewHScroll(buttons))
}

// saveTable stores an edited or new table; a row with no key is refused
// before anything is sent, and nothing changes.
func (p *annotationsPanel) saveTable(e *kvEditor) {
	rows, err := browse.CheckKeyValues(e.rows)
	if err != nil {
		p.setMessage(core.UserMessage(err), true)
		return
	}
	views, id := p.views, e.ann.Annotation.ID
	ref := e.ann.Annotation.Ref
	p.actThen("Saving the key-value pairs…", fmt.Sprintf("Saved %d key-value pairs.", len(rows)), func(ctx context.Context, s core.Session) error {
		if id == 0 {
			return browse.AddKeyValues(ctx, s, views, rows)
		}
		return browse.SaveKeyValues(ctx, s, ref, rows)
	}, func() { delete(p.editors, id) })
}
