package browser

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// The search field over the tree: typing searches as-you-type (debounced,
// each search cancelling the one before; Enter at once), the results fill
// the grid, and Escape or the clear button go back to the tree's selection.
// A scope row under the field restricts the search as OMERO.insight's
// SearchPanel does: type, group, owner and a date range. A query the core
// cannot understand shows its sentence under the field.

// defaultSearchDelay is how long typing must pause before a search runs.
const defaultSearchDelay = 300 * time.Millisecond

// Choices of the scope row.
var (
	searchTypes = []struct {
		label   string
		classes []core.Class
	}{{"All types", nil}, {"Projects", []core.Class{core.Project}}, {"Datasets", []core.Class{core.Dataset}},
		{"Images", []core.Class{core.Image}}, {"Screens", []core.Class{core.Screen}}, {"Plates", []core.Class{core.Plate}}}
	searchGroups = []string{"This group", "All my groups"}
	searchDates  = []string{"Imported", "Acquired"}
)

// SearchBox is the search field, its scope row and its state.
type SearchBox struct {
	// Field is the search field; Clear empties it and goes back to the
	// tree; Error says why a query cannot run; ScopeButton shows the scope.
	Field       *searchEntry
	Clear       *widget.Button
	Error       *widget.Label
	ScopeButton *widget.Button
	// The scope: Type, Group, Owner, DateField with From and To (dates as
	// 2024-05-31).
	Type, Group, Owner, DateField *widget.Select
	From, To                      *widget.Entry

	scope   fyne.CanvasObject
	content fyne.CanvasObject
	owners  []browse.Choice
	// timer is the pending debounced search; cancel stops the search under
	// way; token drops answers to older searches; req is the last search
	// run (More asks for its next page).
	timer  *time.Timer
	cancel context.CancelFunc
	token  int
	req    core.SearchRequest
	next   int // the offset of the next page
	active bool
}

// searchEntry is the search field: Escape clears it, and the window's
// own shortcuts (Ctrl+Q, Ctrl+I, Ctrl+R...) still work while typing in it.
type searchEntry struct {
	widget.Entry
	onEscape func()
}

// TypedShortcut keeps the entry's editing shortcuts (copy, paste, undo...)
// and passes the window's on.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if _, ok := s.(*desktop.CustomShortcut); ok {
		passToWindow(e, s)
		return
	}
	e.Entry.TypedShortcut(s)
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

func (v *View) newSearch() *SearchBox {
	s := &SearchBox{}
	s.Field = &searchEntry{onEscape: v.endSearch}
	s.Field.ExtendBaseWidget(s.Field)
	s.Field.SetPlaceHolder("Search: name, tag:live, exposure>100…")
	s.Field.OnChanged = func(string) { v.searchSoon() }
	s.Field.OnSubmitted = func(string) { v.searchNow() }
	s.Clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), v.endSearch)
	s.Error = widget.NewLabel("")
	s.Error.Importance = widget.DangerImportance
	s.Error.Wrapping = fyne.TextWrapWord
	s.Error.Hide()

	rerun := func(string) {
		if strings.TrimSpace(s.Field.Text) != "" {
			v.searchNow()
		}
	}
	labels := make([]string, len(searchTypes))
	for i, t := range searchTypes {
		labels[i] = t.label
	}
	s.Type = widget.NewSelect(labels, rerun)
	s.Type.SetSelectedIndex(0)
	s.Group = widget.NewSelect(searchGroups, rerun)
	s.Group.SetSelectedIndex(0)
	s.Owner = widget.NewSelect(nil, rerun)
	s.DateField = widget.NewSelect(searchDates, rerun)
	s.DateField.SetSelectedIndex(0)
	s.From, s.To = widget.NewEntry(), widget.NewEntry()
	s.From.SetPlaceHolder("from 2024-01-31")
	s.To.SetPlaceHolder("to")
	s.From.OnSubmitted, s.To.OnSubmitted = rerun, rerun
	s.scope = container.NewVBox(
		container.NewGridWithColumns(2, s.Type, s.Group),
		container.NewGridWithColumns(2, s.Owner, s.DateField),
		container.NewGridWithColumns(2, s.From, s.To))
	s.scope.Hide()
	s.ScopeButton = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), func() {
		if s.scope.Visible() {
			s.scope.Hide()
		} else {
			s.scope.Show()
		}
	})
	s.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(s.Clear, s.ScopeButton), s.Field),
		s.Error, s.scope)
	return s
}

// fillSearchOwners offers anyone, me, and the members of the group shown.
func (v *View) fillSearchOwners() {
	s := v.search
	me := v.opts.Me.User
	s.owners = []browse.Choice{{ID: core.AnyID, Label: "Anyone"}, {ID: me.ID, Label: "Me"}}
	for _, c := range browse.MemberChoices(v.opts.Me, v.model.Group()) {
		if c.ID != core.AnyID && c.ID != me.ID {
			s.owners = append(s.owners, c)
		}
	}
	s.Owner.Options = labels(s.owners)
	if s.Owner.SelectedIndex() < 0 || s.Owner.SelectedIndex() >= len(s.owners) {
		s.Owner.Selected = s.owners[0].Label
	}
	s.Owner.Refresh()
}

// addSearchShortcut makes Ctrl+F (Cmd+F) focus the search field.
func (v *View) addSearchShortcut() {
	if v.opts.Window == nil {
		return
	}
	v.opts.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { v.FocusSearch() })
}

// FocusSearch puts the keyboard in the search field (Ctrl+F).
func (v *View) FocusSearch() {
	v.opts.Window.Canvas().Focus(v.search.Field)
}

// Search is the search field and its scope (tests type into them).
func (v *View) Search() *SearchBox { return v.search }

// searchSoon runs the search once typing pauses.
func (v *View) searchSoon() {
	s := v.search
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if strings.TrimSpace(s.Field.Text) == "" {
		v.endSearch()
		return
	}
	d := v.opts.SearchDelay
	if d == 0 {
		d = defaultSearchDelay
	}
	if d < 0 {
		v.searchNow()
		return
	}
	s.token++
	token := s.token
	s.timer = time.AfterFunc(d, func() {
		v.opts.Run.Do(func() {
			if token == s.token { // nothing typed since
				v.searchNow()
			}
		})
	})
}

// searchNow runs the search in the field with the scope row's choices.
func (v *View) searchNow() {
	s := v.search
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	query := strings.TrimSpace(s.Field.Text)
	if query == "" {
		v.endSearch()
		return
	}
	req, err := v.searchRequest(query)
	if err != nil {
		v.searchError(err.Error())
		return
	}
	v.runSearch(req, false)
}

// searchRequest builds the request from the field and the scope row.
func (v *View) searchRequest(query string) (core.SearchRequest, error) {
	s := v.search
	req := core.SearchRequest{Query: query, Group: v.model.Group(), Owner: core.AnyID, DateField: "import"}
	if i := s.Type.SelectedIndex(); i > 0 {
		req.Types = searchTypes[i].classes
	}
	if s.Group.SelectedIndex() == 1 {
		req.Group = core.AnyID
	}
	if i := s.Owner.SelectedIndex(); i > 0 && i < len(s.owners) {
		req.Owner = s.owners[i].ID
	}
	if s.DateField.SelectedIndex() == 1 {
		req.DateField = "acquisition"
	}
	var err error
	if req.From, err = parseDay(s.From.Text, false); err != nil {
		return req, err
	}
	if req.To, err = parseDay(s.To.Text, true); err != nil {
		return req, err
	}
	return req, nil
}

// parseDay reads a date typed as 2024-05-31 (empty: open); the end of a
// range takes the whole day.
func parseDay(s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date; type it as 2024-05-31", s)
	}
	if end {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

// runSearch asks the core for a page of results in the background; more
// appends the next page to those shown.
func (v *View) runSearch(req core.SearchRequest, more bool) {
	s := v.search
	if s.cancel != nil {
		s.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.token++
	s.req = req
	token, sess := s.token, v.opts.Session
	v.opts.Run.Go(func() func() {
		res, err := sess.Search(ctx, req)
		return func() {
			if token != s.token || ctx.Err() != nil {
				return // a newer search, or the search was ended
			}
			cancel()
			if err != nil {
				v.searchError(core.UserMessage(err))
				return
			}
			s.Error.Hide()
			s.active = true
			s.next = req.Offset + len(res.Hits)
			if more {
				v.Grid.AppendResults(res.Hits, res.More)
			} else {
				v.showPlate(false)
				v.Grid.ShowResults(req.Query, res.Hits, res.More)
			}
			if v.opts.OnEvent != nil {
				v.opts.OnEvent(fmt.Sprintf("search %d results for %s", len(v.Grid.All()), req.Query))
			}
		}
	})
}

// moreResults asks for the next page of the last search.
func (v *View) moreResults() {
	s := v.search
	if !s.active {
		return
	}
	req := s.req
	req.Offset = s.next
	v.runSearch(req, true)
}

// searchError shows a query's problem under the field; what the grid shows
// stays as it was.
func (v *View) searchError(msg string) {
	v.search.Error.SetText(msg)
	v.search.Error.Show()
}

// endSearch empties the field and shows the tree's selection again.
func (v *View) endSearch() {
	s := v.search
	s.token++
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.Error.Hide()
	if s.Field.Text != "" {
		s.Field.OnChanged = nil // no search for the emptied field
		s.Field.SetText("")
		s.Field.OnChanged = func(string) { v.searchSoon() }
	}
	if !s.active {
		return
	}
	s.active = false
	v.backToTree()
	if v.opts.OnEvent != nil {
		v.opts.OnEvent("search ended")
	}
}

// backToTree shows in the grid and the details panel what the tree has
// selected.
func (v *View) backToTree() {
	n, ok := v.model.Node(v.primary)
	if !ok || v.primary == "" || n.Placeholder != "" {
		v.Grid.Clear(gridHint)
		v.details.clear()
		v.selected = core.ObjectView{}
		return
	}
	v.selected = n.View
	v.fromGrid = false
	v.details.show(n)
	v.showInGrid(v.primary, n)
}

// showInTree reveals a result in the tree: its group and owner shown, its
// path opened and it selected.
func (v *View) showInTree(h core.SearchHit) {
	if h.Path == "" {
		return
	}
	v.search.active = false // the tree's selection takes the grid back
	group, owner := v.model.Group(), v.model.Owner()
	if h.Group != group || (owner != core.AnyID && owner != h.Owner) {
		if h.Group != group {
			v.Groups.SetSelectedIndex(indexOf(v.groups, h.Group)) // as if chosen: the tree resets there
		}
		if o := v.model.Owner(); o != core.AnyID && o != h.Owner {
			// The owner's data, or everyone's when the owner is not offered.
			i := slices.IndexFunc(v.members, func(c browse.Choice) bool { return c.ID == h.Owner })
			if i < 0 {
				i = slices.IndexFunc(v.members, func(c browse.Choice) bool { return c.ID == core.AnyID })
			}
			if i >= 0 {
				v.Members.SetSelectedIndex(i)
			}
		}
	}
	v.SelectPath(h.Path)
}
