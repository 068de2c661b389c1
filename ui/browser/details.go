package browser

import (
	"image"

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
	icon   *canvas.Image
	title  *widget.Label
	class  *widget.Label
	fields *fyne.Container
	thumb  *canvas.Image
	// general are the node's own fields, shown before any pixel fields.
	general []browse.Field
	// token changes with every node shown, so late image details for an
	// earlier selection are dropped.
	token   int
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
	p.thumb = canvas.NewImageFromImage(nil)
	p.thumb.FillMode = canvas.ImageFillContain
	p.thumb.ScaleMode = canvas.ImageScalePixels // drawn at the size shown: no resampling
	p.thumb.SetMinSize(fyne.NewSize(thumbSize, thumbSize))
	p.flagsBy = widget.NewLabel("What you can do")
	p.flagsBy.TextStyle.Bold = true
	p.flags = container.New(layout.NewFormLayout())
	// Title and class sit tight together beside the icon, like a heading.
	header := container.NewBorder(nil, nil, container.NewCenter(p.icon), nil,
		container.New(layout.NewCustomPaddedVBoxLayout(0), p.title, p.class))
	// The thumbnail sits to the right of the fields, so the flags stay in view.
	info := container.NewBorder(nil, nil, nil, container.NewVBox(p.thumb), p.fields)
	p.body = container.NewVBox(header, widget.NewSeparator(), info, widget.NewSeparator(), p.flagsBy, p.flags)
	p.empty = widget.NewLabel("Select a project, dataset, image, screen or plate to see its details.")
	p.empty.Wrapping = fyne.TextWrapWord
	p.empty.Importance = widget.LowImportance
	p.content = container.NewVScroll(container.NewPadded(container.NewStack(p.body, p.empty)))
	p.clear()
	return p
}

func (p *detailsPanel) clear() {
	p.token++ // image details still loading belong to nothing now
	p.body.Hide()
	p.empty.Show()
}

// show fills the panel with a node's details.
func (p *detailsPanel) show(n *browse.Node) {
	p.token++
	p.thumb.Image = nil
	p.thumb.Hide()
	d := browse.Describe(n)
	p.general = d.Fields
	p.icon.Resource = classIcon(n.View.Class)
	p.icon.Refresh()
	p.title.SetText(d.Title)
	p.class.SetText(classLabel(n))
	p.setFields(d.Fields)
	p.flags.Objects = p.flags.Objects[:0]
	for _, f := range d.Flags {
		p.flags.Add(widget.NewLabel(f.Label))
		p.flags.Add(flagValue(f.Value))
	}
	p.flagsBy.Hidden = len(d.Flags) == 0
	p.flags.Hidden = len(d.Flags) == 0
	p.flags.Refresh()
	p.empty.Hide()
	p.body.Show()
	p.body.Refresh()
}

// setFields shows labelled values in a two-column form.
func (p *detailsPanel) setFields(fields []browse.Field) {
	c := p.fields
	c.Objects = c.Objects[:0]
	for _, f := range fields {
		key := widget.NewLabel(f.Label)
		key.TextStyle.Bold = true
		val := widget.NewLabel(f.Value)
		val.Wrapping = fyne.TextWrapWord
		val.Selectable = true // users copy IDs such as Image:42 into the CLI
		c.Add(key)
		c.Add(val)
	}
	c.Refresh()
}

// showImage adds an image's pixel description and thumbnail, if they are
// for the node still shown.
func (p *detailsPanel) showImage(token int, fields []browse.Field, thumb *image.RGBA) {
	if token != p.token {
		return
	}
	p.setFields(append(append([]browse.Field(nil), p.general...), fields...))
	if thumb != nil {
		p.thumb.Image = thumb
		p.thumb.Show()
		p.thumb.Refresh()
	}
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
