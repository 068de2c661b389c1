package browser

import (
	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/graphreview"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
)

// The Activities panel: the toolbar's Activities button, with a badge
// counting running jobs, opens a list of this session's jobs; running ones
// show a progress bar (objects processed of total) and Cancel, finished
// ones their result and a Show link that selects what they changed
// (switching group and user), failed ones the reason, and, when the data
// changed since the review, Review again.
//
// Threading: jobs run on their own goroutines; their updates reach the
// widgets through Options.Run.Do.

// jobMeta is what the browser knows of a job beyond jobs.Info.
type jobMeta struct {
	dest      string   // destination group or recipient, for the sentence
	container core.Ref // the container the objects were put into
	retry     func()   // reopens the dialog for the same selection
	after     func(jobs.Info)
}

type activities struct {
	v      *View
	m      *jobs.Manager
	meta   map[int]*jobMeta
	Button *widget.Button
	badge  *fyne.Container
	count  *canvas.Text
	list   *fyne.Container
	popup  dialog.Dialog
	// cli are the operations the CLI ran on this repository since the
	// browser opened (app/jobs' journal), read on refresh.
	cli   []jobs.Record
	since time.Time
}

func (v *View) newActivities() *activities {
	a := &activities{v: v, m: v.opts.Jobs, meta: map[int]*jobMeta{}, since: time.Now()}
	if a.m == nil {
		a.m = jobs.NewManager()
	}
	a.Button = widget.NewButtonWithIcon("Activities", theme.HistoryIcon(), a.show)
	dot := canvas.NewCircle(theme.Color(theme.ColorNamePrimary))
	a.count = canvas.NewText("", theme.Color(theme.ColorNameForegroundOnPrimary))
	a.count.TextSize = 10
	a.count.TextStyle.Bold = true
	a.badge = container.NewWithoutLayout(dot, a.count)
	dot.Resize(fyne.NewSize(16, 16))
	a.badge.Hide()
	a.list = container.NewVBox()
	a.m.Subscribe(func(info jobs.Info) { v.opts.Run.Do(func() { a.changed(info) }) })
	return a
}

// widget is the toolbar's button with its badge at the top right.
func (a *activities) widget() fyne.CanvasObject {
	return container.NewStack(a.Button, container.New(&badgeLayout{}, a.badge))
}

// badgeLayout puts the badge at the top-right corner.
type badgeLayout struct{}

func (badgeLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }
func (badgeLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(size.Width-14, -2))
	}
}

// Running counts the jobs still running (the badge's number).
func (a *activities) Running() int {
	n := 0
	for _, i := range a.m.List() {
		if i.State == jobs.Running {
			n++
		}
	}
	return n
}

func (a *activities) changed(info jobs.Info) {
	if info.State != jobs.Running {
		if m := a.meta[info.ID]; m != nil && m.after != nil {
			after := m.after
			m.after = nil
			after(info)
		}
		if a.v.opts.OnEvent != nil {
			a.v.opts.OnEvent("job " + strconv.Itoa(info.ID) + " " + string(info.State) + ": " + a.Sentence(info))
		}
	}
	n := a.Running()
	a.count.Text = strconv.Itoa(n)
	a.count.Move(fyne.NewPos(8-float32(len(a.count.Text))*3, 1))
	if n > 0 {
		a.badge.Show()
	} else {
		a.badge.Hide()
	}
	a.badge.Refresh()
	a.fill()
}

// start runs a graph request as a job and remembers how to word and show
// its outcome; after runs on the UI goroutine when it ends.
func (a *activities) start(title string, meta *jobMeta, fn jobs.Func) *jobs.Job {
	a.v.setStatus(title + "… (see Activities)")
	// The work waits until the meta is stored, so that the job's end
	// always finds it. Nothing here touches widgets after the job may
	// have started reporting (tests run its reports on its goroutine).
	ready := make(chan struct{})
	j := a.m.Start(context.Background(), "graph", title, func(ctx context.Context, progress func(int, int)) (any, error) {
		<-ready
		return fn(ctx, progress)
	})
	a.meta[j.Info().ID] = meta
	close(ready)
	return j
}

// Sentence is what the list says of a job: progress, the outcome, or why it
// failed.
func (a *activities) Sentence(i jobs.Info) string {
	switch i.State {
	case jobs.Running:
		if i.Kind == "import" {
			if i.Total > 0 {
				return "Importing: " + strconv.Itoa(i.Done) + " of " + strconv.Itoa(i.Total) + " files done"
			}
			return "Importing…"
		}
		if i.Total > 0 {
			return strconv.Itoa(i.Done) + " of " + strconv.Itoa(i.Total) + " objects processed"
		}
		return "Starting…"
	case jobs.Cancelled:
		return "Cancelled: nothing changed."
	case jobs.Failed:
		if i.Kind == "import" {
			return "Failed: " + i.Err
		}
		return graphreview.Failure(i.Err)
	}
	if imp, ok := i.Result.(jobs.Imported); ok {
		return imp.Outcome + "."
	}
	res, ok := i.Result.(core.GraphResult)
	if !ok {
		return "Done."
	}
	dest := ""
	if m := a.meta[i.ID]; m != nil {
		dest = m.dest
	}
	return graphreview.Outcome(res, dest) + "."
}

// reload reads what the CLI recorded in the repository's journal since
// the browser opened, off the UI goroutine.
func (a *activities) reload() {
	if a.v.opts.Dir == "" {
		return // on a server the CLI's journal is the server's, not in a folder here
	}
	dir, user, since := a.v.opts.Dir, a.v.opts.Me.User.ID, a.since
	a.v.opts.Run.Go(func() func() {
		rs, err := jobs.ReadRecords(dir, user, since)
		return func() {
			if err != nil {
				a.v.setStatus("Could not read the activities of the command line: " + core.UserMessage(err))
				return
			}
			a.cli = rs
			a.fill()
			if a.v.opts.OnEvent != nil {
				a.v.opts.OnEvent("activities " + strconv.Itoa(len(rs)) + " from the command line")
			}
		}
	})
}

// show opens the panel.
func (a *activities) show() {
	a.fill()
	s := container.NewVScroll(a.list)
	s.SetMinSize(fyne.NewSize(560, 320))
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), a.reload)
	var d dialog.Dialog
	closeButton := widget.NewButton("Close", func() { d.Hide() })
	closeButton.Importance = widget.HighImportance
	buttons := container.NewBorder(nil, nil, refresh, closeButton)
	d = dialog.NewCustomWithoutButtons("Activities", container.NewBorder(nil, buttons, nil, nil, s), a.v.opts.Window)
	a.popup = d
	d.SetOnClosed(func() { a.popup = nil })
	d.Show()
}

// fill lists the jobs, newest first.
func (a *activities) fill() {
	a.list.Objects = nil
	infos := a.m.List()
	if len(infos) == 0 && len(a.cli) == 0 {
		a.list.Add(wrapping("No activities in this session yet: moves, changes of owner and duplicates you start show here."))
	}
	for _, i := range infos {
		a.list.Add(a.entry(i))
		a.list.Add(widget.NewSeparator())
	}
	if len(a.cli) > 0 {
		head := widget.NewLabel("From the command line")
		head.TextStyle.Bold = true
		a.list.Add(head)
	}
	for k := len(a.cli) - 1; k >= 0; k-- {
		a.list.Add(a.recordEntry(a.cli[k]))
		a.list.Add(widget.NewSeparator())
	}
	a.list.Refresh()
}

func (a *activities) entry(i jobs.Info) fyne.CanvasObject {
	title := widget.NewLabel(i.Title)
	title.TextStyle.Bold = true
	title.Truncation = fyne.TextTruncateEllipsis
	when := widget.NewLabel(i.Started.Format(time.TimeOnly))
	when.Importance = widget.LowImportance
	box := container.NewVBox(container.NewBorder(nil, nil, nil, when, title))
	msg := wrapping(a.Sentence(i))
	id := i.ID
	switch i.State {
	case jobs.Running:
		bar := widget.NewProgressBar()
		bar.SetValue(i.Fraction())
		cancel := widget.NewButton("Cancel", func() {
			if j, ok := a.m.Get(id); ok {
				j.Cancel()
			}
		})
		box.Add(container.NewBorder(nil, nil, nil, cancel, bar))
		box.Add(msg)
	case jobs.Done:
		box.Add(msg)
		if show, ok := a.showTarget(i); ok {
			box.Add(container.NewHBox(widget.NewButtonWithIcon("Show", theme.SearchIcon(), func() {
				if a.popup != nil {
					a.popup.Hide()
				}
				a.v.showObject(show)
			})))
		}
	default:
		msg.Importance = widget.DangerImportance
		box.Add(msg)
		if m := a.meta[id]; m != nil && m.retry != nil && i.State == jobs.Failed {
			box.Add(container.NewHBox(widget.NewButton("Review again", func() {
				if a.popup != nil {
					a.popup.Hide()
				}
				m.retry()
			})))
		}
	}
	return box
}

// recordEntry shows an operation the CLI ran: its command, its outcome or
// why it failed, and a Show link.
func (a *activities) recordEntry(r jobs.Record) fyne.CanvasObject {
	title := widget.NewLabel(r.Title)
	title.TextStyle.Bold = true
	title.Truncation = fyne.TextTruncateEllipsis
	when := widget.NewLabel(r.Time.Local().Format(time.TimeOnly))
	when.Importance = widget.LowImportance
	box := container.NewVBox(container.NewBorder(nil, nil, nil, when, title))
	if r.State != jobs.Done {
		msg := wrapping(graphreview.Failure(r.Err))
		msg.Importance = widget.DangerImportance
		box.Add(msg)
		return box
	}
	box.Add(wrapping(r.Outcome + "."))
	if obj, ok := graphreview.TopObject(r.Refs); ok {
		t := graphreview.ShowTarget{Path: graphreview.ShowPath(obj, r.Into)}
		box.Add(container.NewHBox(widget.NewButtonWithIcon("Show", theme.SearchIcon(), func() {
			if a.popup != nil {
				a.popup.Hide()
			}
			a.v.showObject(t)
		})))
	}
	return box
}

// showTarget is where a finished job's Show link goes.
func (a *activities) showTarget(i jobs.Info) (graphreview.ShowTarget, bool) {
	obj, ok := graphreview.TopObject(jobs.Changed(i))
	if !ok {
		return graphreview.ShowTarget{}, false
	}
	var container core.Ref
	if m := a.meta[i.ID]; m != nil {
		container = m.container
	}
	if imp, ok := i.Result.(jobs.Imported); ok && imp.Path != "" {
		// The images are shown in their dataset, wherever it is in the tree.
		return graphreview.ShowTarget{Path: imp.Path + "/" + obj.String()}, true
	}
	return graphreview.ShowTarget{Path: graphreview.ShowPath(obj, container)}, true
}

// showObject switches to the group and owner of the path's object and
// selects it.
func (v *View) showObject(t graphreview.ShowTarget) {
	path := t.Path
	last := path
	for k := len(path) - 1; k >= 0; k-- {
		if path[k] == '/' {
			last = path[k+1:]
			break
		}
	}
	ref, err := core.ParseRef(last)
	if err != nil {
		return
	}
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		obj, err := sess.Get(context.Background(), ref)
		return func() {
			if err != nil {
				if !v.trouble(err, nil) {
					v.setStatus(core.UserMessage(err))
				}
				return
			}
			v.browseTo(obj.Group, obj.Owner, path)
		}
	})
}

// browseTo shows group and owner in the switchers and selects path.
func (v *View) browseTo(group, owner core.ID, path string) {
	if group != v.model.Group() {
		v.Groups.SetSelectedIndex(indexOf(v.groups, group)) // runs groupChanged
	}
	if owner != v.model.Owner() && v.model.Owner() != core.AnyID {
		for i, m := range v.members {
			if m.ID == owner {
				v.Members.SetSelectedIndex(i)
			}
		}
		if v.model.Owner() != owner {
			v.Members.SetSelectedIndex(0) // All members
		}
	}
	v.SelectPath(path)
}

// Jobs are the session's jobs (the activities list).
func (v *View) Jobs() *jobs.Manager { return v.acts.m }

// ShowActivities opens the Activities panel.
func (v *View) ShowActivities() { v.acts.show() }

// ActivitiesBadge is the number the badge shows ("" when hidden).
func (v *View) ActivitiesBadge() string {
	if !v.acts.badge.Visible() {
		return ""
	}
	return v.acts.count.Text
}

// Close takes back the window's Ctrl+R, cancels the jobs still running and
// waits for them: each either finishes or rolls back, never half-applied,
// before the session closes.
func (v *View) Close() {
	v.opts.Window.Canvas().RemoveShortcut(refreshShortcut)
	for _, i := range v.acts.m.List() {
		if j, ok := v.acts.m.Get(i.ID); ok && i.State == jobs.Running {
			j.Cancel()
			<-j.Done()
		}
	}
}
