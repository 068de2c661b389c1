package ome

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/internal/realdata"
)

func parseReal(t *testing.T, rel string) *Metadata {
	t.Helper()
	f, err := os.Open(filepath.Join(realdata.Dir(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func kv(list []struct{ Key, Value string }, key string) string {
	for _, k := range list {
		if k.Key == key {
			return k.Value
		}
	}
	return ""
}

func TestInstrumentUnitsAlternate(t *testing.T) {
	m := parseReal(t, "ome-xml/ome-model-2016-06/instrument-units-alternate.ome.xml")
	if len(m.Images) != 1 {
		t.Fatalf("%d images", len(m.Images))
	}
	s := m.Images[0].Series
	if s.SizeX != 6 || s.SizeY != 4 || s.PixelType.String() != "uint8" {
		t.Errorf("dims %dx%d %s", s.SizeX, s.SizeY, s.PixelType)
	}
	// 1 cm = 10000 µm.
	if !near(s.PhysicalSizeX, 10000) || !near(s.PhysicalSizeY, 10000) {
		t.Errorf("physical size %v %v, want 10000 µm", s.PhysicalSizeX, s.PhysicalSizeY)
	}
	c := s.Channels[0]
	// Color -2147483648 = 0x80000000: red 128, alpha 0.
	if !c.HasColor || c.Color != [4]uint8{128, 0, 0, 0} {
		t.Errorf("colour %v", c.Color)
	}
	// 610500 pm = 610.5 nm.
	if !near(c.ExcitationWavelength, 610.5) || !near(c.EmissionWavelength, 488.6) {
		t.Errorf("wavelengths %v %v", c.ExcitationWavelength, c.EmissionWavelength)
	}
	var settings []string
	for _, k := range c.Settings {
		settings = append(settings, k.Key+"="+k.Value)
	}
	joined := strings.Join(settings, ";")
	for _, want := range []string{"Detector binning=2x2", "Light source wavelength=0.51 µm", "Detector voltage=12 daV", "Light source=Laser OME Lights Ruby60 590500 pm (LightSource:0)"} {
		if !strings.Contains(joined, want) {
			t.Errorf("settings %q lack %q", joined, want)
		}
	}
	a := s.Acquisition
	if a == nil {
		t.Fatal("no acquisition metadata")
	}
	obj := strings.Join(flat(a.Objective), ";")
	if !strings.Contains(obj, "Working distance=.02 mm") || !strings.Contains(obj, "Lens NA=1.2") {
		t.Errorf("objective %q", obj)
	}
	if len(a.LightSource) != 2 || len(a.Detectors) != 1 || len(a.Filters) != 5 {
		t.Errorf("light sources %d detectors %d filters %d", len(a.LightSource), len(a.Detectors), len(a.Filters))
	}
	if strings.Join(flat(a.Microscope), ";") != "Type=Inverted;Manufacturer=OME Instruments;Model=Lab Mk3;Serial number=L3-1234" {
		t.Errorf("microscope %v", a.Microscope)
	}
	if s.AcquiredAt.Year() != 2010 {
		t.Errorf("acquired %v", s.AcquiredAt)
	}
}

func flat[T ~[]E, E interface{ ~struct{ Key, Value string } }](list T) []string {
	var out []string
	for _, k := range list {
		kv := struct{ Key, Value string }(k)
		out = append(out, kv.Key+"="+kv.Value)
	}
	return out
}

func TestHCS(t *testing.T) {
	m := parseReal(t, "ome-xml/ome-model-2016-06/hcs.ome.xml")
	p := m.Plate
	if p == nil || p.Rows != 8 || p.Columns != 12 || p.RowNaming != "number" || p.ColNaming != "letter" || p.Name != "Control Plate" {
		t.Fatalf("plate %+v", p)
	}
	s := m.Images[0].Series
	if s.Well == nil || s.Well.Row != 0 || s.Well.Column != 0 {
		t.Fatalf("well %+v", s.Well)
	}
	if s.SizeC != 3 || s.SizeT != 16 || !near(s.TimeIncrement, 120.1302) || !near(s.PhysicalSizeX, 0.207) {
		t.Errorf("series %+v", s)
	}
	if s.Channels[1].Name != "CH3" || s.Channels[2].ContrastMethod != "DIC" || s.Channels[0].AcquisitionMode != "LaserScanningConfocalMicroscopy" || s.Channels[0].IlluminationType != "Epifluorescence" {
		t.Errorf("channels %+v", s.Channels)
	}
}

func TestOneScreenFourWells(t *testing.T) {
	m := parseReal(t, "ome-xml/ome-model-2016-06/one-screen-one-plate-four-wells.ome.xml")
	p := m.Plate
	if p == nil || len(p.Wells) != 4 {
		t.Fatalf("plate %+v", p)
	}
	placed := 0
	for _, im := range m.Images {
		if im.Series.Well != nil {
			placed++
		}
	}
	if placed == 0 {
		t.Fatal("no image placed in a well")
	}
	t.Logf("plate %+v, %d images placed", *p, placed)
}

func TestAllSamplesParse(t *testing.T) {
	dir := filepath.Join(realdata.Dir(t), "ome-xml", "ome-model-2016-06")
	files, _ := filepath.Glob(filepath.Join(dir, "*.ome.xml"))
	if len(files) < 7 {
		t.Fatalf("found %d samples", len(files))
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		m, err := ParseXML(data)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		for _, im := range m.Images {
			if len(im.Series.Channels) != im.Series.SizeC {
				t.Errorf("%s: %d channels for SizeC %d", filepath.Base(f), len(im.Series.Channels), im.Series.SizeC)
			}
		}
	}
}

func TestMultiChannelZT(t *testing.T) {
	m := parseReal(t, "ome-xml/ome-model-2016-06/multi-channel-z-series-time-series.ome.xml")
	s := m.Images[0].Series
	t.Logf("%dx%d z%d c%d t%d %s", s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT, s.DimensionOrder)
	if s.SizeZ < 2 || s.SizeC < 2 || s.SizeT < 2 {
		t.Errorf("expected a 5-D image")
	}
}

func TestHostileXML(t *testing.T) {
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<OME><Image ID="Image:0" Name="&lol9;"><Pixels SizeX="1" SizeY="1" SizeZ="1" SizeC="1" SizeT="1" Type="uint8" DimensionOrder="XYZCT"/></Image></OME>`
	external := `<?xml version="1.0"?>
<!DOCTYPE OME [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<OME><Image ID="Image:0" Name="&xxe;"><Pixels SizeX="1" SizeY="1" SizeZ="1" SizeC="1" SizeT="1" Type="uint8"/></Image></OME>`
	for name, doc := range map[string]string{"billion laughs": laughs, "external entity": external} {
		m, err := ParseXML([]byte(doc))
		if err == nil {
			if strings.Contains(m.Images[0].Series.Name, "root:") || len(m.Images[0].Series.Name) > 100 {
				t.Errorf("%s: entity was expanded: %q", name, m.Images[0].Series.Name[:50])
			}
		}
	}
	bad := map[string]string{
		"negative size": `<OME><Image><Pixels SizeX="-5" SizeY="1" SizeZ="1" SizeC="1" SizeT="1" Type="uint8"/></Image></OME>`,
		"absurd planes": `<OME><Image><Pixels SizeX="5" SizeY="1" SizeZ="100000" SizeC="100000" SizeT="100000" Type="uint8"/></Image></OME>`,
		"zero size":     `<OME><Image><Pixels SizeX="0" SizeY="1" SizeZ="1" SizeC="1" SizeT="1" Type="uint8"/></Image></OME>`,
		"bad type":      `<OME><Image><Pixels SizeX="5" SizeY="1" SizeZ="1" SizeC="1" SizeT="1" Type="bit"/></Image></OME>`,
		"huge size":     `<OME><Image><Pixels SizeX="99999999999" SizeY="1" SizeZ="1" SizeC="1" SizeT="1" Type="uint8"/></Image></OME>`,
		"wrong root":    `<html/>`,
		"not xml":       `\x00\x01garbage`,
	}
	for name, doc := range bad {
		if _, err := ParseXML([]byte(doc)); err == nil {
			t.Errorf("%s: expected an error", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	big := make([]byte, MaxXMLBytes+1)
	if _, err := ParseXML(big); err == nil {
		t.Error("oversized document accepted")
	}
}

func TestNamespaceAgnostic(t *testing.T) {
	doc := `<ome:OME xmlns:ome="http://www.openmicroscopy.org/Schemas/OME/2015-01"><ome:Image ID="Image:0" Name="x"><ome:Pixels SizeX="3" SizeY="2" SizeZ="1" SizeC="1" SizeT="1" Type="uint16" PhysicalSizeX="500" PhysicalSizeXUnit="nm"><ome:Channel Name="DAPI" Color="-1"/></ome:Pixels></ome:Image></ome:OME>`
	m, err := ParseXML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	s := m.Images[0].Series
	if s.SizeX != 3 || !near(s.PhysicalSizeX, 0.5) || s.Channels[0].Name != "DAPI" || s.Channels[0].Color != [4]uint8{255, 255, 255, 255} {
		t.Fatalf("%+v", s)
	}
}

func TestPlaneIndex(t *testing.T) {
	for _, order := range []string{"XYZCT", "XYZTC", "XYCZT", "XYCTZ", "XYTZC", "XYTCZ"} {
		seen := map[int]bool{}
		for z := 0; z < 2; z++ {
			for c := 0; c < 3; c++ {
				for tt := 0; tt < 4; tt++ {
					i := PlaneIndex(order, 2, 3, 4, z, c, tt)
					if seen[i] || i < 0 || i >= 24 {
						t.Fatalf("%s: index %d repeated or out of range", order, i)
					}
					seen[i] = true
					if z2, c2, t2 := PlaneZCT(order, 2, 3, 4, i); z2 != z || c2 != c || t2 != tt {
						t.Fatalf("%s: inverse mismatch", order)
					}
				}
			}
		}
	}
	if PlaneIndex("XYCZT", 5, 3, 1, 1, 2, 0) != 5 {
		t.Fatal("XYCZT: z=1 c=2 should be plane 5")
	}
}

func FuzzParseOMEXML(f *testing.F) {
	f.Add([]byte(`<OME><Image ID="Image:0"><Pixels SizeX="3" SizeY="2" SizeZ="1" SizeC="2" SizeT="1" Type="uint16" DimensionOrder="XYCZT"><Channel SamplesPerPixel="2" Color="-1"/><TiffData IFD="0" PlaneCount="1"><UUID FileName="a.tif">urn:uuid:x</UUID></TiffData><Plane TheZ="0" TheC="1" TheT="0" DeltaT="1" DeltaTUnit="ms"/></Pixels></Image><Plate Rows="2" Columns="2"><Well Row="1" Column="1"><WellSample Index="0"><ImageRef ID="Image:0"/></WellSample></Well></Plate><StructuredAnnotations><MapAnnotation ID="a"><Value><M K="k">v</M></Value></MapAnnotation></StructuredAnnotations></OME>`))
	f.Add([]byte(`<OME><BinaryOnly MetadataFile="x.companion.ome" UUID="u"/></OME>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseXML(b)
		if err != nil {
			return
		}
		for _, im := range m.Images {
			s := im.Series
			if s.SizeX <= 0 || s.SizeY <= 0 || len(s.Channels) != s.SizeC {
				t.Fatalf("accepted inconsistent series %+v", s)
			}
			_ = im.PlaneCount()
		}
	})
}
