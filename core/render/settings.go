package render

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/ocular-lab/ocular/core/pixel"
)

// Model is the colour model of a rendering: greyscale shows the first active
// channel in grey; rgb composites every active channel in its colour.
type Model string

const (
	Greyscale Model = "greyscale"
	RGB       Model = "rgb"
)

// Family is the curve that maps a value within the window to the output
// range, as in OMERO.
type Family string

const (
	Linear      Family = "linear"
	Polynomial  Family = "polynomial"  // (x)^k
	Exponential Family = "exponential" // e^(x^k)
	Logarithmic Family = "logarithmic" // log(x)
)

// MaxCoefficient bounds the curve coefficient so that the exponential family
// stays finite in float64.
const MaxCoefficient = 100

// ProjectionKind is the intensity projection applied over a Z range.
type ProjectionKind string

const (
	ProjectNone ProjectionKind = ""
	ProjectMax  ProjectionKind = "max"
	ProjectMean ProjectionKind = "mean"
	ProjectSum  ProjectionKind = "sum"
)

// Projection asks for an intensity projection over the Z planes StartZ..EndZ
// (inclusive) instead of the single plane DefaultZ.
type Projection struct {
	Kind   ProjectionKind `json:"kind"`
	StartZ int            `json:"startZ"`
	EndZ   int            `json:"endZ"`
}

// Color is an RGBA colour. In JSON it is a hex string, "RRGGBB" when opaque
// and "RRGGBBAA" otherwise (OMERO.web's form; a leading '#' is accepted).
type Color [4]uint8

// MarshalJSON writes the hex form.
func (c Color) MarshalJSON() ([]byte, error) {
	return json.Marshal(c.Hex())
}

// Hex returns "RRGGBB", or "RRGGBBAA" when alpha is not 255.
func (c Color) Hex() string {
	if c[3] == 255 {
		return strings.ToUpper(hex.EncodeToString(c[:3]))
	}
	return strings.ToUpper(hex.EncodeToString(c[:]))
}

// UnmarshalJSON accepts "RRGGBB", "RRGGBBAA" (optionally with '#') or an
// array of four numbers 0..255.
func (c *Color) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var arr [4]uint8
		if err2 := json.Unmarshal(b, &arr); err2 != nil {
			return fmt.Errorf("colour must be a hex string like \"FF0000\" or an array [r, g, b, a], not %s", b)
		}
		*c = arr
		return nil
	}
	col, err := ParseColor(s)
	if err != nil {
		return err
	}
	*c = col
	return nil
}

// ParseColor parses "RRGGBB" or "RRGGBBAA", with or without a leading '#'.
func ParseColor(s string) (Color, error) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(h) != 6 && len(h) != 8 {
		return Color{}, fmt.Errorf("colour %q must have 6 or 8 hex digits (RRGGBB or RRGGBBAA)", s)
	}
	raw, err := hex.DecodeString(h)
	if err != nil {
		return Color{}, fmt.Errorf("colour %q is not hexadecimal", s)
	}
	c := Color{raw[0], raw[1], raw[2], 255}
	if len(raw) == 4 {
		c[3] = raw[3]
	}
	return c, nil
}

// Well-known colours used by the defaults.
var (
	Red   = Color{255, 0, 0, 255}
	Green = Color{0, 255, 0, 255}
	Blue  = Color{0, 0, 255, 255}
	White = Color{255, 255, 255, 255}
)

// ChannelSettings is how one channel is rendered (OMERO's ChannelBinding).
// Channel names live with the image, not here.
type ChannelSettings struct {
	Active bool `json:"active"`
	// Start and End are the display window in pixel values: values at or
	// below Start map to the lowest output, values at or above End to the
	// highest. Start == End is a step at that value.
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Color Color   `json:"color"`
	// LUT names a lookup table (see LUTNames); when set it replaces Color.
	LUT     string `json:"lut,omitempty"`
	Reverse bool   `json:"reverse"`
	Family  Family `json:"family"`
	// Coefficient is k of the polynomial and exponential families; it is
	// ignored by linear and logarithmic.
	Coefficient float64 `json:"coefficient"`
	// Label is an optional user label shown instead of the channel's name.
	Label string `json:"label,omitempty"`
}

// Settings is a complete rendering definition for one image.
type Settings struct {
	Model    Model             `json:"model"`
	DefaultZ int               `json:"defaultZ"`
	DefaultT int               `json:"defaultT"`
	Channels []ChannelSettings `json:"channels"`
	// CdStart..CdEnd is the output (codomain) range within 0..255.
	CdStart int `json:"cdStart"`
	CdEnd   int `json:"cdEnd"`
	// Projection is nil for a single plane.
	Projection *Projection `json:"projection,omitempty"`
}

// Clone returns a deep copy.
func (s Settings) Clone() Settings {
	c := s
	c.Channels = append([]ChannelSettings(nil), s.Channels...)
	if s.Projection != nil {
		p := *s.Projection
		c.Projection = &p
	}
	return c
}

// PixelsInfo describes the image that settings apply to.
type PixelsInfo struct {
	Type                       pixel.Type
	SizeX, SizeY, SizeZ, SizeT int
	SizeC                      int
	// EmissionWavelengths has one entry per channel in nm, 0 when unknown.
	EmissionWavelengths []float64
}

// Validate checks the settings against the image they are for and returns an
// error naming the first problem found.
func (s *Settings) Validate(p PixelsInfo) error {
	if s.Model != Greyscale && s.Model != RGB {
		return fmt.Errorf("unknown colour model %q (known: greyscale, rgb)", s.Model)
	}
	if s.CdStart < 0 || s.CdEnd > 255 || s.CdStart >= s.CdEnd {
		return fmt.Errorf("output range %d..%d is invalid: it must lie within 0..255 with start below end", s.CdStart, s.CdEnd)
	}
	if p.SizeZ > 0 && (s.DefaultZ < 0 || s.DefaultZ >= p.SizeZ) {
		return fmt.Errorf("default Z %d is outside the image's %d planes (0..%d)", s.DefaultZ, p.SizeZ, p.SizeZ-1)
	}
	if p.SizeT > 0 && (s.DefaultT < 0 || s.DefaultT >= p.SizeT) {
		return fmt.Errorf("default T %d is outside the image's %d timepoints (0..%d)", s.DefaultT, p.SizeT, p.SizeT-1)
	}
	if p.SizeC > 0 && len(s.Channels) != p.SizeC {
		return fmt.Errorf("settings have %d channels but the image has %d", len(s.Channels), p.SizeC)
	}
	if pr := s.Projection; pr != nil && pr.Kind != ProjectNone {
		switch pr.Kind {
		case ProjectMax, ProjectMean, ProjectSum:
		default:
			return fmt.Errorf("unknown projection %q (known: max, mean, sum)", pr.Kind)
		}
		if pr.StartZ < 0 || pr.EndZ < pr.StartZ || (p.SizeZ > 0 && pr.EndZ >= p.SizeZ) {
			return fmt.Errorf("projection range Z %d..%d is invalid for an image with %d planes", pr.StartZ, pr.EndZ, p.SizeZ)
		}
	}
	for i := range s.Channels {
		if err := s.Channels[i].validate(p.Type); err != nil {
			return fmt.Errorf("channel %d: %w", i+1, err)
		}
	}
	return nil
}

func (c *ChannelSettings) validate(t pixel.Type) error {
	for _, v := range []float64{c.Start, c.End} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("window %g..%g is not a finite range", c.Start, c.End)
		}
	}
	if c.Start > c.End {
		return fmt.Errorf("window start %g is above window end %g", c.Start, c.End)
	}
	if t != pixel.Invalid && !t.IsFloat() {
		lo, hi := t.Range()
		if c.Start < lo || c.End > hi {
			return fmt.Errorf("window %g..%g is outside the %s range %g..%g", c.Start, c.End, t, lo, hi)
		}
	}
	switch c.Family {
	case Linear, Logarithmic:
		if math.IsNaN(c.Coefficient) || c.Coefficient < 0 {
			return fmt.Errorf("coefficient %g must not be negative", c.Coefficient)
		}
	case Polynomial, Exponential:
		if math.IsNaN(c.Coefficient) || c.Coefficient <= 0 || c.Coefficient > MaxCoefficient {
			return fmt.Errorf("coefficient %g of the %s family must be above 0 and at most %d", c.Coefficient, c.Family, MaxCoefficient)
		}
	default:
		return fmt.Errorf("unknown family %q (known: linear, polynomial, exponential, logarithmic)", c.Family)
	}
	if c.LUT != "" {
		if _, err := LookupLUT(c.LUT); err != nil {
			return err
		}
	}
	return nil
}
