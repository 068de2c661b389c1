// Package importwin is the desktop's Import window: a queue of files and
// folders (app/importqueue) with the target of the entries added next
// (group, Import for, dataset or screen, existing or new, folder as
// dataset, tags, transfer), per-entry progress and "N of M", Cancel,
// failures with their reason and Retry. Imports run in the background as
// jobs of the browser's activities; the window stays responsive and can be
// closed while they run (it only hides).
//
// Threading: every method runs on the UI goroutine; file and repository
// work goes through Options.Run.
package importwin

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/importqueue"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui/async"
)

// Options configure the window.
type Options struct {
	App     fyne.App
	Run     async.Runner
	Session core.Session
	Me      core.Me
	// Import is the pipeline's configuration (readers, thumbnails,
	// pyramids); the queue sets its session per entry.
	Import importer.Config
	// Jobs are the browser's activities; nil keeps the window's own.
	Jobs *jobs.Manager
	// Group is the group targeted first (the one browsed).
	Group core.ID
	// OnImported runs on the UI goroutine after an entry made images, with
	// the container they went into (zero: Orphaned Images).
	OnImported func(into core.Ref, images []core.Ref)
	// OnEvent, when set, is told in one line what just happened, for
	// scripts ("import queued 2", "import entry a.tif done", "import
	// finished 2 of 2").
	OnEvent func(line string)
}

// Window is the Import window.
type Window struct {
	opts   Options
	Window fyne.Window
	Queue  *importqueue.Queue

	// The target of the entries added next.
	Group    *widget.Select
	For      *widget.Select
	Target   *widget.Select
	NewName  *widget.Entry
	Folder   *widget.Check
	Tags     *widget.Entry
	Transfer *widget.Select
	// Path takes a typed or pasted path; Enter queues it.
	Path                 *widget.Entry
	AddFiles, AddFolder  *widget.Button
	Start, Cancel, Apply *widget.Button
	// Hide closes the window; the imports go on.
	Hide *widget.Button
	// Two runs two entries at once.
	Two *widget.Check
	// RetryAll queues every failed entry again and starts.
	RetryAll *widget.Button
	// Overall says "N of M imported"; Problems what could not be queued.
	Overall  *widget.Label
	Problems *widget.Label

	list      *fyne.Container
	rows      map[int]*row
	groups    []browse.Choice
	owners    []core.Experimenter
	targets   []targetChoice
	transfers []string
}

// targetChoice is an entry of the dataset chooser.
type targetChoice struct {
	label string
	ref   core.Ref
	path  string     // ref's path in the tree
	new   core.Class // Dataset or Screen for "New dataset…"/"New screen…"
	// project is where "New dataset in Project…" makes the dataset.
	project     core.Ref
	projectName string
}

// Labels of the fixed choices of the dataset chooser.
const (
	NoDataset  = "No dataset (Orphaned Images)"
	NewDataset = "New dataset…"
	NewScreen  = "New screen (for plates)…"
)

// New builds the window (hidden): Show opens it.
func New(o Options) *Window {
	w := &Window{opts: o, rows: map[int]*row{}}
	w.Queue = importqueue.New(importqueue.Config{Session: o.Session, Import: o.Import, Jobs: o.Jobs,
		OnChange: func(e importqueue.Entry) { o.Run.Do(func() { w.changed(e) }) }})
	w.Window = o.App.NewWindow("Ocular — Import")
	w.Window.Resize(fyne.NewSize(900, 640))
	// Closing hides: imports go on, and the queue is there when it opens again.
	w.Window.SetCloseIntercept(w.Window.Hide)
	w.Window.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { w.Add(Paths(uris)) })

	w.groups = browse.GroupChoices(o.Me)
	w.Group = widget.NewSelect(labels(w.groups), func(string) { w.groupChanged() })
	w.For = widget.NewSelect(nil, func(string) { w.loadTargets() })
	w.Target = widget.NewSelect(nil, func(string) { w.targetChanged() })
	w.NewName = widget.NewEntry()
	w.NewName.SetPlaceHolder("Name of the new dataset")
	w.NewName.Hide()
	w.Folder = widget.NewCheck("Folder as dataset (a dataset per folder, named after it)", nil)
	w.Tags = widget.NewEntry()
	w.Tags.SetPlaceHolder("Tags to add, separated by commas")
	w.transfers = importqueue.Transfers(o.Session)
	var tl []string
	for _, t := range w.transfers {
		tl = append(tl, importqueue.TransferLabel(t))
	}
	w.Transfer = widget.NewSelect(tl, nil)
	w.Transfer.SetSelectedIndex(0)

	w.Path = widget.NewEntry()
	w.Path.SetPlaceHolder("Type or paste a file or folder path, then press Enter")
	w.Path.OnSubmitted = func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			w.Path.SetText("")
			w.Add([]string{s})
		}
	}
	w.AddFiles = widget.NewButtonWithIcon("Add files…", theme.FileIcon(), w.chooseFile)
	w.AddFolder = widget.NewButtonWithIcon("Add folder…", theme.FolderOpenIcon(), w.chooseFolder)
	w.Apply = widget.NewButton("Use this target for the waiting files", w.applyTarget)
	w.Start = widget.NewButtonWithIcon("Start", theme.MediaPlayIcon(), w.StartImport)
	w.Start.Importance = widget.HighImportance
	w.Cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), w.Queue.CancelAll)
	w.Hide = widget.NewButton("Close", w.Window.Hide)
	w.RetryAll = widget.NewButtonWithIcon("Retry all failed", theme.ViewRefreshIcon(), w.retryAll)
	w.Two = widget.NewCheck("Two at a time", func(on bool) {
		if on {
			w.Queue.SetParallel(2)
		} else {
			w.Queue.SetParallel(1)
		}
	})
	w.Overall = widget.NewLabel("")
	w.Problems = widget.NewLabel("")
	w.Problems.Wrapping = fyne.TextWrapWord
	w.Problems.Importance = widget.DangerImportance
	w.Problems.Hide()
	w.list = container.NewVBox()

	form := widget.NewForm(
		widget.NewFormItem("Group", w.Group),
		widget.NewFormItem("Import for", w.For),
		widget.NewFormItem("Into", container.NewBorder(nil, nil, nil, nil, container.NewVBox(w.Target, w.NewName))),
		widget.NewFormItem("", w.Folder),
		widget.NewFormItem("Tags", w.Tags),
		widget.NewFormItem("Transfer", w.Transfer),
	)
	adds := container.NewBorder(nil, nil, nil, container.NewHBox(w.AddFiles, w.AddFolder), w.Path)
	top := container.NewVBox(form, container.NewHBox(w.Apply), widget.NewSeparator(), adds, w.Problems)
	scroll := container.NewVScroll(w.list)
	bottom := container.NewBorder(widget.NewSeparator(), nil, nil, container.NewHBox(w.RetryAll, w.Two, w.Hide, w.Cancel, w.Start), w.Overall)
	w.Window.SetContent(container.NewPadded(container.NewBorder(top, bottom, nil, nil, scroll)))

	w.Group.SetSelectedIndex(indexOf(w.groups, o.Group))
	w.fill()
	return w
}

// Show opens the window (again) in front.
func (w *Window) Show() {
	w.Window.Show()
	w.Window.RequestFocus()
	w.Window.Canvas().Focus(w.Path)
	w.event("import window")
}

// Close closes the window for good (the main window is closing): what
// has not started is cancelled, so that the session can end once the
// running imports have stopped.
func (w *Window) Close() {
	w.Queue.CancelAll()
	w.Window.SetCloseIntercept(nil)
	w.Window.Close()
}

// Paths turns dropped URIs into local paths (others are skipped).
func Paths(uris []fyne.URI) []string {
	var out []string
	for _, u := range uris {
		if u != nil && u.Scheme() == "file" {
			out = append(out, u.Path())
		}
	}
	return out
}

// Add queues paths with the target chosen now. Grouping reads file
// headers, so it runs in the background; the list follows.
func (w *Window) Add(paths []string) {
	if len(paths) == 0 {
		return
	}
	t, err := w.target()
	if err != nil {
		w.problem(err.Error())
		return
	}
	q := w.Queue
	w.opts.Run.Go(func() func() {
		added, problems := q.Add(paths, t)
		return func() {
			var lines []string
			for _, p := range problems {
				lines = append(lines, "Not queued: "+sentenceCase(p.Sentence)+".")
			}
			w.problem(strings.Join(lines, "\n"))
			w.fill()
			w.event("import queued " + strconv.Itoa(len(added)) + " problems " + strconv.Itoa(len(problems)))
		}
	})
}

// StartImport runs the waiting entries in the background.
func (w *Window) StartImport() {
	if w.Queue.Busy() {
		return // the run under way takes the new entries
	}
	q := w.Queue
	w.Start.Disable()
	w.opts.Run.Go(func() func() {
		q.Run(context.Background())
		return func() {
			w.Start.Enable()
			w.fill()
			done, total := q.Progress()
			w.event(fmt.Sprintf("import finished %d of %d", done, total))
		}
	})
}

// target is the target of entries added now, from the choosers.
func (w *Window) target() (importqueue.Target, error) {
	var t importqueue.Target
	if i := w.Group.SelectedIndex(); i >= 0 {
		t.Group = w.groups[i].ID
	}
	if i := w.For.SelectedIndex(); i > 0 && i < len(w.owners) {
		t.Owner = w.owners[i].Username
	}
	if i := w.Target.SelectedIndex(); i >= 0 && i < len(w.targets) {
		c := w.targets[i]
		name := strings.TrimSpace(w.NewName.Text)
		switch {
		case c.new != "" && name == "":
			return t, fmt.Errorf("Type a name for the new %s first.", strings.ToLower(string(c.new)))
		case c.new == core.Dataset:
			t.NewDataset, t.Project = name, c.project
		case c.new == core.Screen:
			t.NewScreen = name
		case c.ref.Class == core.Dataset:
			t.Dataset = c.ref
		case c.ref.Class == core.Screen:
			t.Screen = c.ref
		}
		t.Label, t.Path = c.label, c.path
		if c.new != "" {
			t.Label = "New " + strings.ToLower(string(c.new)) + " “" + name + "”"
			if c.projectName != "" {
				t.Label += " in " + c.projectName
			}
		}
	}
	t.FolderAsDataset = w.Folder.Checked
	t.Tags = importqueue.ParseTags(w.Tags.Text)
	if i := w.Transfer.SelectedIndex(); i >= 0 {
		t.Transfer = w.transfers[i]
	}
	if t.Owner != "" {
		t.Label += " for " + w.owners[w.For.SelectedIndex()].FullName()
	}
	return t, nil
}

// applyTarget gives the waiting (and failed) entries the chosen target.
func (w *Window) applyTarget() {
	t, err := w.target()
	if err != nil {
		w.problem(err.Error())
		return
	}
	var ids []int
	for _, e := range w.Queue.Entries() {
		if e.State == importqueue.Waiting || e.State == importqueue.Failed || e.State == importqueue.Cancelled {
			ids = append(ids, e.ID)
		}
	}
	w.Queue.SetTarget(ids, t)
	w.fill()
}

func (w *Window) problem(s string) {
	w.Problems.SetText(s)
	if s == "" {
		w.Problems.Hide()
	} else {
		w.Problems.Show()
	}
}

func (w *Window) chooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		w.Add(Paths([]fyne.URI{r.URI()}))
	}, w.Window)
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

func (w *Window) chooseFolder() {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			return
		}
		w.Add(Paths([]fyne.URI{l}))
	}, w.Window)
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

func (w *Window) event(line string) {
	if w.opts.OnEvent != nil {
		w.opts.OnEvent(line)
	}
}

func labels(cs []browse.Choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return out
}

func indexOf(cs []browse.Choice, id core.ID) int {
	for i, c := range cs {
		if c.ID == id {
			return i
		}
	}
	if len(cs) > 0 {
		return 0
	}
	return -1
}

// sentenceCase capitalises the first letter and drops a final full stop
// (the caller adds one).
func sentenceCase(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
