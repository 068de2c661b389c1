package tiff

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"sync"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/image/tiff/lzw"
)

// Compression schemes (tag 259) this package reads.
const (
	CompressionNone         = 1
	CompressionLZW          = 5
	CompressionJPEG         = 7
	CompressionDeflate      = 8
	CompressionPackBits     = 32773
	CompressionAdobeDeflate = 32946 // same zlib stream as 8, older tag value
	CompressionZstd         = 50000
)

// CompressionName names a compression code for messages and metadata.
func CompressionName(c int) string {
	switch c {
	case CompressionNone:
		return "none"
	case CompressionLZW:
		return "LZW"
	case 6:
		return "old-style JPEG"
	case CompressionJPEG:
		return "JPEG"
	case CompressionDeflate, CompressionAdobeDeflate:
		return "deflate"
	case CompressionPackBits:
		return "PackBits"
	case CompressionZstd:
		return "zstd"
	case 34887:
		return "LERC"
	case 50001:
		return "WebP"
	case 33003, 33005, 34712:
		return "JPEG 2000"
	}
	return fmt.Sprintf("compression %d", c)
}

// errShort is returned when a chunk decompresses to fewer bytes than the
// image geometry requires.
var errShort = errors.New("decompressed data is shorter than the strip or tile")

// decompress decodes src into dst, which has exactly the expected size.
// It never writes more than len(dst) bytes, so a compression bomb costs no
// more memory than an honest chunk; data that decodes to more than
// len(dst)+slack bytes (slack: the padding a writer may add to the last
// strip) is an error, found by decoding at most slack+1 bytes more.
func decompress(compression int, src, dst []byte, slack int64) error {
	switch compression {
	case CompressionNone:
		if len(src) < len(dst) {
			return errShort
		}
		copy(dst, src)
		return nil
	case CompressionLZW:
		return unLZW(src, dst, slack)
	case CompressionDeflate, CompressionAdobeDeflate:
		return inflate(src, dst, slack)
	case CompressionZstd:
		return unzstd(src, dst, slack)
	case CompressionPackBits:
		return unpackBits(src, dst, slack)
	}
	return fmt.Errorf("%s compression is not supported", CompressionName(compression))
}

// errLong is returned when a chunk decompresses to more bytes than the
// image geometry allows.
var errLong = errors.New("decompressed data is longer than the strip or tile")

// readFull fills dst from r; a stream that ends early is an error, and so
// is one that goes on for more than slack bytes after dst is full (only
// slack+1 more bytes are decoded to find out, never kept).
func readFull(r io.Reader, dst []byte, slack int64) error {
	n, err := io.ReadFull(r, dst)
	if err == io.ErrUnexpectedEOF || (err == io.EOF && len(dst) > 0) {
		return fmt.Errorf("%w (%d of %d bytes)", errShort, n, len(dst))
	}
	if err != nil {
		return err
	}
	// A damaged trailer (a checksum) after complete data is not an error
	// here, as in libtiff: only extra bytes are.
	if extra, _ := io.CopyN(io.Discard, r, slack+1); extra > slack {
		return fmt.Errorf("%w (more than %d bytes)", errLong, int64(len(dst))+slack)
	}
	return nil
}

// unLZW decodes TIFF LZW ("early change", MSB first) with x/image's decoder,
// which measured faster here than klauspost/compress/lzw's Aldus mode.
func unLZW(src, dst []byte, slack int64) error {
	r := lzw.NewReader(bytes.NewReader(src), lzw.MSB, 8)
	defer r.Close()
	return readFull(r, dst, slack)
}

var zlibPool sync.Pool

func inflate(src, dst []byte, slack int64) error {
	br := bytes.NewReader(src)
	var zr io.ReadCloser
	if v := zlibPool.Get(); v != nil {
		zr = v.(io.ReadCloser)
		if err := zr.(zlib.Resetter).Reset(br, nil); err != nil {
			return err
		}
	} else {
		var err error
		if zr, err = zlib.NewReader(br); err != nil {
			return err
		}
	}
	err := readFull(zr, dst, slack)
	zlibPool.Put(zr)
	return err
}

var zstdPool sync.Pool

// maxZstdWindow bounds the window a zstd frame may ask the decoder to allocate.
const maxZstdWindow = 128 << 20

func unzstd(src, dst []byte, slack int64) error {
	var d *zstd.Decoder
	if v := zstdPool.Get(); v != nil {
		d = v.(*zstd.Decoder)
		if err := d.Reset(bytes.NewReader(src)); err != nil {
			return err
		}
	} else {
		var err error
		d, err = zstd.NewReader(bytes.NewReader(src), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow))
		if err != nil {
			return err
		}
	}
	err := readFull(d, dst, slack)
	// Detach from src so the pool does not keep the chunk alive.
	if rerr := d.Reset(bytes.NewReader(nil)); rerr == nil {
		zstdPool.Put(d)
	}
	return err
}

// unpackBits decodes Apple PackBits (TIFF compression 32773).
func unpackBits(src, dst []byte, slack int64) error {
	i, o := 0, 0
	extra := int64(0) // bytes of a run cut off at the end of dst
	for o < len(dst) && i < len(src) {
		n := int(int8(src[i]))
		i++
		switch {
		case n >= 0: // copy n+1 literal bytes
			c := n + 1
			if i+c > len(src) {
				return errors.New("PackBits data is truncated")
			}
			if o+c > len(dst) {
				extra += int64(o + c - len(dst))
				c = len(dst) - o
			}
			copy(dst[o:], src[i:i+c])
			i += n + 1
			o += c
		case n == -128: // no-op
		default: // repeat the next byte 1-n times
			if i >= len(src) {
				return errors.New("PackBits data is truncated")
			}
			c := 1 - n
			if o+c > len(dst) {
				extra += int64(o + c - len(dst))
				c = len(dst) - o
			}
			v := src[i]
			i++
			for k := 0; k < c; k++ {
				dst[o+k] = v
			}
			o += c
		}
	}
	if o < len(dst) {
		return fmt.Errorf("%w (%d of %d bytes)", errShort, o, len(dst))
	}
	// Count (without writing) what the rest of the data would produce.
	for i < len(src) && extra <= slack {
		n := int(int8(src[i]))
		i++
		switch {
		case n >= 0:
			extra += int64(n + 1)
			i += n + 1
		case n == -128:
		default:
			extra += int64(1 - n)
			i++
		}
	}
	if extra > slack {
		return fmt.Errorf("%w (more than %d bytes)", errLong, int64(len(dst))+slack)
	}
	return nil
}

// decodeJPEG decodes one JPEG-compressed chunk of width w and height h with
// spp samples (1 grey, 3 colour) into dst as interleaved 8-bit samples.
// tables is the JPEGTables tag (abbreviated table specification), if any.
func decodeJPEG(src, tables []byte, w, h, spp int, dst []byte) error {
	if len(tables) >= 4 && len(src) >= 2 && src[0] == 0xFF && src[1] == 0xD8 {
		// Splice the shared tables in: tables minus its EOI, then the chunk minus its SOI.
		merged := make([]byte, 0, len(tables)+len(src))
		merged = append(merged, tables[:len(tables)-2]...)
		merged = append(merged, src[2:]...)
		src = merged
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		return fmt.Errorf("JPEG tile: %v", err)
	}
	if cfg.Width > w || cfg.Height > h || cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("JPEG tile is %dx%d, the TIFF says %dx%d", cfg.Width, cfg.Height, w, h)
	}
	img, err := jpeg.Decode(bytes.NewReader(src))
	if err != nil {
		return fmt.Errorf("JPEG tile: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < w || b.Dy() < h {
		clear(dst) // the buffer is reused between chunks: no stale pixels
	}
	switch m := img.(type) {
	case *image.Gray:
		if spp != 1 {
			return fmt.Errorf("JPEG tile is greyscale but the TIFF has %d samples per pixel", spp)
		}
		for y := 0; y < b.Dy(); y++ {
			copy(dst[y*w:], m.Pix[y*m.Stride:y*m.Stride+b.Dx()])
		}
		return nil
	case *image.YCbCr:
		if spp != 3 {
			return fmt.Errorf("JPEG tile is colour but the TIFF has %d samples per pixel", spp)
		}
		for y := 0; y < b.Dy(); y++ {
			row := dst[y*w*3:]
			for x := 0; x < b.Dx(); x++ {
				yi, ci := m.YOffset(x+b.Min.X, y+b.Min.Y), m.COffset(x+b.Min.X, y+b.Min.Y)
				r, g, bl := ycbcrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				row[3*x], row[3*x+1], row[3*x+2] = r, g, bl
			}
		}
		return nil
	}
	if spp != 3 {
		return fmt.Errorf("JPEG tile has an unsupported colour model for %d samples per pixel", spp)
	}
	for y := 0; y < b.Dy(); y++ {
		row := dst[y*w*3:]
		for x := 0; x < b.Dx(); x++ {
			r, g, bl, _ := img.At(x+b.Min.X, y+b.Min.Y).RGBA()
			row[3*x], row[3*x+1], row[3*x+2] = uint8(r>>8), uint8(g>>8), uint8(bl>>8)
		}
	}
	return nil
}

func ycbcrToRGB(y, cb, cr uint8) (uint8, uint8, uint8) {
	// image/color's conversion, inlined to avoid an interface call per pixel.
	yy := int32(y) * 0x10101
	cb1 := int32(cb) - 128
	cr1 := int32(cr) - 128
	clip := func(v int32) uint8 {
		if uint32(v)&0xff000000 == 0 {
			return uint8(v >> 16)
		}
		if v < 0 {
			return 0
		}
		return 255
	}
	return clip(yy + 91881*cr1), clip(yy - 22554*cb1 - 46802*cr1), clip(yy + 116130*cb1)
}
