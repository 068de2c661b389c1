//go:build unix

package server

import (
	"os"

	"golang.org/x/sys/unix"
)

// tryLock takes an exclusive lock on f without waiting, so that two
// server instances sharing the upload folder (or two requests of one)
// never write the same file at once; false when another holds it. The
// lock is the open file's and ends when f is closed, or with the process
// that held it, however it ended.
func tryLock(f *os.File) bool {
	return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil
}
