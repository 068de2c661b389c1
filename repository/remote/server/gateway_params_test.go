package server

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

func testSettings() (render.Settings, core.PixelsInfo) {
	info := core.PixelsInfo{SizeX: 64, SizeY: 64, SizeZ: 5, SizeC: 3, SizeT: 1, PixelType: "uint16"}
	return render.Defaults(pixel.Uint16, 5, 1, make([]render.ChannelInfo, 3)), info
}

// OMERO.web's viewer query becomes the settings it describes.
func TestApplyRenderParams(t *testing.T) {
	s, info := testSettings()
	q, _ := url.ParseQuery("c=1|100:505$0000FF,-2,3|620:3879$FF0000&m=c&p=intmax|1:3&maps=[{\"inverted\":{\"enabled\":true}},null,{\"quantization\":{\"family\":\"logarithmic\"}}]")
	if err := applyRenderParams(&s, q, info); err != nil {
		t.Fatal(err)
	}
	c := s.Channels
	if !c[0].Active || c[1].Active || !c[2].Active || c[0].Start != 100 || c[0].End != 505 || c[0].Color != render.Blue ||
		c[2].Color != render.Red || !c[0].Reverse || c[2].Family != render.Logarithmic || s.Model != render.RGB ||
		s.Projection == nil || *s.Projection != (render.Projection{Kind: render.ProjectMax, StartZ: 1, EndZ: 3}) {
		t.Errorf("settings: %+v %+v", s, s.Projection)
	}
	if err := applyRenderParams(&s, url.Values{"p": {"normal"}}, info); err != nil || s.Projection != nil {
		t.Errorf("p=normal: %v %+v", err, s.Projection)
	}
}

// No query crashes the parser or gets past it half-applied.
func FuzzApplyRenderParams(f *testing.F) {
	for _, seed := range []string{"c=1|0:1$FF0000,-2", "c=-1|a:$", "p=intmax|0:", "maps=[{}]", "c=1$cool.lut", "m=g&q=0.5", "c=,,,"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		s, info := testSettings()
		before := s.Clone()
		if err := applyRenderParams(&s, q, info); err != nil {
			if !core.Is(core.Invalid, err) {
				t.Fatalf("%q: %v is not Invalid", raw, err)
			}
			if !reflect.DeepEqual(s, before) {
				t.Fatalf("%q was refused but changed the settings", raw)
			}
		}
		jpegQuality(q)
	})
}
