package browser

import (
	"context"
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

// detailsPanel is the right-hand panel (OMERO.insight's and OMERO.web's):
// a heading naming the selected node, then tabs. General: what it is, who
// owns it, in which group at which level, its pixels and files, and what the
// user may do with it. Annotations: tags, rating, comments, key-value pairs
// and attachments. Acquisition and Original metadata (images only): what
// import kept of the file's metadata.
type detailsPanel struct {
	v      *View
	icon   *canvas.Image
	title  *widget.Label
	class  *widget.Label
	fields *fyne.Container
	thumb  *canvas.Image
	// general are the node's own fields, shown before any pixel fields;
	// pixels and files are an image's, loaded after.
	general, pixels, files []browse.Field
	// shown is the node shown (zero: none).
	shown core.ObjectView
	// token changes with every node shown, so late image details for an
	// earlier selection are dropped.
	token    int
	flags    *fyne.Container
	flagsBy  *widget.Label
	channels *fyne.Container     // the pencil that renames an image's channels
	editRows []fyne.CanvasObject // name and description, edited in place: label, cell pairs
	body     *fyne.Container
	empty    *widget.Label

	tabs                                  *container.AppTabs
	generalTab, annotTab, acqTab, origTab *container.TabItem
	annotations                           *annotationsPanel
	acquisition                           *acquisitionTab
	original                              *originalTab
	content                               fyne.CanvasObject
}

func newDetailsPanel(v *View) *detailsPanel {
	p := &detailsPanel{v: v}
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
	p.channels = container.NewVBox()
	// Title and class sit tight together beside the icon, like a heading.
	header := container.NewBorder(nil, nil, container.NewCenter(p.icon), nil,
		container.New(layout.NewCustomPaddedVBoxLayout(0), p.title, p.class))
	// The thumbnail sits above the fields, so long values (file paths) get
	// the panel's whole width.
	general := container.NewVBox(container.NewHBox(p.thumb), p.fields, p.channels, widget.NewSeparator(), p.flagsBy, p.flags)
	p.annotations = newAnnotationsPanel(v.opts)
	p.annotations.onChanged = func(refs []core.Ref) { v.Grid.ForgetAnnotations(refs) }
	p.annotations.onStatus = func(msg string) { p.v.setStatus(msg) }
	p.acquisition = newAcquisitionTab()
	p.original = newOriginalTab(v.opts)
	p.generalTab = container.NewTabItem("General", container.NewVScroll(container.NewPadded(general)))
	p.annotTab = container.NewTabItem("Annotations", container.NewVScroll(container.NewPadded(p.annotations.content)))
	p.acqTab = container.NewTabItem("Acquisition", p.acquisition.content)
	p.origTab = container.NewTabItem("Original metadata", p.original.content)
	p.tabs = container.NewAppTabs(p.generalTab, p.annotTab, p.acqTab, p.origTab)
	p.tabs.OnSelected = func(t *container.TabItem) {
		if v.opts.OnEvent != nil {
			v.opts.OnEvent("details tab " + t.Text)
		}
	}
	p.body = container.NewBorder(container.NewVBox(container.NewPadded(header), widget.NewSeparator()), nil, nil, nil, p.tabs)
	p.empty = widget.NewLabel("Select a project, dataset, image, screen or plate to see its details.")
	p.empty.Wrapping = fyne.TextWrapWord
	p.empty.Importance = widget.LowImportance
	p.content = container.NewStack(p.body, container.NewPadded(container.NewVBox(p.empty)))
	p.clear()
	return p
}

func (p *detailsPanel) clear() {
	p.token++ // image details still loading belong to nothing now
	p.shown = core.ObjectView{}
	p.annotations.show(nil)
	p.body.Hide()
	p.empty.Show()
}

// show fills the panel with a node's details.
func (p *detailsPanel) show(n *browse.Node) {
	p.token++
	p.shown = n.View
	p.thumb.Image = nil
	p.thumb.Hide()
	d := browse.Describe(n)
	p.general, p.pixels, p.files = d.Fields, nil, nil
	p.icon.Resource = classIcon(n.View.Class)
	p.icon.Refresh()
	p.title.SetText(d.Title)
	p.class.SetText(classLabel(n))
	p.showEditable(n.View, d)
	p.setFields()
	p.channels.Objects = nil
	p.channels.Refresh()
	p.flags.Objects = p.flags.Objects[:0]
	for _, f := range d.Flags {
		p.flags.Add(widget.NewLabel(f.Label))
		p.flags.Add(flagValue(f.Value))
	}
	p.flagsBy.Hidden = len(d.Flags) == 0
	p.flags.Hidden = len(d.Flags) == 0
	p.flags.Refresh()
	p.setTabs(n.View.Class)
	if n.View.Class.Info() != nil && n.View.Class.Info().AnnotationLink != "" {
		p.annotations.show([]core.Ref{n.View.Ref})
	} else {
		p.annotations.show(nil)
	}
	p.acquisition.clear("Loading…")
	p.original.clear()
	if n.View.Class == core.Image {
		p.loadMetadata(n.View.Ref)
	}
	p.empty.Hide()
	p.body.Show()
	p.body.Refresh()
}

// setTabs offers the tabs that apply to a class: annotations for what can
// be annotated, the metadata tabs for images.
func (p *detailsPanel) setTabs(c core.Class) {
	want := []*container.TabItem{p.generalTab}
	if c.Info() != nil && c.Info().AnnotationLink != "" {
		want = append(want, p.annotTab)
	}
	if c == core.Image {
		want = append(want, p.acqTab, p.origTab)
	}
	same := len(want) == len(p.tabs.Items)
	for i := 0; same && i < len(want); i++ {
		same = want[i] == p.tabs.Items[i]
	}
	if same {
		return
	}
	selected := p.tabs.Selected()
	p.tabs.SetItems(want)
	for _, t := range want {
		if t == selected {
			p.tabs.Select(t) // a user going from image to image stays on their tab
			return
		}
	}
}

// setFields shows labelled values in a two-column form.
func (p *detailsPanel) setFields() {
	c := p.fields
	c.Objects = append(c.Objects[:0], p.editRows...)
	for _, group := range [][]browse.Field{p.general, p.pixels, p.files} {
		for _, f := range group {
			key := widget.NewLabel(f.Label)
			key.TextStyle.Bold = true
			val := widget.NewLabel(f.Value)
			val.Wrapping = fyne.TextWrapWord
			val.Selectable = true // users copy IDs such as Image:42 into the CLI
			c.Add(key)
			c.Add(val)
		}
	}
	c.Refresh()
}

// showImage adds an image's pixel description and thumbnail, if they are
// for the node still shown.
func (p *detailsPanel) showImage(token int, fields []browse.Field, thumb *image.RGBA) {
	if token != p.token {
		return
	}
	p.pixels = fields
	p.setFields()
	if thumb != nil {
		p.thumb.Image = thumb
		p.thumb.Show()
		p.thumb.Refresh()
	}
	p.body.Refresh()
}

// loadMetadata reads what import kept about an image (its stored
// attributes, channels and files) for the General, Acquisition and
// Original metadata tabs.
func (p *detailsPanel) loadMetadata(ref core.Ref) {
	token, sess := p.token, p.v.opts.Session
	p.v.opts.Run.Go(func() func() {
		ctx := context.Background()
		img, err := sess.Get(ctx, ref)
		var chs []core.ChannelInfo
		if err == nil {
			_, chs, err = sess.ImageDetails(ctx, ref)
		}
		var src core.PixelSource
		if err == nil {
			src, _ = sess.PixelSource(ctx, ref) // no files (a remote repository): none shown
		}
		managed := sess.ManagedDir()
		return func() {
			if token != p.token {
				return
			}
			if err != nil {
				p.acquisition.clear(core.UserMessage(err))
				return
			}
			p.files = browse.ImageFields(img, src, managed)
			p.setFields()
			p.acquisition.show(img, chs)
			p.original.show(img, chs)
			p.showChannelPencil(img, chs)
			if p.v.opts.OnEvent != nil {
				p.v.opts.OnEvent("metadata " + ref.String())
			}
		}
	})
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
