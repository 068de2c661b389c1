package importer

import (
	"bytes"
	"context"
	"image"
	"math/rand"
	"testing"

	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/core/render"
)

// memReader serves the planes of one series from memory and counts the
// reads of whole planes.
type memReader struct {
	s      formats.Series
	planes map[[3]int]*pixel.Plane
	reads  int
}

func (r *memReader) Format() string           { return "test" }
func (r *memReader) Files() []string          { return nil }
func (r *memReader) Series() []formats.Series { return []formats.Series{r.s} }
func (r *memReader) Plate() *formats.Plate    { return nil }
func (r *memReader) Close() error             { return nil }
func (r *memReader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	return r.ReadRegion(s, level, z, c, t, image.Rect(0, 0, r.s.SizeX, r.s.SizeY))
}
func (r *memReader) ReadRegion(s, level, z, c, t int, rect image.Rectangle) (*pixel.Plane, error) {
	r.reads++
	src := r.planes[[3]int{z, c, t}]
	out, _ := pixel.NewPlane(src.Type, rect.Dx(), rect.Dy())
	sz := src.Type.Size()
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		copy(out.Data[(y-rect.Min.Y)*rect.Dx()*sz:], src.Data[(y*src.Width+rect.Min.X)*sz:(y*src.Width+rect.Max.X)*sz])
	}
	return out, nil
}

// The thumbnail drawn from the planes kept by the statistics pass is the
// one drawn from the full planes, pixel for pixel, and no plane is read a
// second time for it: for wide, tall and small images, with more channels
// than the thumbnail shows and several Z.
func TestThumbnailFromTheStatisticsPassIsTheFullPlanesThumbnail(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, size := range [][2]int{{1000, 333}, {257, 900}, {150, 90}, {192, 96}} {
		s := formats.Series{SizeX: size[0], SizeY: size[1], SizeZ: 3, SizeC: 4, SizeT: 2, PixelType: pixel.Uint16,
			Levels: []formats.Level{{SizeX: size[0], SizeY: size[1]}}}
		r := &memReader{s: s, planes: map[[3]int]*pixel.Plane{}}
		for z := 0; z < 3; z++ {
			for c := 0; c < 4; c++ {
				for tt := 0; tt < 2; tt++ {
					p, _ := pixel.NewPlane(pixel.Uint16, size[0], size[1])
					for i := range p.Data {
						p.Data[i] = byte(rng.Intn(256) >> (c * 2))
					}
					r.planes[[3]int{z, c, tt}] = p
				}
			}
		}
		pr, err := prepareSeries(context.Background(), r, 0, s, nil, Options{ThumbnailSize: 96}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.reads != 3*4*2 {
			t.Errorf("%v: %d plane reads, want %d (each plane once)", size, r.reads, 3*4*2)
		}
		got, err := render.NewRenderer().RenderThumbnail(pr.thumbPlanes, &pr.settings, 96)
		if err != nil {
			t.Fatal(err)
		}
		full := make([]*pixel.Plane, 4)
		for c := range full {
			if pr.settings.Channels[c].Active {
				full[c] = r.planes[[3]int{pr.settings.DefaultZ, c, pr.settings.DefaultT}]
			}
		}
		want, err := render.NewRenderer().RenderThumbnail(full, &pr.settings, 96)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%v: the thumbnail (%v) differs from the full planes' (%v)", size, got.Rect, want.Rect)
		}
	}
}
