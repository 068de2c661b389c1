package core

import "context"

// Importing through a server: a client has no managed directory to copy
// files into, so it hands the files of one import unit to the session,
// which sends them (chunked, resumable, checksummed) and asks the server to
// import them. The server stages them and runs the same import pipeline as
// a local import, all or nothing per fileset. The types here are what both
// ends and the app layer see: the client's import pipeline builds an
// UploadedImport, the remote session sends it, and the server hands the
// staged copy to the import function the composition root gave it.

// UploadImporter is implemented by sessions that import by upload (a
// remote session). The import pipeline uses it instead of copying files into
// ManagedDir when the session implements it.
type UploadImporter interface {
	// CheckImport refuses options that would fail for every file (a target
	// dataset or screen the caller may not see, an unknown owner), before
	// any file is sent. It changes nothing.
	CheckImport(ctx context.Context, opts ImportOptions) error
	// ImportUploaded sends the files of one import unit and imports them on
	// the server. progress is called with the bytes sent since its last call
	// (bytes sent again after a cut connection are not counted twice); it
	// may be nil. A cancelled ctx abandons the upload (the server removes
	// it) and imports nothing. Errors are those of a local import of the
	// same files: Invalid for a file no reader accepts, NotFound for a
	// target the caller may not see, IO when the server cannot be reached
	// even after retrying.
	ImportUploaded(ctx context.Context, req UploadedImport, progress func(sent int64)) (UploadedResult, error)
}

// UploadedImport is one import unit: a file, a file with its companions (a
// multi-file OME-TIFF), or the files of a folder image (an OME-Zarr), with
// the user's choices.
type UploadedImport struct {
	// Main is the unit's relative name among Files: the file a reader opens,
	// or the folder of a folder image (a prefix of some Files' names).
	Main string `json:"main"`
	// Files are the unit's files, named relative to their common folder.
	Files   []UploadedFile `json:"files"`
	Options ImportOptions  `json:"options"`
	// Dir is the folder the names are relative to on this machine; on the
	// server, the staged copy. It never travels.
	Dir string `json:"-"`
}

// UploadedFile is one file of an import unit.
type UploadedFile struct {
	// Name is the file's relative name, with "/" between folders: no "..",
	// no leading "/", no empty or "." parts, no NUL.
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex of the whole file
	// ClientPath is where the file was on the client; the fileset records
	// it (ImportedFiles, --skip-existing).
	ClientPath string `json:"clientPath"`
	// Path is where the bytes are on this machine: the original file on
	// the client, the staged copy on the server. It never travels.
	Path string `json:"-"`
}

// ImportOptions are the choices of `ocular-cli import` that make sense
// against a server (the transfer mode does not: a server keeps its own
// copy).
type ImportOptions struct {
	Dataset Ref    `json:"dataset,omitzero"`
	Screen  Ref    `json:"screen,omitzero"`
	Owner   string `json:"owner,omitempty"` // import for this user; "" = the caller
	// FolderAsDataset puts the images in a dataset named after Folder (the
	// name of the folder the unit was found in on the client, without its
	// parents), made when missing.
	FolderAsDataset bool     `json:"folderAsDataset,omitempty"`
	Folder          string   `json:"folder,omitempty"`
	Tags            []string `json:"tags,omitempty"`
	Name            string   `json:"name,omitempty"`
	// SkipExisting skips the unit, sending nothing, when every file was
	// imported before from the same client path with the same size.
	SkipExisting   bool `json:"skipExisting,omitempty"`
	SkipThumbnails bool `json:"skipThumbnails,omitempty"`
	SkipMinMax     bool `json:"skipMinMax,omitempty"`
	ThumbnailSize  int  `json:"thumbnailSize,omitempty"`
}

// UploadedResult is what importing one unit made, as a local import
// reports it.
type UploadedResult struct {
	Format  string `json:"format,omitempty"`
	Fileset Ref    `json:"fileset,omitzero"`
	Images  []Ref  `json:"images,omitempty"`
	Plate   Ref    `json:"plate,omitzero"`
	// Created lists every object made, in the order a local import
	// reports them (a folder's dataset, the fileset, the plate, the images).
	Created []Ref `json:"created,omitempty"`
	// Skipped: every file was imported before (ImportOptions.SkipExisting).
	Skipped bool `json:"skipped,omitempty"`
	// Warning says what failed after the images were in (a thumbnail, a
	// tag): reported, not undone, as locally.
	Warning string `json:"warning,omitempty"`
}
