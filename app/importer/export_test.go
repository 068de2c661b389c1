package importer

// SetSyncFSHook replaces the batch sync for a test and returns the undo.
func SetSyncFSHook(f func(dir string) error) (batch bool, undo func()) {
	old := syncFSHook
	syncFSHook = f
	return batchSync, func() { syncFSHook = old }
}
