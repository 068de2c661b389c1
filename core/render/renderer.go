package render

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"

	"github.com/ocular-lab/ocular/core/pixel"
)

// Renderer renders plane sets with Settings. It keeps, per channel, the
// tables derived from that channel's settings, so re-rendering after one
// channel's window changes rebuilds only that channel's table.
//
// A Renderer may be used from several goroutines; renders are serialised.
type Renderer struct {
	mu    sync.Mutex
	chans []*channelTable
	fused *fusedTables // allocated on the first render of up to four 8- or 16-bit channels
}

// NewRenderer returns a Renderer with empty caches.
func NewRenderer() *Renderer { return &Renderer{} }

// Render renders planes (one per channel of s, in order; inactive channels'
// entries may be nil) into dst, which must have the planes' size. Every
// active plane must have the same size and pixel type.
func (r *Renderer) Render(dst *image.RGBA, planes []*pixel.Plane, s *Settings) error {
	w, h, t, err := checkPlanes(planes, s)
	if err != nil {
		return err
	}
	if dst == nil || dst.Rect.Dx() != w || dst.Rect.Dy() != h {
		return fmt.Errorf("destination image must be %dx%d like the planes", w, h)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	tabs, planeOf := r.prepare(s, t)
	sel := selectPlanes(planes, planeOf)
	renderRegion(dst, dst.Rect, sel, image.Point{}, tabs, runtime.GOMAXPROCS(0))
	return nil
}

// RenderScaled renders planes into a destination smaller than (or equal to)
// the planes, for previews and thumbnails: each destination pixel takes the
// mean of up to 2x2 samples spread over the source area it covers, computed
// on pixel values before colouring.
func (r *Renderer) RenderScaled(dst *image.RGBA, planes []*pixel.Plane, s *Settings) error {
	w, h, _, err := checkPlanes(planes, s)
	if err != nil {
		return err
	}
	dw, dh := dst.Rect.Dx(), dst.Rect.Dy()
	if dw <= 0 || dh <= 0 || dw > w || dh > h {
		return fmt.Errorf("scaled destination %dx%d must be non-empty and no larger than the planes (%dx%d)", dw, dh, w, h)
	}
	if dw == w && dh == h {
		return r.Render(dst, planes, s)
	}
	small := make([]*pixel.Plane, len(planes))
	for i, p := range planes {
		if p == nil || !s.Channels[i].Active {
			continue
		}
		if small[i], err = ReducePlane(p, dw, dh); err != nil {
			return err
		}
	}
	return r.Render(dst, small, s)
}

// checkPlanes validates the plane set against the settings and returns the
// common size and type of the active planes.
func checkPlanes(planes []*pixel.Plane, s *Settings) (w, h int, t pixel.Type, err error) {
	if s == nil {
		return 0, 0, 0, errors.New("no rendering settings given")
	}
	if len(planes) != len(s.Channels) {
		return 0, 0, 0, fmt.Errorf("%d planes given for settings with %d channels", len(planes), len(s.Channels))
	}
	if s.CdStart < 0 || s.CdEnd > 255 || s.CdStart > s.CdEnd {
		return 0, 0, 0, fmt.Errorf("output range %d..%d is invalid", s.CdStart, s.CdEnd)
	}
	for i, p := range planes {
		if !s.Channels[i].Active {
			continue
		}
		if p == nil {
			return 0, 0, 0, fmt.Errorf("channel %d is active but has no plane", i+1)
		}
		if p.Type.Size() == 0 || p.Width <= 0 || p.Height <= 0 || len(p.Data) < p.Width*p.Height*p.Type.Size() {
			return 0, 0, 0, fmt.Errorf("channel %d: plane %dx%d of %s has %d bytes of data", i+1, p.Width, p.Height, p.Type, len(p.Data))
		}
		if t == pixel.Invalid {
			w, h, t = p.Width, p.Height, p.Type
		} else if p.Width != w || p.Height != h || p.Type != t {
			return 0, 0, 0, fmt.Errorf("channel %d: plane is %dx%d %s but channel planes before it are %dx%d %s", i+1, p.Width, p.Height, p.Type, w, h, t)
		}
	}
	if t == pixel.Invalid {
		// Nothing active: size from any plane given.
		for _, p := range planes {
			if p != nil {
				return p.Width, p.Height, p.Type, nil
			}
		}
		return 0, 0, 0, errors.New("no active channel and no plane to take the size from")
	}
	return w, h, t, nil
}

// prepared is what a render reads: the tables of the channels to composite,
// in order, and for up to four 8- or 16-bit channels the same tables side by side.
type prepared struct {
	chans []*channelTable
	fused *fusedTables // nil when the fused path does not apply
}

// prepare returns the tables of the channels to composite, in order, and for
// each the index of its plane. Caller holds r.mu.
func (r *Renderer) prepare(s *Settings, t pixel.Type) (*prepared, []int) {
	for len(r.chans) < len(s.Channels) {
		r.chans = append(r.chans, &channelTable{})
	}
	var out []*channelTable
	var idx []int
	for i := range s.Channels {
		c := &s.Channels[i]
		if !c.Active {
			continue
		}
		key := channelKey{typ: t, grey: s.Model == Greyscale, cdStart: s.CdStart, cdEnd: s.CdEnd, c: *c}
		key.c.Label = ""
		ct := r.chans[i]
		if !ct.valid || ct.key != key {
			ct.build(key)
		}
		out = append(out, ct)
		idx = append(idx, i)
		if s.Model == Greyscale {
			break // greyscale shows the first active channel only
		}
	}
	p := &prepared{chans: out}
	if len(out) > 0 && len(out) <= 4 && (t.Size() == 1 || t.Size() == 2) {
		if r.fused == nil {
			r.fused = &fusedTables{}
		}
		r.fused.update(out)
		p.fused = r.fused
	}
	return p, idx
}

func selectPlanes(planes []*pixel.Plane, idx []int) []*pixel.Plane {
	sel := make([]*pixel.Plane, len(idx))
	for i, j := range idx {
		sel[i] = planes[j]
	}
	return sel
}

// renderRegion renders the rectangle dr of dst from planes (one per table in
// chans), reading the planes from sp for dr.Min. Rows are split into bands
// rendered by up to workers goroutines.
func renderRegion(dst *image.RGBA, dr image.Rectangle, planes []*pixel.Plane, sp image.Point, tabs *prepared, workers int) {
	chans := tabs.chans
	w, h := dr.Dx(), dr.Dy()
	if w <= 0 || h <= 0 {
		return
	}
	band := func(y0, y1 int) {
		acc := make([]uint64, w)
		for y := y0; y < y1; y++ {
			o := dst.PixOffset(dr.Min.X, dr.Min.Y+y)
			pix := dst.Pix[o : o+4*w]
			if len(chans) == 0 {
				clear(acc)
				packRow(pix, acc)
				continue
			}
			if tabs.fused != nil && renderRowFused(pix, tabs.fused, len(chans), planes, sp.X, sp.Y+y, w) {
				continue
			}
			last := len(chans) - 1
			for i, ct := range chans {
				p := planes[i]
				bs := p.Type.Size()
				off := ((sp.Y+y)*p.Width + sp.X) * bs
				row := p.Data[off : off+w*bs]
				if i == last {
					ct.accumulateAndPack(pix, acc, row, i == 0)
				} else {
					ct.accumulate(acc, row, i == 0)
				}
			}
		}
	}
	// Below ~64k pixels goroutines cost more than they save.
	if w*h < 1<<16 {
		workers = 1
	}
	parallelBands(h, workers, band)
}

// packRow clamps the packed per-lane sums to 255 and writes opaque RGBA
// pixels.
func packRow(pix []byte, acc []uint64) {
	if out := pixels32(pix, len(acc)); out != nil {
		out = out[:len(acc)]
		for i, a := range acc {
			out[i] = packPixel(a)
		}
		return
	}
	for i, a := range acc {
		binary.LittleEndian.PutUint32(pix[4*i:], packPixel(a))
	}
}

// packPixel turns packed lane sums into an opaque RGBA pixel (as a
// little-endian uint32). The clamp is branch-free: a lane whose high byte is
// non-zero saturates to 0xFF.
func packPixel(a uint64) uint32 {
	const low = 0x0000_00FF_00FF_00FF
	hi := (a >> 8) & low
	v := (a & low) | (((hi+low)>>8)&0x0000_0001_0001_0001)*0xFF
	return uint32(v&0xFF|(v>>8)&0xFF00|(v>>16)&0xFF0000) | 0xFF000000
}

// parallelRows calls fn on contiguous bands of rows 0..h, one per CPU.
func parallelRows(h int, fn func(y0, y1 int)) { parallelBands(h, runtime.GOMAXPROCS(0), fn) }

// parallelBands calls fn on up to workers contiguous bands of rows 0..h,
// concurrently, and waits for them.
func parallelBands(h, workers int, fn func(y0, y1 int)) {
	workers = min(workers, h)
	if workers <= 1 {
		fn(0, h)
		return
	}
	var wg sync.WaitGroup
	step := (h + workers - 1) / workers
	for y0 := 0; y0 < h; y0 += step {
		y1 := min(y0+step, h)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(y0, y1)
		}()
	}
	wg.Wait()
}
