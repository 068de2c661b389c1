// Package imagej reads TIFF files written by ImageJ and Fiji: the
// "ImageJ=" ImageDescription that gives the hyperstack shape (channels,
// slices, frames in XYCZT order), units and spacing, the private IJMetadata
// tags (50838/50839) that carry channel LUTs, display ranges and info, and
// the contiguous layout ImageJ uses past 4 GiB, where one IFD is followed
// by all the planes back to back.
package imagej

import (
	"fmt"
	"github.com/ocular-lab/ocular/core/formats"
	"strconv"
	"strings"
)

// Description is the parsed ImageJ ImageDescription.
type Description struct {
	Version                  string
	Images                   int
	Channels, Slices, Frames int
	Hyperstack               bool
	Mode                     string // "composite", "color", "grayscale"
	Unit                     string // as written, with \u00B5 decoded
	Spacing                  float64
	FInterval                float64 // seconds per frame, in TUnit
	TUnit                    string
	Min, Max                 float64
	HasRange                 bool
	// Pairs holds every key=value line in file order, for original metadata.
	Pairs [][2]string
}

// maxDescription bounds the description text parsed.
const maxDescription = 1 << 20

// IsImageJ reports whether a TIFF ImageDescription was written by ImageJ.
func IsImageJ(desc string) bool { return strings.HasPrefix(desc, "ImageJ=") }

// ParseDescription parses an ImageJ ImageDescription. Unknown keys are kept
// in Pairs; malformed numbers are errors, absent ones take ImageJ's
// defaults (one image, one channel, slice and frame).
func ParseDescription(desc string) (*Description, error) {
	if !IsImageJ(desc) {
		return nil, fmt.Errorf("not an ImageJ description (it does not start with \"ImageJ=\")")
	}
	if len(desc) > maxDescription {
		desc = desc[:maxDescription]
	}
	d := &Description{Images: 1}
	ints := map[string]*int{"images": &d.Images, "channels": &d.Channels, "slices": &d.Slices, "frames": &d.Frames}
	floats := map[string]*float64{"spacing": &d.Spacing, "finterval": &d.FInterval, "min": &d.Min, "max": &d.Max}
	for _, line := range strings.Split(strings.ReplaceAll(desc, "\r", ""), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			continue
		}
		d.Pairs = append(d.Pairs, [2]string{k, v})
		switch k {
		case "ImageJ":
			d.Version = v
		case "hyperstack":
			d.Hyperstack = v == "true"
		case "mode":
			d.Mode = v
		case "unit":
			d.Unit = decodeUnit(v)
		case "tunit":
			d.TUnit = decodeUnit(v)
		}
		if p, ok := ints[k]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("ImageJ description: %s=%q is not a non-negative integer", k, v)
			}
			*p = n
		}
		if p, ok := floats[k]; ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("ImageJ description: %s=%q is not a number", k, v)
			}
			*p = f
			if k == "min" || k == "max" {
				d.HasRange = true
			}
		}
	}
	if d.Images < 1 {
		d.Images = 1
	}
	return d, nil
}

// decodeUnit turns ImageJ's escaped units ("\u00B5m") into text.
func decodeUnit(u string) string {
	if strings.Contains(u, `\u`) {
		if s, err := strconv.Unquote(`"` + strings.ReplaceAll(u, `"`, ``) + `"`); err == nil {
			return s
		}
	}
	return u
}

// Shape returns SizeC, SizeZ, SizeT for the description, reconciling the
// counts with the number of images the way ImageJ does: a plain stack
// (images=N without slices/frames) is a Z-stack; when the product of the
// counts disagrees with images, the images win as a Z-stack.
func (d *Description) Shape() (c, z, t int) {
	c, z, t = max(1, d.Channels), max(1, d.Slices), max(1, d.Frames)
	if d.Images <= 1 {
		return 1, 1, 1
	}
	if n, ok := formats.MulChecked(int64(c), int64(z), int64(t)); ok && n == int64(d.Images) {
		return c, z, t
	}
	if d.Channels <= 1 && d.Frames <= 1 {
		return 1, d.Images, 1
	}
	if d.Images%c == 0 && d.Frames <= 1 {
		return c, d.Images / c, 1
	}
	return 1, d.Images, 1
}
