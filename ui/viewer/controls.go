package viewer

import (
	"image"
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	appviewer "github.com/ocular-lab/ocular/app/viewer"
	"github.com/ocular-lab/ocular/ui/widgets"
)

// ChannelRow is the controls of one channel.
type ChannelRow struct {
	Active     *widget.Check
	Color      *widget.Select
	Window     *widgets.RangeSlider
	Start, End *widget.Entry
	// More is the channel's popup of less-used settings (name, reverse,
	// family), opened by the "⋯" button at the end of the row.
	More   *ChannelOptions
	swatch *canvas.Image
	name   *widget.Label
}

// Controls are the viewer's widgets below the header.
type Controls struct {
	v                  *View
	Channels           []*ChannelRow
	Z, T               *widget.Slider
	zLabel, tLabel     *widget.Label
	Greyscale          *widget.Check
	Save, MinMax, Full *widget.Button
	Imported, Owners   *widget.Button
	Copy, Paste        *widget.Button
	// SaveAll is Save to All; Users shows another user's settings.
	SaveAll *widget.Button
	Users   *widget.Select
	// Projection is nil for an image with a single Z plane.
	Projection            *ProjectionControls
	syncing               bool // true while widgets are set from the model
	channelBox, planesBox *fyne.Container
}

func newControls(v *View) *Controls {
	c := &Controls{v: v}
	m := v.model
	for i := range m.Settings.Channels {
		c.Channels = append(c.Channels, c.newChannelRow(i))
	}
	c.Greyscale = widget.NewCheck("Greyscale", func(on bool) {
		if c.syncing {
			return
		}
		m.SetGreyscale(on)
		v.changed()
	})
	c.Z, c.zLabel = c.planeSlider(m.Pixels.SizeZ, func(z int) { m.SetZ(z) })
	c.T, c.tLabel = c.planeSlider(m.Pixels.SizeT, func(t int) { m.SetT(t) })
	if m.Pixels.SizeZ > 1 {
		c.Projection = c.newProjection()
	}

	c.Save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), v.save)
	c.Save.Importance = widget.HighImportance
	c.MinMax = widget.NewButton("Min/Max", func() { m.MinMax(); c.afterButton() })
	c.Full = widget.NewButton("Full Range", func() { m.FullRange(); c.afterButton() })
	c.Imported = widget.NewButton("Imported", func() { m.Imported(); c.afterButton() })
	c.Owners = widget.NewButton("Owner's", v.owners)
	c.Copy = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), v.copySettings)
	c.Paste = widget.NewButtonWithIcon("Paste", theme.ContentPasteIcon(), v.paste)
	c.SaveAll = v.newSaveToAll()
	c.Users = widget.NewSelect(nil, func(string) {
		if !c.syncing {
			v.showUsersSettings(c.Users.SelectedIndex())
		}
	})
	c.Users.PlaceHolder = "Loading…"
	if m.Mine() {
		c.Owners.Disable() // the owner's settings are the user's own
	}
	return c
}

// objects lays the controls out top to bottom.
func (c *Controls) objects() []fyne.CanvasObject {
	m := c.v.model
	var out []fyne.CanvasObject
	out = append(out, heading("Channels"))
	for _, r := range c.Channels {
		right := container.NewHBox(minWidth(r.Color, 150), r.More.Button)
		top := container.NewBorder(nil, nil, container.NewHBox(r.Active, container.NewCenter(r.swatch)), right, r.name)
		bottom := container.NewBorder(nil, nil, minWidth(r.Start, 76), minWidth(r.End, 76), r.Window)
		out = append(out, container.New(layout.NewCustomPaddedVBoxLayout(0), top, bottom))
	}
	out = append(out, c.Greyscale)
	if m.Pixels.SizeZ > 1 || m.Pixels.SizeT > 1 {
		out = append(out, widget.NewSeparator(), heading("Plane"))
	}
	if m.Pixels.SizeZ > 1 {
		out = append(out, container.NewBorder(nil, nil, minWidth(c.zLabel, 90), nil, c.Z))
	}
	if m.Pixels.SizeT > 1 {
		out = append(out, container.NewBorder(nil, nil, minWidth(c.tLabel, 90), nil, c.T))
	}
	if c.Projection != nil {
		out = append(out, c.Projection.objects()...)
	}
	out = append(out, widget.NewSeparator(), heading("Settings"),
		container.NewGridWithColumns(3, c.MinMax, c.Full, c.Imported),
		container.NewGridWithColumns(3, c.Owners, c.Copy, c.Paste),
		container.NewBorder(nil, nil, widget.NewLabel("Settings of"), nil, c.Users),
		container.NewGridWithColumns(2, c.Save, c.SaveAll))
	return out
}

func (c *Controls) newChannelRow(i int) *ChannelRow {
	v, m := c.v, c.v.model
	r := &ChannelRow{name: widget.NewLabel(m.ChannelName(i))}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.swatch = canvas.NewImageFromImage(nil)
	r.swatch.ScaleMode = canvas.ImageScalePixels
	r.swatch.FillMode = canvas.ImageFillStretch
	r.swatch.SetMinSize(fyne.NewSize(28, 14))
	r.Active = widget.NewCheck("", func(on bool) {
		if c.syncing {
			return
		}
		m.SetActive(i, on)
		if on && m.Greyscale() { // greyscale shows one channel: the one just chosen
			for j := range m.Settings.Channels {
				if j != i {
					m.SetActive(j, false)
				}
			}
			c.sync()
		}
		v.changed()
	})
	r.Color = widget.NewSelect(appviewer.Choices(), func(choice string) {
		if c.syncing {
			return
		}
		m.SetChoice(i, choice)
		c.syncChannel(i)
		v.changed()
	})
	r.Window = widgets.NewRangeSlider(0, 1, 0, 1)
	r.Window.Step = m.Step()
	r.Window.OnChanged = func(lo, hi float64) {
		m.SetWindow(i, lo, hi)
		r.Start.SetText(number(lo))
		r.End.SetText(number(hi))
		v.changed()
	}
	typed := func(string) {
		lo, err1 := strconv.ParseFloat(r.Start.Text, 64)
		hi, err2 := strconv.ParseFloat(r.End.Text, 64)
		if err1 != nil || err2 != nil {
			v.setStatus("A window's start and end are numbers, such as 120 or 3500.", true)
			c.syncChannel(i)
			return
		}
		m.SetWindow(i, lo, hi)
		c.syncChannel(i)
		v.changed()
	}
	r.Start, r.End = widget.NewEntry(), widget.NewEntry()
	r.Start.OnSubmitted, r.End.OnSubmitted = typed, typed
	r.More = c.newChannelOptions(i)
	return r
}

// planeSlider is a Z or T slider with its label ("Z 3 of 10").
func (c *Controls) planeSlider(n int, set func(int)) (*widget.Slider, *widget.Label) {
	s := widget.NewSlider(0, float64(max(n-1, 1)))
	s.Step = 1
	l := widget.NewLabel("")
	s.OnChanged = func(f float64) {
		if c.syncing {
			return
		}
		set(int(f))
		c.syncPlanes()
		c.v.changed()
	}
	return s, l
}

// afterButton shows what a settings button did.
func (c *Controls) afterButton() {
	c.sync()
	c.v.changed()
}

// sync sets every widget from the model.
func (c *Controls) sync() {
	c.syncing = true
	defer func() { c.syncing = false }()
	m := c.v.model
	for i := range c.Channels {
		c.syncChannel(i)
	}
	c.Greyscale.SetChecked(m.Greyscale())
	c.syncPlanes()
	c.syncProjection()
}

func (c *Controls) syncChannel(i int) {
	was := c.syncing
	c.syncing = true
	defer func() { c.syncing = was }()
	m := c.v.model
	r := c.Channels[i]
	cs := m.Settings.Channels[i]
	r.Active.SetChecked(cs.Active)
	r.name.SetText(m.ChannelName(i))
	r.Color.SetSelected(m.Choice(i))
	lo, hi := m.SliderRange(i)
	r.Window.SetRange(lo, hi, cs.Start, cs.End)
	sw := m.Swatch(i, 32)
	r.Window.Color = toColor(sw[len(sw)-1])
	r.Window.Refresh()
	r.Start.SetText(number(cs.Start))
	r.End.SetText(number(cs.End))
	img := image.NewRGBA(image.Rect(0, 0, len(sw), 1))
	for x, col := range sw {
		img.Set(x, 0, toColor(col))
	}
	r.swatch.Image = img
	r.swatch.Refresh()
	c.syncOptions(i)
}

func (c *Controls) syncPlanes() {
	was := c.syncing
	c.syncing = true
	defer func() { c.syncing = was }()
	m := c.v.model
	c.Z.SetValue(float64(m.Settings.DefaultZ))
	c.T.SetValue(float64(m.Settings.DefaultT))
	c.zLabel.SetText("Z " + strconv.Itoa(m.Settings.DefaultZ+1) + " of " + strconv.Itoa(m.Pixels.SizeZ))
	c.tLabel.SetText("T " + strconv.Itoa(m.Settings.DefaultT+1) + " of " + strconv.Itoa(m.Pixels.SizeT))
	if m.Projecting() { // the picture shows the projection, not plane Z
		c.Z.Disable()
	} else {
		c.Z.Enable()
	}
}

func toColor(c [4]uint8) color.Color { return color.NRGBA{c[0], c[1], c[2], 255} }

// number shows a window bound: whole numbers as such, others with up to
// four significant digits.
func number(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 4, 64)
}

func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	return l
}

// minWidth gives o at least w device-independent pixels of width.
func minWidth(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(w, 0))
	return container.NewStack(r, o)
}
