package viewer

import (
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	appviewer "github.com/ocular-lab/ocular/app/viewer"
	"github.com/ocular-lab/ocular/core/render"
)

// ChannelOptions are a channel's less-used controls, in a popup opened by
// the "⋯" button at the end of the channel's row so that the rows stay
// uncluttered: its name (renamed in the repository), reverse intensity,
// the mapping family and the family's coefficient.
type ChannelOptions struct {
	Name        *widget.Entry
	Rename      *widget.Button
	Reverse     *widget.Check
	Family      *widget.Select
	Coefficient *widget.Entry
	// Gamma moves the coefficient over the usual 0.1..4; larger ones
	// (up to render.MaxCoefficient) are typed.
	Gamma *widget.Slider
	// Button is the "⋯" button at the end of the channel's row that opens
	// the popup.
	Button   *widget.Button
	title    *widget.Label
	hint     *widget.Label // why the coefficient is disabled
	nameHint *widget.Label // why the name cannot be changed
	popup    *widget.PopUp
}

// Shown reports whether the popup is open.
func (o *ChannelOptions) Shown() bool { return o.popup.Visible() }

// Coefficient slider bounds and step: the useful curves lie there.
const (
	gammaMin  = 0.1
	gammaMax  = 4
	gammaStep = 0.05
)

// newChannelOptions builds channel i's popup and the button that opens it.
func (c *Controls) newChannelOptions(i int) *ChannelOptions {
	v, m := c.v, c.v.model
	o := &ChannelOptions{title: widget.NewLabel("")}
	o.title.TextStyle.Bold = true
	o.title.Truncation = fyne.TextTruncateEllipsis

	o.Name = widget.NewEntry()
	o.Name.SetPlaceHolder("Channel name")
	o.Name.OnSubmitted = func(string) { v.rename(i, o.Name.Text) }
	o.Rename = widget.NewButton("Rename", func() { v.rename(i, o.Name.Text) })
	// Names belong to the image: renaming needs the right to edit it (the
	// repository checks again).
	o.nameHint = widget.NewLabel("Only users who may edit this image can rename its channels.")
	o.nameHint.TextStyle.Italic = true
	o.nameHint.Importance = widget.LowImportance
	o.nameHint.Wrapping = fyne.TextWrapWord
	if v.image.Flags.CanEdit {
		o.nameHint.Hide()
	} else {
		o.Name.Disable()
		o.Rename.Disable()
	}

	o.Reverse = widget.NewCheck("Reverse intensity", func(on bool) {
		if c.syncing {
			return
		}
		m.SetReverse(i, on)
		c.syncChannel(i)
		v.changed()
	})
	o.Family = widget.NewSelect(appviewer.FamilyNames(), func(name string) {
		if c.syncing {
			return
		}
		f, _ := appviewer.ParseFamily(name)
		c.setFamily(i, f, m.Coefficient(i))
	})
	o.Coefficient = widget.NewEntry()
	o.Coefficient.OnSubmitted = func(s string) {
		k, err := appviewer.ParseCoefficient(s)
		if err != nil {
			v.setStatus(err.Error(), true)
			c.syncChannel(i)
			return
		}
		c.setFamily(i, m.Family(i), k)
	}
	o.Gamma = widget.NewSlider(gammaMin, gammaMax)
	o.Gamma.Step = gammaStep
	o.Gamma.OnChanged = func(f float64) {
		if c.syncing {
			return
		}
		c.setFamily(i, m.Family(i), math.Round(f*100)/100)
	}

	o.hint = widget.NewLabel("Only polynomial and exponential use a coefficient.")
	o.hint.TextStyle.Italic = true
	o.hint.Importance = widget.LowImportance
	o.hint.Wrapping = fyne.TextWrapWord
	close := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { o.popup.Hide() })
	close.Importance = widget.LowImportance
	label := func(s string) fyne.CanvasObject { return minWidth(widget.NewLabel(s), 96) }
	form := container.New(layout.NewCustomPaddedVBoxLayout(theme.Padding()),
		container.NewBorder(nil, nil, nil, close, o.title),
		container.NewBorder(nil, nil, label("Name"), o.Rename, o.Name),
		o.nameHint,
		widget.NewSeparator(),
		o.Reverse,
		container.NewBorder(nil, nil, label("Family"), nil, o.Family),
		container.NewBorder(nil, nil, label("Coefficient"), minWidth(o.Coefficient, 72), o.Gamma),
		o.hint,
	)
	content := container.NewStack(minWidth(form, 340))
	o.popup = widget.NewPopUp(content, v.Window.Canvas())
	o.popup.Hide() // a new popup counts as visible until first hidden

	o.Button = widget.NewButtonWithIcon("", theme.MoreHorizontalIcon(), func() { c.showOptions(i) })
	o.Button.Importance = widget.LowImportance
	return o
}

// showOptions opens channel i's popup under its "⋯" button, its right edge
// on the button's, so it covers the channel's own row the least.
func (c *Controls) showOptions(i int) {
	o := c.Channels[i].More
	c.syncChannel(i)
	o.Name.SetText(c.v.model.ChannelName(i))
	size := o.popup.MinSize()
	b := o.Button.Size()
	o.popup.ShowAtRelativePosition(fyne.NewPos(b.Width-size.Width, b.Height), o.Button)
	c.v.Window.Canvas().Focus(o.Name)
}

// setFamily applies a family and coefficient to channel i, or says why not.
func (c *Controls) setFamily(i int, f render.Family, k float64) {
	if err := c.v.model.SetFamily(i, f, k); err != nil {
		c.v.setStatus(err.Error(), true)
		c.syncChannel(i)
		return
	}
	c.v.setStatus("", false)
	c.syncChannel(i)
	c.v.changed()
}

// syncOptions sets channel i's popup from the model.
func (c *Controls) syncOptions(i int) {
	m, o := c.v.model, c.Channels[i].More
	o.title.SetText("Channel " + strconv.Itoa(i+1) + " · " + m.ChannelName(i))
	o.Reverse.SetChecked(m.Reverse(i))
	f := m.Family(i)
	o.Family.SetSelected(appviewer.FamilyName(f))
	k := m.Coefficient(i)
	o.Coefficient.SetText(appviewer.FormatCoefficient(k))
	o.Gamma.SetValue(math.Max(gammaMin, math.Min(gammaMax, k)))
	if appviewer.HasCoefficient(f) {
		o.Coefficient.Enable()
		o.Gamma.Enable()
		o.hint.Hide()
	} else { // linear and logarithmic use no coefficient
		o.Coefficient.Disable()
		o.Gamma.Disable()
		o.hint.Show()
	}
	// The button stands out while the channel is drawn in a non-default way,
	// so a reversed or curved channel is not a mystery.
	imp := widget.LowImportance
	if m.Reverse(i) || f != render.Linear {
		imp = widget.MediumImportance
	}
	if o.Button.Importance != imp {
		o.Button.Importance = imp
		o.Button.Refresh()
	}
}
