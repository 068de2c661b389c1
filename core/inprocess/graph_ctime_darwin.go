package inprocess

import (
	"io/fs"
	"syscall"
	"time"
)

// changedAt is the later of a file's modification and status-change times:
// a hard link made a minute ago to a year-old file counts as a minute old.
func changedAt(info fs.FileInfo) time.Time {
	t := info.ModTime()
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		if c := time.Unix(st.Ctimespec.Sec, st.Ctimespec.Nsec); c.After(t) {
			return c
		}
	}
	return t
}
