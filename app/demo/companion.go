package demo

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/core/formats/ome"
)

// companionName is the plate's metadata file. ome.WriteTIFF writes one
// image per file, so the plate is a multi-file OME-TIFF set as OME defines
// it: one TIFF per field and a companion OME-XML file that describes the
// plate and every image, pointing to the TIFFs by file name and UUID. The
// companion comes first in the fileset, so a reader opened on the fileset
// sees the twelve fields as series 0 to 11, in registration order.
const companionName = "training-plate.companion.ome"

// The OME-XML elements the companion needs, for encoding/xml.
type (
	xOME struct {
		XMLName xml.Name `xml:"OME"`
		Xmlns   string   `xml:"xmlns,attr"`
		UUID    string   `xml:"UUID,attr"`
		Creator string   `xml:"Creator,attr"`
		Plate   xPlate   `xml:"Plate"`
		Images  []xImage `xml:"Image"`
	}
	xPlate struct {
		ID        string  `xml:"ID,attr"`
		Name      string  `xml:"Name,attr"`
		Rows      int     `xml:"Rows,attr"`
		Columns   int     `xml:"Columns,attr"`
		RowNaming string  `xml:"RowNamingConvention,attr"`
		ColNaming string  `xml:"ColumnNamingConvention,attr"`
		Wells     []xWell `xml:"Well"`
		Runs      []xRun  `xml:"PlateAcquisition"`
	}
	xWell struct {
		ID      string    `xml:"ID,attr"`
		Row     int       `xml:"Row,attr"`
		Column  int       `xml:"Column,attr"`
		Samples []xSample `xml:"WellSample"`
	}
	xSample struct {
		ID        string  `xml:"ID,attr"`
		Index     int     `xml:"Index,attr"`
		PositionX float64 `xml:"PositionX,attr"`
		PositionY float64 `xml:"PositionY,attr"`
		XUnit     string  `xml:"PositionXUnit,attr"`
		YUnit     string  `xml:"PositionYUnit,attr"`
		ImageRef  xRef    `xml:"ImageRef"`
	}
	xRun struct {
		ID        string `xml:"ID,attr"`
		Name      string `xml:"Name,attr"`
		StartTime string `xml:"StartTime,attr"`
		EndTime   string `xml:"EndTime,attr"`
		Samples   []xRef `xml:"WellSampleRef"`
	}
	xRef struct {
		ID string `xml:"ID,attr"`
	}
	xImage struct {
		ID              string  `xml:"ID,attr"`
		Name            string  `xml:"Name,attr"`
		AcquisitionDate string  `xml:"AcquisitionDate"`
		Pixels          xPixels `xml:"Pixels"`
	}
	xPixels struct {
		ID             string     `xml:"ID,attr"`
		DimensionOrder string     `xml:"DimensionOrder,attr"`
		Type           string     `xml:"Type,attr"`
		SizeX          int        `xml:"SizeX,attr"`
		SizeY          int        `xml:"SizeY,attr"`
		SizeZ          int        `xml:"SizeZ,attr"`
		SizeC          int        `xml:"SizeC,attr"`
		SizeT          int        `xml:"SizeT,attr"`
		PhysicalSizeX  float64    `xml:"PhysicalSizeX,attr"`
		PhysicalSizeY  float64    `xml:"PhysicalSizeY,attr"`
		Channels       []xChannel `xml:"Channel"`
		TiffData       xTiffData  `xml:"TiffData"`
	}
	xChannel struct {
		ID         string  `xml:"ID,attr"`
		Name       string  `xml:"Name,attr"`
		Samples    int     `xml:"SamplesPerPixel,attr"`
		Color      int32   `xml:"Color,attr"`
		Excitation float64 `xml:"ExcitationWavelength,attr"`
		Emission   float64 `xml:"EmissionWavelength,attr"`
	}
	xTiffData struct {
		IFD        int   `xml:"IFD,attr"`
		PlaneCount int   `xml:"PlaneCount,attr"`
		UUID       xUUID `xml:"UUID"`
	}
	xUUID struct {
		FileName string `xml:"FileName,attr"`
		Value    string `xml:",chardata"`
	}
)

// writeCompanion writes the plate's companion file next to its field TIFFs
// (already written in dir) and returns it as a set file.
func writeCompanion(dir string, fs filesetSpec, run time.Time) (masterFile, error) {
	plate, _ := plateLayout(fs, run)
	doc := xOME{Xmlns: "http://www.openmicroscopy.org/Schemas/OME/2016-06", UUID: "urn:uuid:" + uuidLike(),
		Creator: "Ocular training demo",
		Plate: xPlate{ID: "Plate:0", Name: plate.Name, Rows: plate.Rows, Columns: plate.Columns,
			RowNaming: plate.RowNaming, ColNaming: plate.ColNaming}}
	a := plate.Acquisitions[0]
	runEl := xRun{ID: "PlateAcquisition:0", Name: a.Name, StartTime: a.StartTime.UTC().Format("2006-01-02T15:04:05"),
		EndTime: a.EndTime.UTC().Format("2006-01-02T15:04:05")}
	wellIdx := map[[2]int]int{}
	for i, im := range fs.images {
		uuid, err := fileUUID(filepath.Join(dir, im.file))
		if err != nil {
			return masterFile{}, err
		}
		k := [2]int{im.well.Row, im.well.Column}
		wi, ok := wellIdx[k]
		if !ok {
			wi = len(doc.Plate.Wells)
			wellIdx[k] = wi
			doc.Plate.Wells = append(doc.Plate.Wells, xWell{ID: fmt.Sprintf("Well:%d", wi), Row: k[0], Column: k[1]})
		}
		sid := fmt.Sprintf("WellSample:%d", i)
		doc.Plate.Wells[wi].Samples = append(doc.Plate.Wells[wi].Samples, xSample{ID: sid, Index: i,
			PositionX: im.well.PositionX, PositionY: im.well.PositionY, XUnit: "µm", YUnit: "µm",
			ImageRef: xRef{ID: "Image:" + strconv.Itoa(i)}})
		runEl.Samples = append(runEl.Samples, xRef{ID: sid})

		se := im.series(acquired)
		px := xPixels{ID: "Pixels:" + strconv.Itoa(i), DimensionOrder: se.DimensionOrder, Type: se.PixelType.String(),
			SizeX: se.SizeX, SizeY: se.SizeY, SizeZ: se.SizeZ, SizeC: se.SizeC, SizeT: se.SizeT,
			PhysicalSizeX: se.PhysicalSizeX, PhysicalSizeY: se.PhysicalSizeY,
			TiffData: xTiffData{IFD: 0, PlaneCount: se.SizeZ * se.SizeC * se.SizeT, UUID: xUUID{FileName: im.file, Value: uuid}}}
		for c, ch := range se.Channels {
			px.Channels = append(px.Channels, xChannel{ID: fmt.Sprintf("Channel:%d:%d", i, c), Name: ch.Name, Samples: 1,
				Color: colorInt(ch.Color), Excitation: ch.ExcitationWavelength, Emission: ch.EmissionWavelength})
		}
		doc.Images = append(doc.Images, xImage{ID: "Image:" + strconv.Itoa(i), Name: se.Name,
			AcquisitionDate: se.AcquiredAt.UTC().Format("2006-01-02T15:04:05"), Pixels: px})
	}
	doc.Plate.Runs = []xRun{runEl}
	out, err := xml.MarshalIndent(doc, "", " ")
	if err != nil {
		return masterFile{}, err
	}
	p := filepath.Join(dir, companionName)
	if err := os.WriteFile(p, append([]byte(xml.Header), out...), diskmode.File()); err != nil {
		return masterFile{}, err
	}
	return hashFile(p)
}

// fileUUID reads the UUID a TIFF of the set was written with.
func fileUUID(path string) (string, error) {
	r, err := ome.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading back %s: %w", filepath.Base(path), err)
	}
	defer r.Close()
	return r.Metadata().UUID, nil
}

// colorInt is OME's signed 32-bit RGBA colour.
func colorInt(c [4]uint8) int32 {
	return int32(uint32(c[0])<<24 | uint32(c[1])<<16 | uint32(c[2])<<8 | uint32(c[3]))
}

func uuidLike() string {
	h := randomHex() + randomHex() + randomHex()
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}
