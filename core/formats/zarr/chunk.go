package zarr

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// chunkPath names the file of chunk idx.
func (a *Array) chunkPath(idx []int) string {
	parts := make([]string, 0, len(idx)+1)
	if a.keyPrefix != "" {
		parts = append(parts, a.keyPrefix)
	}
	for _, i := range idx {
		parts = append(parts, strconv.Itoa(i))
	}
	return filepath.Join(a.Dir, filepath.FromSlash(strings.Join(parts, a.sep)))
}

// chunkStream reads the decoded bytes of one stored chunk front to back.
// Decoding is streamed where the codec allows (raw, zlib, gzip, zstd), so a
// read keeps a small buffer rather than the whole chunk, and a stream that
// would decode to more than the chunk's size is stopped there.
type chunkStream struct {
	path    string
	size    int // decoded bytes the chunk must have
	file    *os.File
	raw     bool          // uncompressed: its size is known, gaps are seeked over
	br      *bufio.Reader // the decoded stream
	pos     int
	closers []io.Closer
}

// openChunk opens chunk idx, or returns nil when it is not stored (it then
// reads as the fill value).
func (a *Array) openChunk(idx []int) (*chunkStream, error) {
	size := a.ChunkBytes()
	p := a.chunkPath(idx)
	st, err := os.Stat(p)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: chunk is a directory (wrong dimension_separator?)", p)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: chunk is not a regular file", p)
	}
	if len(a.stages) == 0 && st.Size() != int64(size) {
		return nil, fmt.Errorf("%s: uncompressed chunk has %d bytes, expected %d", p, st.Size(), size)
	}
	if st.Size() > int64(size+maxEncodedOverhead(size)) {
		return nil, fmt.Errorf("%s: chunk file of %d bytes is larger than its %d decoded bytes could need", p, st.Size(), size)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	c := &chunkStream{path: p, size: size, file: f, raw: len(a.stages) == 0}
	if c.raw {
		c.br = bufio.NewReaderSize(f, 64<<10)
		return c, nil
	}
	var r io.Reader = bufio.NewReaderSize(f, 32<<10)
	for _, st := range a.stages {
		if r, err = st(r, size); err != nil {
			c.close()
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		if cl, ok := r.(io.Closer); ok {
			c.closers = append(c.closers, cl)
		}
	}
	c.br = bufio.NewReaderSize(r, 64<<10)
	return c, nil
}

// copyAt fills dst with the decoded bytes at offset off; offsets must grow
// from one call to the next.
func (c *chunkStream) copyAt(dst []byte, off int) error {
	if off < c.pos || off+len(dst) > c.size {
		return fmt.Errorf("%s: internal error: chunk offset %d out of order", c.path, off)
	}
	if c.raw && off-c.pos > 64<<10 {
		// An uncompressed chunk skips by seeking, not by reading through.
		if _, err := c.file.Seek(int64(off), io.SeekStart); err != nil {
			return fmt.Errorf("%s: %v", c.path, err)
		}
		c.br.Reset(c.file)
		c.pos = off
	}
	if _, err := c.br.Discard(off - c.pos); err != nil {
		return c.streamError(err)
	}
	if _, err := io.ReadFull(c.br, dst); err != nil {
		return c.streamError(err)
	}
	c.pos = off + len(dst)
	return nil
}

// finish checks that the stream holds exactly the chunk's size: it decodes
// the rest through the small buffer and fails at the first byte too many.
func (c *chunkStream) finish() error {
	if c.raw {
		return nil
	}
	if _, err := c.br.Discard(c.size - c.pos); err != nil {
		return c.streamError(err)
	}
	c.pos = c.size
	if _, err := c.br.ReadByte(); err == nil {
		return fmt.Errorf("%s: chunk decodes to more than its %d bytes", c.path, c.size)
	} else if err != io.EOF {
		return c.streamError(err)
	}
	return nil
}

func (c *chunkStream) streamError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: chunk decodes to fewer than its %d bytes", c.path, c.size)
	}
	return fmt.Errorf("%s: %v", c.path, err)
}

func (c *chunkStream) close() {
	for _, cl := range c.closers {
		cl.Close()
	}
	c.file.Close()
}
