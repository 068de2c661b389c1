package imagej

import (
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf16"
)

// Metadata is what ImageJ stores in the private tags 50838 (byte counts)
// and 50839 (data).
type Metadata struct {
	Info   string
	Labels []string
	Ranges []float64 // min, max per channel
	LUTs   [][768]byte
}

const (
	tagMetaCounts = 50838
	tagMetaData   = 50839
	maxMetaItems  = 1 << 16
)

// ParseMetadata decodes IJMetadata. counts are the entries of tag 50838,
// data the bytes of tag 50839, order the file's byte order.
func ParseMetadata(counts []int64, data []byte, order binary.ByteOrder) (*Metadata, error) {
	if len(counts) == 0 || len(data) < 4 {
		return nil, fmt.Errorf("IJMetadata is empty")
	}
	hdrLen := counts[0]
	if hdrLen < 4 || hdrLen > int64(len(data)) || (hdrLen-4)%8 != 0 {
		return nil, fmt.Errorf("IJMetadata header length %d is invalid", hdrLen)
	}
	magic := order.Uint32(data)
	if magic != 0x494a494a { // "IJIJ" in the file's byte order
		return nil, fmt.Errorf("IJMetadata has no IJIJ signature")
	}
	m := &Metadata{}
	pos := hdrLen
	ci := 1
	for h := int64(4); h < hdrLen; h += 8 {
		typ := order.Uint32(data[h:])
		n := int64(order.Uint32(data[h+4:]))
		if n > maxMetaItems || n > int64(len(counts)-ci) {
			return nil, fmt.Errorf("IJMetadata lists %d items but only %d byte counts remain", n, len(counts)-ci)
		}
		for i := int64(0); i < n; i++ {
			size := counts[ci]
			ci++
			if size < 0 || size > int64(len(data))-pos {
				return nil, fmt.Errorf("IJMetadata item of %d bytes overruns the %d-byte tag", size, len(data))
			}
			item := data[pos : pos+size]
			pos += size
			switch typ {
			case 0x696e666f: // "info"
				m.Info = utf16String(item, order)
			case 0x6c61626c: // "labl"
				m.Labels = append(m.Labels, utf16String(item, order))
			case 0x72616e67: // "rang"
				for k := 0; k+8 <= len(item); k += 8 {
					v := math.Float64frombits(order.Uint64(item[k:]))
					m.Ranges = append(m.Ranges, v)
				}
			case 0x6c757473: // "luts"
				if len(item) == 768 {
					var l [768]byte
					copy(l[:], item)
					m.LUTs = append(m.LUTs, l)
				}
			}
		}
	}
	return m, nil
}

func utf16String(b []byte, order binary.ByteOrder) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = order.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// LUTColor recognises the LUTs ImageJ uses for channels: a ramp from black
// to a primary or secondary colour (Red, Green, Blue, Cyan, Magenta,
// Yellow, Grays). It returns the name and the colour at the top of the
// ramp; ok is false for any other LUT, whose top colour is still returned.
func LUTColor(l [768]byte) (name string, rgb [3]uint8, ok bool) {
	rgb = [3]uint8{l[255], l[511], l[767]}
	for ch := 0; ch < 3; ch++ {
		top := int(l[ch*256+255])
		if top != 0 && top != 255 {
			return "", rgb, false
		}
		for i := 0; i < 256; i++ {
			want := i * top / 255
			if d := int(l[ch*256+i]) - want; d < -1 || d > 1 {
				return "", rgb, false
			}
		}
	}
	names := map[[3]uint8]string{
		{255, 0, 0}: "Red", {0, 255, 0}: "Green", {0, 0, 255}: "Blue",
		{0, 255, 255}: "Cyan", {255, 0, 255}: "Magenta", {255, 255, 0}: "Yellow",
		{255, 255, 255}: "Grays",
	}
	name, ok = names[rgb]
	return name, rgb, ok
}
