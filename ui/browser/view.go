// Package browser is Ocular's main window content: a toolbar with the group
// and user switchers, the data tree (Projects → Datasets → Images, Screens →
// Plates → Wells → images, Orphaned Images) loaded lazily with child counts,
// the thumbnail grid of the selected container (ui/grid), a details panel
// for the selected node or thumbnail and a status bar. The rules live in
// app/browse; this package only wires widgets to them.
//
// Threading: every method runs on the UI goroutine. Repository reads go
// through Options.Run, which brings their results back to it.
package browser

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/app/jobs"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/grid"
)

// Options configure the browser.
type Options struct {
	Window  fyne.Window
	Run     async.Runner
	Session core.Session
	Me      core.Me
	Dir     string // the repository folder, shown in the status bar
	// Server is the server's address when logged in to one (shown in the
	// status bar instead of Dir).
	Server   string
	OnLogout func()
	// Thumbnails draws image thumbnails; nil shows none.
	Thumbnails *rendering.Service
	// OnReady runs once, when the top level is shown (and the path given to
	// SelectPath, if any, is open): scripts wait for it before screenshots.
	OnReady func()
	// OnEvent, when set, is told in one line each time a branch of the tree
	// or the grid has loaded ("tree Project:3 3 children", "grid Plate:7 12
	// images"): scripts wait on these instead of guessing at timings.
	OnEvent func(line string)
	// Select is a path of refs to open and select once loaded (see SelectPath).
	Select string
	// OnOpenImage opens an image in the viewer (a double tap or Open in the
	// grid), with the container the grid lists it in (its dataset, plate,
	// well or Orphaned Images); nil disables opening.
	OnOpenImage func(img, in core.ObjectView)
	// CopiedSettings and CopySettings share the clipboard of copied
	// rendering settings with the viewers' Copy and Paste: the image whose
	// settings were copied (zero: none) and its name. When nil, the browser
	// keeps a clipboard of its own.
	CopiedSettings func() (img core.Ref, name string)
	CopySettings   func(img core.Ref, name string)
	// OnRenderingChanged runs after the Rendering menu changed the settings
	// or channel names of images, with those images: windows showing them
	// should reload. The browser redraws its own thumbnails.
	OnRenderingChanged func([]core.Ref)
	// OnSelectionChanged, when set, runs each time the selection changes
	// (a click, Ctrl- or Shift-click in the tree or the grid, Ctrl+A), with
	// the selected objects (see View.Selection): a panel acting on several
	// objects at once (annotations) follows the selection through it.
	OnSelectionChanged func([]core.Ref)
	// Toolbar are extra toolbar entries (the account menu), shown before
	// refresh and log out.
	Toolbar []fyne.CanvasObject
	// ToolbarStart are extra toolbar entries shown first on the right
	// (Import): the buttons after them keep their places.
	ToolbarStart []fyne.CanvasObject
	// Jobs keeps the session's background jobs (Activities); nil makes one.
	Jobs *jobs.Manager
	// SearchDelay is how long typing in the search field must pause before
	// the search runs (0: 300 ms; negative: at once, for tests).
	SearchDelay time.Duration
}

// View is the main window's content.
type View struct {
	opts    Options
	thumbs  *rendering.Service
	model   *browse.Tree
	Tree    *widget.Tree
	Groups  *widget.Select
	Members *widget.Select
	// Grid shows the images of the selected container.
	Grid *grid.View
	// Plate is the plate grid, shown instead of Grid for a plate.
	Plate   *PlateView
	details *detailsPanel
	status  *widget.Label
	where   *widget.Label
	// Rendering opens the Rendering menu for the selection.
	Rendering *widget.Button
	// selected is what the Rendering menu acts on: the tree node or
	// thumbnail chosen last.
	selected core.ObjectView
	// busy is set while a Rendering action runs; progress shows it.
	busy        bool
	progress    *widget.ProgressBarInfinite
	progressBox fyne.CanvasObject
	clip        struct {
		from core.Ref
		name string
	}

	// The tree's multiple selection (selection.go): the marked rows, the
	// row a Shift-click range starts from, the tree's own (primary)
	// selection; extending is set while a Ctrl- or Shift-click moves the
	// primary row without starting over; fromGrid when the grid was
	// clicked last, so the actions take its thumbnails.
	marked    map[string]bool
	anchor    string
	primary   string
	extending bool
	fromGrid  bool
	// keys takes the keyboard after a click in the tree or the grid.
	keys *keys
	// linkClip holds what Copy Link or Cut Link took.
	linkClip browse.Clipboard
	// reopen and reselect are what reload brings back as levels load.
	reopen   map[string]bool
	reselect string
	// reloading is set from a reload until it has reopened everything;
	// inflight counts the tree's loads under way.
	reloading bool
	inflight  int
	restoring int // restore calls under way (nested when loads return at once)
	// rows are the tree's row widgets (drag and drop hit-tests them);
	// drag is the drag under way, nil when none.
	rows []*treeRow
	drag *dragState
	// New and Delete are the toolbar's organising buttons.
	New, Delete *widget.Button

	groups, members []browse.Choice
	settingUp       bool     // true while the switchers are filled programmatically
	pending         []string // the rest of a SelectPath
	resolving       bool     // a SelectPath is reading whose node it sits under
	content         fyne.CanvasObject
	acts            *activities // the Activities panel and its jobs
	conn            *connection // the offline banner and the password dialog
	search          *SearchBox  // the search field over the tree (search.go)
}

// New builds the browser and starts loading the top level of the user's
// current group.
func New(o Options) *View {
	v := &View{opts: o, thumbs: o.Thumbnails, marked: map[string]bool{}}
	v.conn = v.newConnection()
	v.details = newDetailsPanel(v)
	group, _ := browse.DefaultGroup(o.Me)
	v.model = browse.NewTree(group, browse.DefaultOwner(o.Me, group))
	v.Tree = v.newTree()
	v.Grid = v.newGrid()
	v.keys = newKeys(v)
	v.Plate = v.newPlateView()
	v.search = v.newSearch()

	v.Groups = widget.NewSelect(nil, func(string) { v.groupChanged() })
	v.Members = widget.NewSelect(nil, func(string) { v.memberChanged() })
	v.fillGroups(group)
	v.fillMembers(group, v.model.Owner())
	v.fillSearchOwners()
	v.addSearchShortcut()

	refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), v.Refresh)
	// Ctrl+R refreshes too (and reconnects when offline); Close removes it,
	// since the window outlives the browser.
	o.Window.Canvas().AddShortcut(refreshShortcut, func(fyne.Shortcut) { v.Refresh() })
	logout := widget.NewButtonWithIcon("Log out", theme.LogoutIcon(), func() {
		if o.OnLogout != nil {
			o.OnLogout()
		}
	})
	v.Rendering = widget.NewButtonWithIcon("Rendering", theme.ColorPaletteIcon(), v.showRenderingMenuBelowButton)
	v.New = widget.NewButtonWithIcon("New", theme.ContentAddIcon(), v.showNewMenuBelowButton)
	v.Delete = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), func() { v.act(browse.DeleteObjects) })
	v.acts = v.newActivities()
	// The switchers are a little narrower than their longest labels (which
	// truncate) so that the toolbar, Import included, fits a 1366-pixel
	// laptop screen.
	toolbar := container.NewHBox(
		boldLabel("Group"), minWidth(v.Groups, 200),
		boldLabel("Show"), minWidth(v.Members, 160),
		layout.NewSpacer(),
	)
	toolbar.Objects = append(toolbar.Objects, o.ToolbarStart...)
	toolbar.Objects = append(toolbar.Objects, v.New, v.Delete, v.newGraphButton(), v.Rendering, v.acts.widget())
	toolbar.Objects = append(append(toolbar.Objects, o.Toolbar...), refresh, logout)

	v.status = widget.NewLabel("")
	v.status.Truncation = fyne.TextTruncateEllipsis
	v.where = widget.NewLabel("Repository: " + o.Dir)
	if o.Server != "" {
		v.where.SetText("Server: " + o.Server)
	}
	v.where.Importance = widget.LowImportance
	v.setStatus("")
	v.progress = widget.NewProgressBarInfinite()
	v.progress.Stop()
	v.progressBox = minWidth(v.progress, 120)
	v.progressBox.Hide()
	statusBar := container.NewBorder(widget.NewSeparator(), nil, v.progressBox, v.where, v.status)

	// Tree, thumbnails and details side by side, as in OMERO.insight.
	right := container.NewHSplit(container.NewStack(v.Grid.Content(), v.Plate.Content()), v.details.content)
	right.SetOffset(0.42)
	// The search field sits over the tree, not in the toolbar.
	left := container.NewBorder(container.NewVBox(v.search.content, widget.NewSeparator()), nil, nil, nil,
		container.NewStack(v.Tree, container.NewWithoutLayout(v.keys)))
	split := container.NewHSplit(left, right)
	split.SetOffset(0.26)
	v.content = container.NewBorder(
		container.NewVBox(container.NewPadded(toolbar), widget.NewSeparator(), v.conn.banner),
		statusBar, nil, nil, split)
	v.pending = browse.Path(o.Select)
	v.loadTop()
	return v
}

// refreshShortcut is Ctrl+R (Cmd+R on macOS).
var refreshShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}

// Refresh reads the tree again from the top; while the server cannot be
// reached it is Reconnect.
func (v *View) Refresh() {
	if v.OfflineMessage() != "" {
		v.Reconnect()
		return
	}
	v.reset(v.model.Group(), v.model.Owner())
	v.acts.reload() // operations the CLI ran meanwhile join the activities
}

// Content is the window content.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Group and Owner are what the tree shows now.
func (v *View) Group() core.ID { return v.model.Group() }
func (v *View) Owner() core.ID { return v.model.Owner() }

func (v *View) fillGroups(selected core.ID) {
	v.settingUp = true
	defer func() { v.settingUp = false }()
	v.groups = browse.GroupChoices(v.opts.Me)
	v.Groups.Options = labels(v.groups)
	v.Groups.SetSelectedIndex(indexOf(v.groups, selected))
}

func (v *View) fillMembers(group, owner core.ID) {
	v.settingUp = true
	defer func() { v.settingUp = false }()
	v.members = browse.MemberChoices(v.opts.Me, group)
	v.Members.Options = labels(v.members)
	v.Members.SetSelectedIndex(indexOf(v.members, owner))
}

func (v *View) groupChanged() {
	i := v.Groups.SelectedIndex()
	if v.settingUp || i < 0 {
		return
	}
	group := v.groups[i].ID
	owner := browse.DefaultOwner(v.opts.Me, group)
	v.fillMembers(group, owner)
	v.reset(group, owner)
	// New objects go to the group being browsed, as in OMERO.insight.
	sess := v.opts.Session
	v.opts.Run.Go(func() func() {
		err := sess.SetGroup(context.Background(), group)
		return func() {
			if err != nil && !v.trouble(err, v.groupChanged) {
				v.setStatus(core.UserMessage(err))
			}
		}
	})
}

func (v *View) memberChanged() {
	i := v.Members.SelectedIndex()
	if v.settingUp || i < 0 {
		return
	}
	v.reset(v.model.Group(), v.members[i].ID)
}

// reset empties the tree and loads the top level again.
func (v *View) reset(group, owner core.ID) {
	v.pending = nil
	v.model.Reset(group, owner)
	v.Tree.UnselectAll()
	v.Tree.CloseAllBranches()
	v.marked, v.anchor, v.primary, v.fromGrid = map[string]bool{}, "", "", false
	v.reopen, v.reselect, v.reloading = nil, "", false
	v.search.active = false
	v.fillSearchOwners()
	v.resolving = false
	v.selected = core.ObjectView{}
	v.details.clear()
	v.Grid.Clear(gridHint)
	v.showPlate(false)
	v.setStatus("")
	v.loadTop()
}

// loadTop shows the top level: for "All members", one node per member
// (nothing to read); for one user, their containers, loaded.
func (v *View) loadTop() {
	if v.model.Owner() != core.AnyID {
		v.load(browse.Root)
		return
	}
	owners := browse.OwnerNodes(v.opts.Me, v.model.Group())
	v.model.GroupByOwner(owners)
	v.Tree.Refresh()
	if v.opts.OnEvent != nil {
		v.opts.OnEvent(fmt.Sprintf("tree root %d children", len(owners)))
	}
	v.restore(browse.Root)
	v.advance()
	v.maybeReady()
}

// showNewMenuBelowButton offers New Project, Dataset and Screen (and a
// dataset from the selected images) under the toolbar's New button.
func (v *View) showNewMenuBelowButton() {
	var items []*fyne.MenuItem
	for _, it := range v.organiseItems() {
		switch it.Action {
		case browse.NewProject, browse.NewDataset, browse.NewScreen, browse.NewDatasetFromSelection:
			a := it.Action
			mi := fyne.NewMenuItem(string(a), func() { v.act(a) })
			mi.Disabled = !it.Enabled
			items = append(items, mi)
		}
	}
	b := v.New
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("New", items...), v.opts.Window.Canvas(), pos.AddXY(0, b.Size().Height))
}

// setStatus shows a message, or who is logged in when msg is empty.
func (v *View) setStatus(msg string) {
	if msg == "" {
		u := v.opts.Me.User
		msg = "Logged in as " + u.FullName() + " (" + u.Username + ")"
		if v.opts.Me.FullAdmin {
			msg += ", administrator"
		}
	}
	v.status.SetText(msg)
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

func boldLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	return l
}

// minWidth gives o at least w device-independent pixels of width.
func minWidth(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(w, 0))
	return container.NewStack(r, o)
}

// Details is the right-hand details panel.
func (v *View) Details() fyne.CanvasObject { return v.details.content }

// Status is the status bar's message.
func (v *View) Status() string { return v.status.Text }
