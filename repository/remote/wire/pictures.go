package wire

import (
	"encoding/binary"
	"fmt"
	"image"
	"sync"

	"github.com/klauspost/compress/s2"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/render"
)

// RenderRequest is the body of POST /ocular/v1/images/{image}/render: the
// viewer's full settings (saved or not) and the part of the image to draw.
type RenderRequest struct {
	Settings render.Settings `json:"settings"`
	Region   RegionJSON      `json:"region"`
}

// RegionJSON is core.RegionRequest on the wire (a rectangle as x, y,
// width, height; zero width or height means the whole plane).
type RegionJSON struct {
	Z          int                `json:"z"`
	T          int                `json:"t"`
	Level      int                `json:"level"`
	X          int                `json:"x"`
	Y          int                `json:"y"`
	Width      int                `json:"width"`
	Height     int                `json:"height"`
	Projection *render.Projection `json:"projection,omitempty"`
	Size       int                `json:"size"`
}

// RegionToJSON is r on the wire.
func RegionToJSON(r core.RegionRequest) RegionJSON {
	return RegionJSON{Z: r.Z, T: r.T, Level: r.Level, X: r.Region.Min.X, Y: r.Region.Min.Y,
		Width: r.Region.Dx(), Height: r.Region.Dy(), Projection: r.Projection, Size: r.Size}
}

// Request is j as core's request.
func (j RegionJSON) Request() core.RegionRequest {
	r := core.RegionRequest{Z: j.Z, T: j.T, Level: j.Level, Projection: j.Projection, Size: j.Size}
	if j.Width > 0 && j.Height > 0 {
		r.Region = image.Rect(j.X, j.Y, j.X+j.Width, j.Y+j.Height)
	}
	return r
}

// LevelsJSON is the answer of GET /ocular/v1/images/{image}/levels.
type LevelsJSON struct {
	Levels []LevelJSON `json:"levels"`
}

// LevelJSON is one resolution level's size.
type LevelJSON struct {
	SizeX int `json:"sizeX"`
	SizeY int `json:"sizeY"`
}

// PictureType is the media type of a rendered picture sent to Ocular's
// clients: an 8-byte header (width, height as little-endian uint32) and
// the RGBA pixels, rows top to bottom, compressed as one S2 block. It was
// chosen by measurement over PNG and JPEG: for a 1000² view a loopback
// round trip is dominated by encoding, and S2 encodes and decodes RGBA at
// gigabytes per second, where PNG (BestSpeed) and JPEG cost tens of
// milliseconds, JPEG also losing the exact colours (docs/benchmarks.md).
const PictureType = "application/x-ocular-rgba-s2"

// MaxPicturePixels bounds the pictures a client accepts (and a server
// sends): 16384² pixels, 1 GiB of RGBA.
const MaxPicturePixels = 1 << 28

// encodeBuffers keeps encode buffers between pictures: a viewer asks for
// one picture per slider move, each several megabytes.
var encodeBuffers sync.Pool

// EncodePicture encodes m as PictureType. The result is only valid until
// it is handed back with ReleasePicture (or dropped).
func EncodePicture(m *image.RGBA) []byte {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	pix := m.Pix
	if m.Stride != 4*w || len(pix) != 4*w*h {
		pix = make([]byte, 0, 4*w*h)
		for y := 0; y < h; y++ {
			o := y * m.Stride
			pix = append(pix, m.Pix[o:o+4*w]...)
		}
	}
	need := 8 + s2.MaxEncodedLen(len(pix))
	var dst []byte
	if b, ok := encodeBuffers.Get().(*[]byte); ok && cap(*b) >= need {
		dst = (*b)[:need]
	} else {
		dst = make([]byte, need)
	}
	binary.LittleEndian.PutUint32(dst, uint32(w))
	binary.LittleEndian.PutUint32(dst[4:], uint32(h))
	return dst[:8+len(s2.Encode(dst[8:], pix))]
}

// ReleasePicture hands an encoded picture's buffer back for reuse.
func ReleasePicture(b []byte) {
	b = b[:0]
	encodeBuffers.Put(&b)
}

// DecodePicture decodes a PictureType body, refusing sizes over
// MaxPicturePixels before allocating.
func DecodePicture(b []byte) (*image.RGBA, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("the picture is cut short")
	}
	w, h := int64(binary.LittleEndian.Uint32(b)), int64(binary.LittleEndian.Uint32(b[4:]))
	if w <= 0 || h <= 0 || w*h > MaxPicturePixels {
		return nil, fmt.Errorf("the picture's size %d×%d is not acceptable", w, h)
	}
	n, err := s2.DecodedLen(b[8:])
	if err != nil || int64(n) != 4*w*h {
		return nil, fmt.Errorf("the picture is damaged")
	}
	m := image.NewRGBA(image.Rect(0, 0, int(w), int(h)))
	if _, err := s2.Decode(m.Pix, b[8:]); err != nil {
		return nil, fmt.Errorf("the picture is damaged: %v", err)
	}
	return m, nil
}
