package browser

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/core"
)

// Shared by the Move to Group, Change Owner and Duplicate dialogs: the
// selection they act on, the review of a dry run as headed lists whose
// lines expand to names, and the spinner shown while the dry run runs.

// selectedViews is what the graph dialogs act on: the tree's or the grid's
// selection (Ctrl- and Shift-clicks included), else the node shown.
func (v *View) selectedViews() []core.ObjectView {
	if sel := v.Selection(); len(sel) > 0 {
		out := make([]core.ObjectView, len(sel))
		for i, it := range sel {
			out[i] = it.View
		}
		return out
	}
	if v.selected.Ref.IsZero() {
		return nil
	}
	return []core.ObjectView{v.selected}
}

// reviewContent shows the sections of a review: a bold title per section,
// a line per count; lines with names open to list them.
func reviewContent(sections []graphreview.Section) fyne.CanvasObject {
	box := container.NewVBox()
	for _, s := range sections {
		title := widget.NewLabel(s.Title)
		title.TextStyle.Bold = true
		box.Add(title)
		var acc *widget.Accordion
		for _, l := range s.Lines {
			if len(l.Names) == 0 {
				lbl := widget.NewLabel("• " + l.Text)
				lbl.Wrapping = fyne.TextWrapWord
				box.Add(lbl)
				acc = nil
				continue
			}
			names := widget.NewLabel(strings.Join(l.Names, "\n"))
			names.Wrapping = fyne.TextWrapWord
			if acc == nil {
				acc = widget.NewAccordion()
				acc.MultiOpen = true
				box.Add(acc)
			}
			acc.Append(widget.NewAccordionItem(l.Text, names))
		}
	}
	return box
}

// checking is the dry run's spinner with its sentence.
func checking(sentence string, cancel func()) fyne.CanvasObject {
	bar := widget.NewProgressBarInfinite()
	msg := widget.NewLabel(sentence)
	msg.Wrapping = fyne.TextWrapWord
	stop := widget.NewButton("Cancel", cancel)
	return container.NewVBox(msg, bar, container.NewHBox(stop))
}

// wrapping is a label that wraps (delete_dialog.go's wrapped, with the
// label's usual importance).
func wrapping(s string) *widget.Label { return wrapped(s, widget.MediumImportance) }

// stepDialog is a dialog whose body changes from step to step, with its
// own row of buttons under it.
type stepDialog struct {
	win     fyne.Window
	title   string
	body    *fyne.Container
	buttons *fyne.Container
	popup   *widget.PopUp
}

func newStepDialog(win fyne.Window, title string) *stepDialog {
	d := &stepDialog{win: win, title: title, body: container.NewStack(), buttons: container.NewHBox()}
	head := widget.NewLabel(title)
	head.TextStyle.Bold = true
	content := container.NewBorder(container.NewVBox(head, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, nil, d.buttons)), nil, nil, d.body)
	d.popup = widget.NewModalPopUp(container.NewPadded(content), win.Canvas())
	return d
}

// show sets the body and the buttons (the last one is the default).
func (d *stepDialog) show(body fyne.CanvasObject, buttons ...*widget.Button) {
	d.body.Objects = []fyne.CanvasObject{body}
	d.body.Refresh()
	objs := make([]fyne.CanvasObject, len(buttons))
	for i, b := range buttons {
		objs[i] = b
	}
	if len(buttons) > 0 {
		buttons[len(buttons)-1].Importance = widget.HighImportance
	}
	d.buttons.Objects = objs
	d.buttons.Refresh()
	size := d.win.Canvas().Size()
	d.popup.Resize(fyne.NewSize(min(640, size.Width-40), min(560, size.Height-40)))
	d.popup.Show()
}

func (d *stepDialog) hide() { d.popup.Hide() }

// scroll puts long content in a scroll of the dialog's height.
func scroll(o fyne.CanvasObject) fyne.CanvasObject {
	s := container.NewVScroll(o)
	s.SetMinSize(fyne.NewSize(560, 300))
	return s
}
