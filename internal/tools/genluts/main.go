// Command genluts writes the lookup tables Ocular ships to assets/luts.
//
// Each table is written in ImageJ's raw LUT format: 768 bytes, the 256 red
// values, then the 256 greens, then the 256 blues. ImageJ and Fiji open these
// files directly, and the renderer embeds them through package assets.
//
// Run it from the repository root (or through `go generate ./core/render`):
//
//	go run ./internal/tools/genluts [-out assets/luts]
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
)

// table is one lookup table: 256 RGB entries.
type table [256][3]uint8

func main() {
	out := flag.String("out", filepath.Join("assets", "luts"), "directory the .lut files are written to")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "genluts:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(tables))
	for name := range tables {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		buf := encode(tables[name]())
		path := filepath.Join(*out, name+".lut")
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "genluts:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("genluts: wrote %d lookup tables to %s\n", len(names), *out)
}

// encode writes t in ImageJ's raw format: 256 reds, 256 greens, 256 blues.
func encode(t table) []byte {
	buf := make([]byte, 768)
	for i := 0; i < 256; i++ {
		buf[i], buf[256+i], buf[512+i] = t[i][0], t[i][1], t[i][2]
	}
	return buf
}

// tables maps a file name (without .lut) to its generator.
var tables = map[string]func() table{
	"greys":     func() table { return primary(1, 1, 1) },
	"red":       func() table { return primary(1, 0, 0) },
	"green":     func() table { return primary(0, 1, 0) },
	"blue":      func() table { return primary(0, 0, 1) },
	"cyan":      func() table { return primary(0, 1, 1) },
	"magenta":   func() table { return primary(1, 0, 1) },
	"yellow":    func() table { return primary(1, 1, 0) },
	"fire":      func() table { return imagejInterpolate(fireR, fireG, fireB) },
	"ice":       func() table { return imagejInterpolate(iceR, iceG, iceB) },
	"red_hot":   func() table { return imagejInterpolate(hotR, hotG, hotB) },
	"cool":      func() table { return imagejInterpolate(coolR, coolG, coolB) },
	"spectrum":  spectrum,
	"16_colors": sixteenColors,
	"hilo":      hilo,
	"viridis":   func() table { return anchors(viridis) },
	"magma":     func() table { return anchors(magma) },
	"inferno":   func() table { return anchors(inferno) },
	"plasma":    func() table { return anchors(plasma) },
	"cividis":   func() table { return anchors(cividis) },
}

// primary is a ramp from black to the given combination of full primaries.
func primary(r, g, b uint8) table {
	var t table
	for i := 0; i < 256; i++ {
		v := uint8(i)
		t[i] = [3]uint8{v * r, v * g, v * b}
	}
	return t
}

// hilo is grey with 0 shown blue and 255 shown red, to spot clipped pixels.
func hilo() table {
	t := primary(1, 1, 1)
	t[0] = [3]uint8{0, 0, 255}
	t[255] = [3]uint8{255, 0, 0}
	return t
}

// imagejInterpolate stretches a short table to 256 entries the way ImageJ's
// LutLoader.interpolate does (linear interpolation, truncated), so that the
// result matches what ImageJ and Fiji users see.
func imagejInterpolate(r, g, b []int) table {
	var t table
	n := len(r)
	scale := float64(n) / 256
	for i := 0; i < 256; i++ {
		i1 := int(float64(i) * scale)
		i2 := i1 + 1
		if i2 == n {
			i2 = n - 1
		}
		f := float64(i)*scale - float64(i1)
		t[i][0] = uint8((1-f)*float64(r[i1]) + f*float64(r[i2]))
		t[i][1] = uint8((1-f)*float64(g[i1]) + f*float64(g[i2]))
		t[i][2] = uint8((1-f)*float64(b[i1]) + f*float64(b[i2]))
	}
	return t
}

// spectrum is the HSB hue wheel at full saturation and brightness, computed as
// java.awt.Color.HSBtoRGB does (ImageJ's "Spectrum").
func spectrum() table {
	var t table
	for i := 0; i < 256; i++ {
		h := float64(float32(i) / 255)
		h = (h - math.Floor(h)) * 6
		f := h - math.Floor(h)
		q := 1 - f
		var r, g, b float64
		switch int(h) {
		case 0:
			r, g, b = 1, f, 0
		case 1:
			r, g, b = q, 1, 0
		case 2:
			r, g, b = 0, 1, f
		case 3:
			r, g, b = 0, q, 1
		case 4:
			r, g, b = f, 0, 1
		case 5:
			r, g, b = 1, 0, q
		}
		t[i] = [3]uint8{uint8(r*255 + 0.5), uint8(g*255 + 0.5), uint8(b*255 + 0.5)}
	}
	return t
}

// sixteenColors has 16 bands of 16 entries each, after NIH Image's
// "16 colors" table (black, blues, cyan, green, yellow, orange, red, magenta,
// white) that ImageJ users know.
func sixteenColors() table {
	bands := [16][3]uint8{
		{0, 0, 0}, {1, 1, 171}, {1, 1, 224}, {0, 110, 255},
		{1, 171, 254}, {1, 224, 254}, {1, 254, 1}, {190, 255, 0},
		{255, 255, 0}, {255, 224, 0}, {255, 141, 0}, {250, 94, 0},
		{245, 0, 0}, {245, 0, 135}, {222, 0, 222}, {255, 255, 255},
	}
	var t table
	for i := 0; i < 256; i++ {
		t[i] = bands[i/16]
	}
	return t
}

// anchors interpolates linearly between control points given at entries
// 0, 8, 16, ..., 248 and 255 (33 points, components in 0..1) and rounds to
// bytes. The perceptually uniform maps below are reduced that way from
// matplotlib's 256-entry tables (viridis, magma, inferno and plasma by
// Nathaniel J. Smith, Stefan van der Walt and Eric Firing, CC0; cividis by
// Jamie R. Nuñez, Christopher R. Anderton and Ryan S. Renslow): every eighth
// entry is kept, and the entries between are within about one level of the
// originals.
func anchors(pts [33][3]float64) table {
	var t table
	idx := func(k int) int {
		if k == 32 {
			return 255
		}
		return 8 * k
	}
	for k := 0; k < 32; k++ {
		i0, i1 := idx(k), idx(k+1)
		for i := i0; i <= i1; i++ {
			f := float64(i-i0) / float64(i1-i0)
			for c := 0; c < 3; c++ {
				v := (1-f)*pts[k][c] + f*pts[k+1][c]
				t[i][c] = uint8(math.Round(math.Max(0, math.Min(1, v)) * 255))
			}
		}
	}
	return t
}
