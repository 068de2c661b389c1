package tiff

import "sync"

// lastChunk keeps the one decoded strip or tile that a read used only in
// part. Pyramid building and statistics read a plane in bands of rows; a
// strip taller than a band (a single-strip image, or 1024-row strips read
// 512 rows at a time) would otherwise be decompressed once per band, which
// for a big compressed strip means gigabytes decoded again and again. One
// entry, at most formats.MaxChunkBytes, is all a sequential reader needs.
type lastChunk struct {
	mu sync.Mutex
	// Guarded by mu; data is never written after it is stored, so a reader
	// may use it after unlocking.
	ifd   int64
	index int
	data  []byte
}

// get returns the decoded bytes of chunk index of the IFD at ifd, if kept.
func (c *lastChunk) get(ifd int64, index int) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil && c.ifd == ifd && c.index == index {
		return c.data
	}
	return nil
}

// put keeps data (which the caller no longer writes) as the last chunk.
func (c *lastChunk) put(ifd int64, index int, data []byte) {
	c.mu.Lock()
	c.ifd, c.index, c.data = ifd, index, data
	c.mu.Unlock()
}
