//go:build !unix

package local

import "io/fs"

// Other systems have no umask or Unix groups: the folder's access control
// list, inherited from the user's profile, keeps the repository private.

func setUmask(int) {}

func fileOwner(fs.FileInfo) (int, bool) { return 0, false }

func fileGroup(fs.FileInfo) (int, bool) { return 0, false }

func linkCount(fs.FileInfo) uint64 { return 1 }
