package imagej

import (
	"encoding/binary"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// Reader reads an ImageJ TIFF. It implements formats.Reader and is safe for
// concurrent use.
type Reader struct {
	path   string
	f      *tiff.File
	fh     *os.File
	desc   *Description
	series formats.Series
	spp    int
	// contiguous is set when the file has fewer IFDs than images: plane i
	// then starts at base + i*planeBytes, uncompressed.
	contiguous bool
	base       int64
	planeBytes int64
}

// TIFF tags read here.
const (
	tagStripOffsets = 273
	tagXResolution  = 282
	tagYResolution  = 283
)

// Open opens an ImageJ TIFF.
func Open(path string) (*Reader, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	f, fh, err := tiff.OpenFile(abs)
	if err != nil {
		return nil, err
	}
	r, err := newReader(abs, f)
	if err != nil {
		fh.Close()
		return nil, err
	}
	r.fh = fh
	return r, nil
}

func newReader(path string, f *tiff.File) (*Reader, error) {
	ifds := f.IFDs()
	d0 := ifds[0]
	desc, err := ParseDescription(d0.ImageDescription)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if d0.PixelType == pixel.Invalid {
		return nil, fmt.Errorf("%s: ImageJ TIFF has unsupported samples (%d bits, sample format %d)", path, d0.BitsPerSample, d0.SampleFormat)
	}
	r := &Reader{path: path, f: f, desc: desc, spp: max(1, d0.SamplesPerPixel)}
	c, z, t := desc.Shape()
	images := desc.Images
	if images > len(ifds) {
		// ImageJ's contiguous layout: planes follow the first one.
		if d0.Compression != tiff.CompressionNone || d0.Tiled() {
			return nil, fmt.Errorf("%s: ImageJ description says %d images but the TIFF has %d IFDs, and the first is compressed, so the other images cannot be located", path, images, len(ifds))
		}
		so, ok := d0.Tag(tagStripOffsets)
		if !ok || len(so.Ints()) == 0 {
			return nil, fmt.Errorf("%s: first IFD has no strip offsets", path)
		}
		r.contiguous = true
		r.base = so.Ints()[0]
		// Overflow-safe: images=2^63-1 must not wrap around to a small size.
		pb, ok1 := formats.MulChecked(int64(d0.Width), int64(d0.Height), int64(r.spp), int64(d0.PixelType.Size()))
		need, ok2 := formats.MulChecked(int64(images), pb)
		if !ok1 || !ok2 || r.base < 0 || pb <= 0 || need > f.Size()-r.base {
			return nil, fmt.Errorf("%s: the ImageJ description says %d images of %dx%d pixels, but the file (%d bytes) holds %d IFDs and not the bytes of the others; it is truncated or its description is wrong", path, images, d0.Width, d0.Height, f.Size(), len(ifds))
		}
		r.planeBytes = pb
	} else {
		for i := 1; i < images; i++ {
			d := ifds[i]
			if d.Width != d0.Width || d.Height != d0.Height || d.PixelType != d0.PixelType || d.SamplesPerPixel != d0.SamplesPerPixel {
				return nil, fmt.Errorf("%s: IFD %d is %dx%d %s but the first is %dx%d %s; ImageJ stacks have equal planes", path, i, d.Width, d.Height, d.PixelType, d0.Width, d0.Height, d0.PixelType)
			}
		}
	}
	s := formats.Series{
		Name:           strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)),
		SizeX:          d0.Width,
		SizeY:          d0.Height,
		SizeZ:          z,
		SizeC:          c * r.spp,
		SizeT:          t,
		PixelType:      d0.PixelType,
		DimensionOrder: "XYCZT",
		Levels:         []formats.Level{{SizeX: d0.Width, SizeY: d0.Height, TileWidth: d0.TileWidth, TileHeight: d0.TileHeight}},
	}
	// The channel list is sized from the description: bound it first.
	if err := formats.CheckDimensions(s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r.physicalSizes(d0, &s)
	for _, p := range desc.Pairs {
		s.Original = append(s.Original, formats.KeyValue{Key: p[0], Value: p[1]})
	}
	s.Channels = make([]formats.Channel, s.SizeC)
	if r.spp == 3 {
		for i := range s.Channels {
			s.Channels[i].Color, s.Channels[i].HasColor = [4]uint8{0, 0, 0, 255}, true
			s.Channels[i].Color[i%3] = 255
			s.Channels[i].Name = []string{"Red", "Green", "Blue"}[i%3]
		}
	}
	r.applyIJMetadata(d0, &s)
	r.series = s
	return r, nil
}

// physicalSizes derives pixel sizes from X/YResolution (pixels per unit)
// and the description's unit, the Z step from spacing, and the frame
// interval from finterval.
func (r *Reader) physicalSizes(d0 *tiff.IFD, s *formats.Series) {
	unit := r.desc.Unit
	toUM := func(v float64) float64 {
		if um, ok := ome.LengthToMicrometres(v, unit, ""); ok && um > 0 && !math.IsInf(um, 0) {
			return um
		}
		return 0
	}
	if unit != "" && unit != "pixel" {
		if t, ok := d0.Tag(tagXResolution); ok {
			if v := t.Floats(); len(v) > 0 && v[0] > 0 {
				s.PhysicalSizeX = toUM(1 / v[0])
			}
		}
		if t, ok := d0.Tag(tagYResolution); ok {
			if v := t.Floats(); len(v) > 0 && v[0] > 0 {
				s.PhysicalSizeY = toUM(1 / v[0])
			}
		}
		if r.desc.Spacing > 0 {
			s.PhysicalSizeZ = toUM(r.desc.Spacing)
		}
	}
	if r.desc.FInterval > 0 {
		tu := r.desc.TUnit
		if tu == "" || tu == "sec" {
			tu = "s"
		}
		if v, ok := ome.TimeToSeconds(r.desc.FInterval, tu, "s"); ok {
			s.TimeIncrement = v
		}
	}
}

// applyIJMetadata turns LUTs into channel colours and keeps ranges, labels
// and info as original metadata. Broken IJMetadata is reported there, not
// as an error: the pixels are still readable.
func (r *Reader) applyIJMetadata(d0 *tiff.IFD, s *formats.Series) {
	ct, ok1 := d0.Tag(tagMetaCounts)
	dt, ok2 := d0.Tag(tagMetaData)
	if !ok1 || !ok2 {
		return
	}
	m, err := ParseMetadata(ct.Ints(), dt.Bytes(), r.f.ByteOrder())
	if err != nil {
		s.Original = append(s.Original, formats.KeyValue{Key: "IJMetadata error", Value: err.Error()})
		return
	}
	for i, l := range m.LUTs {
		if i >= len(s.Channels) || r.spp != 1 {
			break
		}
		name, rgb, known := LUTColor(l)
		ch := &s.Channels[i]
		ch.Color, ch.HasColor = [4]uint8{rgb[0], rgb[1], rgb[2], 255}, true
		if known {
			ch.LUT = name
		} else {
			ch.LUT = "custom"
		}
	}
	for i := 0; i+1 < len(m.Ranges); i += 2 {
		s.Original = append(s.Original, formats.KeyValue{
			Key:   fmt.Sprintf("Display range channel %d", i/2),
			Value: strconv.FormatFloat(m.Ranges[i], 'g', -1, 64) + "-" + strconv.FormatFloat(m.Ranges[i+1], 'g', -1, 64),
		})
	}
	for i, l := range m.Labels {
		if l != "" {
			s.Original = append(s.Original, formats.KeyValue{Key: fmt.Sprintf("Label %d", i), Value: l})
		}
	}
	if m.Info != "" {
		s.Original = append(s.Original, formats.KeyValue{Key: "Info", Value: m.Info})
	}
}

// Description returns the parsed ImageJ description.
func (r *Reader) Description() *Description { return r.desc }

// Format implements formats.Reader.
func (r *Reader) Format() string { return "ImageJ TIFF" }

// Files implements formats.Reader.
func (r *Reader) Files() []string { return []string{r.path} }

// Series implements formats.Reader.
func (r *Reader) Series() []formats.Series { return []formats.Series{r.series} }

// Plate implements formats.Reader.
func (r *Reader) Plate() *formats.Plate { return nil }

// Close implements formats.Reader.
func (r *Reader) Close() error {
	if r.fh != nil {
		return r.fh.Close()
	}
	return nil
}

// ReadPlane implements formats.Reader.
func (r *Reader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	return r.ReadRegion(s, level, z, c, t, image.Rect(0, 0, r.series.SizeX, r.series.SizeY))
}

// ReadRegion implements formats.Reader.
func (r *Reader) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	se := &r.series
	if s != 0 || level != 0 {
		return nil, fmt.Errorf("%s: series %d level %d does not exist (ImageJ TIFFs hold one image without pyramid)", r.path, s, level)
	}
	if z < 0 || z >= se.SizeZ || c < 0 || c >= se.SizeC || t < 0 || t >= se.SizeT {
		return nil, fmt.Errorf("%s: plane z=%d c=%d t=%d is outside the image (%d×%d×%d)", r.path, z, c, t, se.SizeZ, se.SizeC, se.SizeT)
	}
	nc := se.SizeC / r.spp
	idx := c/r.spp + nc*(z+se.SizeZ*t) // ImageJ order: XYCZT
	sample := c % r.spp
	if !r.contiguous {
		return r.f.ReadRegion(r.f.IFDs()[idx], sample, rect)
	}
	return r.readContiguous(idx, sample, rect)
}

// PlaneSpan tells where in the file a plane's samples lie as ReadPlane
// returns them (formats.PlaneSpan): an IFD's uncompressed strips, or a
// plane of the contiguous layout when it is grey and little-endian.
func (r *Reader) PlaneSpan(s, level, z, c, t int) (string, int64, int64, bool) {
	se := &r.series
	if s != 0 || level != 0 || z < 0 || z >= se.SizeZ || c < 0 || c >= se.SizeC || t < 0 || t >= se.SizeT {
		return "", 0, 0, false
	}
	idx := c/r.spp + se.SizeC/r.spp*(z+se.SizeZ*t)
	if !r.contiguous {
		off, n, ok := r.f.PlaneSpan(r.f.IFDs()[idx], c%r.spp)
		return r.path, off, n, ok
	}
	if r.spp != 1 || se.PixelType.Size() > 1 && r.f.ByteOrder() != binary.LittleEndian {
		return "", 0, 0, false
	}
	return r.path, r.base + int64(idx)*r.planeBytes, r.planeBytes, true
}

// readContiguous reads the rows of rect from an uncompressed plane stored
// after the first one, touching only those rows.
func (r *Reader) readContiguous(idx, sample int, rect image.Rectangle) (*pixel.Plane, error) {
	se := &r.series
	if rect.Empty() || !rect.In(image.Rect(0, 0, se.SizeX, se.SizeY)) {
		return nil, fmt.Errorf("%s: region %v is outside the %dx%d image", r.path, rect, se.SizeX, se.SizeY)
	}
	out, err := pixel.NewPlane(se.PixelType, rect.Dx(), rect.Dy())
	if err != nil {
		return nil, err
	}
	bps := se.PixelType.Size()
	px := int64(r.spp * bps)
	row := make([]byte, int64(rect.Dx())*px)
	for y := 0; y < rect.Dy(); y++ {
		off := r.base + int64(idx)*r.planeBytes + (int64(rect.Min.Y+y)*int64(se.SizeX)+int64(rect.Min.X))*px
		if _, err := r.fh.ReadAt(row, off); err != nil {
			return nil, fmt.Errorf("%s: reading image %d at byte %d: %v", r.path, idx, off, err)
		}
		dst := out.Data[y*rect.Dx()*bps:]
		for x := 0; x < rect.Dx(); x++ {
			src := row[int64(x)*px+int64(sample*bps):]
			copySample(dst[x*bps:], src, bps, r.f.ByteOrder())
		}
	}
	return out, nil
}

// copySample copies one sample, converting to little-endian.
func copySample(dst, src []byte, size int, order binary.ByteOrder) {
	if order == binary.BigEndian {
		for i := 0; i < size; i++ {
			dst[i] = src[size-1-i]
		}
		return
	}
	copy(dst[:size], src[:size])
}
