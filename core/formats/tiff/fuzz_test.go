package tiff

import (
	"bytes"
	"encoding/binary"
	"image"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

// fuzzSeeds builds small TIFFs with the writer covering each code path:
// both byte orders, BigTIFF, strips and tiles, every compression, both
// predictors, planar and chunky samples, SubIFDs.
func fuzzSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	add := func(opts WriterOptions, typ pixel.Type, spp int, planar bool, levels int) {
		var buf seekBuffer
		w, err := NewWriter(&buf, opts)
		if err != nil {
			t.Fatal(err)
		}
		var samples []*pixel.Plane
		for s := 0; s < spp; s++ {
			samples = append(samples, testPlane(t, typ, 19, 13, uint64(s)))
		}
		if spp == 1 {
			var lv []*pixel.Plane
			for l := 1; l <= levels; l++ {
				lv = append(lv, testPlane(t, typ, 19>>l, 13>>l, 5))
			}
			err = w.WriteIFD(samples[0], `{"shape": [1, 13, 19]}`, lv)
		} else {
			err = w.WriteSamples(samples, planar, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, buf.b)
	}
	add(WriterOptions{}, pixel.Uint8, 1, false, 0)
	add(WriterOptions{ByteOrder: binary.BigEndian, Compression: CompressionLZW, Predictor: PredictorHorizontal}, pixel.Uint16, 1, false, 1)
	add(WriterOptions{BigTIFF: true, Compression: CompressionDeflate, TileSize: 16}, pixel.Int16, 1, false, 0)
	add(WriterOptions{BigTIFF: true, ByteOrder: binary.BigEndian, Compression: CompressionZstd}, pixel.Float32, 1, false, 0)
	add(WriterOptions{Compression: CompressionLZW, Predictor: PredictorFloat}, pixel.Float64, 1, false, 0)
	add(WriterOptions{Compression: CompressionPackBits}, pixel.Int32, 1, false, 0)
	add(WriterOptions{Compression: CompressionDeflate, Predictor: PredictorHorizontal, TileSize: 16}, pixel.Uint8, 3, false, 0)
	add(WriterOptions{Compression: CompressionLZW}, pixel.Uint8, 3, true, 0)
	return seeds
}

// loopSeed is a classic TIFF whose only IFD points back at itself.
func loopSeed() []byte {
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, TagImageWidth)
	b = binary.LittleEndian.AppendUint16(b, TypeShort)
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, 4)
	return binary.LittleEndian.AppendUint32(b, 8)
}

// fuzzMaxPlane keeps the fuzzer from spending its time allocating planes a
// tiny file legitimately describes (sparse images are allowed to be large).
const fuzzMaxPlane = 1 << 22

func FuzzOpenAndDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add(loopSeed())
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		var visit func(d *IFD)
		visit = func(d *IFD) {
			for _, tag := range d.Tags {
				_ = tag.Name() + tag.String()
			}
			if int64(d.Width)*int64(d.Height)*int64(max(1, d.PixelType.Size())) > fuzzMaxPlane {
				return
			}
			for s := 0; s < min(d.SamplesPerPixel, 4); s++ {
				if p, err := tf.ReadPlane(d, s); err == nil && (p.Width != d.Width || p.Height != d.Height) {
					t.Fatalf("plane is %dx%d, IFD says %dx%d", p.Width, p.Height, d.Width, d.Height)
				}
				_, _ = tf.ReadRegion(d, s, image.Rect(d.Width/3, d.Height/3, d.Width/2+1, d.Height/2+1))
			}
			for _, sd := range d.SubIFDs {
				visit(sd)
			}
		}
		for _, d := range tf.IFDs() {
			visit(d)
		}
	})
}

func TestLoopIsAnError(t *testing.T) {
	if _, err := Open(bytes.NewReader(loopSeed()), int64(len(loopSeed()))); err == nil {
		t.Fatal("an IFD chain that loops was accepted")
	}
}

func TestCorruptFilesGiveErrors(t *testing.T) {
	seed := fuzzSeeds(t)[1] // big-endian LZW with a SubIFD
	for _, n := range []int{0, 4, 7, 8, 100, len(seed) / 2, len(seed) - 1} {
		tf, err := Open(bytes.NewReader(seed[:n]), int64(n))
		if err != nil {
			continue
		}
		if _, err := tf.ReadPlane(tf.IFDs()[0], 0); err == nil && n < len(seed)-1 {
			t.Errorf("truncated to %d bytes: decoded without error", n)
		}
	}
	// A strip claiming a huge decoded size from a few bytes is refused.
	var buf seekBuffer
	w, _ := NewWriter(&buf, WriterOptions{Compression: CompressionDeflate})
	if err := w.WriteIFD(testPlane(t, pixel.Uint8, 8, 8, 1), "", nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	tf, err := Open(bytes.NewReader(buf.b), int64(len(buf.b)))
	if err != nil {
		t.Fatal(err)
	}
	d := tf.IFDs()[0]
	d.Width, d.Height, d.RowsPerStrip = 40000, 40000, 40000
	if _, err := tf.ReadRegion(d, 0, image.Rect(0, 0, 1, 1)); err == nil {
		t.Error("a 1.6 GB strip from 100 bytes of deflate was accepted")
	}
}
