package ome

import (
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
)

// Reader reads an OME-TIFF file set. It implements formats.Reader and is
// safe for concurrent use.
type Reader struct {
	files  []string // absolute paths, the opened one first
	tiffs  []*openTIFF
	meta   *Metadata
	series []formats.Series
	maps   []planeMap
	closed sync.Once
	// folderUUIDs maps the UUIDs of the folder's other TIFFs to their
	// paths; filled on first need by findUUID.
	folderUUIDs map[string]string
}

type openTIFF struct {
	path string
	f    *tiff.File
	fh   *os.File
	uuid string // the UUID of the file's own OME root element, if any
}

// planeMap locates every stored plane of one image.
type planeMap struct {
	img  *Image
	locs []planeLoc // by plane index in DimensionOrder
}

type planeLoc struct {
	tiff int // index in Reader.tiffs, -1 when the plane is not stored
	ifd  int
}

// Format implements formats.Reader.
func (r *Reader) Format() string { return "OME-TIFF" }

// Files implements formats.Reader.
func (r *Reader) Files() []string { return append([]string(nil), r.files...) }

// Series implements formats.Reader.
func (r *Reader) Series() []formats.Series { return r.series }

// Plate implements formats.Reader.
func (r *Reader) Plate() *formats.Plate { return r.meta.Plate }

// Metadata returns the parsed OME-XML of the set.
func (r *Reader) Metadata() *Metadata { return r.meta }

// Close implements formats.Reader.
func (r *Reader) Close() error {
	var first error
	r.closed.Do(func() {
		for _, t := range r.tiffs {
			if t.fh != nil {
				if err := t.fh.Close(); err != nil && first == nil {
					first = err
				}
			}
		}
	})
	return first
}

// IsCompanion reports whether path names an OME companion metadata file.
func IsCompanion(path string) bool {
	l := strings.ToLower(path)
	return strings.HasSuffix(l, ".companion.ome") || strings.HasSuffix(l, ".companion.ome.xml")
}

// Open opens an OME-TIFF, any file of a multi-file OME-TIFF set, or a
// .companion.ome metadata file, and returns a reader for the whole set.
func Open(path string) (*Reader, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	r := &Reader{}
	ok := false
	defer func() {
		if !ok {
			r.Close()
		}
	}()
	dir := filepath.Dir(abs)
	var metaFile string
	if IsCompanion(abs) || !isTIFFFile(abs) {
		r.meta, err = parseFile(abs)
		if err != nil {
			return nil, err
		}
		metaFile = abs
		r.files = []string{abs}
	} else {
		t, err := r.openTIFF(abs)
		if err != nil {
			return nil, err
		}
		desc := t.f.IFDs()[0].ImageDescription
		if !strings.Contains(desc, "<OME") {
			return nil, fmt.Errorf("%s: not an OME-TIFF: the first ImageDescription holds no OME-XML", abs)
		}
		r.meta, err = ParseXML([]byte(desc))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", abs, err)
		}
		r.files = []string{abs}
		if bo := r.meta.BinaryOnly; bo != nil {
			// The metadata lives in another file (usually a companion).
			metaFile, err = sibling(dir, bo.MetadataFile)
			if err != nil {
				// The companion was renamed: the UUIDs still say which it is.
				if p := findCompanion(dir, bo.UUID, t.uuid); p != "" {
					metaFile, err = p, nil
				}
			}
			if err != nil {
				return nil, fmt.Errorf("%s: BinaryOnly MetadataFile: %v", abs, err)
			}
			r.meta, err = parseFile(metaFile)
			if err != nil {
				return nil, err
			}
			if r.meta.BinaryOnly != nil {
				return nil, fmt.Errorf("%s: the metadata file %s is itself BinaryOnly", abs, metaFile)
			}
			r.files = append(r.files, metaFile)
		}
	}
	if len(r.meta.Images) == 0 {
		return nil, fmt.Errorf("%s: the OME-XML describes no image", abs)
	}
	if len(r.tiffs) == 0 && !refersToFiles(r.meta) {
		return nil, fmt.Errorf("%s: this OME-XML file names no TIFF files holding its pixels (inline BinData pixels are not supported); open the OME-TIFF or OME-Zarr it describes instead", abs)
	}
	// The file holding the XML (a TIFF unless it is a companion) is where
	// TiffData without a UUID points.
	home := -1
	if len(r.tiffs) > 0 && metaFile == "" {
		home = 0
	}
	for i := range r.meta.Images {
		pm, err := r.mapImage(&r.meta.Images[i], dir, home)
		if err != nil {
			return nil, fmt.Errorf("%s: image %d (%s): %w", abs, i, r.meta.Images[i].Series.Name, err)
		}
		r.maps = append(r.maps, pm)
		r.series = append(r.series, pm.img.Series)
	}
	for _, t := range r.tiffs {
		if !slices.Contains(r.files, t.path) {
			r.files = append(r.files, t.path)
		}
	}
	ok = true
	return r, nil
}

func parseFile(path string) (*Metadata, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	m, err := Parse(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return m, nil
}

// sibling resolves a file name from the XML in dir. Only the base name is
// used: a set's files live side by side, and a name with "../" must not let
// a file reach outside its folder.
func sibling(dir, name string) (string, error) {
	name = strings.TrimSpace(name)
	base := filepath.Base(filepath.FromSlash(strings.ReplaceAll(name, "\\", "/")))
	if name == "" || base == "." || base == ".." || base == string(filepath.Separator) {
		return "", fmt.Errorf("invalid file name %q", name)
	}
	p := filepath.Join(dir, base)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("file %q of the set is missing from %s", base, dir)
	}
	return p, nil
}

func (r *Reader) openTIFF(path string) (*openTIFF, error) {
	for _, t := range r.tiffs {
		if t.path == path {
			return t, nil
		}
	}
	f, fh, err := tiff.OpenFile(path)
	if err != nil {
		return nil, err
	}
	t := &openTIFF{path: path, f: f, fh: fh, uuid: descUUID(f)}
	r.tiffs = append(r.tiffs, t)
	return t, nil
}

func (r *Reader) tiffIndex(t *openTIFF) int {
	for i, x := range r.tiffs {
		if x == t {
			return i
		}
	}
	return -1
}

// mapImage resolves the TiffData of an image to (file, IFD) per plane and
// checks every referenced IFD against the XML.
func (r *Reader) mapImage(im *Image, dir string, home int) (planeMap, error) {
	s := &im.Series
	nc := im.StoredChannels()
	n := im.PlaneCount()
	pm := planeMap{img: im}
	// Planes are collected by index first: the plane count comes from the
	// XML, and is checked against the IFDs the files hold before a slice
	// is sized from it.
	stored := map[int]planeLoc{}
	tds := im.TiffData
	if len(tds) == 0 {
		// No TiffData: planes are the IFDs of the file, in order.
		tds = []TiffData{{PlaneCount: n, HasPlaneCount: true}}
	}
	mapped := 0
	for k, td := range tds {
		ti, err := r.tiffFor(dir, td, home)
		if err != nil {
			return pm, fmt.Errorf("TiffData %d: %v", k, err)
		}
		if ti < 0 {
			return pm, fmt.Errorf("TiffData %d names no file, and the metadata is not inside a TIFF", k)
		}
		ifds := r.tiffs[ti].f.IFDs()
		count := td.PlaneCount
		if !td.HasPlaneCount {
			if td.HasIFD || len(tds) > 1 {
				count = 1
			} else {
				count = n
			}
		}
		if td.FirstZ >= s.SizeZ || td.FirstC >= nc || td.FirstT >= s.SizeT {
			return pm, fmt.Errorf("TiffData %d starts at Z=%d C=%d T=%d, outside the image (SizeZ=%d, %d channel planes, SizeT=%d)", k, td.FirstZ, td.FirstC, td.FirstT, s.SizeZ, nc, s.SizeT)
		}
		start := PlaneIndex(s.DimensionOrder, s.SizeZ, nc, s.SizeT, td.FirstZ, td.FirstC, td.FirstT)
		if count > n-start {
			return pm, fmt.Errorf("TiffData %d maps %d planes from plane %d, but the image has only %d planes", k, count, start, n)
		}
		if td.IFD+count > len(ifds) {
			return pm, fmt.Errorf("OME-XML maps %d planes from IFD %d of %s, but that TIFF has only %d IFDs", count, td.IFD, filepath.Base(r.tiffs[ti].path), len(ifds))
		}
		for j := 0; j < count; j++ {
			if err := r.checkIFD(im, ti, td.IFD+j); err != nil {
				return pm, err
			}
			stored[start+j] = planeLoc{tiff: ti, ifd: td.IFD + j}
			mapped++
		}
	}
	if mapped == 0 {
		return pm, errors.New("no plane of the image is stored in the TIFF files")
	}
	if ifds := r.storedIFDs(); n > ifds {
		return pm, formats.TooLarge("the OME-XML describes %d planes (SizeZ=%d, %d channel planes, SizeT=%d) but the file set stores only %d images; the file is damaged or its metadata does not belong to it", n, s.SizeZ, nc, s.SizeT, ifds)
	}
	pm.locs = make([]planeLoc, n)
	for i := range pm.locs {
		pm.locs[i] = planeLoc{tiff: -1}
	}
	for i, l := range stored {
		pm.locs[i] = l
	}
	// Pyramid levels: the SubIFDs of the first stored plane's IFD.
	for _, l := range pm.locs {
		if l.tiff < 0 {
			continue
		}
		d := r.tiffs[l.tiff].f.IFDs()[l.ifd]
		s.Levels = []formats.Level{{SizeX: d.Width, SizeY: d.Height, TileWidth: d.TileWidth, TileHeight: d.TileHeight}}
		for _, sub := range d.SubIFDs {
			s.Levels = append(s.Levels, formats.Level{SizeX: sub.Width, SizeY: sub.Height, TileWidth: sub.TileWidth, TileHeight: sub.TileHeight})
		}
		break
	}
	return pm, nil
}

// storedIFDs counts the images (main IFDs) of the TIFF files opened so far.
func (r *Reader) storedIFDs() int {
	n := 0
	for _, t := range r.tiffs {
		n += len(t.f.IFDs())
	}
	return n
}

// checkIFD verifies that an IFD matches what the OME-XML says about it.
func (r *Reader) checkIFD(im *Image, ti, i int) error {
	s := &im.Series
	t := r.tiffs[ti]
	d := t.f.IFDs()[i]
	name := filepath.Base(t.path)
	if d.Width != s.SizeX || d.Height != s.SizeY {
		return fmt.Errorf("OME-XML says the image is %dx%d, but IFD %d of %s is %dx%d", s.SizeX, s.SizeY, i, name, d.Width, d.Height)
	}
	if d.PixelType.Size() != s.PixelType.Size() {
		return fmt.Errorf("OME-XML says the pixel type is %s, but IFD %d of %s holds %s samples", s.PixelType, i, name, d.PixelType)
	}
	spp := max(1, im.SamplesPerPixel)
	if d.SamplesPerPixel != spp {
		return fmt.Errorf("OME-XML says each plane has %d sample(s) per pixel, but IFD %d of %s has %d", spp, i, name, d.SamplesPerPixel)
	}
	return nil
}

// ReadPlane implements formats.Reader.
func (r *Reader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	lv, err := r.level(s, level)
	if err != nil {
		return nil, err
	}
	return r.ReadRegion(s, level, z, c, t, image.Rect(0, 0, lv.SizeX, lv.SizeY))
}

func (r *Reader) level(s, level int) (formats.Level, error) {
	if s < 0 || s >= len(r.series) {
		return formats.Level{}, fmt.Errorf("series %d does not exist (the file set has %d)", s, len(r.series))
	}
	ls := r.series[s].Levels
	if level < 0 || level >= len(ls) {
		return formats.Level{}, fmt.Errorf("pyramid level %d does not exist (series %d has %d)", level, s, len(ls))
	}
	return ls[level], nil
}

// ReadRegion implements formats.Reader.
func (r *Reader) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	tf, d, sample, err := r.locate(s, level, z, c, t)
	if err != nil {
		return nil, err
	}
	p, err := tf.f.ReadRegion(d, sample, rect)
	if err != nil {
		return nil, err
	}
	// Same sample size, other signedness: the XML's type wins, as in Bio-Formats.
	p.Type = r.series[s].PixelType
	return p, nil
}

// ReadRegionInto is ReadRegion into a plane the caller owns, of the
// series' pixel type (formats.RegionInto).
func (r *Reader) ReadRegionInto(s, level, z, c, t int, rect image.Rectangle, out *pixel.Plane) error {
	tf, d, sample, err := r.locate(s, level, z, c, t)
	if err != nil {
		return err
	}
	if out == nil || out.Type != r.series[s].PixelType || d.PixelType.Size() != out.Type.Size() {
		return fmt.Errorf("the plane to read into is not of the image's pixel type")
	}
	// The TIFF's own type for the decoder; the XML's for the caller.
	want := out.Type
	out.Type = d.PixelType
	err = tf.f.ReadRegionInto(d, sample, rect, out)
	out.Type = want
	return err
}

// PlaneSpan tells where in which file of the set a plane's samples lie as
// ReadPlane returns them (formats.PlaneSpan).
func (r *Reader) PlaneSpan(s, level, z, c, t int) (string, int64, int64, bool) {
	lv, err := r.level(s, level)
	if err != nil {
		return "", 0, 0, false
	}
	tf, d, sample, err := r.locate(s, level, z, c, t)
	// The plane ReadPlane returns is the XML's size cut from the IFD: the
	// same bytes only when the two agree.
	if err != nil || d.PixelType.Size() != r.series[s].PixelType.Size() || d.Width != lv.SizeX || d.Height != lv.SizeY {
		return "", 0, 0, false
	}
	off, n, ok := tf.f.PlaneSpan(d, sample)
	return tf.path, off, n, ok
}

// locate finds the file, IFD and sample holding plane (z, c, t) of a level.
func (r *Reader) locate(s, level, z, c, t int) (*openTIFF, *tiff.IFD, int, error) {
	if _, err := r.level(s, level); err != nil {
		return nil, nil, 0, err
	}
	pm := r.maps[s]
	se := &r.series[s]
	if z < 0 || z >= se.SizeZ || c < 0 || c >= se.SizeC || t < 0 || t >= se.SizeT {
		return nil, nil, 0, fmt.Errorf("plane z=%d c=%d t=%d is outside the image (%d×%d×%d)", z, c, t, se.SizeZ, se.SizeC, se.SizeT)
	}
	spp := max(1, pm.img.SamplesPerPixel)
	idx := PlaneIndex(se.DimensionOrder, se.SizeZ, pm.img.StoredChannels(), se.SizeT, z, c/spp, t)
	loc := pm.locs[idx]
	if loc.tiff < 0 {
		return nil, nil, 0, fmt.Errorf("plane z=%d c=%d t=%d is not stored in the file set (no TiffData maps it)", z, c, t)
	}
	tf := r.tiffs[loc.tiff]
	d := tf.f.IFDs()[loc.ifd]
	if level > 0 {
		if level > len(d.SubIFDs) {
			return nil, nil, 0, fmt.Errorf("plane z=%d c=%d t=%d has no pyramid level %d in %s", z, c, t, level, filepath.Base(tf.path))
		}
		d = d.SubIFDs[level-1]
	}
	return tf, d, c % spp, nil
}

// isTIFFFile reports whether the file starts with a TIFF or BigTIFF header.
func isTIFFFile(path string) bool {
	fh, err := os.Open(path)
	if err != nil {
		return false
	}
	defer fh.Close()
	var h [4]byte
	if _, err := fh.ReadAt(h[:], 0); err != nil {
		return false
	}
	s := string(h[:])
	return s == "II*\x00" || s == "MM\x00*" || s == "II+\x00" || s == "MM\x00+"
}

// refersToFiles reports whether any TiffData names a file, by name or UUID.
func refersToFiles(m *Metadata) bool {
	for _, im := range m.Images {
		for _, td := range im.TiffData {
			if td.FileName != "" || td.UUID != "" {
				return true
			}
		}
	}
	return false
}
