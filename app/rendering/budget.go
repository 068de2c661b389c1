package rendering

import (
	"image"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/render"
)

// MaxRenderBytes bounds the memory one picture may take while it is
// rendered (768 MiB): the planes read for it (every Z of a projection),
// the RGBA picture and, for an export, its encoded copy. A full-resolution
// picture of a 46000² image needs about 10 GB: it is refused, in seconds,
// with a sentence asking for a smaller size, a region or a reduced level.
const MaxRenderBytes = 768 << 20

// budget is the Service's MaxRenderBytes (Config.MaxRenderBytes).
func (s *Service) budget() int64 {
	if s.maxRender > 0 {
		return s.maxRender
	}
	return MaxRenderBytes
}

// renderCost estimates the bytes rendering v of region needs.
func renderCost(settings render.Settings, typeSize int, v View, region image.Rectangle) int64 {
	planes := int64(0)
	for _, c := range settings.Channels {
		if c.Active {
			planes++
			if settings.Model == render.Greyscale {
				break
			}
		}
	}
	planes = max(planes, 1)
	if p := v.Projection; p != nil && p.Kind != render.ProjectNone {
		planes *= int64(p.EndZ-p.StartZ+1) + 1 // the stack of one channel and its projection
	}
	px, ok := formats.MulChecked(int64(region.Dx()), int64(region.Dy()))
	if !ok {
		return 1<<63 - 1
	}
	out := px
	if v.Size > 0 {
		w, h := render.ThumbnailSize(region.Dx(), region.Dy(), v.Size)
		out = int64(w) * int64(h)
		if out > px {
			out += px // enlarged: the full-size picture is drawn first
		}
	}
	if n, ok := formats.MulChecked(px, planes, int64(typeSize)); ok {
		if m, ok := formats.MulChecked(out, 8); ok && n+m > 0 {
			return n + m
		}
	}
	return 1<<63 - 1
}

// checkRenderCost refuses a picture over the budget.
func checkRenderCost(img core.Ref, settings render.Settings, typeSize int, v View, region image.Rectangle, budget int64) error {
	need := renderCost(settings, typeSize, v, region)
	if need <= budget {
		return nil
	}
	return core.E("render", core.Invalid, formats.TooLarge(
		"rendering %d×%d pixels of %s at level %d needs about %d MiB of memory, more than the %d MiB allowed for one picture; ask for a smaller size, a region or a reduced level",
		region.Dx(), region.Dy(), img, v.Level, need>>20, budget>>20))
}
