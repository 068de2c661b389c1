package browser

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// detailsPanel is the right-hand panel: what the selected node is, who owns
// it, in which group at which level, and what the user may do with it.
type detailsPanel struct {
	icon    *canvas.Image
	title   *widget.Label
	class   *widget.Label
	fields  *fyne.Container
	flags   *fyne.Container
	flagsBy *widget.Label
	body    *fyne.Container
	empty   *widget.Label
	content fyne.CanvasObject
}

func newDetailsPanel() *detailsPanel {
	p := &detailsPanel{}
	p.icon = canvas.NewImageFromResource(nil)
	p.icon.FillMode = canvas.ImageFillContain
	p.icon.SetMinSize(fyne.NewSize(44, 44))
	p.title = widget.NewLabel("")
	p.title.TextStyle.Bold = true
	p.title.SizeName = theme.SizeNameSubHeadingText
	p.title.Wrapping = fyne.TextWrapWord
	p.class = widget.NewLabel("")
	p.fields = container.New(layout.NewFormLayout())
	p.flagsBy = widget.NewLabel("What you can do")
	p.flagsBy.TextStyle.Bold = true
	p.flags = container.New(layout.NewFormLayout())
	// Title and class sit tight together beside the icon, like a heading.
	header := container.NewBorder(nil, nil, container.NewCenter(p.icon), nil,
		container.New(layout.NewCustomPaddedVBoxLayout(0), p.title, p.class))
	p.body = container.NewVBox(header, widget.NewSeparator(), p.fields, widget.NewSeparator(), p.flagsBy, p.flags)
	p.empty = widget.NewLabel("Select a project, dataset, image, screen or plate to see its details.")
	p.empty.Wrapping = fyne.TextWrapWord
	p.empty.Importance = widget.LowImportance
	p.content = container.NewVScroll(container.NewPadded(container.NewStack(p.body, p.empty)))
	p.clear()
	return p
}

func (p *detailsPanel) clear() {
	p.body.Hide()
	p.empty.Show()
}

// show fills the panel with a node's details.
func (p *detailsPanel) show(n *browse.Node) {
	d := browse.Describe(n)
	p.icon.Resource = classIcon(n.View.Class)
	p.icon.Refresh()
	p.title.SetText(d.Title)
	p.class.SetText(classLabel(n))
	p.fields.Objects = p.fields.Objects[:0]
	for _, f := range d.Fields {
		key := widget.NewLabel(f.Label)
		key.TextStyle.Bold = true
		val := widget.NewLabel(f.Value)
		val.Wrapping = fyne.TextWrapWord
		val.Selectable = true // users copy IDs such as Image:42 into the CLI
		p.fields.Add(key)
		p.fields.Add(val)
	}
	p.flags.Objects = p.flags.Objects[:0]
	for _, f := range d.Flags {
		p.flags.Add(widget.NewLabel(f.Label))
		p.flags.Add(flagValue(f.Value))
	}
	p.flagsBy.Hidden = len(d.Flags) == 0
	p.flags.Hidden = len(d.Flags) == 0
	p.fields.Refresh()
	p.flags.Refresh()
	p.empty.Hide()
	p.body.Show()
	p.body.Refresh()
}

// flagValue is a check or a cross with the word, so the answer does not rely
// on colour alone.
func flagValue(v bool) fyne.CanvasObject {
	if v {
		return container.NewHBox(widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon())), widget.NewLabel("yes"))
	}
	return container.NewHBox(widget.NewIcon(theme.NewErrorThemedResource(theme.CancelIcon())), widget.NewLabel("no"))
}

func classLabel(n *browse.Node) string {
	if n.View.Class == core.OrphanedImages {
		return "Folder"
	}
	return string(n.View.Class)
}
