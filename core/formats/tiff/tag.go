package tiff

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// TIFF field types (TIFF 6.0 section 2, plus the BigTIFF 64-bit types).
const (
	TypeByte      = 1
	TypeASCII     = 2
	TypeShort     = 3
	TypeLong      = 4
	TypeRational  = 5
	TypeSByte     = 6
	TypeUndefined = 7
	TypeSShort    = 8
	TypeSLong     = 9
	TypeSRational = 10
	TypeFloat     = 11
	TypeDouble    = 12
	TypeIFD       = 13
	TypeLong8     = 16
	TypeSLong8    = 17
	TypeIFD8      = 18
)

// typeSize is the size in bytes of one value of each field type; 0 means unknown.
func typeSize(t uint16) int {
	switch t {
	case TypeByte, TypeASCII, TypeSByte, TypeUndefined:
		return 1
	case TypeShort, TypeSShort:
		return 2
	case TypeLong, TypeSLong, TypeFloat, TypeIFD:
		return 4
	case TypeRational, TypeSRational, TypeDouble, TypeLong8, TypeSLong8, TypeIFD8:
		return 8
	}
	return 0
}

// Tag is one IFD entry. Small values are held in memory; values larger than
// eagerTagBytes stay in the file and are read when an accessor is called, so
// opening a file with huge StripOffsets arrays or metadata blobs stays cheap.
type Tag struct {
	Code  uint16
	Type  uint16
	Count uint64

	order  binary.ByteOrder
	data   []byte      // the value bytes in file byte order, when loaded
	offset int64       // where the value lives in the file (for lazy values)
	src    io.ReaderAt // nil when data holds the value
}

// eagerTagBytes is the largest value loaded when the IFD is parsed.
const eagerTagBytes = 4096

// size is the number of value bytes.
func (t Tag) size() int64 { return int64(t.Count) * int64(typeSize(t.Type)) }

// raw returns the value bytes of elements [first, first+n), reading them from
// the file when the tag is lazy.
func (t Tag) raw(first, n uint64) ([]byte, error) {
	es := uint64(typeSize(t.Type))
	if es == 0 {
		return nil, fmt.Errorf("tag %s has unknown field type %d", t.Name(), t.Type)
	}
	if first > t.Count || n > t.Count-first {
		return nil, fmt.Errorf("tag %s has %d values, not %d", t.Name(), t.Count, first+n)
	}
	if t.src == nil {
		return t.data[first*es : (first+n)*es], nil
	}
	buf := make([]byte, n*es) // bounded: the whole value was checked against the file size at parse time
	if _, err := t.src.ReadAt(buf, t.offset+int64(first*es)); err != nil {
		return nil, fmt.Errorf("reading tag %s: %w", t.Name(), err)
	}
	return buf, nil
}

// intsAt decodes n integer values starting at element first.
func (t Tag) intsAt(first, n uint64) ([]int64, error) {
	b, err := t.raw(first, n)
	if err != nil {
		return nil, err
	}
	out := make([]int64, n)
	o := t.order
	for i := range out {
		switch t.Type {
		case TypeByte, TypeUndefined, TypeASCII:
			out[i] = int64(b[i])
		case TypeSByte:
			out[i] = int64(int8(b[i]))
		case TypeShort:
			out[i] = int64(o.Uint16(b[2*i:]))
		case TypeSShort:
			out[i] = int64(int16(o.Uint16(b[2*i:])))
		case TypeLong, TypeIFD:
			out[i] = int64(o.Uint32(b[4*i:]))
		case TypeSLong:
			out[i] = int64(int32(o.Uint32(b[4*i:])))
		case TypeLong8, TypeIFD8:
			v := o.Uint64(b[8*i:])
			if v > math.MaxInt64 {
				return nil, fmt.Errorf("tag %s value %d is out of range", t.Name(), v)
			}
			out[i] = int64(v)
		case TypeSLong8:
			out[i] = int64(o.Uint64(b[8*i:]))
		case TypeRational, TypeSRational, TypeFloat, TypeDouble:
			f := t.floatAt(b, i)
			out[i] = int64(f)
		default:
			return nil, fmt.Errorf("tag %s has unknown field type %d", t.Name(), t.Type)
		}
	}
	return out, nil
}

func (t Tag) floatAt(b []byte, i int) float64 {
	o := t.order
	switch t.Type {
	case TypeRational:
		num, den := o.Uint32(b[8*i:]), o.Uint32(b[8*i+4:])
		if den == 0 {
			return 0
		}
		return float64(num) / float64(den)
	case TypeSRational:
		num, den := int32(o.Uint32(b[8*i:])), int32(o.Uint32(b[8*i+4:]))
		if den == 0 {
			return 0
		}
		return float64(num) / float64(den)
	case TypeFloat:
		return float64(math.Float32frombits(o.Uint32(b[4*i:])))
	case TypeDouble:
		return math.Float64frombits(o.Uint64(b[8*i:]))
	}
	return 0
}

// Ints returns the values as integers (rationals and floats truncated);
// nil when the value cannot be read.
func (t Tag) Ints() []int64 {
	v, err := t.intsAt(0, t.Count)
	if err != nil {
		return nil
	}
	return v
}

// Int returns the first value as an integer, or def when there is none.
func (t Tag) Int(def int64) int64 {
	if t.Count == 0 {
		return def
	}
	v, err := t.intsAt(0, 1)
	if err != nil {
		return def
	}
	return v[0]
}

// Floats returns the values as float64 (rationals divided out).
func (t Tag) Floats() []float64 {
	b, err := t.raw(0, t.Count)
	if err != nil {
		return nil
	}
	out := make([]float64, t.Count)
	switch t.Type {
	case TypeRational, TypeSRational, TypeFloat, TypeDouble:
		for i := range out {
			out[i] = t.floatAt(b, i)
		}
		return out
	}
	ints, err := t.intsAt(0, t.Count)
	if err != nil {
		return nil
	}
	for i, v := range ints {
		out[i] = float64(v)
	}
	return out
}

// Bytes returns the raw value bytes in the file's byte order (for BYTE and
// UNDEFINED tags such as ImageJ's 50839 metadata this is the payload).
func (t Tag) Bytes() []byte {
	b, err := t.raw(0, t.Count)
	if err != nil {
		return nil
	}
	return b
}

// ASCII returns an ASCII value without its trailing NULs. Multiple strings
// separated by NUL are joined with newlines.
func (t Tag) ASCII() string {
	b := t.Bytes()
	s := strings.TrimRight(string(b), "\x00")
	return strings.ReplaceAll(s, "\x00", "\n")
}

// Name returns the TIFF name of the tag ("ImageWidth") or "Tag 50838" when unknown.
func (t Tag) Name() string { return TagName(t.Code) }

// displayValues is how many array elements String shows.
const displayValues = 16

// displayChars is how many characters of a string String shows.
const displayChars = 1024

// String renders the value for display, truncating long arrays and strings.
func (t Tag) String() string {
	if typeSize(t.Type) == 0 {
		return fmt.Sprintf("(%d values of unknown type %d)", t.Count, t.Type)
	}
	if t.Type == TypeASCII {
		n := t.Count
		if n > displayChars {
			n = displayChars
		}
		b, err := t.raw(0, n)
		if err != nil {
			return "(unreadable)"
		}
		s := strings.ReplaceAll(strings.TrimRight(string(b), "\x00"), "\x00", "\n")
		if n < t.Count {
			s += fmt.Sprintf("… (%d characters)", t.Count)
		}
		return s
	}
	n := t.Count
	if n > displayValues {
		n = displayValues
	}
	b, err := t.raw(0, n)
	if err != nil {
		return "(unreadable)"
	}
	parts := make([]string, 0, n+1)
	switch t.Type {
	case TypeRational, TypeSRational, TypeFloat, TypeDouble:
		for i := 0; i < int(n); i++ {
			parts = append(parts, strconv.FormatFloat(t.floatAt(b, i), 'g', -1, 64))
		}
	default:
		v, err := t.intsAt(0, n)
		if err != nil {
			return "(unreadable)"
		}
		for _, x := range v {
			parts = append(parts, strconv.FormatInt(x, 10))
		}
	}
	if n < t.Count {
		parts = append(parts, fmt.Sprintf("… (%d values)", t.Count))
	}
	return strings.Join(parts, " ")
}

// Tag codes used by the decoder and writer.
const (
	TagNewSubfileType           = 254
	TagSubfileType              = 255
	TagImageWidth               = 256
	TagImageLength              = 257
	TagBitsPerSample            = 258
	TagCompression              = 259
	TagPhotometric              = 262
	TagFillOrder                = 266
	TagImageDescription         = 270
	TagMake                     = 271
	TagModel                    = 272
	TagStripOffsets             = 273
	TagOrientation              = 274
	TagSamplesPerPixel          = 277
	TagRowsPerStrip             = 278
	TagStripByteCounts          = 279
	TagXResolution              = 282
	TagYResolution              = 283
	TagPlanarConfiguration      = 284
	TagResolutionUnit           = 296
	TagSoftware                 = 305
	TagDateTime                 = 306
	TagPredictor                = 317
	TagColorMap                 = 320
	TagTileWidth                = 322
	TagTileLength               = 323
	TagTileOffsets              = 324
	TagTileByteCounts           = 325
	TagSubIFDs                  = 330
	TagExtraSamples             = 338
	TagSampleFormat             = 339
	TagJPEGTables               = 347
	TagYCbCrSubSampling         = 530
	TagReferenceBlackWhite      = 532
	TagImageJMetaDataByteCounts = 50838
	TagImageJMetaData           = 50839
)

var tagNames = map[uint16]string{
	254: "NewSubfileType", 255: "SubfileType", 256: "ImageWidth", 257: "ImageLength",
	258: "BitsPerSample", 259: "Compression", 262: "PhotometricInterpretation", 263: "Threshholding",
	264: "CellWidth", 265: "CellLength", 266: "FillOrder", 269: "DocumentName", 270: "ImageDescription",
	271: "Make", 272: "Model", 273: "StripOffsets", 274: "Orientation", 277: "SamplesPerPixel",
	278: "RowsPerStrip", 279: "StripByteCounts", 280: "MinSampleValue", 281: "MaxSampleValue",
	282: "XResolution", 283: "YResolution", 284: "PlanarConfiguration", 285: "PageName",
	286: "XPosition", 287: "YPosition", 290: "GrayResponseUnit", 291: "GrayResponseCurve",
	296: "ResolutionUnit", 297: "PageNumber", 305: "Software", 306: "DateTime", 315: "Artist",
	316: "HostComputer", 317: "Predictor", 318: "WhitePoint", 319: "PrimaryChromaticities",
	320: "ColorMap", 321: "HalftoneHints", 322: "TileWidth", 323: "TileLength", 324: "TileOffsets",
	325: "TileByteCounts", 330: "SubIFDs", 332: "InkSet", 338: "ExtraSamples", 339: "SampleFormat",
	340: "SMinSampleValue", 341: "SMaxSampleValue", 347: "JPEGTables", 512: "JPEGProc",
	513: "JPEGInterchangeFormat", 514: "JPEGInterchangeFormatLength", 529: "YCbCrCoefficients",
	530: "YCbCrSubSampling", 531: "YCbCrPositioning", 532: "ReferenceBlackWhite", 700: "XMP",
	32997: "ImageDepth", 32998: "TileDepth", 33432: "Copyright", 33723: "IPTC", 34377: "Photoshop",
	34665: "ExifIFD", 34675: "ICCProfile", 42112: "GDAL_METADATA", 42113: "GDAL_NODATA",
	50838: "ImageJMetaDataByteCounts", 50839: "ImageJMetaData",
}

// TagName names a tag code ("ImageWidth"), or "Tag 50000" when unknown.
func TagName(code uint16) string {
	if n, ok := tagNames[code]; ok {
		return n
	}
	return "Tag " + strconv.Itoa(int(code))
}
