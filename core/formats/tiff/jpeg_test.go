package tiff

import (
	"math"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

// smoothPlane is a gradient with gentle waves: JPEG keeps it within a few grey levels.
func smoothPlane(w, h int, phase float64) *pixel.Plane {
	p := &pixel.Plane{Type: pixel.Uint8, Width: w, Height: h, Data: make([]byte, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 128 + 60*math.Sin(float64(x)/23+phase) + 40*math.Cos(float64(y)/17)
			p.Data[y*w+x] = uint8(v)
		}
	}
	return p
}

// TestJPEGFromLibtiff has tiffcp JPEG-compress our files (grey and YCbCr,
// strips and tiles, with shared JPEGTables) and checks that decoding gives
// the original pixels within JPEG's loss. The image is a multiple of the
// tile size: libtiff's own decode of padded edge tiles strays further from
// the original, and there chroma upsampling choices differ between decoders.
func TestJPEGFromLibtiff(t *testing.T) {
	tiffcp, err := exec.LookPath("tiffcp")
	if err != nil {
		t.Skip("tiffcp (libtiff-tools) is not installed")
	}
	for _, spp := range []int{1, 3} {
		var samples []*pixel.Plane
		for s := 0; s < spp; s++ {
			samples = append(samples, smoothPlane(128, 128, float64(s)))
		}
		src := writeFile(t, writeCase{opts: WriterOptions{}, samples: spp}, [][]*pixel.Plane{samples}, nil)
		for _, args := range [][]string{{"-c", "jpeg", "-r", "16"}, {"-c", "jpeg", "-t", "-w", "64", "-l", "64"}, {"-c", "jpeg:r", "-r", "32"}} {
			dst := filepath.Join(t.TempDir(), "jpeg.tif")
			cmd := append(append([]string{}, args...), src, dst)
			if out, err := exec.Command(tiffcp, cmd...).CombinedOutput(); err != nil {
				t.Fatalf("tiffcp %v: %v\n%s", args, err, out)
			}
			f, fh, err := OpenFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			d := f.IFDs()[0]
			if d.Compression != CompressionJPEG {
				t.Fatalf("tiffcp %v wrote compression %d", args, d.Compression)
			}
			for s := 0; s < spp; s++ {
				got, err := f.ReadPlane(d, s)
				if err != nil {
					t.Fatalf("spp=%d %v (photometric %d): %v", spp, args, d.Photometric, err)
				}
				var worst float64
				for i := range got.Data {
					worst = math.Max(worst, math.Abs(float64(got.Data[i])-float64(samples[s].Data[i])))
				}
				if worst > 12 {
					t.Errorf("spp=%d %v photometric %d sub %v sample %d: JPEG decode differs by up to %g grey levels", spp, args, d.Photometric, tagStr(d, TagYCbCrSubSampling), s, worst)
				}
			}
			fh.Close()
		}
	}
}

func tagStr(d *IFD, code uint16) string {
	t, _ := d.Tag(code)
	return t.String()
}
