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
	// AttemptStarted is set, durably, before an import is tried and cleared
	// when its outcome is recorded: a record found with it set when a
	// station starts tells that the station died during that attempt.
	AttemptStarted time.Time `json:"attemptStarted,omitzero"`
	// FilesetMark is the newest fileset imported from Path when the open
	// attempt began; a newer one found after a crash is that attempt's
	// import, committed before the station could record it.
	FilesetMark ID `json:"-"`
	// Crashes counts the attempts that crashed or ran out of time.
	Crashes int `json:"crashes,omitempty"`
}

// WatchState keeps import stations' records in the repository. A user sees
// and writes the records of stations they run; administrators see all.
type WatchState interface {
	WatchRecords(ctx context.Context, station string) ([]WatchRecord, error)
	SaveWatchRecord(ctx context.Context, r WatchRecord) error
}
