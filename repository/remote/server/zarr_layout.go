package server

// The OME-Zarr documents of one image: how its pixels are laid out as
// arrays (one per resolution level, axes t, c, z, y, x) and chunks, and the
// attributes OME-Zarr viewers read (multiscales, omero).

import (
	"image"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// zarrChunkSide is the largest side of a chunk: a chunk of a float64 image is
// then 2 MiB, the most one chunk request reads and sends.
const zarrChunkSide = 512

// zarrLayout is an image as OME-Zarr.
type zarrLayout struct {
	src    core.PixelSource
	levels []image.Point // full resolution first
	typ    pixel.Type
}

func newLayout(src core.PixelSource, levels []image.Point) (*zarrLayout, error) {
	t, err := pixel.ParseType(src.Pixels.PixelType)
	if err != nil {
		return nil, core.E("zarr", core.Internal, err)
	}
	if len(levels) == 0 {
		return nil, core.Errorf("zarr", core.Internal, "%s lists no resolution levels", src.Image)
	}
	return &zarrLayout{src: src, levels: levels, typ: t}, nil
}

// zarrDtypes are the NumPy type strings of the pixel types: samples are
// stored little-endian, as pixel.Plane holds them.
var zarrDtypes = map[pixel.Type]string{
	pixel.Uint8: "|u1", pixel.Int8: "|i1", pixel.Uint16: "<u2", pixel.Int16: "<i2",
	pixel.Uint32: "<u4", pixel.Int32: "<i4", pixel.Float32: "<f4", pixel.Float64: "<f8",
}

// chunk is the size (x, y) of the chunks of a level.
func (l *zarrLayout) chunk(level int) image.Point {
	s := l.levels[level]
	return image.Pt(min(zarrChunkSide, s.X), min(zarrChunkSide, s.Y))
}

// chunkRegion is the part of the level a chunk covers, clipped to the
// level; false for a key outside the array.
func (l *zarrLayout) chunkRegion(level, t, c, z, cy, cx int) (image.Rectangle, bool) {
	p := l.src.Pixels
	if level >= len(l.levels) || t >= p.SizeT || c >= p.SizeC || z >= p.SizeZ {
		return image.Rectangle{}, false
	}
	s, ch := l.levels[level], l.chunk(level)
	if cx >= (s.X+ch.X-1)/ch.X || cy >= (s.Y+ch.Y-1)/ch.Y {
		return image.Rectangle{}, false
	}
	r := image.Rect(cx*ch.X, cy*ch.Y, (cx+1)*ch.X, (cy+1)*ch.Y)
	return r.Intersect(image.Rect(0, 0, s.X, s.Y)), true
}

// zarray is a level's .zarray (Zarr v2 array metadata).
type zarray struct {
	ZarrFormat         int    `json:"zarr_format"`
	Shape              []int  `json:"shape"`
	Chunks             []int  `json:"chunks"`
	Dtype              string `json:"dtype"`
	Compressor         any    `json:"compressor"`
	FillValue          int    `json:"fill_value"`
	Order              string `json:"order"`
	Filters            any    `json:"filters"`
	DimensionSeparator string `json:"dimension_separator"`
}

func (l *zarrLayout) array(level int) zarray {
	p, s, ch := l.src.Pixels, l.levels[level], l.chunk(level)
	return zarray{ZarrFormat: 2, Shape: []int{p.SizeT, p.SizeC, p.SizeZ, s.Y, s.X}, Chunks: []int{1, 1, 1, ch.Y, ch.X},
		Dtype: zarrDtypes[l.typ], Order: "C", DimensionSeparator: "/"}
}

// The .zattrs of the image's group, OME-Zarr 0.4.
type (
	zattrs struct {
		Multiscales []multiscale `json:"multiscales"`
		Omero       omero        `json:"omero"`
	}
	multiscale struct {
		Version  string    `json:"version"`
		Name     string    `json:"name"`
		Axes     []axis    `json:"axes"`
		Datasets []dataset `json:"datasets"`
	}
	axis struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Unit string `json:"unit,omitempty"`
	}
	dataset struct {
		Path                      string      `json:"path"`
		CoordinateTransformations []transform `json:"coordinateTransformations"`
	}
	transform struct {
		Type  string    `json:"type"`
		Scale []float64 `json:"scale"`
	}
	omero struct {
		ID       core.ID        `json:"id"`
		Name     string         `json:"name"`
		Version  string         `json:"version"`
		Channels []omeroChannel `json:"channels"`
		Rdefs    omeroRdefs     `json:"rdefs"`
	}
	omeroChannel struct {
		Active      bool        `json:"active"`
		Coefficient float64     `json:"coefficient"`
		Color       string      `json:"color"`
		Family      string      `json:"family"`
		Inverted    bool        `json:"inverted"`
		Label       string      `json:"label"`
		Window      omeroWindow `json:"window"`
	}
	omeroWindow struct {
		Start float64 `json:"start"`
		End   float64 `json:"end"`
		Min   float64 `json:"min"`
		Max   float64 `json:"max"`
	}
	omeroRdefs struct {
		DefaultT int    `json:"defaultT"`
		DefaultZ int    `json:"defaultZ"`
		Model    string `json:"model"`
	}
)

// attrs is the group's .zattrs: the levels with their physical scales
// (micrometres and seconds where the image knows them, else 1 pixel), and
// the caller's viewer settings (what the desktop viewer opens with) as the
// omero block, so a viewer shows the image as Ocular does.
func (l *zarrLayout) attrs(view core.RenderingDefView) zattrs {
	p := l.src.Pixels
	unit := func(known float64, u string) string {
		if known > 0 {
			return u
		}
		return ""
	}
	orOne := func(v float64) float64 {
		if v > 0 {
			return v
		}
		return 1
	}
	ms := multiscale{Version: "0.4", Name: l.src.Name,
		Axes: []axis{{Name: "t", Type: "time", Unit: unit(p.TimeIncrement, "second")}, {Name: "c", Type: "channel"},
			{Name: "z", Type: "space", Unit: unit(p.PhysicalSizeZ, "micrometer")},
			{Name: "y", Type: "space", Unit: unit(p.PhysicalSizeY, "micrometer")},
			{Name: "x", Type: "space", Unit: unit(p.PhysicalSizeX, "micrometer")}},
	}
	for i, s := range l.levels {
		fx, fy := float64(p.SizeX)/float64(s.X), float64(p.SizeY)/float64(s.Y)
		ms.Datasets = append(ms.Datasets, dataset{Path: itoa(i), CoordinateTransformations: []transform{{Type: "scale",
			Scale: []float64{orOne(p.TimeIncrement), 1, orOne(p.PhysicalSizeZ), orOne(p.PhysicalSizeY) * fy, orOne(p.PhysicalSizeX) * fx}}}})
	}
	st := view.Settings
	model := "color"
	if st.Model == render.Greyscale {
		model = "greyscale"
	}
	om := omero{ID: l.src.Image.ID, Name: l.src.Name, Version: "0.4", Rdefs: omeroRdefs{DefaultT: st.DefaultT, DefaultZ: st.DefaultZ, Model: model}}
	lo, hi := l.typ.Range()
	for c := 0; c < p.SizeC; c++ {
		ch := omeroChannel{Active: true, Coefficient: 1, Color: "FFFFFF", Family: string(render.Linear)}
		wmin, wmax := lo, hi
		if c < len(l.src.Channels) {
			info := l.src.Channels[c]
			ch.Label = info.Name
			if info.HasStats && l.typ.IsFloat() {
				wmin, wmax = info.StatsMin, info.StatsMax
			}
		}
		ch.Window = omeroWindow{Start: wmin, End: wmax, Min: wmin, Max: wmax}
		if c < len(st.Channels) {
			cs := st.Channels[c]
			ch.Active, ch.Inverted, ch.Color = cs.Active, cs.Reverse, cs.Color.Hex()[:6]
			ch.Window.Start, ch.Window.End = cs.Start, cs.End
			if cs.Family != "" {
				ch.Family = string(cs.Family)
			}
			if cs.Coefficient != 0 {
				ch.Coefficient = cs.Coefficient
			}
			if cs.Label != "" {
				ch.Label = cs.Label
			}
		}
		ch.Window.Min, ch.Window.Max = min(ch.Window.Min, ch.Window.Start), max(ch.Window.Max, ch.Window.End)
		if ch.Label == "" {
			ch.Label = "Channel " + itoa(c)
		}
		om.Channels = append(om.Channels, ch)
	}
	return zattrs{Multiscales: []multiscale{ms}, Omero: om}
}
