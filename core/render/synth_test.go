package render

import (
	"encoding/binary"
	"fmt"
	"sync/atomic"

	"github.com/ocular-lab/ocular/core/pixel"
)

// synthSource is a procedural pyramidal image: every sample is computed
// from a cheap formula (a blob pattern plus hashed noise, about 1 ns per
// sample, the cost of decoding a tile with a fast codec such as LZ4 or zstd
// as OME-Zarr stores them). Level l is level 0 halved l times.
type synthSource struct {
	sizeX, sizeY   int
	tileW, tileH   int
	nLevels        int
	channels       int
	padEdges       bool // return full tiles at the edges instead of cropped ones
	reads          atomic.Int64
	fail           func(level, c, tx, ty int) error
	levelsComputed []LevelInfo
}

func newSynthSource(sizeX, sizeY, tileW, tileH, channels int, minSize int) *synthSource {
	s := &synthSource{sizeX: sizeX, sizeY: sizeY, tileW: tileW, tileH: tileH, channels: channels}
	w, h := sizeX, sizeY
	for {
		s.levelsComputed = append(s.levelsComputed, LevelInfo{SizeX: w, SizeY: h, TileW: tileW, TileH: tileH})
		if max(w, h) < minSize {
			break
		}
		w, h = (w+1)/2, (h+1)/2
	}
	s.nLevels = len(s.levelsComputed)
	return s
}

func (s *synthSource) Levels() []LevelInfo { return s.levelsComputed }

// sample is the value of channel c at (x, y) of a level: a blob pattern
// in 32-pixel blocks plus 8 bits of hashed noise.
func sample(level, c, x, y int) uint16 {
	return uint16(100 + blob(c, x, y) + int(noise(rowSeed(level, c, y), x)))
}

func blob(c, x, y int) int { return (((x >> 5) ^ (y >> 5) ^ (c << 2)) & 0x3FF) * 3 }
func rowSeed(level, c, y int) uint32 {
	return uint32(y)*0x85EBCA77 ^ uint32(c)*0xC2B2AE3D ^ uint32(level)*0x27D4EB2F
}
func noise(seed uint32, x int) uint32 {
	h := uint32(x)*0x9E3779B1 ^ seed
	h ^= h >> 15
	h *= 0x2C1B3C6D
	return (h >> 12) & 0xFF
}

func (s *synthSource) ReadTile(level, z, c, t, tx, ty int) (*pixel.Plane, error) {
	s.reads.Add(1)
	if level < 0 || level >= s.nLevels || c < 0 || c >= s.channels || z != 0 || t != 0 {
		return nil, fmt.Errorf("no such plane (level %d, z %d, c %d, t %d)", level, z, c, t)
	}
	if s.fail != nil {
		if err := s.fail(level, c, tx, ty); err != nil {
			return nil, err
		}
	}
	li := s.levelsComputed[level]
	x0, y0 := tx*s.tileW, ty*s.tileH
	if x0 < 0 || y0 < 0 || x0 >= li.SizeX || y0 >= li.SizeY {
		return nil, fmt.Errorf("tile (%d, %d) is outside level %d", tx, ty, level)
	}
	w, h := min(s.tileW, li.SizeX-x0), min(s.tileH, li.SizeY-y0)
	if s.padEdges {
		w, h = s.tileW, s.tileH
	}
	p, err := pixel.NewPlane(pixel.Uint16, w, h)
	if err != nil {
		return nil, err
	}
	for y := 0; y < h; y++ {
		row := samples16(p.Data[2*y*w:2*(y+1)*w], w) // a view: writes land in p.Data
		seed := rowSeed(level, c, y0+y)
		for x := range row {
			gx := x0 + x
			row[x] = uint16(100 + blob(c, gx, y0+y) + int(noise(seed, gx)))
		}
	}
	return p, nil
}

// fullPlane is the whole of one channel of a level, for comparisons.
func (s *synthSource) fullPlane(level, c int) *pixel.Plane {
	li := s.levelsComputed[level]
	p, _ := pixel.NewPlane(pixel.Uint16, li.SizeX, li.SizeY)
	for y := 0; y < li.SizeY; y++ {
		for x := 0; x < li.SizeX; x++ {
			binary.LittleEndian.PutUint16(p.Data[2*(y*li.SizeX+x):], sample(level, c, x, y))
		}
	}
	return p
}
