package wire

import "github.com/ocular-lab/ocular/core"

// The answers of the upload routes (docs/server/uploads.md). The requests
// are core's: a declaration is a core.UploadedImport, a check a
// core.ImportOptions, a chunk raw bytes.

// UploadCreated answers POST /ocular/v1/uploads.
type UploadCreated struct {
	ID string `json:"id,omitempty"`
	// MaxChunk is the largest chunk the server takes.
	MaxChunk int64 `json:"maxChunk,omitempty"`
	// Skipped: every file was imported before (skipExisting); no upload
	// was made.
	Skipped bool `json:"skipped,omitempty"`
}

// Upload states.
const (
	UploadOpen      = "open"      // taking chunks
	UploadImporting = "importing" // checksums and import running
	UploadImported  = "imported"  // done: Result kept for a client that missed it
	UploadFailed    = "failed"    // the files cannot be imported: Error kept
)

// UploadStatus answers GET /ocular/v1/uploads/{upload} and the import.
type UploadStatus struct {
	ID    string `json:"id"`
	State string `json:"state"`
	// Received is how many bytes of each declared file the server holds,
	// in the order declared; the client continues each at that offset.
	Received []int64              `json:"received,omitempty"`
	MaxChunk int64                `json:"maxChunk,omitempty"`
	Result   *core.UploadedResult `json:"result,omitempty"`
	Error    *ErrorBody           `json:"error,omitempty"`
}

// ChunkReceived answers a chunk: the file's length on the server now.
type ChunkReceived struct {
	Received int64 `json:"received"`
}
