package ui_test

import (
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/ui/async"
	"github.com/ocular-lab/ocular/ui/viewer"
)

// BenchmarkViewerRedraw measures what a user waits for after moving a
// channel's window slider in the viewer: the drag event, the settings
// check, the repository read of the image's pixel source, rendering the
// plane (decoded planes are cached after the first draw) at the size the
// viewer shows it, and handing the picture to the canvas. One op is one
// redraw; the viewer window has its default size, so the picture is drawn
// about 770 pixels on its longest side.
func BenchmarkViewerRedraw(b *testing.B) {
	for _, bc := range []struct {
		name       string
		x, y, c, z int
	}{{"1024x1024x3", 1024, 1024, 3, 1}, {"2048x2048x4", 2048, 2048, 4, 1}} {
		b.Run(bc.name, func(b *testing.B) {
			f := buildImaging(b, []core.Level{core.ReadAnnotate}, 1, bc.x, bc.y, bc.c, bc.z)
			sess := testrepo.Login(b, f.svc, "mike", password)
			svc := rendering.New(rendering.Config{Session: sess})
			b.Cleanup(func() { svc.Close() })
			img := f.images[core.ReadAnnotate][0]
			v := viewer.Open(viewer.Options{App: test.NewTempApp(b), Run: async.Immediate, Session: sess, Render: svc},
				core.ObjectView{Object: core.Object{Ref: img, Name: "bench"}})
			v.Window.Resize(viewer.DefaultSize)
			if v.Picture() == nil {
				b.Fatalf("no picture: %s", v.Status())
			}
			s := v.Controls().Channels[0].Window
			draws := v.Draws()
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Alternate between two windows so every move changes it.
				if i%2 == 0 {
					dragSlider(s, 0.95, 0.5)
				} else {
					dragSlider(s, 0.5, 0.95)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			if v.Draws()-draws != b.N {
				b.Fatalf("%d redraws for %d slider moves", v.Draws()-draws, b.N)
			}
			p := v.Picture().Bounds()
			b.ReportMetric(float64(max(p.Dx(), p.Dy())), "px")
		})
	}
}

// cpuTime is the process's user + system CPU time, which the load of a
// shared machine inflates much less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
