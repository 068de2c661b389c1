//go:build unix

package server

import "golang.org/x/sys/unix"

// freeSpace is the bytes an unprivileged process may still write on the
// file system holding dir; ok is false when it cannot be known.
func freeSpace(dir string) (n int64, ok bool) {
	var s unix.Statfs_t
	if unix.Statfs(dir, &s) != nil {
		return 0, false
	}
	return int64(s.Bavail) * int64(s.Bsize), true
}
