//go:build !linux

package importer

// batchSync is false where there is no syncfs: each copy is fsynced as it
// is written.
const batchSync = false

func syncFS(dir string) error { return nil }

// syncFSHook is syncFS; tests watch the syncs through it.
var syncFSHook = syncFS
