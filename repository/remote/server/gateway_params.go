package server

import (
	"encoding/json"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// OMERO.web's rendering query parameters (webgateway getImgDetailsFromReq)
// applied over the settings the viewer would open the image with. Every
// value is parsed with bounds and refused with a sentence; nothing of a
// refused request is applied.

// maxParam bounds one rendering parameter's text (a c= of 100 channels
// with windows and colours is under 4 KiB).
const maxParam = 16 << 10

// applyRenderParams applies c, m, p, maps (and ia, accepted and ignored:
// Ocular has no inverted axis) from q to dst, an image of info's channels;
// on error dst is unchanged.
func applyRenderParams(dst *render.Settings, q url.Values, info core.PixelsInfo) error {
	s := new(render.Settings)
	*s = dst.Clone()
	if err := applyParams(s, q, info); err != nil {
		return err
	}
	*dst = *s
	return nil
}

func applyParams(s *render.Settings, q url.Values, info core.PixelsInfo) error {
	for _, k := range []string{"c", "m", "p", "maps", "ia", "q", "z", "t"} {
		if len(q[k]) > 1 {
			return core.Errorf("", core.Invalid, "give the parameter %s= once", k)
		}
		if len(q.Get(k)) > maxParam {
			return core.Errorf("", core.Invalid, "the parameter %s= is too long", k)
		}
	}
	if c := q.Get("c"); c != "" {
		if err := applyChannels(s, c, info.SizeC); err != nil {
			return err
		}
	}
	switch m := q.Get("m"); m {
	case "":
	case "g":
		s.Model = render.Greyscale
	case "c":
		s.Model = render.RGB
	default:
		return core.Errorf("", core.Invalid, "m=%s is not a colour model: use m=g (greyscale) or m=c (colour)", m)
	}
	if p := q.Get("p"); p != "" {
		pr, err := parseProjection(p, info.SizeZ)
		if err != nil {
			return err
		}
		s.Projection = pr
	}
	if ia := q.Get("ia"); ia != "" && ia != "0" && ia != "1" {
		return core.Errorf("", core.Invalid, "ia=%s must be 0 or 1", ia)
	}
	if m := q.Get("maps"); m != "" {
		if err := applyMaps(s, m); err != nil {
			return err
		}
	}
	return nil
}

// applyChannels applies c=[-]IDX[|START:END][$COLOR],...: the channels
// listed without '-' are shown, every other one is hidden (OMERO's
// setActiveChannels); windows and colours apply to listed channels.
func applyChannels(s *render.Settings, c string, sizeC int) error {
	entries := strings.Split(c, ",")
	if len(entries) > sizeC {
		return core.Errorf("", core.Invalid, "c= lists %d channels but the image has %d", len(entries), sizeC)
	}
	out := s.Clone()
	for i := range out.Channels {
		out.Channels[i].Active = false
	}
	for _, e := range entries {
		active := !strings.HasPrefix(e, "-")
		e = strings.TrimPrefix(e, "-")
		e, colour, hasColour := strings.Cut(e, "$")
		idxText, window, hasWindow := strings.Cut(e, "|")
		idx, err := strconv.Atoi(idxText)
		if err != nil || idx < 1 || idx > sizeC || idx > len(out.Channels) {
			return core.Errorf("", core.Invalid, "c= names channel %q, but the image's channels are numbered 1 to %d (e.g. c=1|0:255$FF0000,-2)", idxText, sizeC)
		}
		cs := &out.Channels[idx-1]
		cs.Active = active
		if hasWindow {
			lo, hi, ok := strings.Cut(window, ":")
			a, err1 := strconv.ParseFloat(lo, 64)
			b, err2 := strconv.ParseFloat(hi, 64)
			if !ok || err1 != nil || err2 != nil || math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
				return core.Errorf("", core.Invalid, "c= gives channel %d the window %q: write it as START:END, e.g. 1|100:2000", idx, window)
			}
			cs.Start, cs.End = a, b
		}
		if hasColour {
			if strings.HasSuffix(strings.ToLower(colour), ".lut") {
				name := strings.TrimSuffix(colour, colour[len(colour)-4:])
				if !slices.Contains(render.LUTNames(), name) {
					return core.Errorf("", core.Invalid, "c= gives channel %d the lookup table %q, which Ocular does not have (it has %s)", idx, colour, strings.Join(render.LUTNames(), ", "))
				}
				cs.LUT = name
			} else {
				col, err := render.ParseColor(colour)
				if err != nil {
					return core.Errorf("", core.Invalid, "c= gives channel %d the colour %q: write it as RRGGBB, e.g. $FF0000", idx, colour)
				}
				cs.Color, cs.LUT = col, ""
			}
		}
	}
	*s = out
	return nil
}

// parseProjection parses p=normal|intmax|intmean|intsum[|START:END]
// (Z planes 0-based and inclusive, as OMERO.web sends them).
func parseProjection(p string, sizeZ int) (*render.Projection, error) {
	kind, zr, hasRange := strings.Cut(p, "|")
	var k render.ProjectionKind
	switch kind {
	case "normal":
		return nil, nil
	case "intmax":
		k = render.ProjectMax
	case "intmean":
		k = render.ProjectMean
	case "intsum":
		k = render.ProjectSum
	default:
		return nil, core.Errorf("", core.Invalid, "p=%s is not a projection: use normal, intmax, intmean or intsum, optionally with |START:END", kind)
	}
	pr := &render.Projection{Kind: k, StartZ: 0, EndZ: sizeZ - 1}
	if hasRange {
		lo, hi, ok := strings.Cut(zr, ":")
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if !ok || err1 != nil || err2 != nil || a < 0 || b < a || b >= sizeZ {
			return nil, core.Errorf("", core.Invalid, "p= asks for planes %q, but the image's Z planes are 0 to %d: write e.g. intmax|0:%d", zr, sizeZ-1, sizeZ-1)
		}
		pr.StartZ, pr.EndZ = a, b
	}
	return pr, nil
}

// channelMap is one entry of maps=: OMERO.web's "inverted" (older:
// "reverse") and "quantization".
type channelMap struct {
	Inverted     *struct{ Enabled bool } `json:"inverted"`
	Reverse      *struct{ Enabled bool } `json:"reverse"`
	Quantization *struct {
		Family      string   `json:"family"`
		Coefficient *float64 `json:"coefficient"`
	} `json:"quantization"`
}

// applyMaps applies maps=[{...}, ...], one entry per channel in order.
func applyMaps(s *render.Settings, m string) error {
	var maps []*channelMap
	if err := checkDepth([]byte(m), 8); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(m), &maps); err != nil {
		return core.Errorf("", core.Invalid, `maps= must be a JSON list with one entry per channel, e.g. [{"inverted":{"enabled":true}}]`)
	}
	if len(maps) > len(s.Channels) {
		return core.Errorf("", core.Invalid, "maps= has %d entries but the image has %d channels", len(maps), len(s.Channels))
	}
	for i, e := range maps {
		if e == nil {
			continue
		}
		cs := &s.Channels[i]
		if e.Inverted != nil {
			cs.Reverse = e.Inverted.Enabled
		} else if e.Reverse != nil {
			cs.Reverse = e.Reverse.Enabled
		}
		if q := e.Quantization; q != nil {
			if q.Family != "" {
				cs.Family = render.Family(q.Family)
			}
			if q.Coefficient != nil {
				cs.Coefficient = *q.Coefficient
			}
		}
	}
	return nil
}

// jpegQuality is q= (0.0–1.0, OMERO.web's) as a JPEG quality, 90 when absent.
func jpegQuality(q url.Values) (int, error) {
	v := q.Get("q")
	if v == "" {
		return 90, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f > 0 && f <= 1) {
		return 0, core.Errorf("", core.Invalid, "q=%s must be a JPEG quality between 0.0 and 1.0, e.g. q=0.9", v)
	}
	return max(1, int(math.Round(f*100))), nil
}
