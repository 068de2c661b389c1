package loadtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/inprocess"
	"github.com/ocular-lab/ocular/repository/postgres"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/repository/sqlite"
)

// startInstances starts n server instances over the repository in dir,
// each with its own connections to it and to the shared jobs database, as
// n `ocular-cli serve` processes have; svc serves the first. It returns
// their URLs.
func startInstances(t *testing.T, svc *inprocess.Service, dir string, n int) []string {
	t.Helper()
	ctx := context.Background()
	var urls []string
	for i := range n {
		s := svc
		if i > 0 {
			s = openAgain(t, svc, dir)
			t.Cleanup(func() { s.Close() })
		}
		// The jobs are in the repository's database on PostgreSQL, in
		// server/jobs.db beside an SQLite one, as serve keeps them.
		jobs, own := s.JobStore()
		if !own {
			var err error
			if jobs, err = sqlite.OpenJobs(ctx, filepath.Join(dir, "server", "jobs.db")); err != nil {
				t.Fatal(err)
			}
		}
		cfg := serverConfig(s, dir)
		cfg.Jobs = jobs
		srv := server.New(cfg)
		// httptest's servers all have the same certificate, so one pin
		// trusts every instance.
		ts := httptest.NewTLSServer(srv.Handler())
		t.Cleanup(func() {
			ts.Close()
			srv.Shutdown(ctx)
			if !own {
				jobs.Close()
			}
		})
		urls = append(urls, ts.URL)
		if i == 0 {
			pinned = remote.Fingerprint(ts.Certificate())
			base = ts.Client().Transport
		}
	}
	return urls
}

// openAgain opens the repository of svc once more, with connections of
// its own, as another process does.
func openAgain(t *testing.T, svc *inprocess.Service, dir string) *inprocess.Service {
	t.Helper()
	ctx := context.Background()
	var st core.Store
	var err error
	if js, ok := svc.JobStore(); ok {
		pg, isPG := js.(*postgres.Store)
		if !isPG {
			t.Fatalf("cannot open a %T again", js)
		}
		st, err = postgres.Open(ctx, pg.Pool().Config().ConnString(), dir)
	} else {
		st, err = sqlite.Open(ctx, dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	return inprocess.New(st)
}

var (
	pinned string
	base   http.RoundTripper
)

// dialSpread connects a client whose requests go to the servers at urls in
// turn, as through a round-robin load balancer in front of them.
func dialSpread(ctx context.Context, urls []string) (*remote.Service, error) {
	tr := &roundRobin{base: base}
	for _, u := range urls {
		tr.hosts = append(tr.hosts, strings.TrimPrefix(u, "https://"))
	}
	return remote.Dial(ctx, urls[0], remote.Options{Fingerprint: pinned, Transport: tr})
}

// roundRobin sends each request to the next host.
type roundRobin struct {
	base  http.RoundTripper
	hosts []string
	next  atomic.Uint64
}

func (r *roundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	if len(r.hosts) < 2 {
		return r.base.RoundTrip(req)
	}
	host := r.hosts[r.next.Add(1)%uint64(len(r.hosts))]
	out := req.Clone(req.Context())
	out.URL.Host, out.Host = host, host
	return r.base.RoundTrip(out)
}
