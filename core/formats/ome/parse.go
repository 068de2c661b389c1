package ome

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// Parse reads at most MaxXMLBytes of OME-XML from r.
func Parse(r io.Reader) (*Metadata, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxXMLBytes+1))
	if err != nil {
		return nil, err
	}
	return ParseXML(data)
}

// ParseXML parses an OME-XML document.
func ParseXML(data []byte) (*Metadata, error) {
	if len(data) > MaxXMLBytes {
		return nil, fmt.Errorf("OME-XML is larger than %d MiB; refusing to parse it", MaxXMLBytes>>20)
	}
	data, err := prune(data)
	if err != nil {
		return nil, err
	}
	var doc xOME
	d := xml.NewDecoder(bytes.NewReader(data))
	// Strict mode (the default) rejects undefined entities; encoding/xml
	// never reads a DTD, so entity definitions (billion laughs, external
	// entities) are ignored and their references are errors.
	d.Strict = true
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		// Latin-1 declarations appear in the wild; ASCII-compatible content
		// is all that matters for the attributes read here.
		return in, nil
	}
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("OME-XML is not well-formed: %v", err)
	}
	if doc.XMLName.Local != "OME" {
		return nil, fmt.Errorf("OME-XML root element is <%s>, expected <OME>", doc.XMLName.Local)
	}
	m := &Metadata{UUID: strings.TrimSpace(doc.UUID), Creator: doc.Creator}
	if doc.BinaryOnly != nil {
		m.BinaryOnly = &BinaryOnly{MetadataFile: doc.BinaryOnly.MetadataFile, UUID: doc.BinaryOnly.UUID}
	}
	instruments := map[string]*xInstrument{}
	for i := range doc.Instruments {
		instruments[doc.Instruments[i].ID] = &doc.Instruments[i]
	}
	ann := collectAnnotations(doc.Annotations)
	padded := 0 // channels added for SizeC beyond the Channel elements, over all images
	for i := range doc.Images {
		im, err := convertImage(&doc.Images[i], instruments, ann, &padded)
		if err != nil {
			name := doc.Images[i].Name
			if name == "" {
				name = doc.Images[i].ID
			}
			return nil, fmt.Errorf("OME-XML image %d (%s): %v", i, name, err)
		}
		m.Images = append(m.Images, *im)
	}
	if global := ann.unreferenced(); len(global) > 0 {
		// Every image shows the document's own annotations; a document
		// whose annotations times images would be huge gives them to the
		// first image only (both counts come from a few bytes each).
		images := m.Images
		if int64(len(global))*int64(len(images)) > maxSharedAnnotations {
			images = images[:1]
		}
		for i := range images {
			m.Images[i].Series.Original = append(m.Images[i].Series.Original, global...)
		}
	}
	if len(doc.Plates) > 0 {
		m.Plate = convertPlate(&doc.Plates[0], m, doc.Screens)
	}
	return m, nil
}

// intAttr parses a non-negative integer attribute; empty gives def.
func intAttr(name, s string, def int) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not an integer", name, s)
	}
	if v < 0 {
		return 0, fmt.Errorf("%s=%d is negative", name, v)
	}
	if v > 1<<31-1 {
		return 0, fmt.Errorf("%s=%d is too large", name, v)
	}
	return int(v), nil
}

// maxPaddedChannels bounds the channels made up, over a whole document,
// for images whose SizeC exceeds their Channel elements: each costs memory
// but no XML, so without a bound a megabyte of <Image SizeC="65536"/>
// would need tens of gigabytes.
const maxPaddedChannels = 1 << 16

// maxSharedAnnotations bounds the copies of document-level annotations
// given to every image.
const maxSharedAnnotations = 1 << 20

func convertImage(x *xImage, instruments map[string]*xInstrument, ann annotations, padded *int) (*Image, error) {
	p := x.Pixels
	if p == nil {
		return nil, fmt.Errorf("has no Pixels element")
	}
	s := formats.Series{Name: x.Name, Description: strings.TrimSpace(x.Description)}
	var err error
	for _, f := range []struct {
		name, v string
		dst     *int
	}{{"SizeX", p.SizeX, &s.SizeX}, {"SizeY", p.SizeY, &s.SizeY}, {"SizeZ", p.SizeZ, &s.SizeZ}, {"SizeC", p.SizeC, &s.SizeC}, {"SizeT", p.SizeT, &s.SizeT}} {
		if *f.dst, err = intAttr(f.name, f.v, 0); err != nil {
			return nil, err
		}
		if *f.dst == 0 {
			return nil, fmt.Errorf("%s is missing or zero", f.name)
		}
	}
	// Channels are padded to SizeC below and planes are mapped one by one:
	// bound both before anything is sized from them.
	if err := formats.CheckDimensions(s); err != nil {
		return nil, err
	}
	if s.PixelType, err = pixel.ParseType(p.Type); err != nil {
		return nil, fmt.Errorf("Pixels Type: %v", err)
	}
	s.DimensionOrder = normOrder(strings.ToUpper(p.DimensionOrder))
	if v, ok := length(p.PhysicalSizeX, p.PhysicalSizeXUnit); ok && v > 0 {
		s.PhysicalSizeX = v
	}
	if v, ok := length(p.PhysicalSizeY, p.PhysicalSizeYUnit); ok && v > 0 {
		s.PhysicalSizeY = v
	}
	if v, ok := length(p.PhysicalSizeZ, p.PhysicalSizeZUnit); ok && v > 0 {
		s.PhysicalSizeZ = v
	}
	if v, ok := seconds(p.TimeIncrement, p.TimeIncrementUnit); ok && v > 0 {
		s.TimeIncrement = v
	}
	if t, ok := parseTime(x.AcquisitionDate); ok {
		s.AcquiredAt = t
	}
	s.Levels = []formats.Level{{SizeX: s.SizeX, SizeY: s.SizeY}}
	im := &Image{ID: x.ID, BigEndian: p.BigEndian == "true", SamplesPerPixel: 1}

	// Channels: one formats.Channel per sample. An RGB channel element with
	// SamplesPerPixel=3 stands for three channels.
	var inst *xInstrument
	if x.InstrumentRef != nil {
		inst = instruments[x.InstrumentRef.ID]
	}
	if inst == nil && len(instruments) == 1 {
		for _, v := range instruments {
			inst = v
		}
	}
	for _, xc := range p.Channels {
		spp, err := intAttr("SamplesPerPixel", xc.SamplesPerPixel, 1)
		if err != nil {
			return nil, err
		}
		spp = max(spp, 1)
		if spp > 1 {
			im.SamplesPerPixel = spp
		}
		ch := convertChannel(&xc, inst)
		for k := 0; k < spp && len(s.Channels) < s.SizeC; k++ {
			c := ch
			if spp == 3 && !ch.HasColor {
				c.Color, c.HasColor = [4]uint8{0, 0, 0, 255}, true
				c.Color[k] = 255
			}
			s.Channels = append(s.Channels, c)
		}
	}
	if *padded += s.SizeC - len(s.Channels); *padded > maxPaddedChannels {
		return nil, formats.TooLarge("the images declare %d more channels than their Channel elements describe, more than the %d Ocular fills in; the file is damaged or was not written for import", *padded, maxPaddedChannels)
	}
	if n := s.SizeC - len(s.Channels); n > 0 {
		s.Channels = append(s.Channels, make([]formats.Channel, n)...)
	}
	if s.SizeC%im.SamplesPerPixel != 0 {
		im.SamplesPerPixel = 1
	}

	// One Plane element per plane at most: repeats would be kept (and
	// stored with the image) for nothing.
	nPlanes := s.SizeZ * s.SizeC * s.SizeT // bounded by CheckDimensions
	for _, xp := range p.Planes {
		if len(s.Planes) >= nPlanes {
			break
		}
		pi, ok := convertPlane(&xp, &s)
		if ok {
			s.Planes = append(s.Planes, pi)
		}
	}
	for _, td := range p.TiffData {
		t, err := convertTiffData(&td)
		if err != nil {
			return nil, fmt.Errorf("TiffData: %v", err)
		}
		im.TiffData = append(im.TiffData, t)
	}
	s.Acquisition = acquisition(inst, x.ObjectiveSettings)
	s.Original = ann.forImage(x.AnnotationRefs)
	im.Series = s
	return im, nil
}

func convertChannel(x *xChannel, inst *xInstrument) formats.Channel {
	c := formats.Channel{
		Name:             x.Name,
		Fluor:            x.Fluor,
		ContrastMethod:   x.ContrastMethod,
		IlluminationType: x.IlluminationType,
		AcquisitionMode:  x.AcquisitionMode,
	}
	if col, err := strconv.ParseInt(strings.TrimSpace(x.Color), 10, 64); err == nil && col >= -1<<31 && col < 1<<32 {
		u := uint32(col)
		c.Color = [4]uint8{uint8(u >> 24), uint8(u >> 16), uint8(u >> 8), uint8(u)}
		c.HasColor = true
	}
	c.ExcitationWavelength, _ = wavelength(x.ExcitationWavelength, x.ExcitationWavelengthUnit)
	c.EmissionWavelength, _ = wavelength(x.EmissionWavelength, x.EmissionWavelengthUnit)
	add := func(k, v string) {
		if v != "" {
			c.Settings = append(c.Settings, formats.KeyValue{Key: k, Value: v})
		}
	}
	add("Pinhole size", withUnit(x.PinholeSize, x.PinholeSizeUnit, "µm"))
	add("ND filter", x.NDFilter)
	add("Pockel cell setting", x.PockelCellSetting)
	if ds := x.DetectorSettings; ds != nil {
		add("Detector", describeDetector(inst, ds.ID))
		add("Detector binning", ds.Binning)
		add("Detector gain", ds.Gain)
		add("Detector offset", ds.Offset)
		add("Detector voltage", withUnit(ds.Voltage, ds.VoltageUnit, "V"))
		add("Detector read-out rate", withUnit(ds.ReadOutRate, ds.ReadOutRateUnit, "MHz"))
		add("Detector zoom", ds.Zoom)
		add("Detector integration", ds.Integration)
	}
	if ls := x.LightSourceSettings; ls != nil {
		add("Light source", describeLight(inst, ls.ID))
		add("Light source attenuation", ls.Attenuation)
		add("Light source wavelength", withUnit(ls.Wavelength, ls.WavelengthUnit, "nm"))
	}
	return c
}

func convertPlane(x *xPlane, s *formats.Series) (formats.PlaneInfo, bool) {
	z, err1 := intAttr("TheZ", x.TheZ, -1)
	c, err2 := intAttr("TheC", x.TheC, -1)
	t, err3 := intAttr("TheT", x.TheT, -1)
	if err1 != nil || err2 != nil || err3 != nil || z < 0 || c < 0 || t < 0 || z >= s.SizeZ || c >= s.SizeC || t >= s.SizeT {
		return formats.PlaneInfo{}, false
	}
	pi := formats.PlaneInfo{Z: z, C: c, T: t}
	if v, ok := seconds(x.DeltaT, x.DeltaTUnit); ok {
		pi.DeltaT, pi.HasDeltaT = v, true
	}
	if v, ok := seconds(x.ExposureTime, x.ExposureTimeUnit); ok {
		pi.ExposureTime, pi.HasExposure = v, true
	}
	px, okx := position(x.PositionX, x.PositionXUnit)
	py, oky := position(x.PositionY, x.PositionYUnit)
	pz, okz := position(x.PositionZ, x.PositionZUnit)
	if okx || oky || okz {
		pi.PositionX, pi.PositionY, pi.PositionZ, pi.HasPosition = px, py, pz, true
	}
	return pi, true
}

func convertTiffData(x *xTiffData) (TiffData, error) {
	var t TiffData
	var err error
	if t.IFD, err = intAttr("IFD", x.IFD, 0); err != nil {
		return t, err
	}
	if t.PlaneCount, err = intAttr("PlaneCount", x.PlaneCount, 0); err != nil {
		return t, err
	}
	t.HasPlaneCount = strings.TrimSpace(x.PlaneCount) != ""
	t.HasIFD = strings.TrimSpace(x.IFD) != ""
	if t.FirstZ, err = intAttr("FirstZ", x.FirstZ, 0); err != nil {
		return t, err
	}
	if t.FirstC, err = intAttr("FirstC", x.FirstC, 0); err != nil {
		return t, err
	}
	if t.FirstT, err = intAttr("FirstT", x.FirstT, 0); err != nil {
		return t, err
	}
	if x.UUID != nil {
		t.UUID = strings.TrimSpace(x.UUID.Value)
		t.FileName = strings.TrimSpace(x.UUID.FileName)
	}
	return t, nil
}

// parseTime accepts xsd:dateTime with or without a zone or fraction.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// position parses a stage position in µm. Positions in "reference frame"
// units (stage coordinates whose scale the file does not state, common in
// Bio-Formats output) are kept as they are rather than dropped.
func position(v, unit string) (float64, bool) {
	if u := strings.TrimSpace(unit); u == "reference frame" || u == "pixel" {
		return parseFloat(v)
	}
	return length(v, unit)
}
