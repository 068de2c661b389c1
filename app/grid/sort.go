package grid

import (
	"sort"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// SortKey is what the grid and list order images by.
type SortKey int

const (
	ByName     SortKey = iota // name, then ID
	ByAcquired                // acquisition date, undated last
	ByImported                // import (creation) date
)

// AcquisitionDate is an image's acquisition date, zero when unknown.
func AcquisitionDate(img core.ObjectView) time.Time {
	t, err := time.Parse(time.RFC3339Nano, img.Attr("acquisitionDate"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// Sort orders images in place by key, ascending or descending; ties keep
// name order, so the same images always come in the same order.
func Sort(imgs []core.ObjectView, key SortKey, descending bool) {
	name := func(a, b core.ObjectView) int {
		if c := strings.Compare(strings.ToLower(a.DisplayName()), strings.ToLower(b.DisplayName())); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	}
	cmp := func(a, b core.ObjectView) int {
		switch key {
		case ByAcquired:
			ta, tb := AcquisitionDate(a), AcquisitionDate(b)
			if ta.IsZero() != tb.IsZero() {
				// Undated images last, whichever the direction.
				if ta.IsZero() == descending {
					return -1
				}
				return 1
			}
			if c := ta.Compare(tb); c != 0 {
				return c
			}
		case ByImported:
			if c := a.Created.Compare(b.Created); c != 0 {
				return c
			}
		}
		return name(a, b)
	}
	sort.SliceStable(imgs, func(i, j int) bool {
		c := cmp(imgs[i], imgs[j])
		if descending {
			return c > 0
		}
		return c < 0
	})
}
