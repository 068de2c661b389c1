// Package diskmode holds the permission modes for what Ocular creates inside
// a repository folder: the database, originals, attachments, caches.
//
// A repository is private by default (folders 0700, files 0600: other
// accounts on the computer read nothing), or shared with one Unix group
// (folders 2770 with the setgid bit so everything created later belongs to
// the group, files 0660: the group reads and writes, others nothing). The
// composition root (repository/local) sets the policy when it opens a
// repository, together with the process umask; code that creates files in a
// repository asks Dir and File here rather than writing 0755/0644.
//
// The policy is process-wide, like the umask it goes with: a process works
// on one repository at a time.
package diskmode

import (
	"io/fs"
	"sync/atomic"
)

var shared atomic.Bool

// SetShared chooses the policy: true for a repository shared with its Unix
// group, false for a private one.
func SetShared(on bool) { shared.Store(on) }

// Shared reports the current policy.
func Shared() bool { return shared.Load() }

// Dir is the mode for a new folder inside a repository.
func Dir() fs.FileMode {
	if Shared() {
		return 0o770 | fs.ModeSetgid
	}
	return 0o700
}

// File is the mode for a new file inside a repository.
func File() fs.FileMode {
	if Shared() {
		return 0o660
	}
	return 0o600
}

// Umask is the process umask that goes with the policy: it also covers
// files created by libraries (SQLite's journal) and by code that still
// passes a wider mode.
func Umask() int {
	if Shared() {
		return 0o007
	}
	return 0o077
}
