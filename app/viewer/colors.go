package viewer

import (
	"strings"

	"github.com/ocular-lab/ocular/core/render"
)

// NamedColor is a colour the channel menu offers by name.
type NamedColor struct {
	Name  string
	Color render.Color
}

// Colors are the colours offered for a channel, before the lookup tables.
var Colors = []NamedColor{
	{"Red", render.Color{255, 0, 0, 255}},
	{"Green", render.Color{0, 255, 0, 255}},
	{"Blue", render.Color{0, 0, 255, 255}},
	{"Cyan", render.Color{0, 255, 255, 255}},
	{"Magenta", render.Color{255, 0, 255, 255}},
	{"Yellow", render.Color{255, 255, 0, 255}},
	{"White", render.Color{255, 255, 255, 255}},
}

// lutPrefix marks lookup tables in the channel menu.
const lutPrefix = "LUT: "

// Choices is the channel menu: the named colours, then every lookup table.
func Choices() []string {
	out := make([]string, 0, len(Colors)+32)
	for _, c := range Colors {
		out = append(out, c.Name)
	}
	for _, n := range render.LUTNames() {
		out = append(out, lutPrefix+n)
	}
	return out
}

// Choice is what the channel menu shows for channel c: its lookup table,
// its colour's name, or its colour in hex when it has no name.
func (m *Model) Choice(c int) string {
	cs := m.Settings.Channels[c]
	if cs.LUT != "" {
		if l, err := render.LookupLUT(cs.LUT); err == nil {
			return lutPrefix + l.Name
		}
		return lutPrefix + cs.LUT
	}
	for _, n := range Colors {
		if n.Color == cs.Color {
			return n.Name
		}
	}
	return "#" + cs.Color.Hex()
}

// SetChoice applies a menu entry to channel c: a colour clears the lookup
// table, a lookup table replaces the colour. Unknown entries change nothing.
func (m *Model) SetChoice(c int, choice string) {
	cs := &m.Settings.Channels[c]
	if name, ok := strings.CutPrefix(choice, lutPrefix); ok {
		if _, err := render.LookupLUT(name); err == nil {
			cs.LUT = name
		}
		return
	}
	for _, n := range Colors {
		if n.Name == choice {
			cs.Color, cs.LUT = n.Color, ""
			return
		}
	}
	if col, err := render.ParseColor(choice); err == nil {
		cs.Color, cs.LUT = col, ""
	}
}

// Swatch is what a channel's colour looks like at each of n steps from dark
// to bright: its lookup table sampled, or its colour ramped from black.
func (m *Model) Swatch(c, n int) []render.Color {
	cs := m.Settings.Channels[c]
	out := make([]render.Color, n)
	var lut *render.LUT
	if cs.LUT != "" {
		lut, _ = render.LookupLUT(cs.LUT)
	}
	for i := range out {
		f := 1.0
		if n > 1 {
			f = float64(i) / float64(n-1)
		}
		if lut != nil {
			k := int(f*255 + 0.5)
			out[i] = render.Color{lut.R[k], lut.G[k], lut.B[k], 255}
			continue
		}
		out[i] = render.Color{uint8(float64(cs.Color[0])*f + 0.5), uint8(float64(cs.Color[1])*f + 0.5), uint8(float64(cs.Color[2])*f + 0.5), 255}
	}
	return out
}
