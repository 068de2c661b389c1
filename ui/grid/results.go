package grid

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/ocular-lab/ocular/core"
)

// Search results in the grid: the same cells, with each result's place
// ("Project P / Dataset D") under its name, a header "N results for “…”",
// More when the search has another page, and Show in tree. Results that are
// not images (projects, datasets, screens, plates) show their class's icon
// instead of a thumbnail. The filters apply to results as to a dataset.

type results struct {
	query string
	hits  map[core.Ref]core.SearchHit
	more  bool
}

// ShowResults replaces what the grid shows by the first page of a search's
// results.
func (v *View) ShowResults(query string, hits []core.SearchHit, more bool) {
	v.reset()
	v.setResults(&results{query: query, hits: map[core.Ref]core.SearchHit{}})
	v.loaded = true
	v.AppendResults(hits, more)
}

// AppendResults adds the next page of results.
func (v *View) AppendResults(hits []core.SearchHit, more bool) {
	if v.results == nil {
		return
	}
	all := append([]core.ObjectView(nil), v.all...)
	for _, h := range hits {
		if _, dup := v.results.hits[h.Ref]; dup {
			continue // an object changed between pages: show it once
		}
		v.results.hits[h.Ref] = h
		all = append(all, h.ObjectView)
	}
	v.results.more = more
	v.all, v.images = all, all
	v.title.SetText("Search results")
	found := fmt.Sprintf("%s for “%s”", plural(len(all), "result"), v.results.query)
	if more {
		found += " (more follow)"
	}
	v.found.SetText(found)
	v.More.Enable()
	if more {
		v.More.Show()
	} else {
		v.More.Hide()
	}
	if len(all) == 0 {
		v.message.SetText("Nothing found. Try fewer words, a prefix (mito*), or another group or owner.")
		v.message.Show()
	} else {
		v.message.Hide()
	}
	v.updateCount()
	v.Grid.Refresh()
	v.list.refresh()
	if !v.Filter().Empty() {
		v.applyFilter()
	}
}

// ShowingResults reports whether the grid shows search results.
func (v *View) ShowingResults() bool { return v.results != nil }

// Hit is the search result for ref, when the grid shows it.
func (v *View) Hit(ref core.Ref) (core.SearchHit, bool) {
	if v.results == nil {
		return core.SearchHit{}, false
	}
	h, ok := v.results.hits[ref]
	return h, ok
}

// SelectedHit is the selected result.
func (v *View) SelectedHit() (core.SearchHit, bool) {
	if v.selected < 0 || v.selected >= len(v.images) {
		return core.SearchHit{}, false
	}
	return v.Hit(v.images[v.selected].Ref)
}

// Where is the place shown under a result's name ("" outside results).
func (v *View) Where(ref core.Ref) string {
	h, _ := v.Hit(ref)
	return h.Where
}

// setResults switches between results (r not nil) and a container's images;
// the cells' height changes with the line for the place.
func (v *View) setResults(r *results) {
	was := v.results != nil
	v.results = r
	if r == nil {
		v.More.Hide()
		v.InTree.Hide()
		v.found.Hide()
	} else {
		v.found.Show()
		v.InTree.Show()
		v.InTree.Disable()
	}
	if was != (r != nil) {
		v.Grid.Refresh()
		v.Grid.Resize(v.Grid.Size()) // the cell size is cached until a resize
	}
}

// resultWidth is the least width of a result's cell, so that "Project P /
// Dataset D" mostly fits under the thumbnail.
const resultWidth = 200

// whereHeight is what the line for a result's place adds to a cell.
func whereHeight(c *cell) float32 {
	if c.v.results == nil {
		return 0
	}
	return c.where.MinSize().Height - whereOverlap()
}

// whereOverlap pulls a result's place up under its name: two labels' inner
// paddings would leave a gap as tall as a line.
func whereOverlap() float32 { return theme.InnerPadding() }

// captionLayout stacks a cell's name and, when shown, its place just
// under it, both the cell's width.
type captionLayout struct{}

func (captionLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	name, where := objs[0], objs[1]
	h := name.MinSize().Height
	name.Move(fyne.NewPos(0, 0))
	name.Resize(fyne.NewSize(size.Width, h))
	where.Move(fyne.NewPos(0, h-whereOverlap()))
	where.Resize(fyne.NewSize(size.Width, where.MinSize().Height))
}

func (captionLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	name, where := objs[0], objs[1]
	s := name.MinSize()
	if where.Visible() {
		s.Height += where.MinSize().Height - whereOverlap()
		s.Width = max(s.Width, where.MinSize().Width)
	}
	return s
}

var _ fyne.CanvasObject = (*cell)(nil)
