package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// ShowListDialog shows a headline in bold over a scrolling list of
// sentences, one bullet each (what a batch skipped, and why), with a Close
// button.
func ShowListDialog(title, headline string, lines []string, w fyne.Window) {
	head := widget.NewLabel(headline)
	head.TextStyle.Bold = true
	list := container.NewVBox()
	for _, l := range lines {
		lbl := widget.NewLabel("• " + l)
		lbl.Wrapping = fyne.TextWrapWord
		list.Add(lbl)
	}
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(520, min(float32(len(lines))*48, 300)))
	dialog.NewCustom(title, "Close", container.NewBorder(head, nil, nil, nil, scroll), w).Show()
}
