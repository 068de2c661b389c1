package render

import (
	"fmt"
	"math"

	"github.com/ocular-lab/ocular/core/pixel"
)

// ChannelInfo is what the defaults need to know about one channel.
type ChannelInfo struct {
	Name string
	// Color is the import-time colour; HasColor says whether the file gave one.
	Color    [4]uint8
	HasColor bool
	// EmissionWavelength in nm, 0 when unknown.
	EmissionWavelength float64
	// LUT is an import-time lookup table name, "" if none.
	LUT string
	// StatsMin/StatsMax are the channel's global min and max when HasStats.
	StatsMin, StatsMax float64
	HasStats           bool
}

// Emission bands (nm) that give a channel blue, green or red by default, after
// OMERO's ColorsFactory. Shorter wavelengths count as blue and longer ones
// (far red, near infrared) as red.
const (
	blueMax  = 500
	greenMax = 600
)

// Defaults computes the settings of a freshly imported image (OMERO's
// "original settings", spec §5.4):
//
//   - default Z is the middle plane (sizeZ/2), default T 0;
//   - rgb if there is more than one channel, else greyscale; output 0..255;
//   - the first three channels active; linear family, coefficient 1; not
//     reversed; the import-time LUT if any;
//   - colour: the import colour; else from the emission wavelength (blue,
//     green or red band); else white when other channels have an emission
//     wavelength and this one has none; else by index: red, green, blue;
//   - window: the channel's global min/max when known, else the pixel type's
//     range; a degenerate window (min == max) falls back to the type's range.
func Defaults(pixType pixel.Type, sizeZ, sizeT int, channels []ChannelInfo) Settings {
	s := Settings{
		Model:    Greyscale,
		DefaultZ: max(0, sizeZ/2),
		CdStart:  0,
		CdEnd:    255,
		Channels: make([]ChannelSettings, len(channels)),
	}
	if len(channels) > 1 {
		s.Model = RGB
	}
	withEmission := 0
	for _, c := range channels {
		if c.EmissionWavelength > 0 {
			withEmission++
		}
	}
	someLack := withEmission > 0 && withEmission < len(channels)
	lo, hi := pixType.Range()
	for i, c := range channels {
		cs := ChannelSettings{
			Active:      i < 3,
			Family:      Linear,
			Coefficient: 1,
			Start:       lo,
			End:         hi,
		}
		if c.HasStats && finite(c.StatsMin) && finite(c.StatsMax) && c.StatsMin < c.StatsMax {
			cs.Start, cs.End = c.StatsMin, c.StatsMax
			if !pixType.IsFloat() { // keep the window inside the type's range
				cs.Start, cs.End = math.Max(cs.Start, lo), math.Min(cs.End, hi)
			}
		}
		if c.LUT != "" {
			if l, err := LookupLUT(c.LUT); err == nil {
				cs.LUT = l.Name
			}
		}
		switch {
		case c.HasColor:
			cs.Color = c.Color
		case c.EmissionWavelength > 0:
			cs.Color = colorForWavelength(c.EmissionWavelength)
		case someLack:
			cs.Color = White
		default:
			cs.Color = [3]Color{Red, Green, Blue}[i%3]
		}
		s.Channels[i] = cs
	}
	return s
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func colorForWavelength(nm float64) Color {
	switch {
	case nm <= blueMax:
		return Blue
	case nm <= greenMax:
		return Green
	}
	return Red
}

// CompatibleForPaste reports whether settings of an image like src may be
// pasted onto dst (spec §5.3): same pixel type, same number of channels, and
// every source emission wavelength present among the target's. When not, the
// reason says why, for the "skipped" list shown to the user.
func CompatibleForPaste(src, dst PixelsInfo) (ok bool, reason string) {
	if src.Type != dst.Type {
		return false, fmt.Sprintf("pixel type differs (%s, target %s)", src.Type, dst.Type)
	}
	if src.SizeC != dst.SizeC {
		return false, fmt.Sprintf("channel count differs (%d, target %d)", src.SizeC, dst.SizeC)
	}
	for _, w := range src.EmissionWavelengths {
		found := false
		for _, v := range dst.EmissionWavelengths {
			if math.Abs(v-w) < 0.5 {
				found = true
				break
			}
		}
		if !found {
			if w == 0 {
				return false, "the source has a channel without emission wavelength and the target has none such"
			}
			return false, fmt.Sprintf("emission wavelength %g nm of the source is not among the target's channels", w)
		}
	}
	return true, ""
}

// ApplyPaste returns the settings a target image with dstSizeZ planes and
// dstSizeT timepoints gets when src is pasted onto it: model, output range
// and every channel's binding are copied; default Z and T are copied only
// when within the target's range, else the target gets the usual defaults
// (middle plane, first timepoint). A projection is not copied.
func ApplyPaste(src Settings, dstSizeZ, dstSizeT int) Settings {
	return ApplyPasteOnto(src, Settings{DefaultZ: max(0, dstSizeZ/2)}, dstSizeZ, dstSizeT)
}

// ApplyPasteOnto is ApplyPaste for a target that already has settings: its
// default Z and T (and projection) are kept where src's do not fit.
func ApplyPasteOnto(src, dst Settings, dstSizeZ, dstSizeT int) Settings {
	out := src.Clone()
	out.Projection = nil
	if dst.Projection != nil {
		p := *dst.Projection
		out.Projection = &p
	}
	if src.DefaultZ < 0 || src.DefaultZ >= dstSizeZ {
		out.DefaultZ = dst.DefaultZ
	}
	if src.DefaultT < 0 || src.DefaultT >= dstSizeT {
		out.DefaultT = dst.DefaultT
	}
	return out
}
