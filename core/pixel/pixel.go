// Package pixel holds the in-memory representation of pixel data shared by the
// format readers (which produce planes) and the renderer (which consumes them).
// It imports nothing from the rest of Ocular so both sides can depend on it.
package pixel

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Type is a pixel type, named as in OME ("uint16", "float", ...).
type Type uint8

const (
	Invalid Type = iota
	Uint8
	Int8
	Uint16
	Int16
	Uint32
	Int32
	Float32
	Float64
)

var typeNames = [...]string{"invalid", "uint8", "int8", "uint16", "int16", "uint32", "int32", "float", "double"}

// String returns the OME name of the type ("uint16", "float", "double").
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "invalid"
}

// ParseType accepts OME names and common aliases ("float32", "float64").
func ParseType(s string) (Type, error) {
	switch s {
	case "uint8", "u1":
		return Uint8, nil
	case "int8", "i1":
		return Int8, nil
	case "uint16", "u2":
		return Uint16, nil
	case "int16", "i2":
		return Int16, nil
	case "uint32", "u4":
		return Uint32, nil
	case "int32", "i4":
		return Int32, nil
	case "float", "float32", "f4":
		return Float32, nil
	case "double", "float64", "f8":
		return Float64, nil
	}
	return Invalid, fmt.Errorf("unknown pixel type %q (known: uint8, int8, uint16, int16, uint32, int32, float, double)", s)
}

// Size is the number of bytes per sample.
func (t Type) Size() int {
	switch t {
	case Uint8, Int8:
		return 1
	case Uint16, Int16:
		return 2
	case Uint32, Int32, Float32:
		return 4
	case Float64:
		return 8
	}
	return 0
}

// IsFloat reports whether samples are IEEE floats.
func (t Type) IsFloat() bool { return t == Float32 || t == Float64 }

// Range is the representable range of an integer type; for floats it is the
// range used when no statistics are known (0..1), following OMERO.
func (t Type) Range() (min, max float64) {
	switch t {
	case Uint8:
		return 0, math.MaxUint8
	case Int8:
		return math.MinInt8, math.MaxInt8
	case Uint16:
		return 0, math.MaxUint16
	case Int16:
		return math.MinInt16, math.MaxInt16
	case Uint32:
		return 0, math.MaxUint32
	case Int32:
		return math.MinInt32, math.MaxInt32
	}
	return 0, 1
}

// Plane is one 2-D plane (or a region of one) of a single channel.
// Data holds Width*Height samples, row-major, little-endian, tightly packed.
type Plane struct {
	Type          Type
	Width, Height int
	Data          []byte
}

// MaxPlaneBytes bounds a single plane allocation (4 GiB); readers check sizes
// against it before allocating so hostile headers cannot exhaust memory.
const MaxPlaneBytes = 4 << 30

// NewPlane allocates a zeroed plane, refusing absurd sizes.
func NewPlane(t Type, w, h int) (*Plane, error) {
	if t.Size() == 0 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("invalid plane %dx%d of %s", w, h, t)
	}
	n := int64(w) * int64(h) * int64(t.Size())
	if n > MaxPlaneBytes || n/int64(w)/int64(h) != int64(t.Size()) {
		return nil, fmt.Errorf("plane %dx%d of %s is too large (%d bytes)", w, h, t, n)
	}
	return &Plane{Type: t, Width: w, Height: h, Data: make([]byte, n)}, nil
}

// At returns the sample at (x, y) as float64. It is meant for tests and
// statistics over small data, not for hot loops.
func (p *Plane) At(x, y int) float64 {
	i := (y*p.Width + x) * p.Type.Size()
	d := p.Data[i:]
	switch p.Type {
	case Uint8:
		return float64(d[0])
	case Int8:
		return float64(int8(d[0]))
	case Uint16:
		return float64(binary.LittleEndian.Uint16(d))
	case Int16:
		return float64(int16(binary.LittleEndian.Uint16(d)))
	case Uint32:
		return float64(binary.LittleEndian.Uint32(d))
	case Int32:
		return float64(int32(binary.LittleEndian.Uint32(d)))
	case Float32:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(d)))
	case Float64:
		return math.Float64frombits(binary.LittleEndian.Uint64(d))
	}
	return 0
}

// Set stores v (converted to the plane's type, saturating) at (x, y).
func (p *Plane) Set(x, y int, v float64) {
	i := (y*p.Width + x) * p.Type.Size()
	d := p.Data[i:]
	lo, hi := p.Type.Range()
	if !p.Type.IsFloat() {
		v = math.Round(math.Max(lo, math.Min(hi, v)))
	}
	switch p.Type {
	case Uint8:
		d[0] = uint8(v)
	case Int8:
		d[0] = uint8(int8(v))
	case Uint16:
		binary.LittleEndian.PutUint16(d, uint16(v))
	case Int16:
		binary.LittleEndian.PutUint16(d, uint16(int16(v)))
	case Uint32:
		binary.LittleEndian.PutUint32(d, uint32(v))
	case Int32:
		binary.LittleEndian.PutUint32(d, uint32(int32(v)))
	case Float32:
		binary.LittleEndian.PutUint32(d, math.Float32bits(float32(v)))
	case Float64:
		binary.LittleEndian.PutUint64(d, math.Float64bits(v))
	}
}

// MinMax returns the smallest and largest finite sample of the plane (0, 0
// when it has none). It is the statistics hot loop of import and pyramid
// building, so the common 8- and 16-bit types avoid a conversion per sample.
func (p *Plane) MinMax() (lo, hi float64) {
	switch p.Type {
	case Uint8:
		l, h := uint8(255), uint8(0)
		for _, v := range p.Data {
			l, h = min(l, v), max(h, v)
		}
		return float64(l), float64(h)
	case Uint16:
		l, h := minMaxUint16(p.Data)
		return float64(l), float64(h)
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for y := 0; y < p.Height; y++ {
		for x := 0; x < p.Width; x++ {
			v := p.At(x, y)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return 0, 0
	}
	return lo, hi
}

// minMaxUint16Generic scans little-endian uint16 samples four at a time
// from 64-bit loads, with independent minimum and maximum chains so that the
// CPU overlaps them (about three times the speed of one sample per step).
// It is the portable scan, and the one for the samples after the last
// block of the amd64 scan (minmax_amd64.go). An empty d gives (65535, 0).
func minMaxUint16Generic(d []byte) (uint16, uint16) {
	l0, l1, l2, l3 := uint16(65535), uint16(65535), uint16(65535), uint16(65535)
	h0, h1, h2, h3 := uint16(0), uint16(0), uint16(0), uint16(0)
	i := 0
	for ; i+8 <= len(d); i += 8 {
		w := binary.LittleEndian.Uint64(d[i:])
		a, b, c, e := uint16(w), uint16(w>>16), uint16(w>>32), uint16(w>>48)
		l0, h0 = min(l0, a), max(h0, a)
		l1, h1 = min(l1, b), max(h1, b)
		l2, h2 = min(l2, c), max(h2, c)
		l3, h3 = min(l3, e), max(h3, e)
	}
	for ; i+1 < len(d); i += 2 {
		v := binary.LittleEndian.Uint16(d[i:])
		l0, h0 = min(l0, v), max(h0, v)
	}
	return min(l0, l1, l2, l3), max(h0, h1, h2, h3)
}
