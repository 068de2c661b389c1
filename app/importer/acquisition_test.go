package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// instrumentXML is the OME-XML of a one-plane image with an instrument and
// per-channel detector and light-source settings, as a confocal writes it.
const instrumentXML = `<?xml version="1.0" encoding="UTF-8"?>
<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">
<Instrument ID="Instrument:0">
  <Microscope Type="Inverted" Manufacturer="Zeiss"/>
  <Laser ID="LightSource:0" Wavelength="488" LaserMedium="Ar"/>
  <Detector ID="Detector:0" Type="PMT" Model="H7422"/>
  <Objective ID="Objective:0" NominalMagnification="63" LensNA="1.4" Immersion="Oil"/>
</Instrument>
<Image ID="Image:0" Name="confocal">
  <InstrumentRef ID="Instrument:0"/>
  <ObjectiveSettings ID="Objective:0"/>
  <Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="8" SizeY="8" SizeZ="1" SizeC="1" SizeT="1">
    <Channel ID="Channel:0:0" Name="GFP" SamplesPerPixel="1" PinholeSize="1.2">
      <LightSourceSettings ID="LightSource:0" Attenuation="0.9"/>
      <DetectorSettings ID="Detector:0" Gain="700" Offset="2"/>
    </Channel>
    <TiffData IFD="0" PlaneCount="1"/>
  </Pixels>
</Image>
</OME>`

func TestImportKeepsPerChannelAcquisitionSettings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "confocal.ome.tiff")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tiff.NewWriter(out, tiff.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := pixel.NewPlane(pixel.Uint16, 8, 8)
	if err := w.WriteIFD(p, instrumentXML, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	sum, err := importer.Run(ctx, f.config(), []string{path}, importer.Options{}, nil)
	if err != nil || len(sum.Results) != 1 {
		t.Fatalf("import: %v %+v", err, sum)
	}
	img, err := f.sess.Get(ctx, sum.Results[0].Images[0])
	if err != nil {
		t.Fatal(err)
	}
	_, chs, err := f.sess.ImageDetails(ctx, img.Ref)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]string{}
	for _, s := range browse.Acquisition(img, chs) {
		got[s.Title] = map[string]string{}
		for _, fl := range s.Fields {
			got[s.Title][fl.Label] = fl.Value
		}
	}
	for sec, kv := range map[string][2]string{
		"Objective":      {"Lens NA", "1.4"},
		"Microscope":     {"Manufacturer", "Zeiss"},
		"Channel 1: GFP": {"Detector gain", "700"},
	} {
		if got[sec][kv[0]] != kv[1] {
			t.Errorf("%s: %s = %q, want %q (sections %v)", sec, kv[0], got[sec][kv[0]], kv[1], got)
		}
	}
	if got["Channel 1: GFP"]["Pinhole size"] == "" || got["Channel 1: GFP"]["Light source attenuation"] != "0.9" {
		t.Errorf("channel settings %v", got["Channel 1: GFP"])
	}
}
