package ome

import "encoding/xml"

// The structs below mirror the parts of the OME 2016-06 schema that Ocular
// shows or needs to locate pixels. Tags carry no namespace, so encoding/xml
// matches on local names and documents from older or newer schema versions
// (or with prefixed elements) parse the same way.

type xOME struct {
	XMLName     xml.Name      `xml:"OME"`
	UUID        string        `xml:"UUID,attr"`
	Creator     string        `xml:"Creator,attr"`
	Instruments []xInstrument `xml:"Instrument"`
	Images      []xImage      `xml:"Image"`
	Plates      []xPlate      `xml:"Plate"`
	Screens     []xScreen     `xml:"Screen"`
	Annotations *xAnnotations `xml:"StructuredAnnotations"`
	BinaryOnly  *xBinaryOnly  `xml:"BinaryOnly"`
}

type xBinaryOnly struct {
	MetadataFile string `xml:"MetadataFile,attr"`
	UUID         string `xml:"UUID,attr"`
}

type xRef struct {
	ID string `xml:"ID,attr"`
}

type xInstrument struct {
	ID         string       `xml:"ID,attr"`
	Microscope *xMicroscope `xml:"Microscope"`
	Lasers     []xLight     `xml:"Laser"`
	Arcs       []xLight     `xml:"Arc"`
	Filaments  []xLight     `xml:"Filament"`
	LEDs       []xLight     `xml:"LightEmittingDiode"`
	GenericLS  []xLight     `xml:"GenericExcitationSource"`
	Detectors  []xDetector  `xml:"Detector"`
	Objectives []xObjective `xml:"Objective"`
	Filters    []xFilter    `xml:"Filter"`
	Dichroics  []xManufSpec `xml:"Dichroic"`
	FilterSets []xManufSpec `xml:"FilterSet"`
}

type xManufSpec struct {
	ID           string `xml:"ID,attr"`
	Manufacturer string `xml:"Manufacturer,attr"`
	Model        string `xml:"Model,attr"`
	SerialNumber string `xml:"SerialNumber,attr"`
	LotNumber    string `xml:"LotNumber,attr"`
}

type xMicroscope struct {
	xManufSpec
	Type string `xml:"Type,attr"`
}

type xLight struct {
	xManufSpec
	XMLName            xml.Name
	Power              string `xml:"Power,attr"`
	PowerUnit          string `xml:"PowerUnit,attr"`
	Type               string `xml:"Type,attr"`
	LaserMedium        string `xml:"LaserMedium,attr"`
	Wavelength         string `xml:"Wavelength,attr"`
	WavelengthUnit     string `xml:"WavelengthUnit,attr"`
	RepetitionRate     string `xml:"RepetitionRate,attr"`
	RepetitionRateUnit string `xml:"RepetitionRateUnit,attr"`
}

type xDetector struct {
	xManufSpec
	Type        string `xml:"Type,attr"`
	Gain        string `xml:"Gain,attr"`
	Offset      string `xml:"Offset,attr"`
	Zoom        string `xml:"Zoom,attr"`
	Voltage     string `xml:"Voltage,attr"`
	VoltageUnit string `xml:"VoltageUnit,attr"`
	AmplGain    string `xml:"AmplificationGain,attr"`
}

type xObjective struct {
	xManufSpec
	Correction              string `xml:"Correction,attr"`
	Immersion               string `xml:"Immersion,attr"`
	LensNA                  string `xml:"LensNA,attr"`
	NominalMagnification    string `xml:"NominalMagnification,attr"`
	CalibratedMagnification string `xml:"CalibratedMagnification,attr"`
	WorkingDistance         string `xml:"WorkingDistance,attr"`
	WorkingDistanceUnit     string `xml:"WorkingDistanceUnit,attr"`
	Iris                    string `xml:"Iris,attr"`
}

type xFilter struct {
	xManufSpec
	Type         string `xml:"Type,attr"`
	FilterWheel  string `xml:"FilterWheel,attr"`
	Transmission *struct {
		CutIn         string `xml:"CutIn,attr"`
		CutInUnit     string `xml:"CutInUnit,attr"`
		CutOut        string `xml:"CutOut,attr"`
		CutOutUnit    string `xml:"CutOutUnit,attr"`
		Transmittance string `xml:"Transmittance,attr"`
	} `xml:"TransmittanceRange"`
}

type xImage struct {
	ID                string             `xml:"ID,attr"`
	Name              string             `xml:"Name,attr"`
	AcquisitionDate   string             `xml:"AcquisitionDate"`
	Description       string             `xml:"Description"`
	InstrumentRef     *xRef              `xml:"InstrumentRef"`
	ObjectiveSettings *xObjectiveSetting `xml:"ObjectiveSettings"`
	Pixels            *xPixels           `xml:"Pixels"`
	AnnotationRefs    []xRef             `xml:"AnnotationRef"`
}

type xObjectiveSetting struct {
	ID               string `xml:"ID,attr"`
	CorrectionCollar string `xml:"CorrectionCollar,attr"`
	Medium           string `xml:"Medium,attr"`
	RefractiveIndex  string `xml:"RefractiveIndex,attr"`
}

type xPixels struct {
	ID                string      `xml:"ID,attr"`
	DimensionOrder    string      `xml:"DimensionOrder,attr"`
	Type              string      `xml:"Type,attr"`
	BigEndian         string      `xml:"BigEndian,attr"`
	Interleaved       string      `xml:"Interleaved,attr"`
	SignificantBits   string      `xml:"SignificantBits,attr"`
	SizeX             string      `xml:"SizeX,attr"`
	SizeY             string      `xml:"SizeY,attr"`
	SizeZ             string      `xml:"SizeZ,attr"`
	SizeC             string      `xml:"SizeC,attr"`
	SizeT             string      `xml:"SizeT,attr"`
	PhysicalSizeX     string      `xml:"PhysicalSizeX,attr"`
	PhysicalSizeXUnit string      `xml:"PhysicalSizeXUnit,attr"`
	PhysicalSizeY     string      `xml:"PhysicalSizeY,attr"`
	PhysicalSizeYUnit string      `xml:"PhysicalSizeYUnit,attr"`
	PhysicalSizeZ     string      `xml:"PhysicalSizeZ,attr"`
	PhysicalSizeZUnit string      `xml:"PhysicalSizeZUnit,attr"`
	TimeIncrement     string      `xml:"TimeIncrement,attr"`
	TimeIncrementUnit string      `xml:"TimeIncrementUnit,attr"`
	Channels          []xChannel  `xml:"Channel"`
	TiffData          []xTiffData `xml:"TiffData"`
	Planes            []xPlane    `xml:"Plane"`
	BinData           []struct{}  `xml:"BinData"`
}

type xChannel struct {
	ID                       string               `xml:"ID,attr"`
	Name                     string               `xml:"Name,attr"`
	SamplesPerPixel          string               `xml:"SamplesPerPixel,attr"`
	Color                    string               `xml:"Color,attr"`
	Fluor                    string               `xml:"Fluor,attr"`
	ContrastMethod           string               `xml:"ContrastMethod,attr"`
	IlluminationType         string               `xml:"IlluminationType,attr"`
	AcquisitionMode          string               `xml:"AcquisitionMode,attr"`
	ExcitationWavelength     string               `xml:"ExcitationWavelength,attr"`
	ExcitationWavelengthUnit string               `xml:"ExcitationWavelengthUnit,attr"`
	EmissionWavelength       string               `xml:"EmissionWavelength,attr"`
	EmissionWavelengthUnit   string               `xml:"EmissionWavelengthUnit,attr"`
	PinholeSize              string               `xml:"PinholeSize,attr"`
	PinholeSizeUnit          string               `xml:"PinholeSizeUnit,attr"`
	NDFilter                 string               `xml:"NDFilter,attr"`
	PockelCellSetting        string               `xml:"PockelCellSetting,attr"`
	DetectorSettings         *xDetectorSettings   `xml:"DetectorSettings"`
	LightSourceSettings      *xLightSourceSetting `xml:"LightSourceSettings"`
}

type xDetectorSettings struct {
	ID              string `xml:"ID,attr"`
	Binning         string `xml:"Binning,attr"`
	Gain            string `xml:"Gain,attr"`
	Offset          string `xml:"Offset,attr"`
	ReadOutRate     string `xml:"ReadOutRate,attr"`
	ReadOutRateUnit string `xml:"ReadOutRateUnit,attr"`
	Voltage         string `xml:"Voltage,attr"`
	VoltageUnit     string `xml:"VoltageUnit,attr"`
	Zoom            string `xml:"Zoom,attr"`
	Integration     string `xml:"Integration,attr"`
}

type xLightSourceSetting struct {
	ID             string `xml:"ID,attr"`
	Attenuation    string `xml:"Attenuation,attr"`
	Wavelength     string `xml:"Wavelength,attr"`
	WavelengthUnit string `xml:"WavelengthUnit,attr"`
}

type xTiffData struct {
	IFD        string `xml:"IFD,attr"`
	PlaneCount string `xml:"PlaneCount,attr"`
	FirstZ     string `xml:"FirstZ,attr"`
	FirstC     string `xml:"FirstC,attr"`
	FirstT     string `xml:"FirstT,attr"`
	UUID       *struct {
		FileName string `xml:"FileName,attr"`
		Value    string `xml:",chardata"`
	} `xml:"UUID"`
}

type xPlane struct {
	TheZ             string `xml:"TheZ,attr"`
	TheC             string `xml:"TheC,attr"`
	TheT             string `xml:"TheT,attr"`
	DeltaT           string `xml:"DeltaT,attr"`
	DeltaTUnit       string `xml:"DeltaTUnit,attr"`
	ExposureTime     string `xml:"ExposureTime,attr"`
	ExposureTimeUnit string `xml:"ExposureTimeUnit,attr"`
	PositionX        string `xml:"PositionX,attr"`
	PositionXUnit    string `xml:"PositionXUnit,attr"`
	PositionY        string `xml:"PositionY,attr"`
	PositionYUnit    string `xml:"PositionYUnit,attr"`
	PositionZ        string `xml:"PositionZ,attr"`
	PositionZUnit    string `xml:"PositionZUnit,attr"`
}

type xScreen struct {
	ID        string `xml:"ID,attr"`
	Name      string `xml:"Name,attr"`
	PlateRefs []xRef `xml:"PlateRef"`
}

type xPlate struct {
	ID                     string              `xml:"ID,attr"`
	Name                   string              `xml:"Name,attr"`
	Rows                   string              `xml:"Rows,attr"`
	Columns                string              `xml:"Columns,attr"`
	RowNamingConvention    string              `xml:"RowNamingConvention,attr"`
	ColumnNamingConvention string              `xml:"ColumnNamingConvention,attr"`
	Wells                  []xWell             `xml:"Well"`
	Acquisitions           []xPlateAcquisition `xml:"PlateAcquisition"`
}

type xWell struct {
	ID      string        `xml:"ID,attr"`
	Row     string        `xml:"Row,attr"`
	Column  string        `xml:"Column,attr"`
	Samples []xWellSample `xml:"WellSample"`
}

type xWellSample struct {
	ID            string `xml:"ID,attr"`
	Index         string `xml:"Index,attr"`
	PositionX     string `xml:"PositionX,attr"`
	PositionXUnit string `xml:"PositionXUnit,attr"`
	PositionY     string `xml:"PositionY,attr"`
	PositionYUnit string `xml:"PositionYUnit,attr"`
	ImageRef      *xRef  `xml:"ImageRef"`
}

type xPlateAcquisition struct {
	ID             string `xml:"ID,attr"`
	Name           string `xml:"Name,attr"`
	StartTime      string `xml:"StartTime,attr"`
	EndTime        string `xml:"EndTime,attr"`
	WellSampleRefs []xRef `xml:"WellSampleRef"`
}

type xAnnotations struct {
	Maps     []xMapAnnotation   `xml:"MapAnnotation"`
	XMLs     []xXMLAnnotation   `xml:"XMLAnnotation"`
	Comments []xValueAnnotation `xml:"CommentAnnotation"`
	Tags     []xValueAnnotation `xml:"TagAnnotation"`
	Longs    []xValueAnnotation `xml:"LongAnnotation"`
	Doubles  []xValueAnnotation `xml:"DoubleAnnotation"`
	Booleans []xValueAnnotation `xml:"BooleanAnnotation"`
	Times    []xValueAnnotation `xml:"TimestampAnnotation"`
}

type xMapAnnotation struct {
	ID        string `xml:"ID,attr"`
	Namespace string `xml:"Namespace,attr"`
	Pairs     []struct {
		K     string `xml:"K,attr"`
		Value string `xml:",chardata"`
	} `xml:"Value>M"`
}

type xXMLAnnotation struct {
	ID        string `xml:"ID,attr"`
	Namespace string `xml:"Namespace,attr"`
	Value     struct {
		Inner    string `xml:",innerxml"`
		Original []struct {
			Key   string `xml:"Key"`
			Value string `xml:"Value"`
		} `xml:"OriginalMetadata"`
	} `xml:"Value"`
}

type xValueAnnotation struct {
	ID          string `xml:"ID,attr"`
	Namespace   string `xml:"Namespace,attr"`
	Description string `xml:"Description"`
	Value       string `xml:"Value"`
}
