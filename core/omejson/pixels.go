package omejson

import (
	"strings"

	"github.com/ocular-lab/ocular/core"
)

// Pixels encodes an image's pixels as omero-marshal's Pixels; chs, when
// non-nil, become its Channels. core stores physical sizes in micrometres
// and the time increment in seconds (core.PixelsInfo); zero means unknown
// and is left out, as OMERO leaves out a null.
func Pixels(p core.PixelsInfo, chs []core.ChannelInfo) M {
	m := M{
		"@type": Type("Pixels"),
		"SizeX": p.SizeX, "SizeY": p.SizeY, "SizeZ": p.SizeZ, "SizeC": p.SizeC, "SizeT": p.SizeT,
	}
	if p.PixelType != "" {
		m["Type"] = M{"@type": "TBD#PixelsType", "value": p.PixelType}
		if bits := significantBits(p.PixelType); bits > 0 {
			m["SignificantBits"] = bits
		}
	}
	setStr(m, "DimensionOrder", strings.ToUpper(p.DimensionOrder))
	for key, v := range map[string]float64{"PhysicalSizeX": p.PhysicalSizeX, "PhysicalSizeY": p.PhysicalSizeY, "PhysicalSizeZ": p.PhysicalSizeZ} {
		if v > 0 && finite(v) {
			m[key] = Length(v, "MICROMETER")
		}
	}
	if p.TimeIncrement > 0 && finite(p.TimeIncrement) {
		m["TimeIncrement"] = M{"@type": "TBD#TimeI", "Unit": "SECOND", "Symbol": "s", "Value": p.TimeIncrement}
	}
	if chs != nil {
		out := make([]M, len(chs))
		for i, c := range chs {
			out[i] = Channel(c)
		}
		m["Channels"] = out
	}
	return m
}

// significantBits is the bit depth of a pixel type, as OMERO's import
// sets SignificantBits when the file does not say otherwise.
func significantBits(t string) int {
	switch t {
	case "bit":
		return 1
	case "int8", "uint8":
		return 8
	case "int16", "uint16":
		return 16
	case "int32", "uint32", "float":
		return 32
	case "double":
		return 64
	}
	return 0
}

// lengthSymbols are the units core stores lengths in.
var lengthSymbols = map[string]string{"MICROMETER": "µm", "NANOMETER": "nm", "MILLIMETER": "mm", "REFERENCEFRAME": "reference frame"}

// Length is omero-marshal's LengthI unit object.
func Length(v float64, unit string) M {
	return M{"@type": "TBD#LengthI", "Unit": unit, "Symbol": lengthSymbols[unit], "Value": v}
}

// Channel encodes one channel as omero-marshal's Channel. Wavelengths are
// stored in nanometres.
func Channel(c core.ChannelInfo) M {
	m := M{"@type": Type("Channel")}
	setStr(m, "Name", c.Name)
	if c.HasColor {
		m["Color"] = Color(c.Color)
	}
	if c.EmissionWavelength > 0 && finite(c.EmissionWavelength) {
		m["EmissionWavelength"] = Length(c.EmissionWavelength, "NANOMETER")
	}
	if c.ExcitationWavelength > 0 && finite(c.ExcitationWavelength) {
		m["ExcitationWavelength"] = Length(c.ExcitationWavelength, "NANOMETER")
	}
	setStr(m, "Fluor", c.Fluor)
	setStr(m, "omero:lookupTable", c.LUT)
	return m
}

// Color is OMERO's colour: RGBA packed into a signed 32-bit integer, so
// opaque blue is 65535 and opaque red -16776961.
func Color(rgba [4]uint8) int32 {
	return int32(uint32(rgba[0])<<24 | uint32(rgba[1])<<16 | uint32(rgba[2])<<8 | uint32(rgba[3]))
}
