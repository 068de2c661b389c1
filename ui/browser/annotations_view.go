package browser

import (
	"io"

	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// The browser's side of the details panel's tabs: what changes it follows,
// and the handles scripts and tests use.

// ShowAnnotations shows the annotations of several objects at once; the
// actions of the Annotations tab then apply to all of them (batch
// annotate). A multi-selection in the tree or grid calls it.
func (v *View) ShowAnnotations(targets []core.Ref) { v.details.annotations.show(targets) }

// ObjectChanged redraws the details of ref if it is shown: another window
// (the viewer) or a dialog changed it.
func (v *View) ObjectChanged(ref core.Ref) {
	if v.details.shown.Ref != ref || ref.IsZero() {
		return
	}
	v.details.show(&browse.Node{View: v.selected})
	if ref.Class == core.Image {
		v.loadImage(ref)
	}
}

// DetailsTab selects a tab of the details panel by its title and says
// whether there is one.
func (v *View) DetailsTab(title string) bool {
	for _, t := range v.details.tabs.Items {
		if t.Text == title {
			v.details.tabs.Select(t)
			return true
		}
	}
	return false
}

// DetailsTabs are the titles of the details panel's tabs.
func (v *View) DetailsTabs() []string {
	var out []string
	for _, t := range v.details.tabs.Items {
		out = append(out, t.Text)
	}
	return out
}

// AnnotationsMessage is what the Annotations tab last said (an outcome or
// an error), "" when nothing.
func (v *View) AnnotationsMessage() string { return v.details.annotations.Message() }

// RatingStar is the n-th star (1 to 5) of the Annotations tab.
func (v *View) RatingStar(n int) *widget.Button { return v.details.annotations.starButton(n) }

// Attach uploads content as name and attaches it to what the Annotations
// tab shows: what choosing a file in "Attach file…" does. It closes content.
func (v *View) Attach(name string, content io.ReadCloser) {
	v.details.annotations.attach(name, content)
}
