package zarr

import (
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
)

// Reader reads an OME-Zarr image, a bioformats2raw multi-series container
// or an HCS plate. It implements formats.Reader and is safe for concurrent
// use (it keeps no per-read state).
type Reader struct {
	root   string
	files  []string
	series []formats.Series
	images []*msImage
	rels   []string // series paths relative to root
	plate  *formats.Plate
}

// msImage is one multiscale image: its level arrays and where t, c, z, y, x
// sit among the array dimensions (-1 when absent).
type msImage struct {
	levels        []*Array
	t, c, z, y, x int
	// posX, posY are where the image lies in µm (its translation), for a
	// plate field's position in its well; hasPos when the file says.
	posX, posY float64
	hasPos     bool
}

// IsZarr reports whether dir looks like a Zarr group or array.
func IsZarr(dir string) bool {
	for _, n := range []string{".zgroup", ".zattrs", ".zarray", "zarr.json"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

// Open opens the OME-Zarr rooted at path (a directory, or a metadata file
// inside it).
func Open(path string) (*Reader, error) {
	root, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(root); err == nil && !st.IsDir() {
		root = filepath.Dir(root)
	}
	if !IsZarr(root) {
		return nil, fmt.Errorf("%s is not a Zarr directory (no .zgroup, .zattrs or zarr.json)", root)
	}
	a, err := readAttrs(root)
	if err != nil {
		return nil, err
	}
	r := &Reader{root: root, files: []string{root}}
	var paths []string // series paths, in OME-XML image order where known
	if listed, err := bf2rawSeries(root); err == nil {
		paths = listed
	}
	switch {
	case a["plate"] != nil:
		if err := r.openPlate(a); err != nil {
			return nil, fmt.Errorf("%s: %v", root, err)
		}
	case a["multiscales"] != nil:
		if err := r.addImage(root, a, ""); err != nil {
			return nil, fmt.Errorf("%s: %v", root, err)
		}
		paths = []string{""}
	case a["bioformats2raw.layout"] != nil:
		if paths == nil {
			for i := 0; ; i++ {
				if !IsZarr(filepath.Join(root, strconv.Itoa(i))) {
					break
				}
				paths = append(paths, strconv.Itoa(i))
			}
		}
		for _, p := range paths {
			dir := filepath.Join(root, filepath.FromSlash(p))
			sa, err := readAttrs(dir)
			if err != nil {
				return nil, err
			}
			if err := r.addImage(dir, sa, p); err != nil {
				return nil, fmt.Errorf("%s: series %s: %v", root, p, err)
			}
		}
	default:
		if _, err := os.Stat(filepath.Join(root, ".zarray")); err == nil {
			return nil, fmt.Errorf("%s is a bare Zarr array without OME-Zarr (multiscales) metadata", root)
		}
		return nil, fmt.Errorf("%s is a Zarr group without OME-Zarr metadata (no multiscales, plate or bioformats2raw.layout)", root)
	}
	if len(r.series) == 0 {
		return nil, fmt.Errorf("%s holds no image", root)
	}
	r.applyOMEXML(paths)
	// Unnamed bioformats2raw series are named after the container.
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(root), ".zarr"), ".ome")
	for i := range r.series {
		if n := r.series[i].Name; n == "" || isDigits(n) {
			r.series[i].Name = base
			if len(r.series) > 1 {
				r.series[i].Name += " [" + r.rels[i] + "]"
			}
		}
	}
	return r, nil
}

// bf2rawSeries reads the series list of a bioformats2raw container (OME/.zattrs).
func bf2rawSeries(root string) ([]string, error) {
	a, err := readAttrs(filepath.Join(root, "OME"))
	if err != nil || a["series"] == nil {
		return nil, fmt.Errorf("no series list")
	}
	var list []string
	if err := jsonUnmarshal(a["series"], &list); err != nil {
		return nil, err
	}
	for _, p := range list {
		if !validPath(p) {
			return nil, fmt.Errorf("series path %q is invalid", p)
		}
	}
	return list, nil
}

// addImage opens the multiscale image in dir.
func (r *Reader) addImage(dir string, a attrs, name string) error {
	ms, err := a.multiscale()
	if err != nil {
		return err
	}
	im := &msImage{t: -1, c: -1, z: -1, y: -1, x: -1}
	for _, d := range ms.Datasets {
		arr, err := OpenArray(filepath.Join(dir, filepath.FromSlash(d.Path)))
		if err != nil {
			return err
		}
		if len(im.levels) > 0 && (arr.Type != im.levels[0].Type || len(arr.Shape) != len(im.levels[0].Shape)) {
			return fmt.Errorf("level %s has type %s and %d dimensions, unlike level 0 (%s, %d)", d.Path, arr.Type, len(arr.Shape), im.levels[0].Type, len(im.levels[0].Shape))
		}
		im.levels = append(im.levels, arr)
	}
	a0 := im.levels[0]
	nd := len(a0.Shape)
	axes := ms.Axes
	if len(axes) == 0 {
		// NGFF 0.1/0.2: always 5-D t, c, z, y, x.
		if nd != 5 {
			return fmt.Errorf("multiscales version %q has no axes and the array has %d dimensions, not 5 (tczyx)", ms.Version, nd)
		}
		for _, n := range "tczyx" {
			axes = append(axes, Axis{Name: string(n)})
		}
	}
	if len(axes) != nd {
		return fmt.Errorf("multiscales lists %d axes but the array has %d dimensions", len(axes), nd)
	}
	for i, ax := range axes {
		slot := map[string]*int{"t": &im.t, "c": &im.c, "z": &im.z, "y": &im.y, "x": &im.x}[strings.ToLower(ax.Name)]
		if slot == nil {
			switch ax.Type {
			case "time":
				slot = &im.t
			case "channel":
				slot = &im.c
			}
		}
		if slot == nil || *slot >= 0 {
			if a0.Shape[i] != 1 {
				return fmt.Errorf("axis %q (size %d) is not one of t, c, z, y, x", ax.Name, a0.Shape[i])
			}
			continue // extra singleton axis: always index 0
		}
		*slot = i
	}
	if im.y < 0 || im.x < 0 {
		return fmt.Errorf("the image has no y and x axes")
	}
	for i, l := range im.levels {
		for d := range l.Shape {
			if l.Shape[d] > a0.Shape[d] {
				return fmt.Errorf("level %s has shape %v, larger than level 0 (%v); pyramid levels must shrink", ms.Datasets[i].Path, l.Shape, a0.Shape)
			}
		}
		if err := l.checkBacked(); err != nil {
			return fmt.Errorf("level %s: %v", ms.Datasets[i].Path, err)
		}
	}
	if im.c >= 0 && a0.Shape[im.c] > maxChannels {
		return fmt.Errorf("the image has %d channels, more than the %d Ocular imports; split the channel axis into several images", a0.Shape[im.c], maxChannels)
	}
	size := func(d int) int {
		if d < 0 {
			return 1
		}
		return a0.Shape[d]
	}
	s := formats.Series{
		Name:  ms.Name,
		SizeX: size(im.x), SizeY: size(im.y), SizeZ: size(im.z), SizeC: size(im.c), SizeT: size(im.t),
		PixelType: a0.Type, DimensionOrder: "XYZCT",
	}
	if s.Name == "" {
		s.Name = name
	}
	if s.SizeX == 0 || s.SizeY == 0 || s.SizeZ == 0 || s.SizeC == 0 || s.SizeT == 0 {
		return fmt.Errorf("the image is empty (shape %v)", a0.Shape)
	}
	for _, l := range im.levels {
		s.Levels = append(s.Levels, formats.Level{SizeX: l.Shape[im.x], SizeY: l.Shape[im.y], TileWidth: l.Chunks[im.x], TileHeight: l.Chunks[im.y]})
	}
	scale := effectiveScale(ms, nd)
	unitOf := func(d int) string { return axes[d].Unit }
	if tr := translation(ms, nd); tr != nil {
		um := func(d int) (float64, bool) {
			v, ok := ome.LengthToMicrometres(tr[d], unitOf(d), "")
			return v, ok && !math.IsInf(v, 0) && !math.IsNaN(v)
		}
		x, okx := um(im.x)
		y, oky := um(im.y)
		im.posX, im.posY, im.hasPos = x, y, okx && oky
	}
	if scale != nil {
		phys := func(d int) float64 {
			if d < 0 || scale[d] <= 0 {
				return 0
			}
			v, ok := ome.LengthToMicrometres(scale[d], unitOf(d), "")
			if !ok || math.IsInf(v, 0) {
				return 0
			}
			return v
		}
		s.PhysicalSizeX, s.PhysicalSizeY, s.PhysicalSizeZ = phys(im.x), phys(im.y), phys(im.z)
		if im.t >= 0 && scale[im.t] > 0 {
			if v, ok := ome.TimeToSeconds(scale[im.t], unitOf(im.t), ""); ok {
				s.TimeIncrement = v
			}
		}
	}
	s.Channels = make([]formats.Channel, s.SizeC)
	if o := ms.Omero; o != nil {
		for i, ch := range o.Channels {
			if i >= s.SizeC {
				break
			}
			s.Channels[i].Name = labelString(ch.Label)
			if col, ok := parseHexColor(ch.Color); ok {
				s.Channels[i].Color, s.Channels[i].HasColor = col, true
			}
			if w := ch.Window; w != nil {
				s.Original = append(s.Original, formats.KeyValue{
					Key:   fmt.Sprintf("Channel %d window", i),
					Value: fmt.Sprintf("%g-%g (range %g-%g)", w.Start, w.End, w.Min, w.Max),
				})
			}
		}
	}
	s.Original = append(s.Original, formats.KeyValue{Key: "NGFF version", Value: ms.Version})
	r.images = append(r.images, im)
	r.series = append(r.series, s)
	r.rels = append(r.rels, name)
	return nil
}

// translation is where level 0's origin lies in physical units: its own
// translation, then the multiscale-wide scale and translation, in the order
// NGFF applies them; nil when the file has none.
func translation(ms *Multiscale, nd int) []float64 {
	var out []float64
	for _, t := range ms.Datasets[0].Transforms {
		if t.Type == "translation" && len(t.Translation) == nd {
			out = append([]float64(nil), t.Translation...)
		}
	}
	for _, t := range ms.Transforms {
		if t.Type == "scale" && len(t.Scale) == nd && out != nil {
			for i := range out {
				out[i] *= t.Scale[i]
			}
		}
		if t.Type == "translation" && len(t.Translation) == nd {
			if out == nil {
				out = make([]float64, nd)
			}
			for i := range out {
				out[i] += t.Translation[i]
			}
		}
	}
	return out
}

// effectiveScale multiplies the level-0 scale by the multiscale-wide one.
func effectiveScale(ms *Multiscale, nd int) []float64 {
	var out []float64
	for _, t := range ms.Datasets[0].Transforms {
		if t.Type == "scale" && len(t.Scale) == nd {
			out = append([]float64(nil), t.Scale...)
		}
	}
	for _, t := range ms.Transforms {
		if t.Type == "scale" && len(t.Scale) == nd {
			if out == nil {
				out = append([]float64(nil), t.Scale...)
			} else {
				for i := range out {
					out[i] *= t.Scale[i]
				}
			}
		}
	}
	return out
}

func (r *Reader) openPlate(a attrs) error {
	pm, err := a.plate()
	if err != nil {
		return err
	}
	p := &formats.Plate{Name: pm.Name, Rows: len(pm.Rows), Columns: len(pm.Columns), RowNaming: namingOf(pm.Rows), ColNaming: namingOf(pm.Columns)}
	acqIndex := map[int]int{}
	for i, aq := range pm.Acquisitions {
		acqIndex[aq.ID] = i
		pa := formats.PlateAcquisition{Name: aq.Name}
		if pa.Name == "" {
			pa.Name = fmt.Sprintf("Acquisition %d", aq.ID)
		}
		if aq.StartTime > 0 {
			pa.StartTime = time.UnixMilli(aq.StartTime).UTC()
		}
		if aq.EndTime > 0 {
			pa.EndTime = time.UnixMilli(aq.EndTime).UTC()
		}
		p.Acquisitions = append(p.Acquisitions, pa)
	}
	for _, w := range pm.Wells {
		p.Rows, p.Columns = max(p.Rows, w.Row+1), max(p.Columns, w.Column+1)
		p.Wells = append(p.Wells, formats.Well{Row: w.Row, Column: w.Column})
		wdir := filepath.Join(r.root, filepath.FromSlash(w.Path))
		wa, err := readAttrs(wdir)
		if err != nil {
			return err
		}
		var well struct {
			Images []struct {
				Path        string `json:"path"`
				Acquisition *int   `json:"acquisition"`
			} `json:"images"`
		}
		if wa["well"] == nil {
			return fmt.Errorf("well %s has no well metadata", w.Path)
		}
		if err := jsonUnmarshal(wa["well"], &well); err != nil {
			return fmt.Errorf("well %s: malformed well metadata: %v", w.Path, err)
		}
		for field, img := range well.Images {
			if !validPath(img.Path) {
				return fmt.Errorf("well %s: field path %q is invalid", w.Path, img.Path)
			}
			fdir := filepath.Join(wdir, filepath.FromSlash(img.Path))
			fa, err := readAttrs(fdir)
			if err != nil {
				return err
			}
			if err := r.addImage(fdir, fa, w.Path+"/"+img.Path); err != nil {
				return fmt.Errorf("well %s field %s: %v", w.Path, img.Path, err)
			}
			ref := &formats.WellSampleRef{Row: w.Row, Column: w.Column, Field: field, Acquisition: -1}
			if im := r.images[len(r.images)-1]; im.hasPos {
				// The field's translation places it in the well.
				ref.PositionX, ref.PositionY = im.posX, im.posY
			}
			if img.Acquisition != nil {
				if i, ok := acqIndex[*img.Acquisition]; ok {
					ref.Acquisition = i
				}
			}
			s := &r.series[len(r.series)-1]
			s.Well = ref
			if s.Name == "" || s.Name == w.Path+"/"+img.Path {
				s.Name = wellName(pm, w) + " field " + strconv.Itoa(field+1)
			}
		}
	}
	r.plate = p
	return nil
}

func wellName(pm *PlateMeta, w WellMeta) string {
	row, col := strconv.Itoa(w.Row+1), strconv.Itoa(w.Column+1)
	if w.RowName != "" {
		row = w.RowName
	}
	if w.ColumnName != "" {
		col = w.ColumnName
	}
	return row + col
}

func namingOf(names []string) string {
	if len(names) == 0 {
		return ""
	}
	for _, n := range names {
		for _, r := range n {
			if !unicode.IsLetter(r) {
				return "number"
			}
		}
	}
	return "letter"
}

// applyOMEXML enriches the series with bioformats2raw's OME-XML (names,
// channel names, instrument, dates) where the NGFF metadata lacks them.
// paths[i] is the series path of OME Image i.
func (r *Reader) applyOMEXML(paths []string) {
	var metaPath string
	for _, p := range []string{filepath.Join(r.root, "OME", "METADATA.ome.xml"), filepath.Join(r.root, "METADATA.ome.xml"), filepath.Join(filepath.Dir(r.root), "METADATA.ome.xml")} {
		if _, err := os.Stat(p); err == nil {
			metaPath = p
			break
		}
	}
	if metaPath == "" {
		return
	}
	fh, err := os.Open(metaPath)
	if err != nil {
		return
	}
	defer fh.Close()
	m, err := ome.Parse(fh)
	if err != nil {
		r.series[0].Original = append(r.series[0].Original, formats.KeyValue{Key: "METADATA.ome.xml error", Value: err.Error()})
		return
	}
	if !strings.HasPrefix(metaPath, r.root+string(filepath.Separator)) {
		r.files = append(r.files, metaPath)
	}
	// Series are matched to OME images by their position in the series list.
	for i := range r.series {
		oi := i
		if paths != nil {
			oi = indexOf(paths, r.rels[i])
		}
		if oi < 0 || oi >= len(m.Images) {
			continue
		}
		mergeOME(&r.series[i], &m.Images[oi].Series)
	}
	if r.plate != nil && m.Plate != nil && r.plate.Name == "" {
		r.plate.Name = m.Plate.Name
	}
}

func mergeOME(s, o *formats.Series) {
	if o.SizeX != s.SizeX || o.SizeY != s.SizeY {
		return // not the same image
	}
	if o.Name != "" && (s.Name == "" || isDigits(s.Name)) {
		s.Name = o.Name
	}
	if s.Description == "" {
		s.Description = o.Description
	}
	if s.PhysicalSizeX == 0 {
		s.PhysicalSizeX, s.PhysicalSizeY = o.PhysicalSizeX, o.PhysicalSizeY
	}
	if s.PhysicalSizeZ == 0 {
		s.PhysicalSizeZ = o.PhysicalSizeZ
	}
	if s.TimeIncrement == 0 {
		s.TimeIncrement = o.TimeIncrement
	}
	for c := range s.Channels {
		if c >= len(o.Channels) {
			break
		}
		oc := o.Channels[c]
		sc := &s.Channels[c]
		if oc.Name != "" {
			sc.Name = oc.Name
		}
		if !sc.HasColor && oc.HasColor {
			sc.Color, sc.HasColor = oc.Color, true
		}
		sc.ExcitationWavelength, sc.EmissionWavelength = oc.ExcitationWavelength, oc.EmissionWavelength
		sc.Fluor, sc.ContrastMethod, sc.IlluminationType, sc.AcquisitionMode = oc.Fluor, oc.ContrastMethod, oc.IlluminationType, oc.AcquisitionMode
		sc.Settings = oc.Settings
	}
	s.Planes = o.Planes
	s.Acquisition = o.Acquisition
	s.AcquiredAt = o.AcquiredAt
	s.Original = append(s.Original, o.Original...)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Format implements formats.Reader.
func (r *Reader) Format() string { return "OME-Zarr" }

// Files implements formats.Reader: the Zarr directory (its chunk files are
// not listed one by one) and an external METADATA.ome.xml if any.
func (r *Reader) Files() []string { return append([]string(nil), r.files...) }

// Series implements formats.Reader.
func (r *Reader) Series() []formats.Series { return r.series }

// Plate implements formats.Reader.
func (r *Reader) Plate() *formats.Plate { return r.plate }

// Close implements formats.Reader; chunk files are opened per read.
func (r *Reader) Close() error { return nil }

// ReadPlane implements formats.Reader.
func (r *Reader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	if s < 0 || s >= len(r.series) || level < 0 || level >= len(r.series[s].Levels) {
		return nil, fmt.Errorf("%s: series %d level %d does not exist", r.root, s, level)
	}
	l := r.series[s].Levels[level]
	return r.ReadRegion(s, level, z, c, t, image.Rect(0, 0, l.SizeX, l.SizeY))
}

// ReadRegion implements formats.Reader.
func (r *Reader) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	if s < 0 || s >= len(r.series) {
		return nil, fmt.Errorf("%s: series %d does not exist (%d series)", r.root, s, len(r.series))
	}
	im := r.images[s]
	if level < 0 || level >= len(im.levels) {
		return nil, fmt.Errorf("%s: pyramid level %d does not exist (%d levels)", r.root, level, len(im.levels))
	}
	se := &r.series[s]
	if z < 0 || z >= se.SizeZ || c < 0 || c >= se.SizeC || t < 0 || t >= se.SizeT {
		return nil, fmt.Errorf("%s: plane z=%d c=%d t=%d is outside the image (%d×%d×%d)", r.root, z, c, t, se.SizeZ, se.SizeC, se.SizeT)
	}
	arr := im.levels[level]
	fixed := make([]int, len(arr.Shape))
	for d, v := range map[int]int{im.z: z, im.c: c, im.t: t} {
		if d >= 0 {
			if v >= arr.Shape[d] {
				return nil, fmt.Errorf("%s: level %d has only %d entries along dimension %d", r.root, level, arr.Shape[d], d)
			}
			fixed[d] = v
		}
	}
	return arr.Read2D(fixed, im.y, im.x, rect)
}
