package render

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

func validSettings() Settings {
	return Settings{Model: RGB, DefaultZ: 1, CdStart: 0, CdEnd: 255, Channels: []ChannelSettings{
		{Active: true, Start: 10, End: 4000, Color: Red, Family: Linear, Coefficient: 1},
		{Active: false, Start: 0, End: 65535, Color: Color{0, 255, 0, 128}, LUT: "Fire", Reverse: true, Family: Polynomial, Coefficient: 0.5, Label: "GFP"},
	}}
}

func TestSettingsJSONRoundTrip(t *testing.T) {
	s := validSettings()
	s.Projection = &Projection{Kind: ProjectMax, StartZ: 0, EndZ: 2}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"model":"rgb"`, `"color":"FF0000"`, `"color":"00FF0080"`, `"family":"polynomial"`, `"lut":"Fire"`, `"reverse":true`, `"kind":"max"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var back Settings
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b) != string(b2) {
		t.Fatalf("round trip changed the settings:\n%s\n%s", b, b2)
	}
}

func TestColorJSONForms(t *testing.T) {
	for in, want := range map[string]Color{`"#00ff00"`: Green, `"0000FF"`: Blue, `"FFFFFF80"`: {255, 255, 255, 128}, `[1,2,3,4]`: {1, 2, 3, 4}} {
		var c Color
		if err := json.Unmarshal([]byte(in), &c); err != nil || c != want {
			t.Errorf("%s -> %v, %v; want %v", in, c, err, want)
		}
	}
	for _, bad := range []string{`"FF00"`, `"GG0000"`, `12`} {
		var c Color
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s accepted as a colour", bad)
		}
	}
}

func TestValidate(t *testing.T) {
	info := PixelsInfo{Type: pixel.Uint16, SizeX: 10, SizeY: 10, SizeZ: 3, SizeT: 1, SizeC: 2}
	s := validSettings()
	if err := s.Validate(info); err != nil {
		t.Fatalf("valid settings rejected: %v", err)
	}
	cases := []struct {
		name   string
		change func(s *Settings)
		info   PixelsInfo
		want   string
	}{
		{"window above uint16", func(s *Settings) { s.Channels[0].End = 70000 }, info, "outside the uint16 range 0..65535"},
		{"window below uint16", func(s *Settings) { s.Channels[0].Start = -1 }, info, "outside the uint16 range"},
		{"start above end", func(s *Settings) { s.Channels[0].Start = 5000 }, info, "start 5000 is above window end 4000"},
		{"NaN window", func(s *Settings) { s.Channels[0].End = math.NaN() }, info, "not a finite range"},
		{"unknown LUT", func(s *Settings) { s.Channels[1].LUT = "foo" }, info, `unknown lookup table "foo"; known: 16_colors, blue`},
		{"channel count", func(s *Settings) { s.Channels = s.Channels[:1] }, info, "settings have 1 channels but the image has 2"},
		{"negative coefficient", func(s *Settings) { s.Channels[0].Coefficient = -1 }, info, "must not be negative"},
		{"zero polynomial", func(s *Settings) { s.Channels[1].Coefficient = 0 }, info, "must be above 0"},
		{"NaN coefficient", func(s *Settings) { s.Channels[1].Coefficient = math.NaN() }, info, "coefficient NaN"},
		{"unknown family", func(s *Settings) { s.Channels[0].Family = "cubic" }, info, `unknown family "cubic"`},
		{"unknown model", func(s *Settings) { s.Model = "cmyk" }, info, `unknown colour model "cmyk"`},
		{"default Z", func(s *Settings) { s.DefaultZ = 3 }, info, "default Z 3 is outside the image's 3 planes"},
		{"codomain", func(s *Settings) { s.CdStart, s.CdEnd = 200, 100 }, info, "output range 200..100"},
		{"projection range", func(s *Settings) { s.Projection = &Projection{Kind: ProjectSum, StartZ: 1, EndZ: 5} }, info, "projection range Z 1..5"},
	}
	for _, c := range cases {
		s := validSettings()
		c.change(&s)
		err := s.Validate(c.info)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
	// Float images accept any finite window.
	s = validSettings()
	s.Channels[0].Start, s.Channels[0].End = -1e9, 1e9
	if err := s.Validate(PixelsInfo{Type: pixel.Float32, SizeZ: 3, SizeT: 1, SizeC: 2}); err != nil {
		t.Fatalf("wide float window rejected: %v", err)
	}
	// start == end is a step, not an error.
	s = validSettings()
	s.Channels[0].Start, s.Channels[0].End = 100, 100
	if err := s.Validate(info); err != nil {
		t.Fatalf("step window rejected: %v", err)
	}
}

func TestLookupLUTNames(t *testing.T) {
	for in, want := range map[string]string{"Fire": "fire", "16 colors": "16_colors", "Red Hot": "red_hot", "fire.lut": "fire", "GRAYS": "greys", "HiLo": "hilo", "viridis": "viridis", "Cool.lut": "cool"} {
		l, err := LookupLUT(in)
		if err != nil || l.Name != want {
			t.Errorf("LookupLUT(%q) = %v, %v; want %s", in, l, err, want)
		}
	}
	if _, err := LookupLUT("foo"); err == nil || !strings.Contains(err.Error(), "greys") {
		t.Errorf("unknown LUT error %v should list the known tables", err)
	}
	names := LUTNames()
	for _, want := range []string{"greys", "fire", "ice", "16_colors", "spectrum", "red", "green", "blue", "cyan", "magenta", "yellow", "hilo", "viridis", "magma", "inferno", "plasma", "cividis", "red_hot", "cool"} {
		if _, err := LookupLUT(want); err != nil {
			t.Errorf("%s missing from %v", want, names)
		}
	}
}

func TestLUTContents(t *testing.T) {
	get := func(n string) *LUT { l, _ := LookupLUT(n); return l }
	g := get("greys")
	for i := 0; i < 256; i++ {
		if g.R[i] != uint8(i) || g.G[i] != uint8(i) || g.B[i] != uint8(i) {
			t.Fatalf("greys[%d] is not grey", i)
		}
	}
	h := get("hilo")
	if h.B[0] != 255 || h.R[0] != 0 || h.R[255] != 255 || h.G[255] != 0 || h.R[128] != 128 {
		t.Fatal("hilo must show 0 blue, 255 red and grey between")
	}
	// Published end points of matplotlib's maps (#440154 and #FDE725 for viridis).
	near := func(a, b uint8) bool { return a+1 >= b && b+1 >= a }
	v := get("viridis")
	if !near(v.R[0], 0x44) || !near(v.G[0], 0x01) || !near(v.B[0], 0x54) || !near(v.R[255], 0xFD) || !near(v.G[255], 0xE7) || !near(v.B[255], 0x25) {
		t.Fatalf("viridis ends at %v,%v,%v .. %v,%v,%v", v.R[0], v.G[0], v.B[0], v.R[255], v.G[255], v.B[255])
	}
	// viridis's middle (entry 128 is #21918C) survives the reduction to control points.
	if !near(v.R[128], 0x21) || !near(v.G[128], 0x91) || !near(v.B[128], 0x8C) {
		t.Fatalf("viridis[128] = %v,%v,%v", v.R[128], v.G[128], v.B[128])
	}
	f := get("fire")
	if f.R[0] != 0 || f.R[255] != 255 || f.G[255] != 255 || f.B[255] != 255 {
		t.Fatal("fire must run from black to white")
	}
}
