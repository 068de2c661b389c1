//go:build unix

package sqlite

import (
	"os"

	"golang.org/x/sys/unix"
)

const (
	lockEx   = unix.LOCK_EX
	lockExNB = unix.LOCK_EX | unix.LOCK_NB
	lockSh   = unix.LOCK_SH
	lockUn   = unix.LOCK_UN
)

func flock(f *os.File, how int) error {
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			return err
		}
	}
}
