package ome

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core/formats"
)

// xw builds OME-XML text with escaped attributes and content.
type xw struct{ strings.Builder }

func (b *xw) open(name string, attrs ...string) { b.tag(name, ">", attrs) }

func (b *xw) empty(name string, attrs ...string) { b.tag(name, "/>", attrs) }

func (b *xw) tag(name, end string, attrs []string) {
	b.WriteString("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		b.WriteString(" " + attrs[i] + `="`)
		xml.EscapeText(b, []byte(attrs[i+1]))
		b.WriteString(`"`)
	}
	b.WriteString(end)
}

func (b *xw) close(name string) { b.WriteString("</" + name + ">") }

func (b *xw) text(name, value string) {
	if value == "" {
		return
	}
	b.open(name)
	xml.EscapeText(b, []byte(value))
	b.close(name)
}

func num(v float64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// colorInt encodes RGBA as OME's signed 32-bit integer.
func colorInt(c [4]uint8) string {
	u := uint32(c[0])<<24 | uint32(c[1])<<16 | uint32(c[2])<<8 | uint32(c[3])
	return strconv.Itoa(int(int32(u)))
}

// buildXML writes the OME-XML for one image stored as one IFD per plane in
// DimensionOrder, starting at IFD 0 of fileName.
func buildXML(s *formats.Series, plate *formats.Plate, fileName, uuid, creator string) string {
	if creator == "" {
		creator = "Ocular"
	}
	var b xw
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	b.open("OME", "xmlns", "http://www.openmicroscopy.org/Schemas/OME/2016-06",
		"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
		"xsi:schemaLocation", "http://www.openmicroscopy.org/Schemas/OME/2016-06 http://www.openmicroscopy.org/Schemas/OME/2016-06/ome.xsd",
		"UUID", uuid, "Creator", creator)
	if plate != nil && s.Well != nil {
		writePlate(&b, plate, s.Well)
	}
	name := s.Name
	if name == "" {
		name = strings.TrimSuffix(strings.TrimSuffix(fileName, ".tiff"), ".tif")
	}
	b.open("Image", "ID", "Image:0", "Name", name)
	if !s.AcquiredAt.IsZero() {
		b.text("AcquisitionDate", s.AcquiredAt.UTC().Format("2006-01-02T15:04:05.999999999"))
	}
	b.text("Description", s.Description)
	bigEndian := "false"
	b.open("Pixels", "ID", "Pixels:0", "DimensionOrder", s.DimensionOrder, "Type", s.PixelType.String(),
		"BigEndian", bigEndian, "Interleaved", "false",
		"SizeX", strconv.Itoa(s.SizeX), "SizeY", strconv.Itoa(s.SizeY), "SizeZ", strconv.Itoa(s.SizeZ),
		"SizeC", strconv.Itoa(s.SizeC), "SizeT", strconv.Itoa(s.SizeT),
		"PhysicalSizeX", num(s.PhysicalSizeX), "PhysicalSizeXUnit", unitIf(s.PhysicalSizeX, "µm"),
		"PhysicalSizeY", num(s.PhysicalSizeY), "PhysicalSizeYUnit", unitIf(s.PhysicalSizeY, "µm"),
		"PhysicalSizeZ", num(s.PhysicalSizeZ), "PhysicalSizeZUnit", unitIf(s.PhysicalSizeZ, "µm"),
		"TimeIncrement", num(s.TimeIncrement), "TimeIncrementUnit", unitIf(s.TimeIncrement, "s"))
	for c := 0; c < s.SizeC; c++ {
		var ch formats.Channel
		if c < len(s.Channels) {
			ch = s.Channels[c]
		}
		color := ""
		if ch.HasColor {
			color = colorInt(ch.Color)
		}
		b.empty("Channel", "ID", fmt.Sprintf("Channel:0:%d", c), "Name", ch.Name, "SamplesPerPixel", "1", "Color", color,
			"Fluor", ch.Fluor, "ContrastMethod", ch.ContrastMethod, "IlluminationType", ch.IlluminationType,
			"AcquisitionMode", ch.AcquisitionMode,
			"ExcitationWavelength", num(ch.ExcitationWavelength), "ExcitationWavelengthUnit", unitIf(ch.ExcitationWavelength, "nm"),
			"EmissionWavelength", num(ch.EmissionWavelength), "EmissionWavelengthUnit", unitIf(ch.EmissionWavelength, "nm"))
	}
	b.open("TiffData", "IFD", "0", "PlaneCount", strconv.Itoa(s.SizeZ*s.SizeC*s.SizeT))
	b.open("UUID", "FileName", fileName)
	b.WriteString(uuid)
	b.close("UUID")
	b.close("TiffData")
	for _, p := range s.Planes {
		deltaT, exposure := "", ""
		if p.HasDeltaT {
			deltaT = strconv.FormatFloat(p.DeltaT, 'g', -1, 64)
		}
		if p.HasExposure {
			exposure = strconv.FormatFloat(p.ExposureTime, 'g', -1, 64)
		}
		var px, py, pz, pu string
		if p.HasPosition {
			px = strconv.FormatFloat(p.PositionX, 'g', -1, 64)
			py = strconv.FormatFloat(p.PositionY, 'g', -1, 64)
			pz = strconv.FormatFloat(p.PositionZ, 'g', -1, 64)
			pu = "µm"
		}
		b.empty("Plane", "TheZ", strconv.Itoa(p.Z), "TheC", strconv.Itoa(p.C), "TheT", strconv.Itoa(p.T),
			"DeltaT", deltaT, "DeltaTUnit", unitIf2(deltaT, "s"), "ExposureTime", exposure, "ExposureTimeUnit", unitIf2(exposure, "s"),
			"PositionX", px, "PositionXUnit", pu, "PositionY", py, "PositionYUnit", pu, "PositionZ", pz, "PositionZUnit", pu)
	}
	b.close("Pixels")
	if len(s.Original) > 0 {
		b.empty("AnnotationRef", "ID", "Annotation:0")
	}
	b.close("Image")
	if len(s.Original) > 0 {
		b.open("StructuredAnnotations")
		b.open("MapAnnotation", "ID", "Annotation:0", "Namespace", "openmicroscopy.org/omero/client/mapAnnotation")
		b.open("Value")
		for _, kv := range s.Original {
			b.open("M", "K", kv.Key)
			xml.EscapeText(&b, []byte(kv.Value))
			b.close("M")
		}
		b.close("Value")
		b.close("MapAnnotation")
		b.close("StructuredAnnotations")
	}
	b.close("OME")
	return b.String()
}

func unitIf(v float64, unit string) string {
	if v == 0 {
		return ""
	}
	return unit
}

func unitIf2(v, unit string) string {
	if v == "" {
		return ""
	}
	return unit
}

func writePlate(b *xw, p *formats.Plate, ws *formats.WellSampleRef) {
	b.open("Plate", "ID", "Plate:0", "Name", p.Name,
		"Rows", strconv.Itoa(p.Rows), "Columns", strconv.Itoa(p.Columns),
		"RowNamingConvention", p.RowNaming, "ColumnNamingConvention", p.ColNaming)
	b.open("Well", "ID", "Well:0", "Row", strconv.Itoa(ws.Row), "Column", strconv.Itoa(ws.Column))
	px, py, u := "", "", ""
	if ws.PositionX != 0 || ws.PositionY != 0 {
		px, py, u = strconv.FormatFloat(ws.PositionX, 'g', -1, 64), strconv.FormatFloat(ws.PositionY, 'g', -1, 64), "µm"
	}
	b.open("WellSample", "ID", "WellSample:0", "Index", strconv.Itoa(ws.Field),
		"PositionX", px, "PositionXUnit", u, "PositionY", py, "PositionYUnit", u)
	b.empty("ImageRef", "ID", "Image:0")
	b.close("WellSample")
	b.close("Well")
	if ws.Acquisition >= 0 && ws.Acquisition < len(p.Acquisitions) {
		a := p.Acquisitions[ws.Acquisition]
		b.open("PlateAcquisition", "ID", "PlateAcquisition:0", "Name", a.Name,
			"StartTime", timeAttr(a.StartTime), "EndTime", timeAttr(a.EndTime))
		b.empty("WellSampleRef", "ID", "WellSample:0")
		b.close("PlateAcquisition")
	}
	b.close("Plate")
}

func timeAttr(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}
