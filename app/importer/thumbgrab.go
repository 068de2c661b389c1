package importer

import (
	"bytes"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// thumbGrab keeps, while the statistics pass reads the planes, the ones the
// import thumbnail is drawn from, so that they are not read and decoded a
// second time. A kept plane is reduced at once to the size RenderThumbnail
// reduces to (twice the thumbnail's), by the same sampling, so the
// thumbnail is identical to one drawn from the full planes and memory holds
// a few kilobytes per image instead of whole planes until registration.
//
// The thumbnail's planes are known before the statistics: the import-time
// settings (render.Defaults) choose the middle Z, the first T and the first
// three channels whatever the statistics say; planes checks that the final
// settings agree and otherwise gives nothing (the caller reads the planes).
type thumbGrab struct {
	z, t   int
	active []bool
	w, h   int // the size to reduce to; the plane's own when no reduction
	got    []*pixel.Plane
	n      int
}

// newThumbGrab plans the grab for series s, or returns nil when the
// thumbnail does not come from full-resolution planes (a file with its own
// pyramid has a smaller level to draw it from).
func newThumbGrab(s formats.Series, longest int) *thumbGrab {
	for _, lv := range s.Levels[min(1, len(s.Levels)):] {
		if max(lv.SizeX, lv.SizeY) >= 256 {
			return nil // thumbnailPlanes reads a pyramid level
		}
	}
	if max(s.SizeX, s.SizeY) > thumbSourceMax*4 {
		return nil // as thumbnailPlanes: drawn later from a pyramid
	}
	pre := render.Defaults(s.PixelType, s.SizeZ, s.SizeT, make([]render.ChannelInfo, s.SizeC))
	g := &thumbGrab{z: pre.DefaultZ, t: pre.DefaultT, active: make([]bool, s.SizeC), got: make([]*pixel.Plane, s.SizeC)}
	for c := range g.active {
		g.active[c] = pre.Channels[c].Active
	}
	tw, th := render.ThumbnailSize(s.SizeX, s.SizeY, longest)
	g.w, g.h = s.SizeX, s.SizeY
	if 2*tw < s.SizeX && 2*th < s.SizeY {
		g.w, g.h = 2*tw, 2*th
	}
	return g
}

// keep is offered every whole full-resolution plane the statistics pass
// reads; it keeps (reduced, or copied: p's buffer is reused) those the
// thumbnail needs.
func (g *thumbGrab) keep(z, c, t int, p *pixel.Plane) {
	if g == nil || z != g.z || t != g.t || c >= len(g.active) || !g.active[c] || g.got[c] != nil {
		return
	}
	if p.Width != g.w || p.Height != g.h {
		r, err := render.ReducePlane(p, g.w, g.h)
		if err != nil {
			return // planes gives nothing; the caller reads the planes again
		}
		p = r
	} else {
		// The band's buffer is reused for the next band: keep a copy.
		p = &pixel.Plane{Type: p.Type, Width: p.Width, Height: p.Height, Data: bytes.Clone(p.Data)}
	}
	g.got[c] = p
	g.n++
}

// planes returns the kept planes when they are all the final settings need.
func (g *thumbGrab) planes(st render.Settings) []*pixel.Plane {
	if g == nil || st.DefaultZ != g.z || st.DefaultT != g.t || len(st.Channels) != len(g.got) {
		return nil
	}
	want := 0
	for c, cs := range st.Channels {
		if cs.Active != g.active[c] {
			return nil
		}
		if cs.Active {
			want++
		}
	}
	if want == 0 || want != g.n {
		return nil
	}
	return g.got
}
