package grid

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	appgrid "github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
)

// filterBar is the row of filters over the grid, like OMERO.web's
// thumbnail filter: name, tag, rating and key-value conditions, all
// applying at once to what the grid lists (app/grid does the matching).
type filterBar struct {
	// FilterName, FilterTag and FilterKV are typed into; FilterRating is
	// one of appgrid.RatingChoices.
	FilterName, FilterTag, FilterKV *widget.Entry
	FilterRating                    *widget.Select
	// FilterError says why the key-value filter cannot be understood.
	FilterError *widget.Label
	// FilterToggle shows and hides the filters (hidden, they still apply;
	// the button is highlighted while any filter is set).
	FilterToggle *widget.Button

	row   fyne.CanvasObject
	facts *appgrid.FactsCache
	// fctx is cancelled when another filtering starts or the grid shows
	// something else; ftoken drops results that come back late.
	fctx    context.Context
	fcancel context.CancelFunc
	ftoken  int
}

func newFilterBar(v *View) *filterBar {
	f := &filterBar{facts: appgrid.NewFactsCache()}
	f.fctx, f.fcancel = context.WithCancel(context.Background())
	entry := func(placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.OnChanged = func(string) { v.applyFilter() }
		return e
	}
	f.FilterName = entry("Name")
	f.FilterTag = entry("Tag")
	f.FilterKV = entry("Key-value: exposure>100")
	f.FilterRating = widget.NewSelect(appgrid.RatingChoices, func(string) { v.applyFilter() })
	f.FilterRating.Selected = appgrid.RatingChoices[0]
	f.FilterError = widget.NewLabel("")
	f.FilterError.Importance = widget.DangerImportance
	f.FilterError.Wrapping = fyne.TextWrapWord
	f.FilterError.Hide()
	f.row = container.NewVBox(
		container.NewGridWithColumns(2, f.FilterName, f.FilterTag),
		container.NewBorder(nil, nil, nil, f.FilterRating, f.FilterKV),
		f.FilterError)
	// Hidden at first: the grid's pane is narrow, and the thumbnails keep
	// their place until the user asks for filters.
	f.row.Hide()
	f.FilterToggle = widget.NewButton("Filter", func() { v.ShowFilters(!f.row.Visible()) })
	return f
}

// ShowFilters shows or hides the filter row.
func (v *View) ShowFilters(show bool) {
	if show {
		v.row.Show()
		v.canvasFocus(v.FilterName)
	} else {
		v.row.Hide()
	}
	v.markFilterToggle()
}

// markFilterToggle highlights Filter while the row shows or a filter is set.
func (v *View) markFilterToggle() {
	imp := widget.MediumImportance
	if v.row.Visible() || !v.Filter().Empty() {
		imp = widget.HighImportance
	}
	if v.FilterToggle.Importance != imp {
		v.FilterToggle.Importance = imp
		v.FilterToggle.Refresh()
	}
}

func (v *View) canvasFocus(w fyne.Focusable) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.Grid); c != nil {
		c.Focus(w)
	}
}

// Filter is what the filter bar asks for now.
func (v *View) Filter() appgrid.Filter {
	return appgrid.Filter{Name: v.FilterName.Text, Tag: v.FilterTag.Text, KeyValue: v.FilterKV.Text,
		Rating: appgrid.RatingOf(v.FilterRating.SelectedIndex())}
}

// All are the images listed before filtering (Images are those shown).
func (v *View) All() []core.ObjectView { return v.all }

// applyFilter shows the listed images that pass the filters. The matching,
// and the annotation reads it needs, run in the background; a newer change
// cancels an older one.
func (v *View) applyFilter() {
	v.markFilterToggle()
	if !v.loaded {
		return
	}
	c, err := v.Filter().Compile()
	if err != nil {
		v.FilterError.SetText(core.UserMessage(err))
		v.FilterError.Show()
		return
	}
	v.FilterError.Hide()
	v.fcancel()
	v.fctx, v.fcancel = context.WithCancel(v.ctx)
	v.ftoken++
	token, ctx, sess, facts, all := v.ftoken, v.fctx, v.opts.Session, v.facts, v.all
	if c.NeedsAnnotations() {
		v.count.SetText("Filtering…")
	}
	v.opts.Run.Go(func() func() {
		kept, err := appgrid.Apply(ctx, sess, facts, c, all)
		return func() {
			if token != v.ftoken || ctx.Err() != nil {
				return
			}
			if err != nil {
				v.FilterError.SetText("Could not filter: " + core.UserMessage(err))
				v.FilterError.Show()
				return
			}
			v.showFiltered(kept)
		}
	})
}

// showFiltered shows the images kept, keeping the primary selection when it
// is among them.
func (v *View) showFiltered(kept []core.ObjectView) {
	var sel core.Ref
	if v.selected >= 0 && v.selected < len(v.images) {
		sel = v.images[v.selected].Ref
	}
	v.images = kept
	v.selected = -1
	v.marked, v.anchor = map[int]bool{}, -1
	v.Open.Disable()
	v.quiet = true
	v.Grid.UnselectAll()
	v.quiet = false
	v.Grid.Refresh()
	v.list.refresh()
	v.updateCount()
	if len(v.all) > 0 && len(kept) == 0 {
		v.message.SetText("Nothing here passes the filters.")
		v.message.Show()
	} else if len(v.all) > 0 {
		v.message.Hide()
	}
	if !sel.IsZero() {
		v.selectQuietly(sel)
	}
	if v.opts.OnFiltered != nil {
		v.opts.OnFiltered(len(kept), len(v.all))
	}
}

// updateCount says how many images (or results) are shown of those listed.
func (v *View) updateCount() {
	noun := "image"
	if v.results != nil {
		noun = "result"
		if len(v.images) == len(v.all) {
			v.count.SetText("") // the title says how many
			return
		}
	}
	v.count.SetText(appgrid.Shown(len(v.images), len(v.all), noun))
}

// ForgetAnnotations drops what the filters know of images whose
// annotations changed, and filters again.
func (v *View) ForgetAnnotations(imgs []core.Ref) {
	for _, r := range imgs {
		v.facts.Forget(r)
	}
	if v.Filter().NeedsAnnotations() {
		v.applyFilter()
	}
}
