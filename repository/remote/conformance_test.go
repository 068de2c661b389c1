package remote_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
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
		in, c, _ := serve(t, server.Config{})
		return conformanceClient{Service: c, server: in}, testrepo.RootPassword
	})
}

// conformanceClient is the client as the suite uses it, with the harness's
// way to register the suite's images (conformance.Registrar): a client
// imports by upload, which needs real image files, so the harness places
// the suite's stand-in file and registers it on the server's side as the
// session's user, in the group the session works in.
type conformanceClient struct {
	*remote.Service
	server core.Service
}

func (c conformanceClient) RegisterPlaced(ctx context.Context, sess core.Session, repoPath string, data []byte, req core.FilesetImport) (core.ImportResult, error) {
	me, err := sess.Me(ctx)
	if err != nil {
		return core.ImportResult{}, err
	}
	in, err := c.server.Resume(ctx, sess.Key())
	if err != nil {
		return core.ImportResult{}, err
	}
	if in, err = in.InGroup(ctx, me.Group.ID); err != nil {
		return core.ImportResult{}, err
	}
	path := filepath.Join(in.ManagedDir(), filepath.FromSlash(repoPath))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return core.ImportResult{}, err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return core.ImportResult{}, err
	}
	return in.RegisterFileset(ctx, req)
}
