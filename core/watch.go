package core

import (
	"context"
	"time"
)

// Watch record states.
const (
	WatchPending  = "pending"
	WatchImported = "imported"
	WatchFailed   = "failed"
)

// WatchRecord is an import station's memory of one file.
type WatchRecord struct {
	Station   string    `json:"station"`
	Path      string    `json:"path"`
	Owner     ID        `json:"owner"` // the station's user
	Size      int64     `json:"size"`
	ModTime   time.Time `json:"modTime"`
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"lastError,omitempty"`
	NextTry   time.Time `json:"nextTry,omitempty"`
	// Result names what the import created ("Image:4 Image:5").
	Result  string    `json:"result,omitempty"`
	Updated time.Time `json:"updated"`
}

// WatchState keeps import stations' records in the repository. A user sees
// and writes the records of stations they run; administrators see all.
type WatchState interface {
	WatchRecords(ctx context.Context, station string) ([]WatchRecord, error)
	SaveWatchRecord(ctx context.Context, r WatchRecord) error
}
