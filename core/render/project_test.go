package render

import (
	"errors"
	"fmt"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core/pixel"
)

func planesOf(t pixel.Type, vals ...[]float64) []*pixel.Plane {
	var ps []*pixel.Plane
	for _, v := range vals {
		p, _ := pixel.NewPlane(t, len(v), 1)
		for x, f := range v {
			p.Set(x, 0, f)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestProject(t *testing.T) {
	cases := []struct {
		typ      pixel.Type
		kind     ProjectionKind
		in       [][]float64
		wantType pixel.Type
		want     []float64
	}{
		{pixel.Uint16, ProjectMax, [][]float64{{1, 65535, 3}, {4, 2, 3}}, pixel.Uint16, []float64{4, 65535, 3}},
		{pixel.Uint16, ProjectMean, [][]float64{{1, 2, 65535}, {2, 2, 65535}}, pixel.Uint16, []float64{2, 2, 65535}},
		{pixel.Uint16, ProjectSum, [][]float64{{65535, 1}, {65535, 2}, {65535, 3}}, pixel.Uint32, []float64{196605, 6}},
		{pixel.Uint8, ProjectSum, [][]float64{{255}, {255}}, pixel.Uint32, []float64{510}},
		{pixel.Uint8, ProjectMean, [][]float64{{1}, {2}}, pixel.Uint8, []float64{2}},  // 1.5 rounds up
		{pixel.Int8, ProjectMean, [][]float64{{-1}, {-2}}, pixel.Int8, []float64{-2}}, // -1.5 rounds away from zero
		{pixel.Int16, ProjectSum, [][]float64{{-32768}, {-32768}}, pixel.Int32, []float64{-65536}},
		{pixel.Float32, ProjectMax, [][]float64{{math.NaN(), 1}, {0.5, math.NaN()}}, pixel.Float32, []float64{0.5, 1}},
		{pixel.Float32, ProjectSum, [][]float64{{0.25}, {0.5}}, pixel.Float64, []float64{0.75}},
		{pixel.Uint32, ProjectSum, [][]float64{{4e9}, {4e9}}, pixel.Float64, []float64{8e9}},
	}
	for i, c := range cases {
		out, err := Project(planesOf(c.typ, c.in...), c.kind)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if out.Type != c.wantType {
			t.Errorf("case %d: type %s, want %s", i, out.Type, c.wantType)
		}
		for x, w := range c.want {
			if got := out.At(x, 0); got != w {
				t.Errorf("case %d (%s %s): x=%d got %v, want %v", i, c.typ, c.kind, x, got, w)
			}
		}
	}
	if _, err := Project(nil, ProjectMax); err == nil {
		t.Error("empty projection accepted")
	}
	a := planesOf(pixel.Uint8, []float64{1, 2})
	b := planesOf(pixel.Uint8, []float64{1})
	if _, err := Project(append(a, b...), ProjectMax); err == nil {
		t.Error("planes of different sizes accepted")
	}
	if _, err := Project(a, "median"); err == nil {
		t.Error("unknown projection accepted")
	}
}

// A projection renders like any plane.
func TestRenderProjection(t *testing.T) {
	p, err := Project(planesOf(pixel.Uint16, []float64{100, 4000}, []float64{3000, 10}), ProjectSum)
	if err != nil {
		t.Fatal(err)
	}
	s := &Settings{Model: Greyscale, CdEnd: 255, Channels: []ChannelSettings{{Active: true, Start: 0, End: 4010, Family: Linear, Coefficient: 1}}}
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	if err := NewRenderer().Render(img, []*pixel.Plane{p}, s); err != nil {
		t.Fatal(err)
	}
	if d := diffImages(img, refRender([]*pixel.Plane{p}, s)); d != "" {
		t.Fatal(d)
	}
	if img.Pix[4] != 255 {
		t.Fatalf("sum 4010 at the window end rendered %d, want 255", img.Pix[4])
	}
}

func TestGatherPlanes(t *testing.T) {
	var reads []string
	read := func(z, c, tt int) (*pixel.Plane, error) {
		reads = append(reads, fmt.Sprintf("z%d c%d t%d", z, c, tt))
		p, _ := pixel.NewPlane(pixel.Uint8, 2, 1)
		p.Set(0, 0, float64(10*z+c))
		return p, nil
	}
	s := validSettings() // channel 2 inactive
	s.DefaultZ, s.DefaultT = 1, 0
	planes, err := GatherPlanes(&s, read)
	if err != nil || planes[1] != nil || planes[0].At(0, 0) != 10 {
		t.Fatalf("planes %v, err %v", planes, err)
	}
	reads = nil
	s.Projection = &Projection{Kind: ProjectMax, StartZ: 0, EndZ: 2}
	planes, err = GatherPlanes(&s, read)
	if err != nil || planes[0].At(0, 0) != 20 || strings.Join(reads, ",") != "z0 c0 t0,z1 c0 t0,z2 c0 t0" {
		t.Fatalf("projection: planes %v, reads %v, err %v", planes, reads, err)
	}
	failing := func(z, c, tt int) (*pixel.Plane, error) { return nil, errors.New("plane 2 is truncated") }
	if _, err := GatherPlanes(&s, failing); err == nil {
		t.Fatal("read error not returned")
	}
}
