package browser

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// nameDialog asks for a name (and a description): New Project, Dataset or
// Screen, New Dataset from Selected Images, Rename. A name the rules
// refuse (empty, spaces only, too long) is said in the dialog, which
// stays open; nothing is made until the name is good.
type nameDialog struct {
	title, confirm, note string
	name                 string // the current name, for Rename
	withDescription      bool
}

func (v *View) showNameDialog(nd nameDialog, ok func(name, desc string)) {
	name := widget.NewEntry()
	name.SetText(nd.name)
	name.SetPlaceHolder("Name")
	desc := widget.NewMultiLineEntry()
	desc.SetPlaceHolder("Description (optional)")
	desc.Wrapping = fyne.TextWrapWord
	desc.SetMinRowsVisible(3)
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	problem.Hide()
	form := []*widget.FormItem{widget.NewFormItem("Name", name)}
	if nd.withDescription {
		form = append(form, widget.NewFormItem("Description", desc))
	}
	parts := []fyne.CanvasObject{}
	if nd.note != "" {
		l := widget.NewLabel(nd.note)
		l.Wrapping = fyne.TextWrapWord
		parts = append(parts, l)
	}
	parts = append(parts, widget.NewForm(form...), problem)
	d := dialog.NewCustomWithoutButtons(nd.title, container.NewVBox(parts...), v.opts.Window)
	submit := func() {
		if _, err := browse.CleanName(name.Text); err != nil {
			problem.SetText(capitalizeFirst(core.UserMessage(err)) + ".")
			problem.Show()
			d.Resize(fyne.NewSize(440, d.MinSize().Height))
			v.event("refused name")
			return
		}
		d.Hide()
		ok(name.Text, desc.Text)
	}
	name.OnSubmitted = func(string) { submit() }
	confirm := widget.NewButtonWithIcon(nd.confirm, theme.ConfirmIcon(), submit)
	confirm.Importance = widget.HighImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), d.Hide), confirm})
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
	v.opts.Window.Canvas().Focus(name)
}
