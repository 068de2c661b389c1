package ome

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// lengthToMicrometres gives the factor from an OME length unit (the
// UnitsLength enumeration) to micrometres. Image-relative units ("pixel",
// "reference frame") have no physical meaning and are absent.
var lengthToMicrometres = map[string]float64{
	"Ym": 1e30, "Zm": 1e27, "Em": 1e24, "Pm": 1e21, "Tm": 1e18, "Gm": 1e15, "Mm": 1e12,
	"km": 1e9, "hm": 1e8, "dam": 1e7, "m": 1e6, "dm": 1e5, "cm": 1e4, "mm": 1e3,
	"µm": 1, "μm": 1, "um": 1, "micron": 1, "microns": 1, "micrometer": 1, "micrometre": 1,
	"nm": 1e-3, "pm": 1e-6, "fm": 1e-9, "am": 1e-12, "zm": 1e-15, "ym": 1e-18,
	"\u00c5": 1e-4, "\u212b": 1e-4, "A": 1e-4, "angstrom": 1e-4,
	"thou": 25.4, "li": 25400.0 / 12, "in": 25400, "inch": 25400, "ft": 304800, "yd": 914400,
	"mi": 1609344e3, "ua": 1.495978707e17, "ly": 9.4607304725808e21, "pc": 3.0856775814913673e22,
	"pt": 25400.0 / 72,
	// NGFF (UDUNITS-2) spellings.
	"nanometer": 1e-3, "millimeter": 1e3, "centimeter": 1e4, "meter": 1e6, "decimeter": 1e5,
	"kilometer": 1e9, "picometer": 1e-6, "femtometer": 1e-9, "foot": 304800, "yard": 914400,
	"mile": 1609344e3, "parsec": 3.0856775814913673e22,
}

// timeToSeconds gives the factor from an OME time unit to seconds.
var timeToSeconds = map[string]float64{
	"Ys": 1e24, "Zs": 1e21, "Es": 1e18, "Ps": 1e15, "Ts": 1e12, "Gs": 1e9, "Ms": 1e6,
	"ks": 1e3, "hs": 1e2, "das": 10, "s": 1, "ds": 0.1, "cs": 0.01, "ms": 1e-3,
	"µs": 1e-6, "μs": 1e-6, "us": 1e-6, "ns": 1e-9, "ps": 1e-12, "fs": 1e-15,
	"as": 1e-18, "zs": 1e-21, "ys": 1e-24, "min": 60, "h": 3600, "d": 86400,
	"second": 1, "millisecond": 1e-3, "microsecond": 1e-6, "nanosecond": 1e-9, "picosecond": 1e-12,
	"minute": 60, "hour": 3600, "day": 86400, "sec": 1, "msec": 1e-3,
}

// LengthToMicrometres converts v in unit (an OME or NGFF unit name; empty
// means def) to micrometres. ok is false for an unknown or non-physical unit.
func LengthToMicrometres(v float64, unit, def string) (float64, bool) {
	if unit == "" {
		unit = def
	}
	f, ok := lengthToMicrometres[strings.TrimSpace(unit)]
	if !ok {
		return 0, false
	}
	return v * f, true
}

// TimeToSeconds converts v in unit (empty means def) to seconds.
func TimeToSeconds(v float64, unit, def string) (float64, bool) {
	if unit == "" {
		unit = def
	}
	f, ok := timeToSeconds[strings.TrimSpace(unit)]
	if !ok {
		return 0, false
	}
	return v * f, true
}

// parseFloat parses a finite float attribute; empty or bad text gives ok=false.
func parseFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// length parses a length attribute with its unit (default µm) into µm.
func length(v, unit string) (float64, bool) {
	f, ok := parseFloat(v)
	if !ok {
		return 0, false
	}
	return LengthToMicrometres(f, unit, "µm")
}

// wavelength parses a wavelength attribute (default nm) into nm.
func wavelength(v, unit string) (float64, bool) {
	f, ok := parseFloat(v)
	if !ok || f <= 0 {
		return 0, false
	}
	if unit == "" {
		unit = "nm"
	}
	um, ok := lengthToMicrometres[strings.TrimSpace(unit)]
	if !ok {
		return 0, false
	}
	// Divide by the nm factor rather than multiply through µm so that
	// values already in nm come back exactly.
	return f * (um / lengthToMicrometres["nm"]), true
}

// seconds parses a time attribute (default s) into seconds.
func seconds(v, unit string) (float64, bool) {
	f, ok := parseFloat(v)
	if !ok {
		return 0, false
	}
	return TimeToSeconds(f, unit, "s")
}

// withUnit renders a quantity for display: "0.2 W", or the value alone.
func withUnit(v, unit, def string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if unit == "" {
		unit = def
	}
	if unit == "" {
		return v
	}
	return fmt.Sprintf("%s %s", v, unit)
}
