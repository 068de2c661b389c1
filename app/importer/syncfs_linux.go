package importer

import (
	"os"

	"golang.org/x/sys/unix"
)

// batchSync: on Linux the copies of a batch are made durable by one
// syncfs of the repository's file system before the first of their rows
// commits, instead of an fsync per file.
const batchSync = true

// syncFS flushes the file system holding dir (data and metadata: the new
// folders too).
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// syncFSHook is syncFS; tests watch the syncs through it.
var syncFSHook = syncFS
