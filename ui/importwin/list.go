package importwin

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/importqueue"
)

// row is one entry's line in the queue list.
type row struct {
	id     int
	box    *fyne.Container
	name   *widget.Label
	where  *widget.Label
	status *widget.Label
	bar    *widget.ProgressBar
	reason *widget.Label
	// Cancel (waiting or running), Retry (failed or cancelled), Remove
	// (anything not running).
	cancel, retry, remove *widget.Button
	// reported is set once OnImported was told of the entry's images.
	reported bool
}

func (w *Window) newRow(e importqueue.Entry) *row {
	r := &row{id: e.ID}
	r.name = widget.NewLabel(e.Name)
	r.name.TextStyle.Bold = true
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.where = widget.NewLabel("")
	r.where.Importance = widget.LowImportance
	r.where.Truncation = fyne.TextTruncateEllipsis
	r.status = widget.NewLabel("")
	r.bar = widget.NewProgressBar()
	r.reason = widget.NewLabel("")
	r.reason.Wrapping = fyne.TextWrapWord
	r.reason.Importance = widget.DangerImportance
	id := e.ID
	r.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { w.Queue.Cancel(id) })
	r.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() { w.retry(id) })
	r.remove = widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() {
		if err := w.Queue.Remove(id); err == nil {
			w.fill()
		}
	})
	head := container.NewBorder(nil, nil, nil, container.NewHBox(r.status, r.cancel, r.retry, r.remove),
		container.NewGridWithColumns(2, r.name, r.where))
	r.box = container.NewVBox(head, r.bar, r.reason, widget.NewSeparator())
	return r
}

// show puts an entry's state on its row.
func (r *row) show(e importqueue.Entry) {
	r.where.SetText("→ " + e.Target.Where())
	r.status.SetText(e.Status())
	r.bar.SetValue(e.Fraction())
	if e.State == importqueue.Running {
		r.bar.Show()
	} else {
		r.bar.Hide()
	}
	r.reason.SetText(e.Reason)
	if e.Reason != "" && e.State == importqueue.Failed {
		r.reason.Show()
	} else {
		r.reason.Hide()
	}
	visible(r.cancel, e.State == importqueue.Waiting || e.State == importqueue.Running)
	visible(r.retry, e.State == importqueue.Failed || e.State == importqueue.Cancelled)
	visible(r.remove, e.State != importqueue.Running)
}

func visible(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// fill rebuilds the list from the queue (entries added or removed).
func (w *Window) fill() {
	es := w.Queue.Entries()
	w.list.Objects = nil
	keep := map[int]*row{}
	for _, e := range es {
		r := w.rows[e.ID]
		if r == nil {
			r = w.newRow(e)
		}
		r.show(e)
		keep[e.ID] = r
		w.list.Add(r.box)
	}
	w.rows = keep
	if len(es) == 0 {
		hint := widget.NewLabel("Nothing queued yet: add files or folders, type a path, or drop them onto this window or the main window.")
		hint.Wrapping = fyne.TextWrapWord
		w.list.Add(hint)
	}
	w.list.Refresh()
	w.overall()
}

// changed follows one entry's change.
func (w *Window) changed(e importqueue.Entry) {
	r := w.rows[e.ID]
	if r == nil {
		w.fill()
		return
	}
	r.show(e)
	w.overall()
	switch e.State {
	case importqueue.Done, importqueue.Failed, importqueue.Cancelled:
		w.event("import entry " + e.Name + " " + string(e.State))
		if len(e.Images) > 0 && !r.reported && w.opts.OnImported != nil {
			r.reported = true
			w.opts.OnImported(e.Into, e.Images)
		}
	}
}

// retry queues a failed entry again and starts the queue.
func (w *Window) retry(id int) {
	if r := w.rows[id]; r != nil {
		r.reported = false
	}
	w.Queue.Retry(id)
	w.StartImport()
}

// retryAll queues every failed entry again and starts the queue.
func (w *Window) retryAll() {
	for _, e := range w.Queue.Entries() {
		if e.State == importqueue.Failed {
			if r := w.rows[e.ID]; r != nil {
				r.reported = false
			}
			w.Queue.Retry(e.ID)
		}
	}
	w.StartImport()
}

// overall shows "N of M imported" and whether Start and Cancel apply.
func (w *Window) overall() {
	done, total := w.Queue.Progress()
	failed, waiting := 0, 0
	for _, e := range w.Queue.Entries() {
		switch e.State {
		case importqueue.Failed:
			failed++
		case importqueue.Waiting, importqueue.Running:
			waiting++
		}
	}
	s := fmt.Sprintf("%d of %d imported", done-failed, total)
	if failed > 0 {
		s += ", " + strconv.Itoa(failed) + " failed"
	}
	w.Overall.SetText(s)
	if waiting > 0 {
		w.Cancel.Enable()
	} else {
		w.Cancel.Disable()
	}
	visible(w.RetryAll, failed > 1)
}

func itoa(n int) string { return strconv.Itoa(n) }

// RowButton is the button labelled text ("Cancel", "Retry", "Remove") of
// the entry's row; nil when the entry is not listed.
func (w *Window) RowButton(id int, text string) *widget.Button {
	r := w.rows[id]
	if r == nil {
		return nil
	}
	for _, b := range []*widget.Button{r.cancel, r.retry, r.remove} {
		if b.Text == text {
			return b
		}
	}
	return nil
}
