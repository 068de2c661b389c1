// Package viewer is the view model of the image viewer: the rendering
// settings being shown (possibly unsaved), whose they are, the plane, and
// what the viewer's buttons do to them (Min/Max, Full Range, Imported,
// Owner's, greyscale, a channel's window, colour or lookup table, reverse
// intensity, family and coefficient, the intensity projection, a channel's
// name). It holds
// no Fyne types, so the rules are tested without a window, and the desktop
// viewer (ui/viewer) only wires widgets to it.
//
// Like OMERO.iviewer, the buttons change what is shown; only Save (and
// Paste, which stores the pasted settings at once) writes to the
// repository. So a user who may not keep settings on an image (another
// user's image in a private group, spec §5.2) can still adjust the view.
//
// Threading: a Model is owned by one goroutine (the UI goroutine). Load runs
// anywhere; it touches no Model.
package viewer

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// Model is one image open in the viewer.
type Model struct {
	Image    core.Ref
	Name     string
	Owner    core.ID // the image's owner
	Pixels   core.PixelsInfo
	Channels []core.ChannelInfo // one per channel, in channel order
	// Settings is what the viewer shows now.
	Settings render.Settings
	// From is the stored (or computed) settings the viewer last loaded or
	// saved; Settings differs from From.Settings while there are unsaved
	// changes.
	From core.RenderingDefView
	me   core.ID
	typ  pixel.Type
}

// Load reads what the viewer opens image with: its pixels and channels, and
// the caller's own settings, else the owner's, else the import defaults
// (spec §5.5).
func Load(ctx context.Context, s core.Session, image core.Ref) (*Model, error) {
	me, err := s.Me(ctx)
	if err != nil {
		return nil, err
	}
	src, err := s.PixelSource(ctx, image)
	if err != nil {
		return nil, err
	}
	def, err := s.ViewerRendering(ctx, image)
	if err != nil {
		return nil, err
	}
	return New(me.User.ID, src, def), nil
}

// New builds a model from what Load reads (tests build one directly).
func New(me core.ID, src core.PixelSource, def core.RenderingDefView) *Model {
	m := &Model{Image: src.Image, Name: src.Name, Owner: src.Owner, Pixels: src.Pixels, me: me}
	m.typ, _ = pixel.ParseType(src.Pixels.PixelType)
	m.Channels = make([]core.ChannelInfo, src.Pixels.SizeC)
	for i := range m.Channels {
		m.Channels[i] = core.ChannelInfo{Index: i}
	}
	for _, c := range src.Channels {
		if c.Index >= 0 && c.Index < len(m.Channels) {
			m.Channels[c.Index] = c
		}
	}
	m.Loaded(def)
	return m
}

// Loaded shows settings just read or stored: they become both what is shown
// and what counts as saved.
func (m *Model) Loaded(def core.RenderingDefView) {
	m.From = def
	m.Settings = def.Settings.Clone()
}

// Whose says whose settings were loaded, for the viewer's header.
func (m *Model) Whose() string {
	switch {
	case !m.From.Stored():
		return "Imported settings (not saved)"
	case m.From.Owner == m.me:
		return "Your settings"
	case m.From.OwnerName != "":
		return m.From.OwnerName + "'s settings (the owner's)"
	}
	return "The owner's settings"
}

// Mine reports whether the user owns the image.
func (m *Model) Mine() bool { return m.Owner == m.me }

// Me is the user viewing the image.
func (m *Model) Me() core.ID { return m.me }

// Unsaved reports whether what is shown differs from what was loaded.
func (m *Model) Unsaved() bool {
	a, _ := json.Marshal(m.Settings)
	b, _ := json.Marshal(m.From.Settings)
	return string(a) != string(b)
}

// ChannelName is the channel's label, its name, or "Channel N".
func (m *Model) ChannelName(c int) string {
	if c < len(m.Settings.Channels) && m.Settings.Channels[c].Label != "" {
		return m.Settings.Channels[c].Label
	}
	if c < len(m.Channels) && m.Channels[c].Name != "" {
		return m.Channels[c].Name
	}
	return fmt.Sprintf("Channel %d", c+1)
}

// SetActive turns channel c on or off.
func (m *Model) SetActive(c int, on bool) { m.Settings.Channels[c].Active = on }

// SetWindow sets channel c's display window.
func (m *Model) SetWindow(c int, start, end float64) {
	if end < start {
		start, end = end, start
	}
	m.Settings.Channels[c].Start, m.Settings.Channels[c].End = start, end
}

// SetGreyscale switches between the greyscale and colour models.
func (m *Model) SetGreyscale(on bool) {
	m.Settings.Model = render.RGB
	if on {
		m.Settings.Model = render.Greyscale
	}
}

// Greyscale reports whether the greyscale model is shown.
func (m *Model) Greyscale() bool { return m.Settings.Model == render.Greyscale }

// SetZ and SetT choose the plane; saving keeps them as the image's default
// plane, as OMERO does.
func (m *Model) SetZ(z int) { m.Settings.DefaultZ = clampInt(z, 0, m.Pixels.SizeZ-1) }
func (m *Model) SetT(t int) { m.Settings.DefaultT = clampInt(t, 0, m.Pixels.SizeT-1) }

// MinMax sets every window to the channel's minimum and maximum.
func (m *Model) MinMax() {
	m.Settings = core.WithWindows(m.Settings, m.Pixels, m.Channels, core.WindowMinMax)
}

// FullRange sets every window to the pixel type's range.
func (m *Model) FullRange() {
	m.Settings = core.WithWindows(m.Settings, m.Pixels, m.Channels, core.WindowFullRange)
}

// Imported shows the import defaults (spec §5.4), staying on the plane
// being looked at.
func (m *Model) Imported() { m.Use(core.DefaultRendering(m.Pixels, m.Channels)) }

// Use shows other settings (the owner's, pasted ones), staying on the plane
// being looked at so the picture does not jump to another Z or T.
func (m *Model) Use(s render.Settings) {
	z, t := m.Settings.DefaultZ, m.Settings.DefaultT
	m.Settings = s.Clone()
	m.Settings.DefaultZ, m.Settings.DefaultT = z, t
}

// SliderRange is the range a channel's window slider spans: the channel's
// minimum and maximum when known (where the data are), widened to take in
// the current window, so Full Range stretches it to the type's range and
// Min/Max brings it back.
func (m *Model) SliderRange(c int) (lo, hi float64) {
	cs := m.Settings.Channels[c]
	ch := m.Channels[c]
	if ch.HasStats && ch.StatsMin < ch.StatsMax {
		lo, hi = ch.StatsMin, ch.StatsMax
	} else if !m.typ.IsFloat() {
		lo, hi = m.typ.Range()
	} else {
		lo, hi = cs.Start, cs.End
	}
	lo, hi = math.Min(lo, cs.Start), math.Max(hi, cs.End)
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

// Step is the slider step: whole numbers for integer pixel types.
func (m *Model) Step() float64 {
	if m.typ.IsFloat() {
		return 0
	}
	return 1
}

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(hi, v))
}
