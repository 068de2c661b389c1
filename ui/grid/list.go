package grid

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	appgrid "github.com/ocular-lab/ocular/app/grid"
	"github.com/ocular-lab/ocular/core"
)

// listColumns are the list view's columns, as OMERO.insight's table view.
var listColumns = []struct {
	title string
	width float32
	// sort is the order a tap on the header gives; -1: not sortable.
	sort appgrid.SortKey
}{
	{"Name", 200, appgrid.ByName}, {"Acquired", 135, appgrid.ByAcquired}, {"Imported", 135, appgrid.ByImported},
	{"X", 60, -1}, {"Y", 60, -1}, {"Z", 40, -1}, {"C", 40, -1}, {"T", 40, -1}, {"Pixel type", 90, -1},
}

// listView shows the images one per row. Sizes and pixel types are read
// only for the rows on screen, in the background, and kept while the same
// container is listed.
type listView struct {
	v       *View
	table   *widget.Table
	pixels  map[core.ID]core.PixelsInfo
	pending map[core.ID]bool
}

func newListView(v *View) *listView {
	l := &listView{v: v, pixels: map[core.ID]core.PixelsInfo{}, pending: map[core.ID]bool{}}
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(v.images), len(listColumns) },
		func() fyne.CanvasObject {
			lb := widget.NewLabel("")
			lb.Truncation = fyne.TextTruncateEllipsis
			return lb
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(l.text(id.Row, id.Col)) })
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject { return widget.NewButton("", nil) }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(listColumns) {
			return
		}
		c := listColumns[id.Col]
		b.SetText(l.title(id.Col))
		if c.sort < 0 {
			b.OnTapped = nil
			b.Disable()
			return
		}
		b.Enable()
		b.OnTapped = func() {
			// A second tap on the sorted column turns the order round.
			v.sortBy(c.sort, v.sortKey == c.sort && !v.descending)
		}
	}
	for i, c := range listColumns {
		t.SetColumnWidth(i, c.width)
	}
	t.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.images) && v.selected != id.Row {
			v.Grid.Select(id.Row)
		}
	}
	t.Hide()
	l.table = t
	return l
}

// title is a header's text, with an arrow on the sorted column.
func (l *listView) title(col int) string {
	c := listColumns[col]
	if c.sort >= 0 && c.sort == l.v.sortKey {
		if l.v.descending {
			return c.title + " ▼"
		}
		return c.title + " ▲"
	}
	return c.title
}

func (l *listView) text(row, col int) string {
	v := l.v
	if row < 0 || row >= len(v.images) {
		return ""
	}
	im := v.images[row]
	switch col {
	case 0:
		return im.DisplayName()
	case 1:
		return date(appgrid.AcquisitionDate(im))
	case 2:
		return date(im.Created)
	}
	px, ok := l.pixels[im.ID]
	if !ok {
		l.load(im.Ref)
		return ""
	}
	switch col {
	case 3:
		return strconv.Itoa(px.SizeX)
	case 4:
		return strconv.Itoa(px.SizeY)
	case 5:
		return strconv.Itoa(px.SizeZ)
	case 6:
		return strconv.Itoa(px.SizeC)
	case 7:
		return strconv.Itoa(px.SizeT)
	}
	return px.PixelType
}

// load reads an image's sizes once; the row is redrawn when they arrive.
func (l *listView) load(img core.Ref) {
	if l.pending[img.ID] {
		return
	}
	l.pending[img.ID] = true
	v := l.v
	ctx, sess, token := v.ctx, v.opts.Session, v.token
	v.opts.Run.Go(func() func() {
		var px core.PixelsInfo
		err := ctx.Err()
		if err == nil {
			px, _, err = sess.ImageDetails(ctx, img)
		}
		return func() {
			if token != v.token {
				return
			}
			if err != nil {
				px = core.PixelsInfo{PixelType: "–"} // no pixels: said once, not asked again
			}
			l.pixels[img.ID] = px
			l.table.Refresh()
		}
	})
}

// reset forgets the sizes read for the previous container.
func (l *listView) reset() {
	l.pixels = map[core.ID]core.PixelsInfo{}
	l.pending = map[core.ID]bool{}
	l.table.UnselectAll()
	l.table.Refresh()
}

func (l *listView) refresh() {
	if l.table.Visible() {
		l.table.Refresh()
	}
}

// Rows are the texts the list shows, row by row (sizes once read).
func (v *View) Rows() [][]string {
	out := make([][]string, len(v.images))
	for r := range v.images {
		for c := range listColumns {
			out[r] = append(out[r], v.list.text(r, c))
		}
	}
	return out
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}
