package omejson

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
)

func TestColorIsSignedRGBA(t *testing.T) {
	for _, c := range []struct {
		rgba [4]uint8
		want int32
	}{{[4]uint8{0, 0, 255, 255}, 65535}, {[4]uint8{255, 0, 0, 255}, -16776961}, {[4]uint8{255, 255, 255, 255}, -1}} {
		if got := Color(c.rgba); got != c.want {
			t.Errorf("Color(%v) = %d, want %d", c.rgba, got, c.want)
		}
	}
}

func TestImageShape(t *testing.T) {
	v := core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.Image, ID: 7}, Name: "cells",
		Details: core.Details{Owner: 3, Group: 5}, Attrs: map[string]any{"acquisitionDate": "2020-01-02T03:04:05Z", "series": float64(0)}},
		Flags: core.Flags{Read: true, CanAnnotate: true}, Level: core.ReadAnnotate, GroupName: "lab"}
	p := core.PixelsInfo{Image: 7, SizeX: 512, SizeY: 256, SizeZ: 3, SizeC: 2, SizeT: 1, PixelType: "uint16",
		DimensionOrder: "XYZCT", PhysicalSizeX: 0.12698, PhysicalSizeY: 0.12698}
	chs := []core.ChannelInfo{{Name: "DAPI", Color: [4]uint8{0, 0, 255, 255}, HasColor: true, EmissionWavelength: 461}, {Name: "GFP"}}
	e := &Encoder{Base: "https://h/api/v0/", Users: map[core.ID]core.Experimenter{3: {ID: 3, Username: "ben", FirstName: "Ben", LastName: "Nevis"}}}
	b, err := json.Marshal(e.Image(v, p, chs))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID              int64  `json:"@id"`
		Type            string `json:"@type"`
		Name            string
		AcquisitionDate int64
		URL             string `json:"url:image"`
		Pixels          struct {
			SizeX, SizeY, SizeZ, SizeC, SizeT int
			Type                              struct{ Type, Value string }
			DimensionOrder                    string
			PhysicalSizeX                     struct {
				Type   string `json:"@type"`
				Unit   string
				Symbol string
				Value  float64
			}
			PhysicalSizeZ *struct{}
			Channels      []struct {
				Name               string
				Color              *int32
				EmissionWavelength *struct {
					Unit  string
					Value float64
				}
			}
		}
		Details struct {
			Owner       struct{ UserName string }
			Group       struct{ Name string }
			Permissions map[string]any
		} `json:"omero:details"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	px := got.Pixels
	if got.ID != 7 || got.Type != Schema+"#Image" || got.Name != "cells" || got.URL != "https://h/api/v0/m/images/7/" || got.AcquisitionDate != 1577934245000 {
		t.Errorf("image: %s", b)
	}
	if px.SizeX != 512 || px.SizeY != 256 || px.SizeZ != 3 || px.SizeC != 2 || px.SizeT != 1 || px.DimensionOrder != "XYZCT" || px.Type.Value != "uint16" {
		t.Errorf("pixels: %s", b)
	}
	if px.PhysicalSizeX.Type != "TBD#LengthI" || px.PhysicalSizeX.Unit != "MICROMETER" || px.PhysicalSizeX.Symbol != "µm" || px.PhysicalSizeX.Value != 0.12698 || px.PhysicalSizeZ != nil {
		t.Errorf("physical sizes: %s", b)
	}
	if len(px.Channels) != 2 || px.Channels[0].Name != "DAPI" || px.Channels[0].Color == nil || *px.Channels[0].Color != 65535 ||
		px.Channels[0].EmissionWavelength == nil || px.Channels[0].EmissionWavelength.Unit != "NANOMETER" || px.Channels[1].Color != nil {
		t.Errorf("channels: %s", b)
	}
	pm := got.Details.Permissions
	if got.Details.Owner.UserName != "ben" || got.Details.Group.Name != "lab" || pm["perm"] != "rwra--" || pm["canAnnotate"] != true || pm["canEdit"] != false {
		t.Errorf("details: %s", b)
	}
	if _, ok := pm["canChgrp"]; ok || strings.Contains(string(b), "canChown") {
		t.Errorf("the JSON API has no canChgrp/canChown: %s", b)
	}
}

func TestNormalize(t *testing.T) {
	e := &Encoder{}
	objs := []M{
		e.Object(core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.Project, ID: 1}, Details: core.Details{Owner: 2, Group: 3}}}),
		e.Object(core.ObjectView{Object: core.Object{Ref: core.Ref{Class: core.Project, ID: 4}, Details: core.Details{Owner: 2, Group: 3}}}),
	}
	us, gs := Normalize(objs)
	if len(us) != 1 || len(gs) != 1 {
		t.Fatalf("experimenters %v groups %v", us, gs)
	}
	d := objs[1]["omero:details"].(M)
	if len(d["owner"].(M)) != 1 || d["group"].(M)["@id"] != int64(3) {
		t.Errorf("details not reduced: %v", d)
	}
}
