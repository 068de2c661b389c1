package tiff

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

const benchSize = 2048

// benchPlane looks like a fluorescence image: a dim background with camera
// noise and bright blurred cells, 12-bit values in a uint16 plane.
func benchPlane(b *testing.B) *pixel.Plane {
	p, err := pixel.NewPlane(pixel.Uint16, benchSize, benchSize)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	type blob struct{ x, y, r, a float64 }
	blobs := make([]blob, 60)
	for i := range blobs {
		blobs[i] = blob{rng.Float64() * benchSize, rng.Float64() * benchSize, 20 + rng.Float64()*60, 500 + rng.Float64()*3000}
	}
	for y := 0; y < benchSize; y++ {
		for x := 0; x < benchSize; x++ {
			v := 100 + rng.Float64()*16
			for _, bl := range blobs {
				dx, dy := float64(x)-bl.x, float64(y)-bl.y
				if d2 := dx*dx + dy*dy; d2 < 9*bl.r*bl.r {
					v += bl.a * math.Exp(-d2/(2*bl.r*bl.r))
				}
			}
			binary.LittleEndian.PutUint16(p.Data[2*(y*benchSize+x):], uint16(min(v, 4095)))
		}
	}
	return p
}

// benchFile writes a 2048x2048 uint16 plane with the given options and
// returns the open TIFF.
func benchFile(b *testing.B, opts WriterOptions) (*File, *os.File) {
	b.Helper()
	p := benchPlane(b)
	path := filepath.Join(b.TempDir(), "bench.tif")
	fh, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w, err := NewWriter(fh, opts)
	if err != nil {
		b.Fatal(err)
	}
	if err := w.WriteIFD(p, "", nil); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	fh.Close()
	f, rfh, err := OpenFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { rfh.Close() })
	return f, rfh
}

func benchDecode(b *testing.B, opts WriterOptions) {
	f, _ := benchFile(b, opts)
	d := f.IFDs()[0]
	b.SetBytes(benchSize * benchSize * 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.ReadPlane(d, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(f.Size())/float64(benchSize*benchSize*2), "size/raw")
}

// BenchmarkReadRaw is the anchor: ReadAt of the same 8 MiB of uncompressed
// pixel bytes, with no TIFF logic at all.
func BenchmarkReadRaw(b *testing.B) {
	f, fh := benchFile(b, WriterOptions{})
	off, _ := f.IFDs()[0].Tag(TagStripOffsets)
	start := off.Int(0)
	buf := make([]byte, benchSize*benchSize*2)
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := fh.ReadAt(buf, start); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadRawAlloc is ReadAt into a freshly allocated buffer, which is
// what ReadPlane must do since it returns a new plane: the fair anchor.
func BenchmarkReadRawAlloc(b *testing.B) {
	f, fh := benchFile(b, WriterOptions{})
	off, _ := f.IFDs()[0].Tag(TagStripOffsets)
	start := off.Int(0)
	b.SetBytes(benchSize * benchSize * 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf := make([]byte, benchSize*benchSize*2)
		if _, err := fh.ReadAt(buf, start); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeNone(b *testing.B) { benchDecode(b, WriterOptions{}) }
func BenchmarkDecodeNoneBigEndian(b *testing.B) {
	benchDecode(b, WriterOptions{ByteOrder: binary.BigEndian})
}
func BenchmarkDecodeNoneTiled(b *testing.B) { benchDecode(b, WriterOptions{TileSize: 256}) }
func BenchmarkDecodeLZW(b *testing.B)       { benchDecode(b, WriterOptions{Compression: CompressionLZW}) }
func BenchmarkDecodeDeflate(b *testing.B) {
	benchDecode(b, WriterOptions{Compression: CompressionDeflate})
}
func BenchmarkDecodeDeflatePredictor(b *testing.B) {
	benchDecode(b, WriterOptions{Compression: CompressionDeflate, Predictor: PredictorHorizontal})
}
func BenchmarkDecodeZstd(b *testing.B) { benchDecode(b, WriterOptions{Compression: CompressionZstd}) }
func BenchmarkDecodePackBits(b *testing.B) {
	benchDecode(b, WriterOptions{Compression: CompressionPackBits})
}

// BenchmarkWriteDeflate measures the writer, for reference.
func BenchmarkWriteDeflate(b *testing.B) {
	p := testPlane(b, pixel.Uint16, benchSize, benchSize, 1)
	b.SetBytes(int64(len(p.Data)))
	for i := 0; i < b.N; i++ {
		var buf seekBuffer
		w, _ := NewWriter(&buf, WriterOptions{Compression: CompressionDeflate})
		if err := w.WriteIFD(p, "", nil); err != nil {
			b.Fatal(err)
		}
		w.Close()
	}
}
