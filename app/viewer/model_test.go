package viewer_test

import (
	"testing"

	"github.com/ocular-lab/ocular/app/viewer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

const me, olive core.ID = 7, 5

func newModel(t *testing.T, owner core.ID, stored bool) *viewer.Model {
	t.Helper()
	px := core.PixelsInfo{SizeX: 64, SizeY: 48, SizeZ: 5, SizeC: 2, SizeT: 3, PixelType: "uint16"}
	chs := []core.ChannelInfo{
		{Index: 0, Name: "DAPI", EmissionWavelength: 457, StatsMin: 100, StatsMax: 900, HasStats: true},
		{Index: 1, EmissionWavelength: 528, StatsMin: 50, StatsMax: 4000, HasStats: true},
	}
	def := core.RenderingDefView{Image: core.Ref{Class: core.Image, ID: 9}, Owner: owner, OwnerName: "Olive Owner",
		Settings: core.DefaultRendering(px, chs)}
	def.Settings.Channels[0].Start, def.Settings.Channels[0].End = 200, 600
	if stored {
		def.Def = core.Ref{Class: core.RenderingDef, ID: 11}
	}
	return viewer.New(me, core.PixelSource{Image: def.Image, Name: "cells.tif", Owner: olive, Pixels: px, Channels: chs}, def)
}

func TestWhoseSettingsTheViewerShows(t *testing.T) {
	for _, c := range []struct {
		owner  core.ID
		stored bool
		want   string
	}{{me, true, "Your settings"}, {olive, true, "Olive Owner's settings (the owner's)"}, {olive, false, "Imported settings (not saved)"}} {
		if got := newModel(t, c.owner, c.stored).Whose(); got != c.want {
			t.Errorf("settings of %d (stored %v): %q, want %q", c.owner, c.stored, got, c.want)
		}
	}
}

func TestButtonsChangeWhatIsShownNotWhatIsSaved(t *testing.T) {
	m := newModel(t, olive, true)
	m.SetWindow(0, 700, 300)
	if cs := m.Settings.Channels[0]; cs.Start != 300 || cs.End != 700 {
		t.Errorf("a window set backwards is %v..%v, want 300..700", cs.Start, cs.End)
	}
	if !m.Unsaved() {
		t.Error("a changed window is not unsaved")
	}
	m.MinMax()
	if cs := m.Settings.Channels[1]; cs.Start != 50 || cs.End != 4000 {
		t.Errorf("Min/Max gives channel 2 %v..%v, want 50..4000", cs.Start, cs.End)
	}
	m.FullRange()
	if cs := m.Settings.Channels[0]; cs.Start != 0 || cs.End != 65535 {
		t.Errorf("Full Range gives %v..%v, want 0..65535", cs.Start, cs.End)
	}
	if lo, hi := m.SliderRange(0); lo != 0 || hi != 65535 {
		t.Errorf("after Full Range the slider spans %v..%v, want 0..65535", lo, hi)
	}
	m.SetZ(4)
	m.Imported()
	if m.Settings.DefaultZ != 4 || m.Settings.Channels[0].Start != 100 {
		t.Errorf("Imported shows Z %d and window start %v, want the same plane (4) and the stats (100)", m.Settings.DefaultZ, m.Settings.Channels[0].Start)
	}
	if m.From.Settings.Channels[0].Start != 200 {
		t.Error("the loaded settings changed")
	}
}

func TestChannelMenu(t *testing.T) {
	m := newModel(t, me, true)
	if got := m.Choice(0); got != "Blue" {
		t.Errorf("channel 1 (457 nm) shows %q, want Blue", got)
	}
	m.SetChoice(0, "LUT: fire")
	if m.Settings.Channels[0].LUT != "fire" || m.Choice(0) != "LUT: fire" {
		t.Errorf("after choosing fire: LUT %q, menu %q", m.Settings.Channels[0].LUT, m.Choice(0))
	}
	m.SetChoice(0, "Yellow")
	if cs := m.Settings.Channels[0]; cs.LUT != "" || cs.Color != (render.Color{255, 255, 0, 255}) {
		t.Errorf("after choosing Yellow: %+v", cs)
	}
	if got := m.ChannelName(1); got != "Channel 2" {
		t.Errorf("an unnamed channel is called %q", got)
	}
	if sw := m.Swatch(0, 3); sw[0] != (render.Color{0, 0, 0, 255}) || sw[2] != (render.Color{255, 255, 0, 255}) {
		t.Errorf("the yellow swatch is %v", sw)
	}
}

// A slider moved five times while one redraw runs gives one more redraw,
// of the latest state, and then the redraws stop.
func TestRedrawCoalesces(t *testing.T) {
	var r viewer.Redraw
	if !r.Request() {
		t.Fatal("the first request did not start a redraw")
	}
	for i := 0; i < 5; i++ {
		if r.Request() {
			t.Fatal("a request started a second redraw while one runs")
		}
	}
	if !r.Done() {
		t.Fatal("changes made during a redraw were dropped")
	}
	if r.Done() || r.Running() {
		t.Fatal("more than one redraw followed the changes")
	}
}
