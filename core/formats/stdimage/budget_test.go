package stdimage

import (
	"errors"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/internal/hostile"
)

// A PNG whose header says 16384² RGBA 16-bit (2 GiB decoded, 4 GiB with
// its planes) is refused from its header, before decoding.
func TestHugeDeepPNGIsRefusedFromItsHeader(t *testing.T) {
	path := hostile.Write(t, "big.png", hostile.PNGHeader(16384, 16384, 16, 6))
	var err error
	alloc := hostile.Allocated(func() { _, err = Open(path) })
	if !errors.Is(err, formats.ErrTooLarge) || !strings.Contains(err.Error(), "needs about 4096 MiB") || !strings.Contains(err.Error(), "import that") {
		t.Fatalf("error = %v, want a refusal saying how much memory decoding needs and what to do", err)
	}
	if alloc > 16<<20 {
		t.Fatalf("refusing the PNG allocated %d MiB", alloc>>20)
	}
}
