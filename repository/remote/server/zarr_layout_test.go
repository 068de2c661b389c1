package server

import (
	"encoding/json"
	"image"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// Every pixel type Ocular reads has a Zarr dtype of its size.
func TestZarrDtypeOfEveryPixelType(t *testing.T) {
	for typ := pixel.Uint8; typ <= pixel.Float64; typ++ {
		d := zarrDtypes[typ]
		if len(d) != 3 || d[2]-'0' != byte(typ.Size()) {
			t.Errorf("%s: dtype %q", typ, d)
		}
	}
}

// A float image without physical sizes: no units, unit scales, the
// channel statistics as the window range, chunks no larger than the level.
func TestZarrAttrsOfAFloatImageWithoutSizes(t *testing.T) {
	src := core.PixelSource{Image: core.Ref{Class: core.Image, ID: 9}, Name: "f",
		Pixels:   core.PixelsInfo{SizeX: 300, SizeY: 100, SizeZ: 1, SizeC: 1, SizeT: 4, PixelType: "float"},
		Channels: []core.ChannelInfo{{Name: "", StatsMin: -2, StatsMax: 5, HasStats: true}}}
	l, err := newLayout(src, []image.Point{{300, 100}, {150, 50}})
	if err != nil {
		t.Fatal(err)
	}
	view := core.RenderingDefView{Settings: render.Settings{Model: render.Greyscale, Channels: []render.ChannelSettings{
		{Active: true, Start: -1, End: 9, Color: render.Color{255, 0, 0, 255}, Family: render.Linear}}}}
	b, _ := json.Marshal(l.attrs(view))
	for _, want := range []string{`"axes":[{"name":"t","type":"time"},{"name":"c","type":"channel"},{"name":"z","type":"space"},{"name":"y","type":"space"},{"name":"x","type":"space"}]`,
		`"scale":[1,1,1,1,1]`, `"scale":[1,1,1,2,2]`, `"model":"greyscale"`,
		`"color":"FF0000"`, `"label":"Channel 0"`, `"window":{"start":-1,"end":9,"min":-2,"max":9}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf(".zattrs lacks %s:\n%s", want, b)
		}
	}
	a := l.array(1)
	if a.Dtype != "<f4" || a.Chunks[3] != 50 || a.Chunks[4] != 150 || a.Shape[0] != 4 {
		t.Errorf(".zarray %+v", a)
	}
	if r, ok := l.chunkRegion(1, 3, 0, 0, 0, 0); !ok || r != image.Rect(0, 0, 150, 50) {
		t.Errorf("chunk 1/3/0/0/0/0 covers %v, %v", r, ok)
	}
	if _, ok := l.chunkRegion(1, 4, 0, 0, 0, 0); ok {
		t.Error("a chunk past SizeT exists")
	}
}
