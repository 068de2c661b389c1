package viewer

import (
	"slices"
	"strconv"

	"github.com/ocular-lab/ocular/core"
)

// save stores what is shown as the user's own settings on the image.
func (v *View) save() {
	sess, ref, ctx := v.opts.Session, v.image.Ref, v.ctx
	s := v.model.Settings.Clone()
	v.c.Save.Disable()
	v.setStatus("Saving…", false)
	v.opts.Run.Go(func() func() {
		def, err := sess.SaveRendering(ctx, ref, s)
		return func() {
			if v.closed {
				return
			}
			v.c.Save.Enable()
			if err != nil {
				v.setStatus(core.UserMessage(err), true)
				return
			}
			v.model.From = def // what is shown may have moved on meanwhile
			v.updateWhose()
			v.setStatus("Saved as your settings on this image.", false)
			v.loadUsersSettings()
			if v.opts.OnSaved != nil {
				v.opts.OnSaved(ref)
			}
		}
	})
}

// owners shows the image owner's settings (not saved until Save).
func (v *View) owners() {
	sess, ref, ctx := v.opts.Session, v.image.Ref, v.ctx
	v.opts.Run.Go(func() func() {
		def, err := sess.ThumbnailRendering(ctx, ref) // the owner's, else the defaults
		return func() {
			if v.closed {
				return
			}
			if err != nil {
				v.setStatus(core.UserMessage(err), true)
				return
			}
			v.model.Use(def.Settings)
			v.c.sync()
			v.changed()
			if def.Stored() {
				v.setStatus("Showing "+def.OwnerName+"'s settings; Save keeps them as yours.", false)
			} else {
				v.setStatus("The owner has no settings of their own; showing the imported ones.", false)
			}
		}
	})
}

// copySettings remembers this image as the source of the next Paste.
func (v *View) copySettings() {
	*v.opts.Clipboard = Clipboard{From: v.image.Ref, Name: v.image.DisplayName()}
	msg := "Copied the settings of " + v.image.DisplayName() + "."
	if v.model.Unsaved() {
		msg = "Copied the saved settings of " + v.image.DisplayName() + "; save first to copy your changes."
	}
	v.setStatus(msg, false)
}

// paste copies the settings of the copied image onto this one and stores
// them as the user's (PasteRendering), then shows them.
func (v *View) paste() {
	cb := *v.opts.Clipboard
	if cb.From.IsZero() {
		v.setStatus("Copy the settings of an image first (Copy in its viewer).", true)
		return
	}
	sess, ref, ctx := v.opts.Session, v.image.Ref, v.ctx
	v.opts.Run.Go(func() func() {
		res, err := sess.PasteRendering(ctx, cb.From, []core.Ref{ref})
		var def core.RenderingDefView
		if err == nil && slices.Contains(res.Changed, ref) {
			def, err = sess.ViewerRendering(ctx, ref)
		}
		return func() {
			if v.closed {
				return
			}
			switch {
			case err != nil:
				v.setStatus(core.UserMessage(err), true)
			case !slices.Contains(res.Changed, ref):
				reason := "they do not fit this image"
				for _, s := range res.Skipped {
					if s.Image == ref {
						reason = s.Reason
					}
				}
				v.setStatus("Not pasted: "+reason, true)
			default:
				v.model.Loaded(def)
				v.c.sync()
				v.changed()
				v.setStatus("Pasted and saved the settings of "+cb.Name+".", false)
				v.loadUsersSettings()
				if v.opts.OnSaved != nil {
					v.opts.OnSaved(ref)
				}
			}
		}
	})
}

// rename renames channel i in the repository (it needs permission to edit
// the image); on success the new name shows in the channel's row and
// popup, on refusal the status line says why and the old name stays.
func (v *View) rename(i int, name string) {
	m := v.model
	o := v.c.Channels[i].More
	old := m.ChannelName(i)
	names, err := m.RenameNames(i, name)
	if err != nil {
		v.setStatus(err.Error(), true)
		o.Name.SetText(old)
		return
	}
	if names[i] == old {
		return
	}
	sess, ref, ctx := v.opts.Session, v.image.Ref, v.ctx
	o.Rename.Disable()
	v.opts.Run.Go(func() func() {
		_, err := sess.RenameChannels(ctx, ref, names)
		return func() {
			if v.closed {
				return
			}
			o.Rename.Enable()
			if err != nil {
				v.setStatus(core.UserMessage(err), true)
				o.Name.SetText(m.ChannelName(i))
				return
			}
			m.Renamed(i, names[i])
			if v.opts.OnSaved != nil {
				v.opts.OnSaved(ref) // the browser's details show the channel names
			}
			v.c.syncChannel(i)
			o.Name.SetText(m.ChannelName(i))
			v.updateWhose() // a cleared label is a change to the settings
			v.setStatus("Renamed channel "+strconv.Itoa(i+1)+" “"+old+"” to “"+names[i]+"”.", false)
		}
	})
}
