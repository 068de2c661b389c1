package grid

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	appgrid "github.com/ocular-lab/ocular/app/grid"
)

// Thumbnail sizes the slider offers, in device-independent pixels.
const (
	MinThumbSize = 48
	MaxThumbSize = 256
	// PrefThumbSize keeps the slider's choice between runs.
	PrefThumbSize = "grid.thumbnailSize"
)

// decodedBytes bounds the decoded thumbnails the grid keeps in memory: a
// few screenfuls at any size (870 at 96 pixels, 120 at 256), however big
// the dataset; the rest are read again from the disk cache when scrolled
// back to.
const decodedBytes = 32 << 20

// Decoded is the number of decoded thumbnails held and their bytes.
func (v *View) Decoded() (n, bytes int) { return v.cache.Len(), v.cache.Bytes() }

// The two layouts.
const (
	asGrid = "grid"
	asList = "list"
)

var sortChoices = []string{"Name", "Acquired", "Imported"}

// viewBar is the grid's toolbar: the thumbnail size slider, the grid/list
// toggle and the sort order, shared by the grid and the list.
type viewBar struct {
	// Size is the thumbnail size slider; its value persists in Prefs.
	Size *widget.Slider
	// AsGrid and AsList switch between thumbnails and the list; the one
	// showing is highlighted.
	AsGrid, AsList *widget.Button
	// Sort orders the images by name, acquisition date or import date.
	Sort *widget.Select
	// List is the list view: name, dates, sizes and pixel type.
	List *widget.Table

	size       float32
	sortKey    appgrid.SortKey
	descending bool
	bar        fyne.CanvasObject
	list       *listView
}

func newViewBar(v *View) *viewBar {
	b := &viewBar{size: ThumbSize}
	if p := v.opts.Prefs; p != nil {
		b.size = float32(min(max(p.IntWithFallback(PrefThumbSize, ThumbSize), MinThumbSize), MaxThumbSize))
	}
	b.Size = widget.NewSlider(MinThumbSize, MaxThumbSize)
	b.Size.Step = 8
	b.Size.Value = float64(b.size)
	b.Size.OnChanged = func(f float64) { v.setThumbSize(float32(f)) }
	b.AsGrid = widget.NewButtonWithIcon("", theme.GridIcon(), func() { v.setLayout(asGrid) })
	b.AsList = widget.NewButtonWithIcon("", theme.ListIcon(), func() { v.setLayout(asList) })
	b.AsGrid.Importance = widget.HighImportance
	b.Sort = widget.NewSelect(sortChoices, func(string) {
		if i := b.Sort.SelectedIndex(); i >= 0 && appgrid.SortKey(i) != b.sortKey {
			v.sortBy(appgrid.SortKey(i), false)
		}
	})
	b.Sort.Selected = sortChoices[0]
	// Icons rather than words: the bar must fit the grid's narrow pane.
	b.bar = container.NewHBox(b.AsGrid, b.AsList, widget.NewIcon(theme.ZoomInIcon()), minWide(b.Size, 100), layout.NewSpacer(), v.FilterToggle, b.Sort)
	return b
}

// setThumbSize redraws the grid with thumbnails of side px and keeps the
// choice for the next run.
func (v *View) setThumbSize(px float32) {
	px = min(max(px, MinThumbSize), MaxThumbSize)
	if px == v.size {
		return
	}
	v.size = px
	if p := v.opts.Prefs; p != nil {
		p.SetInt(PrefThumbSize, int(px))
	}
	v.Grid.Refresh()
	// The column count is cached until a resize: recompute it now.
	v.Grid.Resize(v.Grid.Size())
}

// ThumbnailSize is the side of the thumbnails drawn now.
func (v *View) ThumbnailSize() float32 { return v.size }

func (v *View) setLayout(s string) {
	v.AsGrid.Importance, v.AsList.Importance = widget.MediumImportance, widget.MediumImportance
	if s == asList {
		v.AsList.Importance = widget.HighImportance
	} else {
		v.AsGrid.Importance = widget.HighImportance
	}
	v.AsGrid.Refresh()
	v.AsList.Refresh()
	if s == asList {
		v.Grid.Hide()
		v.list.table.Show()
		v.list.refresh()
		return
	}
	v.list.table.Hide()
	v.Grid.Show()
	v.Grid.Refresh()
}

// sortBy orders the listed images; the grid and the list follow, and the
// selected image stays selected.
func (v *View) sortBy(key appgrid.SortKey, descending bool) {
	v.sortKey, v.descending = key, descending
	if i := v.Sort.SelectedIndex(); i != int(key) {
		v.Sort.SetSelectedIndex(int(key)) // its callback sees the key is set
	}
	var sel = -1
	if v.selected >= 0 && v.selected < len(v.images) {
		sel = int(v.images[v.selected].ID)
	}
	appgrid.Sort(v.all, key, descending) // so filtering again keeps the order
	appgrid.Sort(v.images, key, descending)
	v.Grid.Refresh()
	v.list.refresh()
	if sel >= 0 {
		for i, im := range v.images {
			if int(im.ID) == sel {
				v.quiet = true
				v.Grid.Select(i)
				v.quiet = false
			}
		}
	}
}

func minWide(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}
