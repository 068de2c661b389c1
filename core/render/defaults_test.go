package render

import (
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

func TestDefaults(t *testing.T) {
	t.Run("single channel is greyscale over the type range", func(t *testing.T) {
		s := Defaults(pixel.Uint8, 5, 3, []ChannelInfo{{Name: "DAPI"}})
		if s.Model != Greyscale || s.DefaultZ != 2 || s.DefaultT != 0 || s.CdStart != 0 || s.CdEnd != 255 {
			t.Fatalf("got %+v", s)
		}
		c := s.Channels[0]
		if !c.Active || c.Start != 0 || c.End != 255 || c.Family != Linear || c.Coefficient != 1 || c.Reverse {
			t.Fatalf("channel %+v", c)
		}
	})
	t.Run("multichannel: rgb, first three active, colours by index", func(t *testing.T) {
		s := Defaults(pixel.Uint16, 1, 1, make([]ChannelInfo, 5))
		if s.Model != RGB {
			t.Fatalf("model %s", s.Model)
		}
		want := []Color{Red, Green, Blue, Red, Green}
		for i, c := range s.Channels {
			if c.Active != (i < 3) || c.Color != want[i] || c.End != 65535 {
				t.Errorf("channel %d: %+v", i, c)
			}
		}
	})
	t.Run("import colour, then wavelength, then white when some lack emission", func(t *testing.T) {
		s := Defaults(pixel.Uint16, 1, 1, []ChannelInfo{
			{Color: [4]uint8{255, 0, 255, 255}, HasColor: true, EmissionWavelength: 520},
			{EmissionWavelength: 461},
			{EmissionWavelength: 520},
			{EmissionWavelength: 670},
			{},
		})
		want := []Color{{255, 0, 255, 255}, Blue, Green, Red, White}
		for i, c := range s.Channels {
			if c.Color != want[i] {
				t.Errorf("channel %d colour %v, want %v", i, c.Color, want[i])
			}
		}
	})
	t.Run("window from stats, degenerate falls back, LUT kept", func(t *testing.T) {
		s := Defaults(pixel.Uint16, 1, 1, []ChannelInfo{
			{StatsMin: 120, StatsMax: 3100, HasStats: true, LUT: "Fire"},
			{StatsMin: 7, StatsMax: 7, HasStats: true},
		})
		if c := s.Channels[0]; c.Start != 120 || c.End != 3100 || c.LUT != "fire" {
			t.Errorf("channel 0 %+v", c)
		}
		if c := s.Channels[1]; c.Start != 0 || c.End != 65535 {
			t.Errorf("degenerate window gave %v..%v, want the type range", c.Start, c.End)
		}
		f := Defaults(pixel.Float32, 1, 1, []ChannelInfo{{}})
		if c := f.Channels[0]; c.Start != 0 || c.End != 1 {
			t.Errorf("float without stats: %v..%v", c.Start, c.End)
		}
	})
	t.Run("defaults validate", func(t *testing.T) {
		s := Defaults(pixel.Int16, 4, 2, make([]ChannelInfo, 4))
		if err := s.Validate(PixelsInfo{Type: pixel.Int16, SizeZ: 4, SizeT: 2, SizeC: 4}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCompatibleForPaste(t *testing.T) {
	src := PixelsInfo{Type: pixel.Uint16, SizeC: 2, SizeZ: 5, SizeT: 1, EmissionWavelengths: []float64{461, 520}}
	cases := []struct {
		dst  PixelsInfo
		ok   bool
		want string
	}{
		{PixelsInfo{Type: pixel.Uint16, SizeC: 2, EmissionWavelengths: []float64{520, 461}}, true, ""},
		{PixelsInfo{Type: pixel.Uint8, SizeC: 2, EmissionWavelengths: []float64{461, 520}}, false, "pixel type differs"},
		{PixelsInfo{Type: pixel.Uint16, SizeC: 3, EmissionWavelengths: []float64{461, 520, 600}}, false, "channel count differs"},
		{PixelsInfo{Type: pixel.Uint16, SizeC: 2, EmissionWavelengths: []float64{461, 610}}, false, "emission wavelength 520"},
	}
	for i, c := range cases {
		ok, reason := CompatibleForPaste(src, c.dst)
		if ok != c.ok || (c.want != "" && !contains(reason, c.want)) {
			t.Errorf("case %d: %v %q, want %v %q", i, ok, reason, c.ok, c.want)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestApplyPaste(t *testing.T) {
	src := validSettings()
	src.DefaultZ, src.DefaultT = 4, 2
	src.Projection = &Projection{Kind: ProjectMax, EndZ: 4}
	got := ApplyPaste(src, 3, 1) // Z 4 and T 2 do not exist in the target
	if got.DefaultZ != 1 || got.DefaultT != 0 {
		t.Errorf("default Z/T %d/%d, want the target's defaults 1/0", got.DefaultZ, got.DefaultT)
	}
	if got.Projection != nil {
		t.Error("projection was copied")
	}
	if got.Model != src.Model || len(got.Channels) != 2 || got.Channels[1] != src.Channels[1] {
		t.Errorf("channels not copied: %+v", got)
	}
	got.Channels[0].Start = 99 // a deep copy
	if src.Channels[0].Start == 99 {
		t.Error("pasted settings share the source's channel slice")
	}
	in := ApplyPaste(src, 10, 5)
	if in.DefaultZ != 4 || in.DefaultT != 2 {
		t.Errorf("in-range default Z/T not copied: %d/%d", in.DefaultZ, in.DefaultT)
	}
	onto := ApplyPasteOnto(src, Settings{DefaultZ: 2, DefaultT: 0}, 3, 1)
	if onto.DefaultZ != 2 {
		t.Errorf("target's own default Z not kept: %d", onto.DefaultZ)
	}
}
