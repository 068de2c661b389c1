package browser

import (
	"context"
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// The rating: five stars for the current user (OMERO.insight's), and what
// the others gave, as an average and a count.

var (
	starFull = theme.NewThemedResource(fyne.NewStaticResource("star-full.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000" d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z"/></svg>`)))
	starEmpty = theme.NewThemedResource(fyne.NewStaticResource("star-empty.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="none" stroke="#000" stroke-width="1.6" stroke-linejoin="round" d="M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6-4.9-4.6 6.6-.8z"/></svg>`)))
)

func init() {
	starFull.ColorName = theme.ColorNamePrimary
}

func (p *annotationsPanel) drawRating() {
	c := p.rating
	c.Objects = nil
	r := p.shown.Rating
	stars := container.NewHBox()
	for i := int64(1); i <= 5; i++ {
		n := i
		icon := fyne.Resource(starEmpty)
		if n <= r.Mine {
			icon = starFull
		}
		b := widget.NewButtonWithIcon("", icon, func() {
			if n == r.Mine {
				n = 0 // a tap on the current rating takes it back, as in OMERO.insight
			}
			p.rate(n)
		})
		b.Importance = widget.LowImportance
		if !p.shown.CanAnnotate {
			b.Disable()
		}
		stars.Add(b)
	}
	mine := "Not rated by you"
	if r.Mine > 0 {
		mine = "Your rating: " + strconv.FormatInt(r.Mine, 10) + " of 5"
	}
	stars.Add(widget.NewLabel(mine))
	c.Add(stars)
	others := widget.NewLabel(ratingSummary(r))
	others.Importance = widget.LowImportance
	others.Wrapping = fyne.TextWrapWord
	c.Add(others)
	c.Refresh()
}

// ratingSummary is what others gave: "2 ratings by others; average of all
// 3 ratings: 3.7 stars".
func ratingSummary(r browse.Rating) string {
	switch {
	case r.Count == 0:
		return "Nobody has rated this yet."
	case r.Others == 0:
		return "No ratings by others."
	}
	others := "1 rating by another user"
	if r.Others > 1 {
		others = strconv.Itoa(r.Others) + " ratings by other users"
	}
	return fmt.Sprintf("%s; average of all %d: %.1f stars", others, r.Count, r.Average)
}

// rate gives the targets n stars (0 takes the rating back).
func (p *annotationsPanel) rate(n int64) {
	views, mine := p.views, p.shown.Rating.MyRatings
	done := "Rated " + strconv.FormatInt(n, 10) + " of 5."
	if n == 0 {
		done = "Took your rating back."
	}
	p.act("Saving your rating…", done, func(ctx context.Context, s core.Session) error {
		return browse.SetRating(ctx, s, views, n, mine)
	})
}

// starButton is the n-th star (1 to 5), for RatingStar.
func (p *annotationsPanel) starButton(n int) *widget.Button {
	row := p.rating.Objects[0].(*fyne.Container)
	return row.Objects[n-1].(*widget.Button)
}
