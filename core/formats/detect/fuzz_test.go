package detect

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/hostile"
)

// fuzzAllocLimit is what one input may make Open, the metadata and the
// first plane allocate in total (runtime TotalAlloc): the import budget
// is 1 GiB, and one file's metadata and first plane are a fraction of it.
const fuzzAllocLimit = 256 << 20

// maxFirstPlaneBytes: a first plane larger than this is read as a region
// of its top-left corner, as import and the viewer read big planes.
const maxFirstPlaneBytes = 16 << 20

// detectSeeds are small files of every format Open recognises, and small
// versions of the hostile files.
func detectSeeds(t testing.TB) [][]byte {
	dir := t.TempDir()
	var seeds [][]byte
	// OME-TIFF, 2 channels × 2 planes, tiled with a pyramid level.
	p := filepath.Join(dir, "a.ome.tif")
	s := formats.Series{Name: "a", SizeX: 24, SizeY: 20, SizeZ: 2, SizeC: 2, SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYZCT"}
	if err := ome.WriteTIFF(p, s, nil, func(z, c, tt int) (*pixel.Plane, error) {
		pl, _ := pixel.NewPlane(pixel.Uint16, 24, 20)
		pl.Set(3, 4, float64(100*c+z))
		return pl, nil
	}, ome.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	seeds = append(seeds, b)
	// Plain TIFFs: deflate strips, zstd tiles.
	for _, opts := range []tiff.WriterOptions{{Compression: tiff.CompressionDeflate}, {Compression: tiff.CompressionZstd, TileSize: 16, BigTIFF: true}} {
		p := filepath.Join(dir, "t.tif")
		fh, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w, err := tiff.NewWriter(fh, opts)
		if err != nil {
			t.Fatal(err)
		}
		pl, _ := pixel.NewPlane(pixel.Uint8, 33, 17)
		pl.Data[5] = 9
		if err := w.WriteIFD(pl, "", nil); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		fh.Close()
		b, _ := os.ReadFile(p)
		seeds = append(seeds, b)
	}
	// PNG and JPEG.
	img := image.NewNRGBA(image.Rect(0, 0, 9, 7))
	img.Set(2, 3, color.NRGBA{200, 10, 30, 128})
	var pb, jb bytes.Buffer
	png.Encode(&pb, img)
	jpeg.Encode(&jb, img, nil)
	seeds = append(seeds, pb.Bytes(), jb.Bytes())
	// ImageJ, and hostile files small enough to run as seeds.
	seeds = append(seeds,
		hostile.ImageJTIFF("1"),
		hostile.ImageJTIFF("9223372036854775807"),
		hostile.OMEChannelsTIFF(1, 1<<28),
		hostile.HugeSparseTIFF(1_000_000, 1_000_000, 4096),
		hostile.ZstdBombTIFF(32768, 32768),
		hostile.PNGHeader(16384, 16384, 16, 6),
	)
	return seeds
}

// readFirstPlanes opens every image's metadata and reads its first plane
// (a corner of it when big), as an import would begin.
func readFirstPlanes(r formats.Reader) {
	_ = r.Files()
	_ = r.Plate()
	for si, s := range r.Series() {
		_ = s.Channels
		_ = s.Original
		lv := s.Levels
		if len(lv) == 0 || lv[0].SizeX <= 0 || lv[0].SizeY <= 0 {
			continue
		}
		w, h := lv[0].SizeX, lv[0].SizeY
		if int64(w)*int64(h)*int64(max(1, s.PixelType.Size())) > maxFirstPlaneBytes {
			w, h = min(w, 512), min(h, 512)
		}
		r.ReadRegion(si, 0, 0, 0, 0, image.Rect(0, 0, w, h))
		if len(lv) > 1 {
			last := lv[len(lv)-1]
			if last.SizeX > 0 && last.SizeY > 0 {
				r.ReadRegion(si, len(lv)-1, 0, 0, 0, image.Rect(0, 0, min(last.SizeX, 512), min(last.SizeY, 512)))
			}
		}
	}
}

// FuzzOpen feeds any bytes to Open as a file, then reads every image's
// metadata and first plane. It must never panic, and no input may make it
// allocate more than fuzzAllocLimit.
func FuzzOpen(f *testing.F) {
	for _, s := range detectSeeds(f) {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "input.tif")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		alloc := hostile.Allocated(func() {
			r, err := Open(p)
			if err != nil {
				return
			}
			defer r.Close()
			readFirstPlanes(r)
		})
		if alloc > fuzzAllocLimit {
			t.Fatalf("opening a %d-byte file and reading its first planes allocated %d MiB (limit %d MiB)", len(data), alloc>>20, fuzzAllocLimit>>20)
		}
	})
}
