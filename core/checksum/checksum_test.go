package checksum

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSumNamesItsAlgorithm(t *testing.T) {
	data := []byte("a plane of pixels")
	h := New("")
	h.Write(data[:5])
	h.Write(data[5:])
	sum := h.Sum()
	if !strings.HasPrefix(sum, "xxh3-128:") || len(sum) != len("xxh3-128:")+32 {
		t.Fatalf("default sum %q, want xxh3-128 and 32 hex digits", sum)
	}
	if AlgorithmOf(sum) != XXH3 || Clean(sum) != sum {
		t.Fatalf("%q is not recognised as its own algorithm", sum)
	}
	other := New("")
	other.Write([]byte("a plane of pixelz"))
	if Same(sum, other.Sum()) {
		t.Fatal("different bytes gave the same checksum")
	}
}

// Repositories made before the algorithm was recorded hold bare SHA-256
// hex: it is recognised, and a file is checked against it with SHA-256.
func TestBareHexIsSHA256(t *testing.T) {
	data := []byte("original bytes")
	raw := sha256.Sum256(data)
	bare := hex.EncodeToString(raw[:])
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	n, sum, err := File(context.Background(), path, AlgorithmOf(bare))
	if err != nil || n != int64(len(data)) {
		t.Fatalf("File: %d, %v", n, err)
	}
	if !Same(bare, sum) || !Same(strings.ToUpper(bare), "sha256:"+bare) {
		t.Fatalf("bare %s and computed %s should be the same checksum", bare, sum)
	}
}

func TestPlaceholdersAreNotChecksums(t *testing.T) {
	for _, s := range []string{"", "x", "sha256:abc", "md5:0123456789abcdef0123456789abcdef", "xxh3-128:" + strings.Repeat("g", 32)} {
		if Clean(s) != "" || Same(s, s) {
			t.Errorf("%q taken as a checksum", s)
		}
	}
}

func TestFileStopsWhenCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, make([]byte, 1<<20), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := File(ctx, path, ""); err == nil {
		t.Fatal("a cancelled hash succeeded")
	}
}

func BenchmarkChecksum(b *testing.B) {
	buf := make([]byte, 8<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	for _, a := range []Algorithm{XXH3, SHA256} {
		b.Run(string(a), func(b *testing.B) {
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				h := New(a)
				for o := 0; o < len(buf); o += 1 << 20 {
					h.Write(buf[o : o+1<<20])
				}
				h.Sum()
			}
		})
	}
}

// A file hashed in memory at once must have the checksum it gets when
// streamed in chunks: imports use the first, backups and restores check
// with the second.
func TestOfMatchesStreaming(t *testing.T) {
	data := make([]byte, 3<<20+777)
	for i := range data {
		data[i] = byte(i*31 + i>>9)
	}
	for _, a := range []Algorithm{XXH3, SHA256} {
		h := New(a)
		for rest := data; len(rest) > 0; {
			n := min(len(rest), 1<<20-13)
			h.Write(rest[:n])
			rest = rest[n:]
		}
		if got, want := Of(a, data), h.Sum(); got != want {
			t.Errorf("%s: in memory %s, streamed %s", a, got, want)
		}
	}
}
