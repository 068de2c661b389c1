package browser

import "github.com/ocular-lab/ocular/core"

// Imported follows an import from the Import window: the tree is read
// again (child counts, a new dataset) with its open branches and selection
// kept, so the grid of the selected container shows the new images.
// Their activity's Show link selects them.
func (v *View) Imported(into core.Ref, images []core.Ref) {
	if len(images) == 0 && into.IsZero() {
		return
	}
	for _, img := range images {
		v.Grid.Forget(img)
	}
	v.setStatus("Imported " + plural(len(images), "image", "images") + " (see Activities)")
	v.reload()
}
