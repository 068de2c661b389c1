package viewer

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core/render"
)

// This file holds the rules of a channel's less-used settings (reverse
// intensity, the mapping family and its coefficient) and of a channel's
// name, which the viewer offers behind a per-channel button.

// Families are the mapping families the channel options offer, in order.
var Families = []render.Family{render.Linear, render.Polynomial, render.Exponential, render.Logarithmic}

// FamilyName is how the options name a family ("Polynomial").
func FamilyName(f render.Family) string {
	s := string(f)
	if s == "" {
		return "Linear"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// FamilyNames are the names of Families, for a menu.
func FamilyNames() []string {
	out := make([]string, len(Families))
	for i, f := range Families {
		out[i] = FamilyName(f)
	}
	return out
}

// ParseFamily turns a menu entry back into a family.
func ParseFamily(name string) (render.Family, bool) {
	for _, f := range Families {
		if FamilyName(f) == name {
			return f, true
		}
	}
	return "", false
}

// HasCoefficient reports whether family f uses a coefficient: polynomial
// (x^k) and exponential (e^(x^k)) do, linear and logarithmic ignore it.
func HasCoefficient(f render.Family) bool { return f == render.Polynomial || f == render.Exponential }

// Family is channel c's mapping family (linear when unset).
func (m *Model) Family(c int) render.Family {
	if f := m.Settings.Channels[c].Family; f != "" {
		return f
	}
	return render.Linear
}

// Coefficient is channel c's coefficient k, 1 when unset.
func (m *Model) Coefficient(c int) float64 {
	if k := m.Settings.Channels[c].Coefficient; k > 0 {
		return k
	}
	return 1
}

// SetFamily sets channel c's family and, for the families that use one, its
// coefficient k, which must be above 0 and at most render.MaxCoefficient.
// Linear and logarithmic ignore k and keep the coefficient the channel had,
// so switching back to polynomial finds it again. A refused change changes
// nothing and says why.
func (m *Model) SetFamily(c int, f render.Family, k float64) error {
	known := false
	for _, g := range Families {
		known = known || g == f
	}
	if !known {
		return fmt.Errorf("unknown family %q: choose linear, polynomial, exponential or logarithmic", f)
	}
	cs := &m.Settings.Channels[c]
	if HasCoefficient(f) {
		if math.IsNaN(k) || k <= 0 || k > render.MaxCoefficient {
			return fmt.Errorf("the %s coefficient must be above 0 and at most %d, not %s", strings.ToLower(FamilyName(f)), render.MaxCoefficient, FormatCoefficient(k))
		}
		cs.Coefficient = k
	} else if math.IsNaN(cs.Coefficient) || cs.Coefficient < 0 {
		cs.Coefficient = 1
	}
	cs.Family = f
	return nil
}

// ParseCoefficient reads a typed coefficient ("2", "0.5", "1,5").
func ParseCoefficient(s string) (float64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	k, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(k) || math.IsInf(k, 0) {
		return 0, fmt.Errorf("the coefficient is a number such as 0.5 or 2, not %q", s)
	}
	return k, nil
}

// FormatCoefficient shows a coefficient in its shortest form (2, 0.5).
func FormatCoefficient(k float64) string { return strconv.FormatFloat(k, 'f', -1, 64) }

// Reverse reports whether channel c's intensities are inverted.
func (m *Model) Reverse(c int) bool { return m.Settings.Channels[c].Reverse }

// SetReverse inverts channel c's intensities (OMERO's reverse intensity):
// the brightest values show dark.
func (m *Model) SetReverse(c int, on bool) { m.Settings.Channels[c].Reverse = on }

// maxChannelName is the longest name the repository accepts.
const maxChannelName = 255

// RenameNames checks a new name for channel c and returns the names to
// hand to core.Session.RenameChannels: the name at c, "" (keep) elsewhere.
func (m *Model) RenameNames(c int, name string) ([]string, error) {
	name = strings.TrimSpace(name)
	switch {
	case c < 0 || c >= len(m.Channels):
		return nil, fmt.Errorf("the image has no channel %d", c+1)
	case name == "":
		return nil, fmt.Errorf("a channel name cannot be empty")
	case len(name) > maxChannelName:
		return nil, fmt.Errorf("a channel name has at most %d characters, this one has %d", maxChannelName, len(name))
	case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return nil, fmt.Errorf("a channel name cannot hold tabs, line breaks or other control characters")
	}
	names := make([]string, len(m.Channels))
	names[c] = name
	return names, nil
}

// Renamed records that channel c was renamed in the repository. A label
// set in the settings would hide the new name, so it is cleared.
func (m *Model) Renamed(c int, name string) {
	m.Channels[c].Name = strings.TrimSpace(name)
	m.Settings.Channels[c].Label = ""
}
