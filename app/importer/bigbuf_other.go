//go:build !linux

package importer

// mapBuffer maps buffers only on Linux (bigbuf_linux.go); elsewhere the
// keeper's buffers are on the Go heap.
func mapBuffer(n int) ([]byte, bool) { return nil, false }

func unmapBuffer(b []byte) {}
