//go:build !unix

package server

// freeSpace cannot be known here; uploads then find a full disk when a
// chunk cannot be written.
func freeSpace(string) (int64, bool) { return 0, false }
