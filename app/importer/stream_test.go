package importer

import (
	"bytes"
	"context"
	"testing"

	"github.com/ocular-lab/ocular/core/checksum"
)

// stream keeps the bytes it hashed and copied when they fit the buffer
// sized from the file, and keeps nothing of a file that grew past it (its
// checksum and copy are still whole).
func TestStreamKeepsExactlyTheBytesItCopied(t *testing.T) {
	data := make([]byte, 3*copyBufSize+123)
	for i := range data {
		data[i] = byte(i * 31)
	}
	h := checksum.New(checksum.Default)
	h.Write(data)
	sum := h.Sum()
	for _, tc := range []struct {
		name   string
		keep   int
		kept   bool
		length int
	}{
		{"the size stat gave", len(data), true, len(data)},
		{"a file that shrank", len(data) + 5000, true, len(data)},
		{"a file that grew", len(data) - 1, false, 0},
		{"a file that grew by a chunk", len(data) - copyBufSize, false, 0},
		{"nothing asked", -1, false, 0},
	} {
		var keep []byte
		if tc.keep >= 0 {
			keep = make([]byte, tc.keep)
		}
		var out bytes.Buffer
		n, got, kept, err := stream(context.Background(), bytes.NewReader(data), &out, keep, nil)
		if err != nil || n != int64(len(data)) || got != sum || !bytes.Equal(out.Bytes(), data) {
			t.Fatalf("%s: n=%d err=%v, checksum or copy wrong", tc.name, n, err)
		}
		if (kept != nil) != tc.kept || tc.kept && !bytes.Equal(kept, data) {
			t.Errorf("%s: kept %d bytes (nil: %v), want the %d bytes copied: %v", tc.name, len(kept), kept == nil, len(data), tc.kept)
		}
	}
}
