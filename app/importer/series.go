package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sync"

	"github.com/ocular-lab/ocular/app/pyramid"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// thumbSourceMax bounds the plane size kept in memory to draw a thumbnail
// after registration: a pyramid level at most this long on its longest side
// is used when the image has one.
const thumbSourceMax = 4096

// thumbSourceBytes bounds the planes read at once for the import
// thumbnail (its share of the import's memory budget).
const thumbSourceBytes = 256 << 20

// prepared is one series read and ready to register.
type prepared struct {
	image    core.NewImage
	settings render.Settings
	// thumbPlanes are the default plane's channels at a small enough level;
	// nil when thumbnails are skipped or the image has no small level, and
	// once the thumbnail is drawn (see thumbnailOnce).
	thumbPlanes []*pixel.Plane
	thumbMu     sync.Mutex
	thumb       []byte // the thumbnail, encoded as the cache stores it
	// pyramid is the pyramid built for a big plane that has none, staged
	// in the cache until the image has an ID (Commit) or the import fails
	// (Discard); nil otherwise.
	pyramid *pyramid.Staged
}

// prepareSeries builds the registration of series s: pixels, channels with
// statistics, the owner's import-time rendering settings (spec §5.4) and
// the planes for its thumbnail. Planes are read one at a time, so memory
// stays at a few planes whatever the image's size. When pyrs is not nil, a
// big plane without pyramid gets one (pyramid.Needed), built band by band
// in one pass that also gives the statistics; its thumbnail comes from the
// pyramid's smallest level. Planes whose bytes are in kept (the unit's
// files as just copied) are taken from there instead of read again.
func prepareSeries(ctx context.Context, r formats.Reader, si int, s formats.Series, kept keptBytes, opts Options, pyrs *pyramid.Cache) (_ *prepared, err error) {
	if s.SizeX <= 0 || s.SizeY <= 0 || s.SizeZ <= 0 || s.SizeC <= 0 || s.SizeT <= 0 {
		return nil, fmt.Errorf("series %d has invalid dimensions %dx%dx%dx%dx%d", si, s.SizeX, s.SizeY, s.SizeZ, s.SizeC, s.SizeT)
	}
	p := &prepared{}
	if pyrs != nil && pyramid.Needed(s) {
		if p.pyramid, err = pyrs.Stage(ctx, r, si); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				p.pyramid.Discard()
			}
		}()
	}
	levels := len(s.Levels)
	if levels == 0 {
		levels = 1
	}
	name := s.Name
	if name == "" {
		name = fmt.Sprintf("Series %d", si)
	}
	img := core.NewImage{
		Name: name, Description: s.Description, AcquisitionDate: s.AcquiredAt,
		Pixels: core.PixelsInfo{SizeX: s.SizeX, SizeY: s.SizeY, SizeZ: s.SizeZ, SizeC: s.SizeC, SizeT: s.SizeT,
			PixelType: s.PixelType.String(), DimensionOrder: s.DimensionOrder, PhysicalSizeX: s.PhysicalSizeX,
			PhysicalSizeY: s.PhysicalSizeY, PhysicalSizeZ: s.PhysicalSizeZ, TimeIncrement: s.TimeIncrement,
			Series: si, Levels: levels},
		Attrs: map[string]any{"format": r.Format()},
	}
	if len(s.Original) > 0 {
		img.Attrs["originalMetadata"] = keyValues(s.Original)
	}
	if a := s.Acquisition; a != nil {
		img.Attrs["acquisition"] = map[string]any{"microscope": keyValues(a.Microscope), "objective": keyValues(a.Objective),
			"detectors": kvLists(a.Detectors), "lightSources": kvLists(a.LightSource), "filters": kvLists(a.Filters)}
	}
	if len(s.Planes) > 0 {
		img.Attrs["planes"] = s.Planes
	}
	// Per-channel acquisition settings (detector and light source settings,
	// pinhole), shown by the desktop's Acquisition tab.
	var chSettings [][][2]string
	for _, ch := range s.Channels {
		chSettings = append(chSettings, keyValues(ch.Settings))
	}
	for _, l := range chSettings {
		if len(l) > 0 {
			img.Attrs["channelSettings"] = chSettings
			break
		}
	}
	rch := make([]render.ChannelInfo, s.SizeC)
	img.Channels = make([]core.ChannelInfo, s.SizeC)
	// The statistics pass keeps the thumbnail's planes, reduced, as it
	// reads them (see thumbGrab), so that no plane is decoded twice.
	var grab *thumbGrab
	if !opts.SkipThumbnails && !opts.SkipMinMax && p.pyramid == nil {
		grab = newThumbGrab(s, opts.ThumbnailSize)
	}
	for c := 0; c < s.SizeC; c++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var ch formats.Channel
		if c < len(s.Channels) {
			ch = s.Channels[c]
		}
		img.Channels[c] = core.ChannelInfo{Index: c, Name: ch.Name, Color: ch.Color, HasColor: ch.HasColor,
			ExcitationWavelength: ch.ExcitationWavelength, EmissionWavelength: ch.EmissionWavelength, Fluor: ch.Fluor, LUT: ch.LUT}
		if img.Channels[c].Name == "" {
			img.Channels[c].Name = defaultChannelName(ch, c)
		}
		if !opts.SkipMinMax {
			lo, hi := 0.0, 0.0
			if p.pyramid != nil {
				lo, hi = p.pyramid.Min[c], p.pyramid.Max[c]
			} else if lo, hi, err = channelMinMax(ctx, r, si, s, c, kept, grab); err != nil {
				return nil, err
			}
			img.Channels[c].StatsMin, img.Channels[c].StatsMax, img.Channels[c].HasStats = lo, hi, true
		}
		rch[c] = render.ChannelInfo{Name: img.Channels[c].Name, Color: ch.Color, HasColor: ch.HasColor,
			EmissionWavelength: ch.EmissionWavelength, LUT: ch.LUT, StatsMin: img.Channels[c].StatsMin,
			StatsMax: img.Channels[c].StatsMax, HasStats: img.Channels[c].HasStats}
	}
	p.settings = render.Defaults(s.PixelType, s.SizeZ, s.SizeT, rch)
	b, err := json.Marshal(p.settings)
	if err != nil {
		return nil, err
	}
	img.Rendering = b
	p.image = img
	if !opts.SkipThumbnails {
		if p.pyramid != nil {
			p.thumbPlanes, err = stagedThumbnailPlanes(p.pyramid, s, p.settings)
		} else if planes := grab.planes(p.settings); planes != nil {
			p.thumbPlanes = planes
		} else {
			p.thumbPlanes, err = thumbnailPlanes(ctx, r, si, s, p.settings)
		}
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

func defaultChannelName(ch formats.Channel, c int) string {
	if ch.EmissionWavelength > 0 {
		return fmt.Sprintf("%g", math.Round(ch.EmissionWavelength))
	}
	return fmt.Sprintf("Channel %d", c+1)
}

func keyValues(kvs []formats.KeyValue) [][2]string {
	out := make([][2]string, len(kvs))
	for i, kv := range kvs {
		out[i] = [2]string{kv.Key, kv.Value}
	}
	return out
}

func kvLists(ls [][]formats.KeyValue) [][][2]string {
	out := make([][][2]string, len(ls))
	for i, l := range ls {
		out[i] = keyValues(l)
	}
	return out
}

// thumbnailPlanes reads the default plane of every active channel at the
// smallest pyramid level still larger than a thumbnail, or at full size
// when that is small enough.
func thumbnailPlanes(ctx context.Context, r formats.Reader, si int, s formats.Series, st render.Settings) ([]*pixel.Plane, error) {
	level := 0
	for l, lv := range s.Levels {
		if max(lv.SizeX, lv.SizeY) >= 256 {
			level = l
		}
	}
	w, h := s.SizeX, s.SizeY
	if level < len(s.Levels) {
		w, h = s.Levels[level].SizeX, s.Levels[level].SizeY
	}
	active := 0
	for c := 0; c < s.SizeC; c++ {
		if c >= len(st.Channels) || st.Channels[c].Active {
			active++
		}
	}
	if max(w, h) > thumbSourceMax*4 || int64(w)*int64(h)*int64(s.PixelType.Size())*int64(active) > thumbSourceBytes {
		return nil, nil // no small level: drawn later from a pyramid built on demand
	}
	planes := make([]*pixel.Plane, s.SizeC)
	for c := 0; c < s.SizeC; c++ {
		if c < len(st.Channels) && !st.Channels[c].Active {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pl, err := r.ReadPlane(si, level, st.DefaultZ, c, st.DefaultT)
		if err != nil {
			return nil, fmt.Errorf("reading the thumbnail plane: %w", err)
		}
		planes[c] = pl
	}
	return planes, nil
}

// stagedThumbnailPlanes reads the default plane of every active channel at
// the smallest level of a staged pyramid.
func stagedThumbnailPlanes(st *pyramid.Staged, s formats.Series, rs render.Settings) ([]*pixel.Plane, error) {
	planes := make([]*pixel.Plane, s.SizeC)
	for c := 0; c < s.SizeC; c++ {
		if c < len(rs.Channels) && !rs.Channels[c].Active {
			continue
		}
		pl, err := st.ReadSmallest(rs.DefaultZ, c, rs.DefaultT)
		if err != nil {
			return nil, fmt.Errorf("reading the thumbnail plane from the pyramid: %w", err)
		}
		planes[c] = pl
	}
	return planes, nil
}
