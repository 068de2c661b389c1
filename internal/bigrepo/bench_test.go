package bigrepo_test

import (
	"context"
	"math"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/internal/bigrepo"
	"github.com/ocular-lab/ocular/repository/postgres"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// The issue 13 benchmarks run on repositories pggen made, named by
// environment variables; without them they skip, so `make test` and a
// plain `go test -bench .` never run them:
//
//	OCULAR_BIGREPO_PG=postgres://...  OCULAR_BIGREPO_PG_DIR=DIR (its managed files)
//	OCULAR_BIGREPO_SQLITE=DIR         (a SQLite repository of the same size)
//
// scripts/bench-bigrepo.sh makes both and runs everything. Each benchmark
// has a sub-benchmark per engine, so the numbers come side by side.

type engine struct {
	name string
	svc  *inprocess.Service
	inf  bigrepo.Info
}

// engines opens the configured repositories; the caller closes them.
func engines(b *testing.B) []engine {
	b.Helper()
	ctx := context.Background()
	var out []engine
	add := func(name string, st core.Store, err error) {
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		inf, err := bigrepo.ReadInfo(ctx, st)
		if err != nil {
			st.Close()
			b.Fatalf("%s: %v", name, err)
		}
		svc := inprocess.New(st)
		b.Cleanup(func() { svc.Close() })
		out = append(out, engine{name: name, svc: svc, inf: inf})
	}
	if dsn := os.Getenv("OCULAR_BIGREPO_PG"); dsn != "" {
		st, err := postgres.Open(ctx, dsn, os.Getenv("OCULAR_BIGREPO_PG_DIR"))
		add("postgres", st, err)
	}
	if dir := os.Getenv("OCULAR_BIGREPO_SQLITE"); dir != "" {
		st, err := sqlite.Open(ctx, dir)
		add("sqlite", st, err)
	}
	if len(out) == 0 {
		b.Skip("no generated repository: set OCULAR_BIGREPO_PG (and OCULAR_BIGREPO_PG_DIR) or OCULAR_BIGREPO_SQLITE; scripts/bench-bigrepo.sh does")
	}
	return out
}

func login(b *testing.B, e engine, user string) core.Session {
	b.Helper()
	s, err := e.svc.Login(context.Background(), user, e.inf.Password, "")
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// fastestMetric reports the fastest call besides the mean: on a shared
// machine it is the better estimate of what one user waits for.
type fastest time.Duration

func (f *fastest) time(fn func()) {
	start := time.Now()
	fn()
	if d := time.Since(start); *f == 0 || d < time.Duration(*f) {
		*f = fastest(d)
	}
}

func (f fastest) report(b *testing.B) {
	b.ReportMetric(float64(time.Duration(f).Microseconds())/1000, "fastest-ms")
}

// BenchmarkBigBrowse lists the 10,000-image dataset with each image's
// permission flags as the desktop and the server do when it is opened, as
// a member who owns none of it (target: under 50 ms).
func BenchmarkBigBrowse(b *testing.B) {
	ctx := context.Background()
	for _, e := range engines(b) {
		b.Run(e.name, func(b *testing.B) {
			member := login(b, e, e.inf.Member)
			req := core.BrowseRequest{Group: e.inf.BrowseGroup, Owner: core.AnyID,
				Parent: core.Ref{Class: core.Dataset, ID: e.inf.BrowseDataset}}
			var f fastest
			for b.Loop() {
				var vs []core.ObjectView
				var err error
				f.time(func() { vs, err = member.Browse(ctx, req) })
				if err != nil {
					b.Fatal(err)
				}
				if len(vs) != e.inf.PerDataset || !vs[0].Flags.CanAnnotate || vs[0].Flags.CanEdit {
					b.Fatalf("got %d images, first flags %v", len(vs), vs[0].Flags)
				}
			}
			f.report(b)
		})
	}
}

// searchQueries are the issue 12 queries; each returns a first page of 200
// (or all its matches when fewer) over the member's three readable groups.
var searchQueries = []string{
	"tag:tag3",              // 1 image in 50 of each group
	"exposure>=990",         // 1 in 100
	"cell 0004*",            // a prefix: 10,000 images
	"confocal",              // every image: the newest 200
	"objective=63x",         // 1 in 10
	"comment:focus",         // 1 in 8
	"tag:tag3 exposure<500", // both
}

// BenchmarkBigSearch runs the search field's queries as the member, first
// page of 200 (target: under 50 ms).
func BenchmarkBigSearch(b *testing.B) {
	ctx := context.Background()
	for _, e := range engines(b) {
		b.Run(e.name, func(b *testing.B) {
			member := login(b, e, e.inf.Member)
			for _, q := range searchQueries {
				b.Run(q, func(b *testing.B) {
					var hits int
					var f fastest
					for b.Loop() {
						var r core.SearchResult
						var err error
						f.time(func() {
							r, err = member.Search(ctx, core.SearchRequest{Query: q, Group: core.AnyID, Owner: core.AnyID, Limit: 200})
						})
						if err != nil {
							b.Fatal(err)
						}
						hits = len(r.Hits)
					}
					b.ReportMetric(float64(hits), "results")
					f.report(b)
				})
			}
		})
	}
}

func moveRequest(inf bigrepo.Info, to core.ID) core.GraphRequest {
	return core.GraphRequest{Op: core.OpChgrp, Group: to,
		Targets: []core.Target{{Class: core.Project, IDs: []core.ID{inf.MoveProject}}}}
}

// reportProcess adds the process's peak resident set (the server's memory,
// had the request come over the wire) and CPU seconds.
func reportProcess(b *testing.B, cpu0 time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB") // Linux reports KiB
		b.ReportMetric((cpuTime(ru) - cpu0).Seconds(), "cpu-s")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heapsys-MB")
}

func cpuTime(ru syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return cpuTime(ru)
}

// BenchmarkBigMoveDryRun plans moving the 10,000-image project to another
// group, as the owner's Move to Group review does (target: under 1 s,
// server memory under 1 GB). Run it in a process of its own
// (-bench 'BigMoveDryRun$/postgres') for the peak memory to be its own.
func BenchmarkBigMoveDryRun(b *testing.B) {
	ctx := context.Background()
	for _, e := range engines(b) {
		b.Run(e.name, func(b *testing.B) {
			owner := login(b, e, e.inf.MoveOwner)
			runtime.GC()
			cpu0 := processCPU()
			var rows int
			var f fastest
			for b.Loop() {
				var plan core.GraphPlan
				var err error
				f.time(func() { plan, err = owner.PlanGraph(ctx, moveRequest(e.inf, e.inf.DestGroup)) })
				if err != nil {
					b.Fatal(err)
				}
				if len(plan.Blockers) > 0 {
					b.Fatalf("the move is refused: %v", plan.Blockers)
				}
				rows = len(plan.Processed) + len(plan.Severed) + len(plan.Deleted)
			}
			b.ReportMetric(float64(rows), "rows")
			f.report(b)
			reportProcess(b, cpu0)
		})
	}
}

// BenchmarkBigMove moves the project to the other group and, with the
// timer stopped, back (target: under 5 s, server memory under 1 GB). The
// move takes the project's images off the shared tags of their old group
// (OMERO's rule: the links go, the tags stay), so a second run moves fewer
// rows: the rows metric says how many. Run it with -benchtime=1x.
func BenchmarkBigMove(b *testing.B) {
	ctx := context.Background()
	for _, e := range engines(b) {
		b.Run(e.name, func(b *testing.B) {
			owner := login(b, e, e.inf.MoveOwner)
			runtime.GC()
			cpu0 := processCPU()
			rows := math.MaxInt
			for b.Loop() {
				res, err := owner.RunGraph(ctx, moveRequest(e.inf, e.inf.DestGroup))
				if err != nil {
					b.Fatal(err)
				}
				rows = min(rows, len(res.Processed)+len(res.Severed)+len(res.Deleted))
				b.StopTimer()
				if _, err := owner.RunGraph(ctx, moveRequest(e.inf, e.inf.SourceGroup)); err != nil {
					b.Fatalf("move back: %v", err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(rows), "rows")
			reportProcess(b, cpu0)
		})
	}
}
