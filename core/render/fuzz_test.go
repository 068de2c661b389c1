package render

import (
	"encoding/json"
	"image"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

// FuzzSettings feeds arbitrary JSON as settings: decoding and validation
// must not panic, and rendering with whatever decoded (validated or not)
// must not panic either.
func FuzzSettings(f *testing.F) {
	good, _ := json.Marshal(validSettings())
	f.Add(good, uint8(pixel.Uint16))
	f.Add([]byte(`{"model":"greyscale","cdStart":0,"cdEnd":255,"channels":[{"active":true,"start":5,"end":5,"color":"FF000080","family":"exponential","coefficient":99}]}`), uint8(pixel.Float32))
	f.Add([]byte(`{"model":"rgb","cdStart":3,"cdEnd":9,"channels":[{"active":true,"start":-1e308,"end":1e308,"lut":"nope","family":"logarithmic","reverse":true},{"active":true,"family":"polynomial","coefficient":-3}]}`), uint8(pixel.Int8))
	f.Fuzz(func(t *testing.T, data []byte, typ uint8) {
		var s Settings
		if json.Unmarshal(data, &s) != nil || len(s.Channels) > 8 {
			return
		}
		pt := pixel.Type(typ%8 + 1)
		_ = s.Validate(PixelsInfo{Type: pt, SizeZ: 1, SizeT: 1, SizeC: len(s.Channels)})
		planes := make([]*pixel.Plane, len(s.Channels))
		for i := range planes {
			p, _ := pixel.NewPlane(pt, 9, 3)
			for j := range p.Data {
				p.Data[j] = byte(j*37 + i*11)
			}
			planes[i] = p
		}
		img := image.NewRGBA(image.Rect(0, 0, 9, 3))
		_ = NewRenderer().Render(img, planes, &s)
	})
}
