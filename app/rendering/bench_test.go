package rendering_test

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/app/thumbcache"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats"
	"github.com/ocular-lab/ocular/core/formats/detect"
	"github.com/ocular-lab/ocular/core/formats/ome"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
)

// benchImage imports a 2048x2048, 4-channel uint16 OME-TIFF and returns a
// session of its owner and the image.
func benchImage(b *testing.B) (core.Session, core.Ref, string) {
	b.Helper()
	ctx := context.Background()
	svc, repo := testrepo.New(b)
	root := testrepo.Root(b, svc)
	g, _ := root.CreateGroup(ctx, "lab", core.ReadOnly, "")
	root.CreateUser(ctx, core.NewUser{Username: "ada", Password: "pw", Groups: []core.ID{g.ID}})
	ada, err := svc.Login(ctx, "ada", "pw", "")
	if err != nil {
		b.Fatal(err)
	}
	const n, c = 2048, 4
	file := filepath.Join(b.TempDir(), "big.ome.tiff")
	s := formats.Series{Name: "big", SizeX: n, SizeY: n, SizeZ: 1, SizeC: c, SizeT: 1, PixelType: pixel.Uint16, DimensionOrder: "XYZCT"}
	err = ome.WriteTIFF(file, s, nil, func(_, ch, _ int) (*pixel.Plane, error) {
		p, _ := pixel.NewPlane(pixel.Uint16, n, n)
		for i := 0; i < len(p.Data); i += 2 {
			v := uint16((i/2)%n*13 + (i/2)/n*7 + ch*1000)
			p.Data[i], p.Data[i+1] = byte(v), byte(v>>8)
		}
		return p, nil
	}, ome.WriteOptions{})
	if err != nil {
		b.Fatal(err)
	}
	sum, err := importer.Run(ctx, importer.Config{Session: ada, Open: detect.Open, Thumbs: thumbcache.ForRepository(repo)},
		[]string{file}, importer.Options{}, nil)
	if err != nil || sum.Imported != 1 {
		b.Fatalf("import: %+v %v", sum, err)
	}
	return ada, sum.Results[0].Images[0], repo
}

// cpuTime is the process's user + system CPU time so far: under a loaded
// shared machine it varies much less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds cpu-ms/op since start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkViewerSlider2048x4 is the viewer's hot path: the planes are
// decoded and cached, one channel's window moves, the view is re-rendered
// at full size (settings lookup and validation included).
func BenchmarkViewerSlider2048x4(b *testing.B) {
	sess, img, repo := benchImage(b)
	ctx := context.Background()
	svc := rendering.New(rendering.Config{Session: sess, Thumbs: thumbcache.ForRepository(repo)})
	defer svc.Close()
	v, _ := sess.ViewerRendering(ctx, img)
	st := v.Settings
	st.Channels[3].Active = true
	dst, err := svc.RenderView(ctx, img, 0, 0, st, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		st.Channels[0].End = float64(20000 + i%1000)
		if _, err := svc.Render(ctx, img, st, rendering.View{Dst: dst}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkThumbnailCached96 serves a grid thumbnail already in the cache
// (settings lookup, key, file read and PNG decode).
func BenchmarkThumbnailCached96(b *testing.B) {
	sess, img, repo := benchImage(b)
	ctx := context.Background()
	svc := rendering.New(rendering.Config{Session: sess, Thumbs: thumbcache.ForRepository(repo)})
	defer svc.Close()
	if _, err := svc.Thumbnail(ctx, img, 96); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		if _, err := svc.Thumbnail(ctx, img, 96); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkThumbnailDraw96 draws a thumbnail from the file (no cache) at
// 2048x2048x4: what a grid pays once per settings change.
func BenchmarkThumbnailDraw96(b *testing.B) {
	sess, img, _ := benchImage(b)
	ctx := context.Background()
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		svc := rendering.New(rendering.Config{Session: sess})
		if _, err := svc.ThumbnailPNG(ctx, img, 96); err != nil {
			b.Fatal(err)
		}
		svc.Close()
	}
}
