package grid

import (
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
)

func img(id core.ID, name, acquired string, imported time.Time) core.ObjectView {
	v := core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.Image, ID: id}, Name: name}}
	v.Created = imported
	if acquired != "" {
		v.SetAttr("acquisitionDate", acquired)
	}
	return v
}

func names(vs []core.ObjectView) string {
	s := ""
	for _, v := range vs {
		s += v.Name + " "
	}
	return s
}

func TestSortByNameAndDates(t *testing.T) {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	imgs := []core.ObjectView{
		img(1, "b.tif", "2024-05-01T00:00:00Z", day.Add(2*time.Hour)),
		img(2, "A.tif", "", day.Add(3*time.Hour)),
		img(3, "c.tif", "2023-01-01T00:00:00Z", day.Add(1*time.Hour)),
	}
	for _, c := range []struct {
		key  SortKey
		desc bool
		want string
	}{
		{ByName, false, "A.tif b.tif c.tif "},
		{ByName, true, "c.tif b.tif A.tif "},
		{ByAcquired, false, "c.tif b.tif A.tif "},
		{ByAcquired, true, "b.tif c.tif A.tif "},
		{ByImported, false, "c.tif b.tif A.tif "},
		{ByImported, true, "A.tif b.tif c.tif "},
	} {
		Sort(imgs, c.key, c.desc)
		if got := names(imgs); got != c.want {
			t.Errorf("sort %v desc=%v: %q, want %q", c.key, c.desc, got, c.want)
		}
	}
}
