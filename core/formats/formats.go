// Package formats declares what an image reader offers the rest of Ocular:
// the images (series) a file or file set holds, their metadata, and access to
// one plane or one region of one pyramid level at a time. Concrete readers
// live in subpackages (tiff, ome, imagej, zarr, stdimage); Open picks one.
//
// Readers never read a whole file to answer a plane request, and they bound
// every allocation by what the file's structure allows before making it.
package formats

import (
	"image"
	"time"

	"github.com/ocular-lab/ocular/core/pixel"
)

// Reader gives access to one file set (one import unit: a TIFF, an OME-TIFF
// with its companion files, a Zarr directory, a PNG...). Safe for concurrent
// ReadPlane/ReadRegion calls unless a reader says otherwise.
type Reader interface {
	// Format names the format, e.g. "OME-TIFF", "ImageJ TIFF", "TIFF", "OME-Zarr", "PNG", "JPEG".
	Format() string
	// Files lists every file of the set (absolute paths), the opened one first.
	Files() []string
	// Series lists the images the set holds, in file order.
	Series() []Series
	// Plate describes the HCS layout when the set is a plate, else nil.
	Plate() *Plate
	// ReadPlane reads plane (z, c, t) of pyramid level `level` of series s.
	ReadPlane(s, level, z, c, t int) (*pixel.Plane, error)
	// ReadRegion reads rectangle r (in that level's pixel coordinates) of a plane,
	// touching only the strips, tiles or chunks that intersect r.
	ReadRegion(s, level, z, c, t int, r image.Rectangle) (*pixel.Plane, error)
	Close() error
}

// RegionInto is implemented by readers that can decode a region into a
// plane the caller owns (of the series' pixel type and the region's size;
// its contents are replaced), so that the import's statistics pass reuses
// one buffer for every plane instead of allocating and clearing one each.
type RegionInto interface {
	ReadRegionInto(s, level, z, c, t int, r image.Rectangle, out *pixel.Plane) error
}

// PlaneSpan is implemented by readers that can tell where a plane's samples
// lie in one of their files exactly as ReadPlane returns them (uncompressed,
// rows one after the other, little-endian): bytes [off, off+n) of the file
// at path. The import, which holds a small file's bytes once it has copied
// and hashed them, takes a plane's statistics and thumbnail from there
// instead of reading the file a second time. ok is false when the plane is
// stored any other way.
type PlaneSpan interface {
	PlaneSpan(s, level, z, c, t int) (path string, off, n int64, ok bool)
}

// Series is one image: its dimensions and the metadata import stores.
type Series struct {
	Name           string
	Description    string
	SizeX, SizeY   int
	SizeZ, SizeC   int
	SizeT          int
	PixelType      pixel.Type
	DimensionOrder string // OME order such as "XYZCT"; informative, planes are addressed by (z,c,t)
	// Physical sizes in micrometres; zero means unknown.
	PhysicalSizeX, PhysicalSizeY, PhysicalSizeZ float64
	TimeIncrement                               float64 // seconds; zero means unknown
	Channels                                    []Channel
	// Levels lists the pyramid levels, level 0 being full resolution.
	// Every reader reports at least level 0.
	Levels []Level
	// Planes holds per-plane acquisition info where the file has it.
	Planes []PlaneInfo
	// Acquisition holds instrument and objective metadata where present.
	Acquisition *Acquisition
	// AcquiredAt is the acquisition date where known.
	AcquiredAt time.Time
	// Original holds the original metadata as key/value pairs (TIFF tags,
	// ImageJ and OME annotations), for display and download.
	Original []KeyValue
	// Well places the series in the plate of Reader.Plate (nil when not HCS).
	Well *WellSampleRef
}

// Channel is the metadata of one channel.
type Channel struct {
	Name string
	// Color is the import-time display colour; HasColor is false when the file gives none.
	Color    [4]uint8 // R, G, B, A
	HasColor bool
	// Wavelengths in nanometres; zero means unknown.
	ExcitationWavelength, EmissionWavelength float64
	Fluor                                    string
	ContrastMethod, IlluminationType         string
	AcquisitionMode                          string
	// LUT is an import-time lookup-table name where the file gives one (ImageJ LUTs).
	LUT string
	// Detector/LightSource settings (per channel) for the Acquisition view.
	Settings []KeyValue
}

// Level is one resolution level of a pyramid.
type Level struct {
	SizeX, SizeY int
	// TileWidth/TileHeight are the natural read unit (tile or chunk); zero for strips.
	TileWidth, TileHeight int
}

// PlaneInfo is the per-plane acquisition metadata.
type PlaneInfo struct {
	Z, C, T                         int
	DeltaT, ExposureTime            float64 // seconds; NaN-free, zero means unknown
	PositionX, PositionY, PositionZ float64
	HasDeltaT, HasExposure          bool
	HasPosition                     bool
}

// Acquisition is the instrument metadata shown in the Acquisition tab.
type Acquisition struct {
	Microscope  []KeyValue
	Objective   []KeyValue
	Detectors   [][]KeyValue
	LightSource [][]KeyValue
	Filters     [][]KeyValue
}

// KeyValue is one ordered metadata pair.
type KeyValue struct{ Key, Value string }

// Plate is an HCS plate layout.
type Plate struct {
	Name                 string
	Rows, Columns        int
	RowNaming, ColNaming string // "letter" or "number"
	Wells                []Well
	Acquisitions         []PlateAcquisition
}

// Well is one well of a plate; its fields are the series whose Well points here.
type Well struct {
	Row, Column int
}

// PlateAcquisition is a run.
type PlateAcquisition struct {
	Name      string
	StartTime time.Time
	EndTime   time.Time
}

// WellSampleRef places a series (a field) in a well.
type WellSampleRef struct {
	Row, Column int
	Field       int
	// Acquisition indexes Plate.Acquisitions, or -1.
	Acquisition int
	PositionX   float64
	PositionY   float64
}
