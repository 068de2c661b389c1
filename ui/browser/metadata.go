package browser

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// The Acquisition and Original metadata tabs of the details panel: what
// import kept of the image's OME-XML and of the file's own key/value pairs.

// acquisitionTab lists the instrument parts and channel settings.
type acquisitionTab struct {
	box     *fyne.Container
	content fyne.CanvasObject
}

func newAcquisitionTab() *acquisitionTab {
	t := &acquisitionTab{box: container.NewVBox()}
	t.content = container.NewVScroll(container.NewPadded(t.box))
	t.clear("")
	return t
}

func (t *acquisitionTab) clear(msg string) {
	t.box.Objects = nil
	if msg != "" {
		l := widget.NewLabel(msg)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		t.box.Add(l)
	}
	t.box.Refresh()
}

func (t *acquisitionTab) show(img core.ObjectView, chs []core.ChannelInfo) {
	secs := browse.Acquisition(img, chs)
	if len(secs) == 0 {
		t.clear("The file of this image holds no acquisition metadata (instrument, objective, detectors, light sources, filters or channel settings).")
		return
	}
	t.box.Objects = nil
	if strings.HasPrefix(secs[0].Title, "Channel ") { // instrument parts come first: there are none
		note := widget.NewLabel("The file names no instrument (microscope, objective, detectors, light sources or filters); its channels:")
		note.Wrapping = fyne.TextWrapWord
		note.Importance = widget.LowImportance
		t.box.Add(note)
	}
	for i, s := range secs {
		if i > 0 {
			t.box.Add(widget.NewSeparator())
		}
		t.box.Add(section(s.Title))
		t.box.Add(formOf(s.Fields))
	}
	t.box.Refresh()
}

// formOf shows fields as a two-column form.
func formOf(fs []browse.Field) *fyne.Container {
	c := container.New(layout.NewFormLayout())
	for _, f := range fs {
		k := widget.NewLabel(f.Label)
		k.TextStyle.Bold = true
		v := widget.NewLabel(f.Value)
		v.Wrapping = fyne.TextWrapWord
		v.Selectable = true
		c.Add(k)
		c.Add(v)
	}
	return c
}

// originalTab is a searchable list of the file's key/value pairs, with
// Download to a text file.
type originalTab struct {
	opts     Options
	img      core.ObjectView
	chs      []core.ChannelInfo
	all      []browse.Field
	shown    []browse.Field
	search   *widget.Entry
	count    *widget.Label
	list     *widget.List
	download *widget.Button
	content  fyne.CanvasObject
}

func newOriginalTab(o Options) *originalTab {
	t := &originalTab{opts: o}
	t.search = widget.NewEntry()
	t.search.SetPlaceHolder("Search keys and values")
	t.search.OnChanged = func(string) { t.filter() }
	t.count = widget.NewLabel("")
	t.count.Importance = widget.LowImportance
	t.list = widget.NewList(func() int { return len(t.shown) }, func() fyne.CanvasObject {
		k := widget.NewLabel("")
		k.TextStyle.Bold = true
		k.Truncation = fyne.TextTruncateEllipsis
		v := widget.NewLabel("")
		v.Truncation = fyne.TextTruncateEllipsis
		return container.NewGridWithColumns(2, k, v)
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		row := o.(*fyne.Container)
		row.Objects[0].(*widget.Label).SetText(t.shown[i].Label)
		row.Objects[1].(*widget.Label).SetText(t.shown[i].Value)
	})
	t.download = widget.NewButtonWithIcon("Download", theme.DownloadIcon(), t.save)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, t.download, t.search), t.count)
	t.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, t.list)
	t.clear()
	return t
}

func (t *originalTab) clear() {
	t.img, t.chs, t.all = core.ObjectView{}, nil, nil
	t.download.Disable()
	t.filter()
}

func (t *originalTab) show(img core.ObjectView, chs []core.ChannelInfo) {
	t.img, t.chs, t.all = img, chs, browse.OriginalMetadata(img)
	t.download.Enable()
	t.filter()
}

func (t *originalTab) filter() {
	t.shown = browse.FilterFields(t.all, t.search.Text)
	switch {
	case t.img.Ref.IsZero():
		t.count.SetText("")
	case len(t.all) == 0:
		t.count.SetText("The file of this image holds no original metadata.")
	case len(t.shown) == len(t.all):
		t.count.SetText(plural(len(t.all), "entry", "entries"))
	default:
		t.count.SetText(plural(len(t.shown), "entry", "entries") + " of " + plural(len(t.all), "", ""))
	}
	t.list.Refresh()
}

func plural(n int, one, many string) string {
	s := itoa(n)
	switch {
	case one == "":
		return s
	case n == 1:
		return s + " " + one
	}
	return s + " " + many
}

func itoa(n int) string { return strconv.Itoa(n) }

// save writes the image's metadata into a text file the user chooses.
func (t *originalTab) save() {
	img, chs := t.img, t.chs
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, t.opts.Window)
			return
		}
		if w == nil {
			return
		}
		t.opts.Run.Go(func() func() {
			err := browse.WriteMetadata(w, img, chs)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return func() {
				if err != nil {
					dialog.ShowInformation("Download", "Could not write the metadata: "+err.Error()+". Choose another folder.", t.opts.Window)
				}
			}
		})
	}, t.opts.Window)
	d.SetFileName("original_metadata.txt")
	d.Show()
}
