package ui_test

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/ui"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/grid"
)

// datedDataset is a dataset of olive's in read-write with three images:
// c.tif acquired in 2021, a.tif in 2023, b.tif with no acquisition date.
func datedDataset(t *testing.T, f *fixture) core.Ref {
	t.Helper()
	olive := f.login(t, "olive")
	must(t, olive.SetGroup(t.Context(), f.groups[core.ReadWrite].ID))
	d := create(t, olive, core.Dataset, "name", "Dated")
	for _, im := range [][2]string{{"c.tif", "2021-03-04T10:00:00Z"}, {"a.tif", "2023-01-02T09:00:00Z"}, {"b.tif", ""}} {
		kv := []string{"name", im[0]}
		if im[1] != "" {
			kv = append(kv, "acquisitionDate", im[1])
		}
		img := create(t, olive, core.Image, kv...)
		create(t, olive, core.DatasetImageLink, "parent", d.String(), "child", img.String())
	}
	return d
}

func column(rows [][]string, c int) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[c])
	}
	return out
}

func TestListViewShowsImagesAndSortsByNameAndDate(t *testing.T) {
	f := newFixture(t)
	d := datedDataset(t, f)
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	u.Browser.SelectPath(d.String())
	g := u.Browser.Grid
	if got := g.Images(); len(got) != 3 {
		t.Fatalf("the dataset lists %d images", len(got))
	}
	test.Tap(g.AsList)
	if !g.List.Visible() || g.Grid.Visible() {
		t.Fatal("choosing List does not show the list in place of the thumbnails")
	}
	rows := g.Rows()
	if got := column(rows, 0); !reflect.DeepEqual(got, []string{"a.tif", "b.tif", "c.tif"}) {
		t.Errorf("the list shows %q, want name order", got)
	}
	if rows[0][1] == "" || rows[1][1] != "" || rows[0][2] == "" {
		t.Errorf("dates shown: %q", rows)
	}
	test.Tap(findButton(t, g.Content(), "Name ▲"))
	if got := column(g.Rows(), 0); !reflect.DeepEqual(got, []string{"c.tif", "b.tif", "a.tif"}) {
		t.Errorf("a second tap on Name shows %q, want reverse name order", got)
	}
	test.Tap(findButton(t, g.Content(), "Acquired"))
	if got := column(g.Rows(), 0); !reflect.DeepEqual(got, []string{"c.tif", "a.tif", "b.tif"}) {
		t.Errorf("sorted by acquisition date the list shows %q, want oldest first, undated last", got)
	}
	if g.Sort.Selected != "Acquired" {
		t.Errorf("the sort selector says %q", g.Sort.Selected)
	}
	// The thumbnails follow the same order.
	test.Tap(g.AsGrid)
	if !g.Grid.Visible() || g.Images()[0].Name != "c.tif" {
		t.Errorf("back in the grid, the first thumbnail is %q", g.Images()[0].Name)
	}
}

func TestThumbnailSizeSliderIsKeptBetweenRuns(t *testing.T) {
	f := newFixture(t)
	u := browseAs(t, f, "olive", core.ReadWrite, "")
	g := u.Browser.Grid
	if g.ThumbnailSize() != grid.ThumbSize {
		t.Fatalf("a first run draws %v-pixel thumbnails", g.ThumbnailSize())
	}
	g.Size.SetValue(160)
	if g.ThumbnailSize() != 160 {
		t.Fatalf("after the slider moved to 160 the grid draws %v-pixel thumbnails", g.ThumbnailSize())
	}
	// The next run, on the same preferences.
	next := ui.New(ui.Options{App: fyne.CurrentApp(), Run: async.Immediate, Open: open, Dir: f.dir,
		Username: "olive", Password: password, AutoLogin: true})
	t.Cleanup(next.Close)
	if got := next.Browser.Grid.ThumbnailSize(); got != 160 {
		t.Errorf("the next run draws %v-pixel thumbnails, want the 160 chosen before", got)
	}
	if got := next.Browser.Grid.Size.Value; got != 160 {
		t.Errorf("the next run's slider stands at %v", got)
	}
}
