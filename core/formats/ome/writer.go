package ome

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// WriteOptions controls WriteTIFF.
type WriteOptions struct {
	// Compression is a tiff.Compression* value; 0 means deflate.
	Compression int
	// Predictor is a tiff.Predictor* value; 0 means none.
	Predictor int
	// TileSize writes square tiles of this side (a multiple of 16); 0 writes strips.
	TileSize int
	// PyramidLevels is the number of reduced-resolution levels (each half
	// the size of the one above) written as SubIFDs of every plane.
	PyramidLevels int
	// BigTIFF writes a BigTIFF, needed past 4 GiB.
	BigTIFF bool
	// Creator is written in the OME root element; empty means "Ocular".
	Creator string
}

// WriteTIFF writes one image as an OME-TIFF at path. planes supplies the
// pixels of plane (z, c, t) at full resolution; they are requested in the
// series' DimensionOrder (XYCZT when empty), one at a time, so memory holds
// one plane and its pyramid. Channel names, colours and wavelengths,
// physical sizes, the time increment, plane info and original metadata go
// into the OME-XML; when plate is not nil and s.Well is set, the plate
// layout is written too. The file appears at path only when complete.
func WriteTIFF(path string, s formats.Series, plate *formats.Plate, planes func(z, c, t int) (*pixel.Plane, error), opts WriteOptions) (err error) {
	if s.SizeX <= 0 || s.SizeY <= 0 || s.SizeZ <= 0 || s.SizeC <= 0 || s.SizeT <= 0 {
		return fmt.Errorf("OME-TIFF writer: invalid dimensions %dx%d z%d c%d t%d", s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT)
	}
	if int64(s.SizeZ)*int64(s.SizeC)*int64(s.SizeT) > maxPlanes {
		return fmt.Errorf("OME-TIFF writer: %d×%d×%d planes is too many", s.SizeZ, s.SizeC, s.SizeT)
	}
	if s.PixelType.Size() == 0 {
		return fmt.Errorf("OME-TIFF writer: invalid pixel type %s", s.PixelType)
	}
	s.DimensionOrder = normOrder(s.DimensionOrder)
	if opts.Compression == 0 {
		opts.Compression = tiff.CompressionDeflate
	}
	if opts.PyramidLevels < 0 || opts.PyramidLevels > 30 {
		return fmt.Errorf("OME-TIFF writer: %d pyramid levels is out of range", opts.PyramidLevels)
	}
	uuid, err := newUUID()
	if err != nil {
		return err
	}
	desc := buildXML(&s, plate, filepath.Base(path), uuid, opts.Creator)

	tmp := path + ".partial"
	fh, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			fh.Close()
			os.Remove(tmp)
		}
	}()
	w, err := tiff.NewWriter(fh, tiff.WriterOptions{
		BigTIFF: opts.BigTIFF, Compression: opts.Compression, Predictor: opts.Predictor,
		TileSize: opts.TileSize, Software: "Ocular",
	})
	if err != nil {
		return err
	}
	n := s.SizeZ * s.SizeC * s.SizeT
	for i := 0; i < n; i++ {
		z, c, t := PlaneZCT(s.DimensionOrder, s.SizeZ, s.SizeC, s.SizeT, i)
		p, err := planes(z, c, t)
		if err != nil {
			return fmt.Errorf("OME-TIFF writer: plane z=%d c=%d t=%d: %w", z, c, t, err)
		}
		if p == nil || p.Width != s.SizeX || p.Height != s.SizeY || p.Type != s.PixelType {
			return fmt.Errorf("OME-TIFF writer: plane z=%d c=%d t=%d is not a %dx%d %s plane", z, c, t, s.SizeX, s.SizeY, s.PixelType)
		}
		var levels []*pixel.Plane
		prev := p
		for l := 0; l < opts.PyramidLevels && prev.Width > 1 && prev.Height > 1; l++ {
			prev = Downsample(prev)
			levels = append(levels, prev)
		}
		d := ""
		if i == 0 {
			d = desc
		}
		if err := w.WriteIFD(p, d, levels); err != nil {
			return fmt.Errorf("OME-TIFF writer: plane z=%d c=%d t=%d: %w", z, c, t, err)
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := fh.Sync(); err != nil {
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Downsample halves a plane (rounding the size up) by averaging 2×2 blocks,
// the usual way pyramid levels are made.
func Downsample(p *pixel.Plane) *pixel.Plane {
	w, h := (p.Width+1)/2, (p.Height+1)/2
	out, _ := pixel.NewPlane(p.Type, w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum, n := 0.0, 0
			for dy := 0; dy < 2; dy++ {
				for dx := 0; dx < 2; dx++ {
					sx, sy := 2*x+dx, 2*y+dy
					if sx < p.Width && sy < p.Height {
						sum += p.At(sx, sy)
						n++
					}
				}
			}
			out.Set(x, y, sum/float64(n))
		}
	}
	return out
}

func newUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
