package demo

import (
	"fmt"
	"time"

	"github.com/ocular-lab/ocular/app/demo/synth"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// The names every user's copy of the training data carries.
const (
	ProjectName = "Training project"
	ScreenName  = "Training screen"
	PlateName   = "Training plate"
	RunName     = "Run 1"
)

// Channels are named by emission wavelength, as a microscope writes them, so
// that renaming them (DAPI, GFP, Aurora-B, CY-6) can be practised.
var channels = []struct {
	name       string
	excitation float64
	emission   float64
	color      [4]uint8
	stain      synth.Stain
}{
	{"457", 405, 457, [4]uint8{0, 0, 255, 255}, synth.Nuclei},
	{"528", 488, 528, [4]uint8{0, 255, 0, 255}, synth.Cytoplasm},
	{"617", 561, 617, [4]uint8{255, 0, 0, 255}, synth.Spots},
	{"685", 640, 685, [4]uint8{255, 0, 255, 255}, synth.Outline},
}

// imageSpec is one image of the training set, written as one OME-TIFF file.
type imageSpec struct {
	file       string // file name in the managed repository; also the image name
	name       string // image name when it differs from the file name (plate fields)
	x, y, z, t int
	c          int // the first c of channels
	seed       uint64
	well       *formats.WellSampleRef
}

func (s imageSpec) imageName() string {
	if s.name != "" {
		return s.name
	}
	return s.file
}

// filesetSpec is one import: one or more files registered together.
type filesetSpec struct {
	dataset string // the dataset the images go into; "" for an orphan
	images  []imageSpec
	plate   bool // the images are the fields of the training plate
}

// datasets lists the datasets of the training project, in order.
var datasets = []struct{ name, description string }{
	{"Mitosis", "Z-stacks of dividing cells: find the metaphase plates in channel 617."},
	{"Time-lapse", "Cells imaged every 5 minutes; some divide."},
	{"Overview", "Single planes of larger fields."},
}

// Plate layout: 2 rows × 3 columns, two fields per well, one run.
const (
	plateRows, plateCols, plateFields = 2, 3, 2
	pixelSizeUM, zStepUM, timeStepS   = 0.4, 0.5, 300
)

// catalog is the training set. Sizes are chosen to look like real
// acquisitions while keeping one set near 20 MB on disk.
func catalog() []filesetSpec {
	fs := []filesetSpec{
		{dataset: "Mitosis", images: []imageSpec{{file: "mitosis-1.ome.tiff", x: 256, y: 256, z: 8, t: 1, c: 4, seed: 101}}},
		{dataset: "Mitosis", images: []imageSpec{{file: "mitosis-2.ome.tiff", x: 256, y: 256, z: 10, t: 1, c: 4, seed: 102}}},
		{dataset: "Time-lapse", images: []imageSpec{{file: "timelapse-1.ome.tiff", x: 256, y: 256, z: 1, t: 5, c: 3, seed: 201}}},
		{dataset: "Time-lapse", images: []imageSpec{{file: "timelapse-2.ome.tiff", x: 256, y: 256, z: 4, t: 3, c: 3, seed: 202}}},
		{dataset: "Overview", images: []imageSpec{{file: "overview-1.ome.tiff", x: 512, y: 512, z: 1, t: 1, c: 4, seed: 301}}},
		{dataset: "Overview", images: []imageSpec{{file: "overview-2.ome.tiff", x: 512, y: 512, z: 1, t: 1, c: 4, seed: 302}}},
		{dataset: "Overview", images: []imageSpec{{file: "overview-3.ome.tiff", x: 512, y: 512, z: 1, t: 1, c: 2, seed: 303}}},
		{images: []imageSpec{{file: "unsorted-cells.ome.tiff", x: 512, y: 512, z: 1, t: 1, c: 3, seed: 401}}},
	}
	plate := filesetSpec{plate: true}
	for r := 0; r < plateRows; r++ {
		for c := 0; c < plateCols; c++ {
			for f := 0; f < plateFields; f++ {
				well := core.WellName(r, c)
				plate.images = append(plate.images, imageSpec{
					file: fmt.Sprintf("plate-%s-field%d.ome.tiff", well, f+1),
					name: fmt.Sprintf("%s, Field %d", well, f+1),
					x:    256, y: 256, z: 1, t: 1, c: 3, seed: uint64(500 + 10*r*plateCols + 10*c + f),
					well: &formats.WellSampleRef{Row: r, Column: c, Field: f, Acquisition: 0,
						PositionX: float64(f) * 256 * pixelSizeUM, PositionY: 0},
				})
			}
		}
	}
	return append(fs, plate)
}

// series is the OME metadata written into the file and registered.
func (s imageSpec) series(acquired time.Time) formats.Series {
	se := formats.Series{Name: s.imageName(), SizeX: s.x, SizeY: s.y, SizeZ: s.z, SizeC: s.c, SizeT: s.t,
		PixelType: pixel.Uint16, DimensionOrder: "XYCZT", PhysicalSizeX: pixelSizeUM, PhysicalSizeY: pixelSizeUM,
		AcquiredAt: acquired, Well: s.well}
	if s.z > 1 {
		se.PhysicalSizeZ = zStepUM
	}
	if s.t > 1 {
		se.TimeIncrement = timeStepS
	}
	for _, ch := range channels[:s.c] {
		se.Channels = append(se.Channels, formats.Channel{Name: ch.name, Color: ch.color, HasColor: true,
			ExcitationWavelength: ch.excitation, EmissionWavelength: ch.emission, AcquisitionMode: "WideField"})
	}
	return se
}

// synthSpec is the recipe for the pixels.
func (s imageSpec) synthSpec() synth.Spec {
	sp := synth.Spec{Seed: s.seed, SizeX: s.x, SizeY: s.y, SizeZ: s.z, SizeT: s.t, Type: pixel.Uint16}
	for _, ch := range channels[:s.c] {
		sp.Stains = append(sp.Stains, ch.stain)
	}
	return sp
}

// newImage is what RegisterFileset stores for the image.
func newImage(se formats.Series) core.NewImage {
	im := core.NewImage{Name: se.Name, AcquisitionDate: se.AcquiredAt,
		Pixels: core.PixelsInfo{SizeX: se.SizeX, SizeY: se.SizeY, SizeZ: se.SizeZ, SizeC: se.SizeC, SizeT: se.SizeT,
			PixelType: se.PixelType.String(), DimensionOrder: se.DimensionOrder, PhysicalSizeX: se.PhysicalSizeX,
			PhysicalSizeY: se.PhysicalSizeY, PhysicalSizeZ: se.PhysicalSizeZ, TimeIncrement: se.TimeIncrement, Levels: 1}}
	for i, ch := range se.Channels {
		im.Channels = append(im.Channels, core.ChannelInfo{Index: i, Name: ch.Name, Color: ch.Color, HasColor: ch.HasColor,
			ExcitationWavelength: ch.ExcitationWavelength, EmissionWavelength: ch.EmissionWavelength})
	}
	return im
}

// plateLayout is the plate written into the field files and registered.
func plateLayout(fs filesetSpec, run time.Time) (*formats.Plate, *core.NewPlate) {
	fp := &formats.Plate{Name: PlateName, Rows: plateRows, Columns: plateCols, RowNaming: "letter", ColNaming: "number",
		Acquisitions: []formats.PlateAcquisition{{Name: RunName, StartTime: run, EndTime: run.Add(20 * time.Minute)}}}
	np := &core.NewPlate{Name: PlateName, Rows: plateRows, Columns: plateCols, RowNamingConvention: "letter",
		ColNamingConvention: "number", Runs: []string{RunName}}
	for i, im := range fs.images {
		if im.well.Field == 0 {
			fp.Wells = append(fp.Wells, formats.Well{Row: im.well.Row, Column: im.well.Column})
		}
		np.Fields = append(np.Fields, core.NewField{Row: im.well.Row, Column: im.well.Column, Image: i, Run: 0,
			PositionX: im.well.PositionX, PositionY: im.well.PositionY})
	}
	return fp, np
}
