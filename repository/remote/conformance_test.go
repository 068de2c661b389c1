package remote_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/conformance"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

// serve starts a TLS test server over a fresh repository and returns the
// in-process service behind it and a client dialled to it (the
// certificate pinned by its fingerprint).
func serve(t testing.TB, cfg server.Config) (core.Service, *remote.Service, *httptest.Server) {
	t.Helper()
	svc, _ := testrepo.New(t)
	cfg.Service = svc
	ts := httptest.NewTLSServer(server.New(cfg).Handler())
	t.Cleanup(ts.Close)
	c, err := remote.Dial(context.Background(), ts.URL, remote.Options{Transport: ts.Client().Transport,
		Fingerprint: remote.Fingerprint(ts.Certificate())})
	if err != nil {
		t.Fatalf("dial the test server: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return svc, c, ts
}

// TestConformance runs core's suite against the client over HTTPS, with
// the same expectations as in-process.
func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) (core.Service, string) {
		_, c, _ := serve(t, server.Config{})
		return c, testrepo.RootPassword
	})
}
