package imagej

import (
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/internal/hostile"
)

// images=2^63-1 in a 200-byte file must not wrap the size check around:
// the file is refused, not read as a stack of 9223372036854775807 planes.
func TestImageJImagesCountIsCheckedWithoutOverflow(t *testing.T) {
	for _, images := range []string{"9223372036854775807", "4611686018427387904", "1000"} {
		path := hostile.Write(t, "stack.tif", hostile.ImageJTIFF(images))
		r, err := Open(path)
		if err == nil {
			s := r.Series()[0]
			r.Close()
			t.Fatalf("images=%s: opened as %d×%d×%d (Z×C×T) planes from a one-page file", images, s.SizeZ, s.SizeC, s.SizeT)
		}
		if !strings.Contains(err.Error(), "holds 1 IFDs") {
			t.Fatalf("images=%s: error = %v, want one saying the file does not hold the images", images, err)
		}
	}
}
