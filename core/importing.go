package core

import (
	"context"
	"encoding/json"
	"io"
	"time"
)

// NewImage describes one image to register from an import.
type NewImage struct {
	Name            string
	Description     string
	AcquisitionDate time.Time
	Pixels          PixelsInfo // Image is filled in by the registration
	Channels        []ChannelInfo
	// Attrs holds extra image attributes (original metadata, acquisition
	// metadata) stored with the image.
	Attrs map[string]any
	// Rendering is the owner's import-time rendering settings (a
	// render.Settings as JSON, spec §5.4), stored as their RenderingDef; nil
	// for none.
	Rendering json.RawMessage
}

// NewPlate places the imported images in a plate.
type NewPlate struct {
	Name                                     string
	Rows, Columns                            int
	RowNamingConvention, ColNamingConvention string
	Runs                                     []string // PlateAcquisition names
	Fields                                   []NewField
}

// NewField is one well sample: the image at Images[Image] in well (Row, Column).
type NewField struct {
	Row, Column int
	Image       int // index into FilesetImport.Images
	Run         int // index into NewPlate.Runs, or -1
	PositionX   float64
	PositionY   float64
}

// FilesetImport is the registration of one import unit: its files, already
// placed in the managed repository, and the images read from them. It is
// applied in one transaction: all of it or nothing.
type FilesetImport struct {
	Files  []FilesetEntry
	Images []NewImage
	// Dataset links the images into an existing dataset (zero Ref: none).
	Dataset Ref
	// Screen links the plate into an existing screen (zero Ref: none).
	Screen Ref
	Plate  *NewPlate
	// Owner imports on behalf of another user (admins, or via Sudo); AnyID = the caller.
	Owner ID
}

// ImportResult names what a registration created.
type ImportResult struct {
	Fileset Ref   `json:"fileset"`
	Images  []Ref `json:"images"`
	Plate   Ref   `json:"plate,omitempty"`
	Wells   []Ref `json:"wells,omitempty"`
}

// Importer registers imported file sets. The file copying, reading and
// statistics happen in the app layer; this is the part that must be atomic
// and permission-checked where the data is.
type Importer interface {
	RegisterFileset(ctx context.Context, req FilesetImport) (ImportResult, error)
	// ManagedDir is the folder below which fileset files are stored for this
	// repository ("" for a remote repository, where the server stores them).
	ManagedDir() string
	// ImportedFiles lists the fileset entries, in filesets the caller can
	// see, that were imported from clientPath.
	ImportedFiles(ctx context.Context, clientPath string) ([]FilesetEntry, error)
	// Upload stores a file (an attachment: a spreadsheet, a PDF, an analysis
	// result) in the repository and returns its OriginalFile, owned by the
	// caller in the current group, to wrap in a FileAnnotation.
	Upload(ctx context.Context, name string, content io.Reader) (ObjectView, error)
}
