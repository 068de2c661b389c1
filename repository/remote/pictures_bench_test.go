package remote_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core"
)

// The viewer's re-render of a 2048² 4-channel uint16 plane at screen size
// (1000 px), a channel's window moving each time: in-process, and through
// the client over loopback TLS (issue 11: ≤ 2× and under 50 ms). Run both
// in one run: go test -run ^$ -bench Viewer2048 ./repository/remote/
func benchViewer(b *testing.B, remote bool) {
	f := newPicFixtureZ(b, 1, 2048, 4, 1)
	ctx := context.Background()
	img := f.imgs[0]
	var sess core.Session = f.ada
	if remote {
		sess = f.remote
	}
	svc := rendering.New(rendering.Config{Session: sess})
	defer svc.Close()
	v, err := f.ada.ViewerRendering(ctx, img)
	if err != nil {
		b.Fatal(err)
	}
	st := v.Settings
	for i := range st.Channels {
		st.Channels[i].Active = true
	}
	if _, err := svc.RenderView(ctx, img, 0, 0, st, 1000); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		st.Channels[0].End = float64(20000 + i%1000)
		m, err := svc.RenderView(ctx, img, 0, 0, st, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if m.Rect.Dx() != 1000 {
			b.Fatalf("picture of %v", m.Rect)
		}
	}
}

func BenchmarkViewer2048x4InProcess(b *testing.B) { benchViewer(b, false) }
func BenchmarkViewer2048x4Client(b *testing.B)    { benchViewer(b, true) }

// A grid's batch of 50 thumbnails through the client (one request), served
// from the server's caches as a grid is browsed (issue 11: < 100 ms).
func BenchmarkThumbnails50Client(b *testing.B) {
	f := newPicFixtureZ(b, 50, 256, 2, 1)
	ctx := context.Background()
	if got, err := f.remote.Thumbnails(ctx, f.imgs, 96); err != nil || len(got) != 50 {
		b.Fatalf("%d thumbnails, %v", len(got), err)
	}
	b.ResetTimer()
	defer reportCPU(b, cpuTime())
	for i := 0; i < b.N; i++ {
		if got, err := f.remote.Thumbnails(ctx, f.imgs, 96); err != nil || len(got) != 50 {
			b.Fatalf("%d thumbnails, %v", len(got), err)
		}
	}
}

// The same batch the first time the server is asked (thumbnails read from
// the repository's cache on disk and encoded as JPEG).
func BenchmarkThumbnails50ClientCold(b *testing.B) {
	f := newPicFixtureZ(b, 50, 256, 2, 1)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		fresh := newServer(b, f)
		b.StartTimer()
		if got, err := fresh.Thumbnails(ctx, f.imgs, 96); err != nil || len(got) != 50 {
			b.Fatalf("%d thumbnails, %v", len(got), err)
		}
	}
}

// cpuTime is the process's user + system CPU time (client and server, both
// in this process): on a loaded shared machine it varies much less than
// wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
