package rendering_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/hostile"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// hugeReader presents a file as a 46000×46000 plane and refuses (instead of
// allocating) any read over 64 MiB, so a regression fails rather than
// taking 10 GB.
type hugeReader struct {
	formats.Reader
	series []formats.Series
}

const hugeSide = 46000

func (h *hugeReader) Series() []formats.Series { return h.series }

func (h *hugeReader) ReadRegion(s, level, z, c, t int, r image.Rectangle) (*pixel.Plane, error) {
	if int64(r.Dx())*int64(r.Dy())*2 > 64<<20 {
		return nil, fmt.Errorf("test reader: a read of %dx%d pixels", r.Dx(), r.Dy())
	}
	return pixel.NewPlane(h.series[s].PixelType, r.Dx(), r.Dy())
}

func (h *hugeReader) ReadPlane(s, level, z, c, t int) (*pixel.Plane, error) {
	return h.ReadRegion(s, level, z, c, t, image.Rect(0, 0, hugeSide, hugeSide))
}

// A full-resolution render of a 46000² image is refused in bounded memory
// with a sentence asking for a smaller size, a region or a reduced level;
// a region of it renders.
func TestFullResolutionRenderOfAHugeImageIsRefused(t *testing.T) {
	ctx := context.Background()
	svcRepo, repo := testrepo.New(t)
	root := testrepo.Root(t, svcRepo)
	g, _ := root.CreateGroup(ctx, "lab", core.ReadOnly, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{g.ID}})
	ada := testrepo.Login(t, svcRepo, "ada", "pw")
	open := func(p string) (formats.Reader, error) {
		r, err := detect.Open(p)
		if err != nil {
			return nil, err
		}
		ss := append([]formats.Series(nil), r.Series()...)
		for i := range ss {
			ss[i].SizeX, ss[i].SizeY = hugeSide, hugeSide
			ss[i].Levels = []formats.Level{{SizeX: hugeSide, SizeY: hugeSide, TileWidth: 512, TileHeight: 512},
				{SizeX: hugeSide / 2, SizeY: hugeSide / 2, TileWidth: 512, TileHeight: 512}}
		}
		return &hugeReader{Reader: r, series: ss}, nil
	}
	file := filepath.Join(t.TempDir(), "cells.ome.tiff")
	writeOME(t, file)
	sum, err := importer.Run(ctx, importer.Config{Session: ada, Open: open, Supported: detect.Supported, Thumbs: thumbcache.ForRepository(repo)},
		[]string{file}, importer.Options{SkipMinMax: true, SkipThumbnails: true}, nil)
	if err != nil || sum.Imported != 1 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	f := struct {
		ctx   context.Context
		ada   core.Session
		image core.Ref
	}{ctx, ada, sum.Results[0].Images[0]}
	svc := rendering.New(rendering.Config{Session: f.ada, Open: open})
	defer svc.Close()
	st := settingsOf(t, f.ada, f.image)
	alloc := hostile.Allocated(func() {
		_, err = svc.Render(f.ctx, f.image, st, rendering.View{})
	})
	if !errors.Is(err, formats.ErrTooLarge) || !core.Is(core.Invalid, err) {
		t.Fatalf("error = %v, want an Invalid refusal over the memory budget", err)
	}
	if msg := core.UserMessage(err); !strings.Contains(msg, "46000×46000") || !strings.Contains(msg, "a smaller size, a region or a reduced level") {
		t.Errorf("refusal %q does not say what is too large and what to do", msg)
	}
	if alloc > 64<<20 {
		t.Errorf("refusing the render allocated %d MiB", alloc>>20)
	}
	if _, err := svc.Render(f.ctx, f.image, st, rendering.View{Region: image.Rect(100, 100, 1100, 900)}); err != nil {
		t.Errorf("a 1000×800 region of the image: %v", err)
	}
}
