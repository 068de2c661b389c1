package inprocess_test

import (
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
)

// Benchmarks of issue §7 on the big project (10,000 images by default; set
// OCULAR_GRAPH_BENCH_N to change). Each iteration builds a fresh project
// with the timer stopped. Run with -benchtime=1x: a build takes seconds.
// Anchors: chgrp dry run < 1 s, real move < 5 s, duplicate of 1,000 images
// < 3 s, delete of the project < 5 s, peak memory < 500 MB.

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("OCULAR_GRAPH_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// reportMemory adds the process's peak resident set and the Go heap's
// peak-ish size (HeapSys) as metrics.
func reportMemory(b *testing.B) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB") // Linux reports KiB
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heapsys-MB")
}

func benchGraph(b *testing.B, req func(bp *bigProject) core.GraphRequest, as func(bp *bigProject) *actor) {
	n := benchN()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		bp := buildBigProject(b, n)
		r := req(bp)
		a := as(bp)
		runtime.GC()
		cpu0 := cpuTime()
		b.StartTimer()
		res, err := a.run(r)
		b.StopTimer()
		// The machine is shared: CPU seconds show the work done even when
		// wall time includes waiting for a core.
		b.ReportMetric((cpuTime() - cpu0).Seconds(), "cpu-s")
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Processed) == 0 {
			b.Fatal("nothing processed")
		}
		b.ReportMetric(float64(len(res.Processed)+len(res.Deleted)+len(res.Severed)+len(res.Duplicates)), "rows")
	}
	reportMemory(b)
}

// cpuTime is the process's user plus system time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func alice(bp *bigProject) *actor { return bp.alice }

func BenchmarkGraphChgrpDryRun(b *testing.B) {
	benchGraph(b, func(bp *bigProject) core.GraphRequest {
		r := chgrp(bp.g2, bp.project)
		r.DryRun = true
		return r
	}, alice)
}

func BenchmarkGraphChgrp(b *testing.B) {
	benchGraph(b, func(bp *bigProject) core.GraphRequest { return chgrp(bp.g2, bp.project) }, alice)
}

func BenchmarkGraphDuplicate1000(b *testing.B) {
	benchGraph(b, func(bp *bigProject) core.GraphRequest { return dup(bp.images[:min(1000, len(bp.images))]...) }, alice)
}

func BenchmarkGraphDeleteProject(b *testing.B) {
	benchGraph(b, func(bp *bigProject) core.GraphRequest { return del(bp.project) }, alice)
}
