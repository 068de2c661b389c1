package browser

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
)

// Channel names in the General tab: the pencil opens the names for editing,
// then Save renames this image's channels, or Apply to All renames those of
// every image of the dataset or plate shown in the grid after a
// confirmation (OMERO.web's flow; OMERO.insight asks "Update channel names
// for all images in the dataset?").

func (p *detailsPanel) showChannelPencil(img core.ObjectView, chs []core.ChannelInfo) {
	p.channels.Objects = nil
	if len(chs) == 0 {
		p.channels.Refresh()
		return
	}
	pencil := widget.NewButtonWithIcon("Edit channel names…", theme.DocumentCreateIcon(), func() { p.v.editChannelNames(img, chs) })
	row := container.NewHBox(pencil)
	p.channels.Add(row)
	if !img.Flags.CanEdit {
		pencil.Disable()
		why := widget.NewLabel("Only " + img.OwnerName + ", the group's owner or an administrator may rename the channels of this image in a " + img.Level.String() + " group.")
		why.Wrapping = fyne.TextWrapWord
		why.Importance = widget.LowImportance
		p.channels.Add(why)
	}
	p.channels.Refresh()
}

// editChannelNames shows one box per channel, filled with its name.
func (v *View) editChannelNames(img core.ObjectView, chs []core.ChannelInfo) {
	entries := make([]*widget.Entry, len(chs))
	form := widget.NewForm()
	for i, c := range chs {
		e := widget.NewEntry()
		e.SetText(channelLabel(c, i))
		entries[i] = e
		form.Append("Channel "+itoa(i+1), e)
	}
	names := func() ([]string, bool) {
		out := make([]string, len(entries))
		changed := false
		for i, e := range entries {
			if e.Text != channelLabel(chs[i], i) {
				out[i] = e.Text
				changed = true
			}
		}
		return out, changed
	}
	in := v.Grid.Shown()
	var d dialog.Dialog
	save := widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), func() {
		ns, changed := names()
		d.Hide()
		if !changed {
			v.setStatus("Channel names: nothing changed.")
			return
		}
		v.runRendering(browse.RenderingRequest{Action: browse.RenameChannels, Target: img, Names: ns})
	})
	save.Importance = widget.HighImportance
	buttons := container.NewHBox(widget.NewButton("Cancel", func() { d.Hide() }), save)
	if in.Class == core.Dataset || in.Class == core.Plate || in.Class == core.PlateAcquisition {
		all := widget.NewButton("Apply to All", func() {
			ns, _ := names()
			for i, e := range entries {
				ns[i] = e.Text // every name, as shown, goes to every image
			}
			d.Hide()
			noun := "dataset"
			if in.Class != core.Dataset {
				noun = "plate"
			}
			dialog.ShowConfirm("Apply to All", "Update channel names for all images in the "+noun+" “"+in.DisplayName()+"”?", func(ok bool) {
				if ok {
					v.runRendering(browse.RenderingRequest{Action: browse.RenameChannels, Target: in, Names: ns})
				}
			}, v.opts.Window)
		})
		buttons.Add(all)
	}
	body := container.NewBorder(nil, container.NewCenter(buttons), nil, nil, form)
	d = dialog.NewCustomWithoutButtons("Channel names of “"+img.DisplayName()+"”", body, v.opts.Window)
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
}

func channelLabel(c core.ChannelInfo, i int) string {
	if c.Name != "" {
		return c.Name
	}
	return "Channel " + itoa(i+1)
}
