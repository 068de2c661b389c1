// Package loadtest holds the server's load test: many clients on loopback
// browsing, rendering, annotating, moving and importing at once through the
// real client and server, for a bounded time. It checks what a user would
// notice under load (no request fails, no update is lost) and reports the
// latency per operation. `make test` runs it briefly; `make bench-load`
// runs the 50 clients for 60 s and prints the p95s for
// docs/benchmarks.md. OCULAR_LOAD_INSTANCES=N serves the repository with N
// server instances and sends the clients' requests to them in turn, as a
// load balancer does; `make bench-load-instances` compares one and two
// (on PostgreSQL with OCULAR_TEST_ENGINE=postgres under
// scripts/with-postgres.sh). OCULAR_LOAD_URLS sends the load to external
// `ocular-cli serve` processes instead (external_test.go), which
// scripts/bench-instances.sh (`make bench-instances`) runs one, then two,
// each with a CPU budget of its own.
package loadtest

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/importer"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/formats/tiff"
	"github.com/ocular-lab/ocular/core/pixel"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
)

// settings: OCULAR_LOAD_CLIENTS (default 50) and OCULAR_LOAD_SECONDS
// (default 3; the run is 60).
func setting(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// latencies collects durations per operation.
type latencies struct {
	mu  sync.Mutex
	ops map[string][]time.Duration
}

func (l *latencies) add(op string, d time.Duration) {
	l.mu.Lock()
	l.ops[op] = append(l.ops[op], d)
	l.mu.Unlock()
}

func (l *latencies) report(t *testing.T, elapsed time.Duration) int {
	names := make([]string, 0, len(l.ops))
	total := 0
	for n, ds := range l.ops {
		names = append(names, n)
		total += len(ds)
	}
	sort.Strings(names)
	t.Logf("%d operations in %v (%.0f/s)", total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds())
	t.Logf("%-12s %8s %10s %10s %10s", "operation", "count", "p50", "p95", "max")
	for _, n := range names {
		ds := l.ops[n]
		slices.Sort(ds)
		q := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
		t.Logf("%-12s %8d %10v %10v %10v", n, len(ds), q(0.5).Round(10*time.Microsecond),
			q(0.95).Round(10*time.Microsecond), ds[len(ds)-1].Round(10*time.Microsecond))
	}
	return total
}

// writeTIFF writes a small 16-bit image with a gradient to path.
func writeTIFF(t testing.TB, path string, seed int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tiff.NewWriter(f, tiff.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := pixel.NewPlane(pixel.Uint16, 256, 256)
	for y := 0; y < 256; y++ {
		for x := 0; x < 256; x++ {
			p.Set(x, y, float64((x*y+seed)%4096))
		}
	}
	if err := w.WriteIFD(p, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// client is one simulated user at a desk: its own two datasets and image,
// and what it expects the server to hold at the end.
type client struct {
	sess     *remote.Session
	user     string
	image    core.Ref
	datasets [2]core.Ref
	in       int // which dataset holds the image now
	link     core.Ref
	comments int // comments this client added to its image
	imported int
	group    core.ID
	lat      map[string][]time.Duration
}

func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test is not short")
	}
	nClients, seconds := setting("OCULAR_LOAD_CLIENTS", 50), setting("OCULAR_LOAD_SECONDS", 3)
	runLoad(t, nClients, seconds, setting("OCULAR_LOAD_INSTANCES", 1))
}

// TestLoadInstances runs the same load against one server instance and
// then against two over one repository (requests spread over them as a
// round-robin load balancer does), and reports the throughput of each:
// issue 13's "two instances ≥ 1.6× one". Opt in with
// OCULAR_LOAD_COMPARE=1 (OCULAR_LOAD_CLIENTS, OCULAR_LOAD_SECONDS as for
// TestLoad).
func TestLoadInstances(t *testing.T) {
	if os.Getenv("OCULAR_LOAD_COMPARE") != "1" {
		t.Skip("set OCULAR_LOAD_COMPARE=1 to compare one and two instances")
	}
	if len(externalURLs()) > 0 {
		// Both runs would go to the same servers: the script starts one,
		// then two, and runs TestLoad against each.
		t.Skip("with " + urlsEnv + ", run TestLoad once per set of servers (scripts/bench-instances.sh)")
	}
	nClients, seconds := setting("OCULAR_LOAD_CLIENTS", 50), setting("OCULAR_LOAD_SECONDS", 3)
	var rate [3]float64
	for _, n := range []int{1, 2} {
		t.Run(fmt.Sprintf("%d-instances", n), func(t *testing.T) {
			ops, elapsed := runLoad(t, nClients, seconds, n)
			rate[n] = float64(ops) / elapsed.Seconds()
		})
	}
	if rate[1] > 0 {
		t.Logf("throughput: one instance %.0f/s, two %.0f/s: %.2f×", rate[1], rate[2], rate[2]/rate[1])
	}
}

// runLoad runs nClients for seconds against instances servers over one
// new repository, checks what they did, logs the latencies and returns
// the operations done and the time taken.
func runLoad(t *testing.T, nClients, seconds, instances int) (int, time.Duration) {
	ctx := context.Background()
	// The servers: n in-process instances over a new repository, or the
	// external ones OCULAR_LOAD_URLS names (external_test.go).
	// The in-process ones start once the users exist, as they always did.
	var root core.Session
	var startServers func() []string
	urls, tag := externalURLs(), ""
	if len(urls) > 0 {
		root, tag = useExternal(t, urls), runTag()
		startServers = func() []string { return urls }
	} else {
		svc, dir := testrepo.New(t)
		root = testrepo.Root(t, svc)
		startServers = func() []string { return startInstances(t, svc, dir, instances) }
	}
	lab, err := root.CreateGroup(ctx, "load-lab"+tag, core.ReadAnnotate, "")
	if err != nil {
		t.Fatal(err)
	}
	const users = 5
	for u := 0; u < users; u++ {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: fmt.Sprintf("user%d%s", u, tag), FirstName: "U", LastName: fmt.Sprint(u),
			Password: "pw", Groups: []core.ID{lab.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	urls = startServers()
	rsvc, err := dialSpread(ctx, urls)
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	clients := make([]*client, nClients)
	for i := range clients {
		user := fmt.Sprintf("user%d%s", i%users, tag)
		s, err := rsvc.Login(ctx, user, "pw", "")
		if err != nil {
			t.Fatal(err)
		}
		c := &client{sess: s.(*remote.Session), user: user, group: lab.ID, lat: map[string][]time.Duration{}}
		for k := range c.datasets {
			d, err := c.sess.Create(ctx, core.Dataset, map[string]string{"name": fmt.Sprintf("c%d-d%d", i, k)})
			if err != nil {
				t.Fatal(err)
			}
			c.datasets[k] = d.Ref
		}
		path := filepath.Join(src, fmt.Sprintf("c%d.tif", i))
		writeTIFF(t, path, i)
		sum, err := importer.Run(ctx, importer.Config{Session: c.sess}, []string{path}, importer.Options{Dataset: c.datasets[0]}, nil)
		if err != nil || len(sum.Results) != 1 || len(sum.Results[0].Images) != 1 {
			t.Fatalf("import for client %d: %v %+v", i, err, sum)
		}
		c.image = sum.Results[0].Images[0]
		c.link = findLink(t, c.sess, c.datasets[0], c.image)
		clients[i] = c
	}
	lat := &latencies{ops: map[string][]time.Duration{}}
	var errMu sync.Mutex
	var errs []string
	nErrs := 0
	fail := func(op string, err error) {
		errMu.Lock()
		nErrs++
		if len(errs) < 20 {
			errs = append(errs, op+": "+err.Error())
		}
		errMu.Unlock()
	}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func(i int, c *client) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(i)))
			for n := 0; time.Now().Before(deadline); n++ {
				op, err := c.step(ctx, rng, n, src, i, clients)
				if err != nil {
					fail(op, err)
					return
				}
			}
		}(i, c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, e := range errs {
		t.Error(e)
	}
	failed := 0
	for _, c := range clients {
		if !c.check(t, ctx) {
			failed++
		}
	}
	// One line for scripts (bench-instances.sh) to read: both must be 0.
	t.Logf("errors: %d; clients whose check found a lost or duplicated update: %d of %d", nErrs, failed, len(clients))
	for _, c := range clients {
		for op, ds := range c.lat {
			for _, d := range ds {
				lat.add(op, d)
			}
		}
	}
	return lat.report(t, elapsed), elapsed
}
