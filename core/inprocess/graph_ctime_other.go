//go:build !linux && !darwin

package inprocess

import (
	"io/fs"
	"time"
)

// changedAt is the file's modification time (status-change times are not
// portable here).
func changedAt(info fs.FileInfo) time.Time { return info.ModTime() }
