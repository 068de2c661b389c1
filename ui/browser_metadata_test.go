package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ocular-lab/ocular/app/browse"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// The General, Acquisition and Original metadata tabs of an image, filled
// with what import stores (written here straight into the repository, in
// the shape app/importer writes it).

func storeImported(t *testing.T, f *fixture, img core.Ref) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, f.dir)
	must(t, err)
	defer st.Close()
	must(t, st.Write(ctx, func(tx core.Tx) error {
		o, err := tx.Object(img.ID)
		if err != nil {
			return err
		}
		o.SetAttr("format", "OME-TIFF")
		o.SetAttr("acquisitionDate", "2024-05-06T07:08:09Z")
		o.SetAttr("acquisition", map[string]any{
			"microscope":   [][2]string{{"Type", "Inverted"}, {"Manufacturer", "Zeiss"}},
			"objective":    [][2]string{{"Nominal magnification", "63"}, {"Lens NA", "1.4"}, {"Immersion", "Oil"}},
			"detectors":    [][][2]string{{{"ID", "Detector:0"}, {"Type", "PMT"}}},
			"lightSources": [][][2]string{{{"ID", "LightSource:0"}, {"Kind", "Laser"}, {"Wavelength", "488 nm"}}},
			"filters":      [][][2]string{{{"ID", "Filter:0"}, {"Type", "BandPass"}}},
		})
		o.SetAttr("channelSettings", [][][2]string{{{"Detector", "PMT (Detector:0)"}, {"Detector gain", "700"}}, {}})
		o.SetAttr("originalMetadata", [][2]string{{"Scan speed", "7"}, {"Zoom", "2.5"}, {"Laser 488 power", "3 %"}})
		if err := tx.UpdateObject(o); err != nil {
			return err
		}
		if err := tx.SetPixels(core.PixelsInfo{Image: img.ID, SizeX: 64, SizeY: 48, SizeZ: 3, SizeC: 2, SizeT: 1,
			PixelType: "uint16", DimensionOrder: "XYZCT", PhysicalSizeX: 0.1, PhysicalSizeY: 0.1, PhysicalSizeZ: 0.3}); err != nil {
			return err
		}
		return tx.SetChannels(img.ID, []core.ChannelInfo{
			{Index: 0, Name: "GFP", ExcitationWavelength: 488, EmissionWavelength: 509, Fluor: "EGFP"},
			{Index: 1, Name: "DAPI", EmissionWavelength: 461}})
	}))
}

func TestImageTabsShowAcquisitionAndSearchableOriginalMetadata(t *testing.T) {
	f := newFixture(t)
	level := core.ReadAnnotate
	storeImported(t, f, f.oliveImage[level])
	u := annotateImage(t, f, "mike", level)
	if got := strings.Join(u.Browser.DetailsTabs(), ","); got != "General,Annotations,Acquisition,Original metadata" {
		t.Fatalf("an image's tabs: %s", got)
	}
	u.Browser.DetailsTab("General")
	texts := panelShows(u)
	for label, want := range map[string]string{"Pixel type": "uint16", "Format": "OME-TIFF", "Channels": "GFP, DAPI",
		"Pixel size": "0.1 × 0.1 × 0.3 µm", "Owner": "Olive Owner"} {
		if v, _ := after(texts, label); v != want {
			t.Errorf("General: %s = %q, want %q (%q)", label, v, want, texts)
		}
	}
	if v, _ := after(texts, "Acquired"); !strings.HasPrefix(v, "2024-05-0") {
		t.Errorf("acquisition date %q", v)
	}
	// Mike may not rename Olive's channels in read-annotate: the pencil
	// is there, disabled, with the reason.
	if !findButton(t, u.Browser.Details(), "Edit channel names…").Disabled() {
		t.Error("Mike may edit Olive's channel names in a read-annotate group")
	}
	if !contains(texts, "Only Olive Owner, the group's owner or an administrator may rename the channels of this image in a read-annotate group.") {
		t.Errorf("no reason beside the disabled pencil: %q", texts)
	}

	u.Browser.DetailsTab("Acquisition")
	texts = panelShows(u)
	for _, want := range []string{"Microscope", "Objective", "Light source", "Detector", "Filter", "Channel 1: GFP", "Channel 2: DAPI"} {
		if !contains(texts, want) {
			t.Errorf("Acquisition has no %q: %q", want, texts)
		}
	}
	for label, want := range map[string]string{"Lens NA": "1.4", "Immersion": "Oil", "Excitation": "488 nm", "Detector gain": "700", "Fluor": "EGFP"} {
		if v, _ := after(texts, label); v != want {
			t.Errorf("Acquisition: %s = %q, want %q", label, v, want)
		}
	}

	u.Browser.DetailsTab("Original metadata")
	search := firstEntry(t, u.Browser.Details())
	if !contains(panelShows(u), "3 entries") {
		t.Errorf("original metadata: %q", panelShows(u))
	}
	test.Type(search, "ZOOM")
	texts = panelShows(u)
	if !contains(texts, "1 entry of 3") || !contains(texts, "Zoom") || contains(texts, "Scan speed") {
		t.Errorf("searching “ZOOM” shows %q", texts)
	}
}

func TestOwnerRenamesChannelsForTheWholeDatasetAfterConfirming(t *testing.T) {
	f := newFixture(t)
	level := core.ReadWrite
	storeImported(t, f, f.oliveImage[level])
	other := otherImage(t, f, level)
	storeImported(t, f, other)
	u := annotateImage(t, f, "olive", level)
	u.Browser.DetailsTab("General")
	test.Tap(findButton(t, u.Browser.Details(), "Edit channel names…"))
	dlg := overlay(t, u)
	var boxes []*widget.Entry
	walkObjects(dlg, func(o fyne.CanvasObject) bool {
		if e, ok := o.(*widget.Entry); ok {
			boxes = append(boxes, e)
		}
		return true
	})
	if len(boxes) != 2 || boxes[0].Text != "GFP" {
		t.Fatalf("the channel boxes: %d", len(boxes))
	}
	boxes[0].SetText("Actin")
	test.Tap(findButton(t, dlg, "Apply to All"))
	confirm := overlay(t, u)
	if !contains(texts(confirm), "Update channel names for all images in the dataset “Olive dataset”?") {
		t.Fatalf("no confirmation: %q", texts(confirm))
	}
	test.Tap(findButton(t, confirm, "Yes"))
	s := f.login(t, "olive")
	for _, img := range []core.Ref{f.oliveImage[level], other} {
		_, chs, err := s.ImageDetails(context.Background(), img)
		must(t, err)
		if chs[0].Name != "Actin" || chs[1].Name != "DAPI" {
			t.Errorf("%s channels %q %q", img, chs[0].Name, chs[1].Name)
		}
	}
	// The panel shows the new name (no stale display).
	if v, _ := after(panelShows(u), "Channels"); v != "Actin, DAPI" {
		t.Errorf("the panel still shows channels %q", v)
	}
}

func TestMetadataDownloadWritesTheTextFile(t *testing.T) {
	f := newFixture(t)
	level := core.ReadAnnotate
	storeImported(t, f, f.oliveImage[level])
	v, err := f.login(t, "mike").Get(context.Background(), f.oliveImage[level])
	must(t, err)
	_, chs, err := f.login(t, "mike").ImageDetails(context.Background(), f.oliveImage[level])
	must(t, err)
	path := filepath.Join(t.TempDir(), "original_metadata.txt")
	out, err := os.Create(path)
	must(t, err)
	must(t, browse.WriteMetadata(out, v, chs))
	out.Close()
	b, _ := os.ReadFile(path)
	for _, want := range []string{"[Objective]\nNominal magnification = 63\n", "[Original metadata]\nScan speed = 7\nZoom = 2.5\n", "Detector gain = 700"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the file lacks %q:\n%s", want, b)
		}
	}
}
