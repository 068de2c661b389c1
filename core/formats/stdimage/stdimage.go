// Package stdimage reads PNG and JPEG files with the standard library and
// presents them as a one-plane formats.Reader: grey images give one channel,
// colour images three (red, green, blue) and a fourth for a real alpha
// channel. 16-bit PNGs keep 16 bits.
//
// These files are small enough to decode whole: Open checks the size in the
// header against pixel.MaxPlaneBytes before decoding, then keeps the planes.
package stdimage

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// MaxPixels bounds width×height of an image this package decodes (the
// decoders need several bytes per pixel at once).
const MaxPixels = 256 << 20

// Reader holds a decoded PNG or JPEG.
type Reader struct {
	path   string
	format string
	series formats.Series
	planes []*pixel.Plane
}

// Sniff names the format of a file header: "PNG", "JPEG" or "".
func Sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	case bytes.HasPrefix(head, []byte{0xff, 0xd8, 0xff}):
		return "JPEG"
	}
	return ""
}

// Open decodes a PNG or JPEG file.
func Open(path string) (*Reader, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fh, err := os.Open(abs)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return decode(abs, fh)
}

func decode(name string, f io.ReadSeeker) (*Reader, error) {
	br := bufio.NewReader(f)
	head, _ := br.Peek(8)
	format := Sniff(head)
	var cfg image.Config
	var err error
	switch format {
	case "PNG":
		cfg, err = png.DecodeConfig(br)
	case "JPEG":
		cfg, err = jpeg.DecodeConfig(br)
	default:
		return nil, fmt.Errorf("%s: not a PNG or JPEG file", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s header is corrupt: %v", name, format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, formats.TooLarge("%s: %s image of %dx%d pixels is too large to decode (at most %d pixels); save it as a tiled TIFF or OME-TIFF and import that", name, format, cfg.Width, cfg.Height, MaxPixels)
	}
	// Decoding holds the decoded image and its channel planes at once:
	// bound that, not just the pixel count (a 16384² RGBA16 PNG is 2 GiB
	// decoded, 4 GiB with its planes).
	if need := int64(cfg.Width) * int64(cfg.Height) * decodeBytesPerPixel(cfg.ColorModel); need > formats.MaxDecodeBytes {
		return nil, formats.TooLarge("%s: decoding this %dx%d %s image needs about %d MiB of memory, more than the %d MiB Ocular allows for a PNG or JPEG; save it as a tiled TIFF or OME-TIFF and import that", name, cfg.Width, cfg.Height, format, need>>20, formats.MaxDecodeBytes>>20)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	var img image.Image
	if format == "PNG" {
		img, err = png.Decode(bufio.NewReader(f))
	} else {
		img, err = jpeg.Decode(bufio.NewReader(f))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s data is corrupt: %v", name, format, err)
	}
	r := &Reader{path: name, format: format}
	r.planes, err = split(img)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	b := img.Bounds()
	s := formats.Series{
		Name:  filepath.Base(name),
		SizeX: b.Dx(), SizeY: b.Dy(), SizeZ: 1, SizeT: 1, SizeC: len(r.planes),
		PixelType: r.planes[0].Type, DimensionOrder: "XYCZT",
		Levels: []formats.Level{{SizeX: b.Dx(), SizeY: b.Dy()}},
	}
	if len(r.planes) >= 3 {
		names := []string{"Red", "Green", "Blue", "Alpha"}
		cols := [][4]uint8{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 255, 255}}
		for c := range r.planes {
			s.Channels = append(s.Channels, formats.Channel{Name: names[c], Color: cols[c], HasColor: true})
		}
	} else {
		s.Channels = []formats.Channel{{}}
	}
	s.Original = []formats.KeyValue{{Key: "Format", Value: format}, {Key: "Color model", Value: modelName(img)}}
	r.series = s
	return r, nil
}

// decodeBytesPerPixel is what one pixel of an image of that colour model
// costs while it is decoded and split: the decoder's pixel plus the
// channel planes made from it.
func decodeBytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel:
		return 1 + 1
	case color.Gray16Model:
		return 2 + 2
	case color.RGBAModel, color.NRGBAModel:
		return 4 + 4
	case color.RGBA64Model, color.NRGBA64Model:
		return 8 + 8
	case color.YCbCrModel:
		return 3 + 3
	case color.CMYKModel:
		return 4 + 3
	}
	if _, ok := m.(color.Palette); ok {
		return 1 + 4
	}
	return 8 + 8
}

func modelName(img image.Image) string {
	switch img.(type) {
	case *image.Gray:
		return "grey 8-bit"
	case *image.Gray16:
		return "grey 16-bit"
	case *image.Paletted:
		return "palette"
	case *image.YCbCr:
		return "YCbCr"
	case *image.CMYK:
		return "CMYK"
	case *image.RGBA64, *image.NRGBA64:
		return "RGB 16-bit"
	}
	return "RGB 8-bit"
}

// split turns a decoded image into one plane per channel.
func split(img image.Image) ([]*pixel.Plane, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	newPlanes := func(t pixel.Type, n int) ([]*pixel.Plane, error) {
		out := make([]*pixel.Plane, n)
		for i := range out {
			p, err := pixel.NewPlane(t, w, h)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	}
	switch m := img.(type) {
	case *image.Gray:
		ps, err := newPlanes(pixel.Uint8, 1)
		if err != nil {
			return nil, err
		}
		for y := 0; y < h; y++ {
			copy(ps[0].Data[y*w:(y+1)*w], m.Pix[y*m.Stride:])
		}
		return ps, nil
	case *image.Gray16:
		ps, err := newPlanes(pixel.Uint16, 1)
		if err != nil {
			return nil, err
		}
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < w; x++ {
				// Go stores Gray16 big-endian; planes are little-endian.
				ps[0].Data[2*(y*w+x)] = row[2*x+1]
				ps[0].Data[2*(y*w+x)+1] = row[2*x]
			}
		}
		return ps, nil
	}
	deep := false
	switch img.(type) {
	case *image.RGBA64, *image.NRGBA64:
		deep = true
	}
	opaque := true
	if o, ok := img.(interface{ Opaque() bool }); ok {
		opaque = o.Opaque()
	}
	n := 3
	if !opaque {
		n = 4
	}
	t := pixel.Uint8
	if deep {
		t = pixel.Uint16
	}
	ps, err := newPlanes(t, n)
	if err != nil {
		return nil, err
	}
	// The PNG decoder's own types are split straight from their bytes (RGBA
	// and RGBA64 only when opaque, where premultiplied equals straight);
	// going through At would allocate a colour per pixel.
	switch m := img.(type) {
	case *image.NRGBA:
		splitInterleaved(ps, m.Pix, m.Stride, 4, 1)
		return ps, nil
	case *image.RGBA:
		if opaque {
			splitInterleaved(ps, m.Pix, m.Stride, 4, 1)
			return ps, nil
		}
	case *image.NRGBA64:
		splitInterleaved(ps, m.Pix, m.Stride, 4, 2)
		return ps, nil
	case *image.RGBA64:
		if opaque {
			splitInterleaved(ps, m.Pix, m.Stride, 4, 2)
			return ps, nil
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// Non-premultiplied values, as the file stores them.
			c := color.NRGBA64Model.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA64)
			v := [4]uint16{c.R, c.G, c.B, c.A}
			for i := 0; i < n; i++ {
				if deep {
					ps[i].Data[2*(y*w+x)] = uint8(v[i])
					ps[i].Data[2*(y*w+x)+1] = uint8(v[i] >> 8)
				} else {
					ps[i].Data[y*w+x] = uint8(v[i] >> 8)
				}
			}
		}
	}
	return ps, nil
}

// splitInterleaved copies the first len(ps) samples of each pixel of pix
// (spp samples of size bytes, big-endian when 2) into the planes.
func splitInterleaved(ps []*pixel.Plane, pix []byte, stride, spp, size int) {
	w, h := ps[0].Width, ps[0].Height
	for c, p := range ps {
		for y := 0; y < h; y++ {
			row := pix[y*stride:]
			dst := p.Data[y*w*size:]
			for x := 0; x < w; x++ {
				i := (x*spp + c) * size
				if size == 1 {
					dst[x] = row[i]
				} else {
					dst[2*x], dst[2*x+1] = row[i+1], row[i] // big-endian to little-endian
				}
			}
		}
	}
}

// Format implements formats.Reader: "PNG" or "JPEG".
func (r *Reader) Format() string { return r.format }

// Files implements formats.Reader.
func (r *Reader) Files() []string { return []string{r.path} }

// Series implements formats.Reader.
func (r *Reader) Series() []formats.Series { return []formats.Series{r.series} }

// Plate implements formats.Reader.
func (r *Reader) Plate() *formats.Plate { return nil }

// Close implements formats.Reader.
func (r *Reader) Close() error { return nil }

// ReadPlane implements formats.Reader.
func (r *Reader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	return r.ReadRegion(s, level, z, c, t, image.Rect(0, 0, r.series.SizeX, r.series.SizeY))
}

// ReadRegion implements formats.Reader.
func (r *Reader) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	if s != 0 || level != 0 || z != 0 || t != 0 || c < 0 || c >= len(r.planes) {
		return nil, fmt.Errorf("%s: plane s=%d level=%d z=%d c=%d t=%d does not exist (the image has one plane of %d channels)", r.path, s, level, z, c, t, len(r.planes))
	}
	src := r.planes[c]
	if rect.Empty() || !rect.In(image.Rect(0, 0, src.Width, src.Height)) {
		return nil, fmt.Errorf("%s: region %v is outside the %dx%d image", r.path, rect, src.Width, src.Height)
	}
	out, err := pixel.NewPlane(src.Type, rect.Dx(), rect.Dy())
	if err != nil {
		return nil, err
	}
	bpp := src.Type.Size()
	for y := 0; y < rect.Dy(); y++ {
		o := ((rect.Min.Y+y)*src.Width + rect.Min.X) * bpp
		copy(out.Data[y*out.Width*bpp:(y+1)*out.Width*bpp], src.Data[o:])
	}
	return out, nil
}
