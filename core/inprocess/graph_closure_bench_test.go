package inprocess_test

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
)

// Benchmarks of issue 13 §1: moving the big project (OCULAR_GRAPH_BENCH_N
// images, 10,000 by default) to another group when its group holds many
// other objects (OCULAR_GRAPH_BENCH_OTHERS images, 200,000 by default, each
// in a dataset with a comment and a ROI, every tenth also carrying the
// project's shared tag), planned over the whole groups (before issue 13)
// and from the requested roots outward, side by side on one repository.
// The real move goes there and back in one op, so that every op moves the
// same project between the same groups. Run with -benchtime=1x.

func othersN() int {
	if n, err := strconv.Atoi(os.Getenv("OCULAR_GRAPH_BENCH_OTHERS")); err == nil && n >= 0 {
		return n
	}
	return 200000
}

// addOthers fills the project's group with n other images in datasets of
// 1,000, half of them bob's.
func addOthers(tb testing.TB, bp *bigProject, n int) {
	tb.Helper()
	w := bp.w
	err := w.svc.Store().Write(w.ctx, func(tx core.Tx) error {
		mk := func(c core.Class, owner, parent, child core.ID, set func(o *core.Object)) (*core.Object, error) {
			o := &core.Object{Ref: core.Ref{Class: c}, Details: core.Details{Owner: owner, Group: bp.g1}, Parent: parent, Child: child}
			if set != nil {
				set(o)
			}
			return o, tx.CreateObject(o)
		}
		var ds *core.Object
		for i := 0; i < n; i++ {
			owner := bp.alice.id
			if i/1000%2 == 1 {
				owner = bp.bob.id
			}
			if i%1000 == 0 {
				var err error
				if ds, err = mk(core.Dataset, owner, 0, 0, func(o *core.Object) { o.Name = "other " + strconv.Itoa(i/1000) }); err != nil {
					return err
				}
			}
			im, err := mk(core.Image, owner, 0, 0, func(o *core.Object) { o.Name = "other image " + strconv.Itoa(i) })
			if err != nil {
				return err
			}
			if _, err := mk(core.DatasetImageLink, owner, ds.ID, im.ID, nil); err != nil {
				return err
			}
			c, err := mk(core.CommentAnnotation, owner, 0, 0, func(o *core.Object) { o.TextValue = "another comment" })
			if err != nil {
				return err
			}
			if _, err := mk(core.ImageAnnotationLink, owner, im.ID, c.ID, nil); err != nil {
				return err
			}
			if _, err := mk(core.Roi, owner, im.ID, 0, nil); err != nil {
				return err
			}
			if i%10 == 0 {
				if _, err := mk(core.ImageAnnotationLink, owner, im.ID, bp.tag.ID, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// peakHeap samples the live heap while fn runs and returns its highest
// value: HeapAlloc after the fact would miss what a plan held and dropped.
func peakHeap(fn func()) (peak uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			v := read()
			mu.Lock()
			peak = max(peak, v)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	return max(peak, read())
}

func BenchmarkGraphMoveInBigGroup(b *testing.B) {
	bp := buildBigProject(b, benchN())
	addOthers(b, bp, othersN())
	defer inprocess.SetPlanWholeGroups(false)
	run := func(b *testing.B, whole bool, reqs ...core.GraphRequest) {
		inprocess.SetPlanWholeGroups(whole)
		b.ReportAllocs()
		var peak uint64
		cpu0 := cpuTime()
		for i := 0; i < b.N; i++ {
			p := peakHeap(func() {
				for _, r := range reqs {
					res, err := bp.alice.run(r)
					if err != nil {
						b.Fatal(err)
					}
					if len(res.Processed) < benchN() {
						b.Fatalf("%d objects processed", len(res.Processed))
					}
				}
			})
			peak = max(peak, p)
		}
		// The machine is shared: CPU seconds show the work done even when
		// wall time includes waiting for a core.
		b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	}
	there, back := chgrp(bp.g2, bp.project), chgrp(bp.g1, bp.project)
	dry := there
	dry.DryRun = true
	// A first move there and back severs the shared tag's links from the
	// project, so that every measured move moves the same rows.
	bp.alice.mustRun(there)
	bp.alice.mustRun(back)
	for _, mode := range []string{"whole", "closure"} {
		b.Run("dryrun/"+mode, func(b *testing.B) { run(b, mode == "whole", dry) })
	}
	for _, mode := range []string{"whole", "closure"} {
		b.Run("move-there-and-back/"+mode, func(b *testing.B) { run(b, mode == "whole", there, back) })
	}
}
