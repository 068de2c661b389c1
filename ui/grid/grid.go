// Package grid is the thumbnail grid of the data browser: the images of the
// selected dataset, Orphaned Images folder, well or plate as 96-pixel
// thumbnails with their names, in a virtualised widget.GridWrap. Only the
// cells on screen exist; each loads its thumbnail in the background and
// cancels that load when it is scrolled away and reused for another image,
// as supersonic's grid does. Thumbnails show the image owner's settings
// (spec §5.5) and stay in a memory cache (app/grid) while the app runs.
//
// A tap selects an image, a double tap (or Open) opens it in the viewer.
//
// Threading: every method runs on the UI goroutine; repository reads and
// thumbnail drawing go through Options.Run.
package grid

import (
	"context"
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	appgrid "github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui/async"
)

// ThumbSize is the side of a thumbnail in device-independent pixels.
const ThumbSize = 96

// maxLoads bounds the thumbnails drawn at once, so a fast scroll over a big
// dataset does not start hundreds of decodes on a two-core laptop.
const maxLoads = 4

// Thumbnailer draws thumbnails (app/rendering.Service).
type Thumbnailer interface {
	Thumbnail(ctx context.Context, img core.Ref, size int) (*image.RGBA, error)
}

// Options configure the grid.
type Options struct {
	Run     async.Runner
	Session core.Session
	// Thumbs draws thumbnails; nil shows names only.
	Thumbs Thumbnailer
	// Scale is the canvas scale: thumbnails are drawn at ThumbSize × Scale
	// screen pixels (1 when nil).
	Scale func() float32
	// OnSelect runs when the user selects an image, OnOpen when they
	// double-tap it or press Open.
	OnSelect, OnOpen func(core.ObjectView)
	// OnSecondary, when set, runs on a right-click on an image (selected
	// first), with the click's position on the canvas.
	OnSecondary func(img core.ObjectView, at fyne.Position)
	// OnListed, when set, runs once the images of a container are listed,
	// with their number (scripts wait on it).
	OnListed func(c core.ObjectView, n int)
	// OnError, when set, is told why a list could not be read, with what
	// lists it again; it reports whether it showed the problem itself (the
	// browser's offline banner or password dialog). The grid's message says
	// what failed either way.
	OnError func(err error, retry func()) bool
	// OnDrag, when set, runs while a thumbnail is dragged, with the
	// pointer's position on the canvas; OnDragEnd when it is dropped.
	OnDrag    func(img core.ObjectView, at fyne.Position)
	OnDragEnd func()
	// OnMarked, when set, runs when Ctrl-click, Shift-click or Ctrl+A
	// change the set of selected images, with them in grid order.
	OnMarked func([]core.ObjectView)
	// Prefs keeps the thumbnail size between runs; nil keeps nothing.
	Prefs fyne.Preferences
	// OnMore, when set, asks for the next page of search results (the
	// header's More); OnShowInTree reveals a result in the tree.
	OnMore       func()
	OnShowInTree func(core.SearchHit)
	// OnFiltered, when set, runs each time the filters changed what is
	// shown, with how many of how many (scripts wait on it).
	OnFiltered func(shown, of int)
}

// View is the grid with its header (what is shown, how many, Open).
type View struct {
	opts    Options
	Grid    *widget.GridWrap
	title   *widget.Label
	count   *widget.Label
	Open    *widget.Button
	message *widget.Label
	content fyne.CanvasObject

	// all are the images listed (or search results), images those the
	// filters keep, as shown.
	all      []core.ObjectView
	images   []core.ObjectView
	selected int
	cache    *appgrid.Cache
	sem      chan struct{}
	// ctx is cancelled when the grid shows something else: loads for the
	// old container stop.
	ctx    context.Context
	cancel context.CancelFunc
	// token drops lists that come back after another Show.
	token int
	// shown is the container listed (loaded once its list arrived);
	// shownView the same with its name and class.
	shown     core.Ref
	shownView core.ObjectView
	loaded    bool
	// quiet is set while the program, not the user, selects a thumbnail.
	quiet bool
	// marked are the selected images (see selection.go); anchor is where
	// a Shift-click range starts; extending is set while a Ctrl- or
	// Shift-click moves the primary selection without starting over.
	marked    map[int]bool
	anchor    int
	extending bool
	// The toolbar: thumbnail size, grid or list, sort order.
	*viewBar
	// The filters over what is listed.
	*filterBar
	// results is set while the grid shows search results (results.go).
	results *results
	// More asks for the next page of results; InTree reveals the selected
	// result in the tree. Both show only with results.
	More, InTree *widget.Button
	// found says how many results for what (shown with results only).
	found *widget.Label
}

// New builds an empty grid.
func New(o Options) *View {
	if o.Scale == nil {
		o.Scale = func() float32 { return 1 }
	}
	v := &View{opts: o, cache: appgrid.NewCache(2000), sem: make(chan struct{}, maxLoads), selected: -1,
		marked: map[int]bool{}, anchor: -1}
	v.ctx, v.cancel = context.WithCancel(context.Background())
	v.cache.LimitBytes(decodedBytes)
	v.filterBar = newFilterBar(v)
	v.viewBar = newViewBar(v)
	v.Grid = widget.NewGridWrap(func() int { return len(v.images) }, v.newCell, v.bind)
	v.Grid.OnSelected = func(id widget.GridWrapItemID) {
		if id < 0 || id >= len(v.images) {
			return
		}
		v.selected = id
		if v.results != nil {
			v.InTree.Enable()
		}
		if v.images[id].Class == core.Image {
			v.Open.Enable()
		} else {
			v.Open.Disable() // only images open in the viewer
		}
		if !v.extending {
			had := len(v.marked) > 1
			v.marked, v.anchor = map[int]bool{id: true}, id
			if had {
				v.Grid.Refresh()
			}
		}
		if !v.quiet && v.opts.OnSelect != nil {
			v.opts.OnSelect(v.images[id])
		}
	}
	v.Grid.OnUnselected = func(widget.GridWrapItemID) {
		v.selected = -1
		v.Open.Disable()
		v.InTree.Disable()
		if !v.extending {
			v.marked = map[int]bool{}
		}
	}
	v.title = widget.NewLabel("")
	v.title.TextStyle.Bold = true
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.count = widget.NewLabel("")
	v.count.Importance = widget.LowImportance
	v.Open = widget.NewButtonWithIcon("Open", theme.VisibilityIcon(), func() {
		if v.selected >= 0 && v.opts.OnOpen != nil {
			v.opts.OnOpen(v.images[v.selected])
		}
	})
	v.Open.Disable()
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Importance = widget.LowImportance
	v.More = widget.NewButton("More", func() {
		if v.opts.OnMore != nil {
			v.More.Disable() // until the page arrives
			v.opts.OnMore()
		}
	})
	v.More.Hide()
	v.InTree = widget.NewButtonWithIcon("Show in tree", theme.NavigateNextIcon(), func() {
		if h, ok := v.SelectedHit(); ok && v.opts.OnShowInTree != nil {
			v.opts.OnShowInTree(h)
		}
	})
	v.InTree.Hide()
	// With search results the header's row says "Search results" and the
	// line under it how many were found for what, wrapped, so a long query
	// is never cut short by the buttons.
	v.found = widget.NewLabel("")
	v.found.Wrapping = fyne.TextWrapWord
	v.found.Hide()
	header := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(v.count, v.More, v.InTree, v.Open), v.title), v.found)
	v.list = newListView(v)
	v.List = v.list.table
	v.content = container.NewBorder(container.NewVBox(header, v.bar, v.filterBar.row, widget.NewSeparator()), nil, nil, nil,
		container.NewStack(v.Grid, v.List, container.NewPadded(container.NewVBox(v.message, layout.NewSpacer()))))
	v.Clear("Select a dataset, a plate or Orphaned Images to see its images.")
	return v
}

// Content is the grid with its header.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Shown is the container whose images are listed (zero when none is).
func (v *View) Shown() core.ObjectView { return v.shownView }

// Images are the images listed now, in order.
func (v *View) Images() []core.ObjectView { return v.images }

// Clear empties the grid and shows a message in its place.
func (v *View) Clear(message string) {
	v.reset()
	v.title.SetText("Images")
	v.count.SetText("")
	v.message.SetText(message)
	v.message.Show()
	v.Grid.Refresh()
}

func (v *View) reset() {
	v.cancel()
	v.ctx, v.cancel = context.WithCancel(context.Background())
	v.token++
	v.all, v.images = nil, nil
	v.fcancel()
	v.fctx, v.fcancel = context.WithCancel(v.ctx)
	v.ftoken++
	v.facts = appgrid.NewFactsCache()
	v.FilterError.Hide()
	v.setResults(nil)
	v.selected = -1
	v.marked, v.anchor = map[int]bool{}, -1
	v.Open.Disable()
	v.quiet = true
	v.Grid.UnselectAll()
	v.quiet = false
	v.Grid.ScrollToOffset(0) // (ScrollToTop fails before the grid is first drawn)
	v.shown, v.shownView, v.loaded = core.Ref{}, core.ObjectView{}, false
	if v.list != nil {
		v.list.reset()
	}
}

// Show lists the images of a container (a Dataset, OrphanedImages folder,
// Well or Plate) as the tree shows it for group and owner, and selects
// selectImage when it is among them.
func (v *View) Show(group, owner core.ID, c core.ObjectView, selectImage core.Ref) {
	if v.loaded && v.shown == c.Ref {
		v.selectQuietly(selectImage) // the same list: no reload, no flicker
		return
	}
	v.reset()
	v.shown, v.shownView = c.Ref, c
	v.title.SetText(c.DisplayName())
	v.count.SetText("")
	v.message.SetText("Loading…")
	v.message.Show()
	v.Grid.Refresh()
	token, sess, ctx := v.token, v.opts.Session, v.ctx
	v.opts.Run.Go(func() func() {
		imgs, err := appgrid.Images(ctx, sess, group, owner, c.Ref)
		return func() {
			if token != v.token {
				return // the grid shows something else by now
			}
			if err != nil {
				v.message.SetText("Could not list the images: " + core.UserMessage(err))
				if v.opts.OnError != nil {
					v.opts.OnError(err, func() { v.Show(group, owner, c, selectImage) })
				}
				return
			}
			v.all, v.images = imgs, imgs
			appgrid.Sort(v.all, v.sortKey, v.descending)
			v.list.refresh()
			v.updateCount()
			if len(imgs) == 0 {
				v.message.SetText("No images here.")
			} else {
				v.message.Hide()
			}
			v.loaded = true
			v.Grid.Refresh()
			v.selectQuietly(selectImage)
			if !v.Filter().Empty() {
				v.applyFilter()
			}
			if v.opts.OnListed != nil {
				v.opts.OnListed(c, len(imgs))
			}
		}
	})
}

// selectQuietly selects an image's thumbnail without telling OnSelect (the
// tree selected it and has shown its details already).
func (v *View) selectQuietly(img core.Ref) {
	for i, im := range v.images {
		if im.Ref == img {
			v.quiet = true
			v.Grid.Select(i)
			v.quiet = false
			v.Grid.ScrollTo(i)
			return
		}
	}
	if !img.IsZero() || v.selected >= 0 {
		v.quiet = true
		v.Grid.UnselectAll()
		v.quiet = false
	}
}

// Forget drops an image's cached thumbnail and redraws it (its owner saved
// new settings).
func (v *View) Forget(img core.Ref) {
	v.cache.Forget(img.ID)
	for i, im := range v.images {
		if im.Ref == img {
			v.Grid.RefreshItem(i)
		}
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
