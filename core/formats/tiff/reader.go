package tiff

import (
	"fmt"
	"image"
	"os"
	"path/filepath"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
)

// Reader is the formats.Reader for plain TIFF and BigTIFF files (those with
// neither OME-XML nor ImageJ metadata). Equal-sized pages form one series
// whose planes are Z (or Z/C/T from a tifffile "shape" description), the
// samples of an RGB page are channels, and reduced-resolution pages
// (NewSubfileType 1, SubIFDs, or a chain of shrinking pages) are pyramid
// levels. It is safe for concurrent ReadPlane/ReadRegion calls.
type Reader struct {
	path   string
	fh     *os.File
	file   *File
	series []formats.Series
	layout []*seriesLayout
	qptiff bool // laid out as a PerkinElmer QPTIFF (qptiff.go)
}

var _ formats.Reader = (*Reader)(nil)

// seriesLayout maps (z, c, t, level) of a series to an IFD and a sample.
type seriesLayout struct {
	pages  []*IFD   // the full-resolution pages, in file order
	levels [][]*IFD // levels[i] are the reduced levels of pages[i], largest first
	// dims lists the page axes, slowest first, with their sizes; C is
	// absent from it when the channels are the samples of each page.
	dims         []dim
	cFromSamples bool
	sizeZ, sizeC int
	sizeT        int
}

type dim struct {
	axis byte // 'Z', 'C' or 'T'
	size int
}

// NewReader opens a TIFF for reading. Close releases the file.
func NewReader(path string) (*Reader, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	f, fh, err := OpenFile(abs)
	if err != nil {
		return nil, err
	}
	r := &Reader{path: abs, fh: fh, file: f}
	r.build()
	if len(r.series) == 0 {
		fh.Close()
		return nil, f.errorf("TIFF holds no readable image")
	}
	return r, nil
}

// File gives access to the underlying TIFF structure.
func (r *Reader) File() *File { return r.file }

// Format returns "PerkinElmer QPTIFF", "TIFF" or "BigTIFF".
func (r *Reader) Format() string {
	if r.qptiff {
		return "PerkinElmer QPTIFF"
	}
	if r.file.BigTIFF() {
		return "BigTIFF"
	}
	return "TIFF"
}

// Files returns the one file of the set.
func (r *Reader) Files() []string { return []string{r.path} }

// Series lists the images.
func (r *Reader) Series() []formats.Series { return r.series }

// Plate is nil: a plain TIFF has no plate layout.
func (r *Reader) Plate() *formats.Plate { return nil }

// Close closes the file.
func (r *Reader) Close() error { return r.fh.Close() }

// ReadPlane reads plane (z, c, t) of a pyramid level of series s.
func (r *Reader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	d, sample, err := r.locate(s, level, z, c, t)
	if err != nil {
		return nil, err
	}
	return r.file.ReadPlane(d, sample)
}

// ReadRegion reads rectangle rect of a plane, touching only the strips or
// tiles that intersect it.
func (r *Reader) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	d, sample, err := r.locate(s, level, z, c, t)
	if err != nil {
		return nil, err
	}
	return r.file.ReadRegion(d, sample, rect)
}

// ReadRegionInto is ReadRegion into a plane the caller owns
// (formats.RegionInto).
func (r *Reader) ReadRegionInto(s, level, z, c, t int, rect image.Rectangle, out *pixel.Plane) error {
	d, sample, err := r.locate(s, level, z, c, t)
	if err != nil {
		return err
	}
	return r.file.ReadRegionInto(d, sample, rect, out)
}

// PlaneSpan tells where in its file a plane's samples lie as ReadPlane
// returns them (formats.PlaneSpan).
func (r *Reader) PlaneSpan(s, level, z, c, t int) (string, int64, int64, bool) {
	d, sample, err := r.locate(s, level, z, c, t)
	if err != nil {
		return "", 0, 0, false
	}
	off, n, ok := r.file.PlaneSpan(d, sample)
	return r.path, off, n, ok
}

// locate finds the IFD and sample holding a plane.
func (r *Reader) locate(s, level, z, c, t int) (*IFD, int, error) {
	if s < 0 || s >= len(r.layout) {
		return nil, 0, fmt.Errorf("%s: series %d does not exist (the file has %d)", r.path, s, len(r.layout))
	}
	l := r.layout[s]
	if z < 0 || z >= l.sizeZ || c < 0 || c >= l.sizeC || t < 0 || t >= l.sizeT {
		return nil, 0, fmt.Errorf("%s: plane z=%d c=%d t=%d is outside the image (Z=%d C=%d T=%d)", r.path, z, c, t, l.sizeZ, l.sizeC, l.sizeT)
	}
	idx := 0
	for _, d := range l.dims {
		v := z
		switch d.axis {
		case 'C':
			v = c
		case 'T':
			v = t
		}
		idx = idx*d.size + v
	}
	sample := 0
	if l.cFromSamples {
		sample = c
	}
	page := l.pages[idx]
	if level == 0 {
		return page, sample, nil
	}
	if level < 0 || level > len(l.levels[idx]) {
		return nil, 0, fmt.Errorf("%s: pyramid level %d does not exist for this plane (it has %d levels)", r.path, level, len(l.levels[idx])+1)
	}
	return l.levels[idx][level-1], sample, nil
}
