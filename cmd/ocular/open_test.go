package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/ui/login"
)

// The desktop's opener dials a server with the pin the login screen gives
// it: none or a wrong one comes back as the certificate question the
// screen asks, the right one connects.
func TestOpenerDialsAServerWithThePinnedCertificate(t *testing.T) {
	svc, _ := testrepo.New(t)
	ts := httptest.NewTLSServer(server.New(server.Config{Service: svc}).Handler())
	defer ts.Close()
	fp := remote.Fingerprint(ts.Certificate())
	ctx := context.Background()

	_, err := open(ctx, login.Location{Server: ts.URL})
	var ce *core.CertificateError
	if !errors.As(err, &ce) || ce.Fingerprint != fp || ce.Pinned != "" {
		t.Fatalf("first contact: %v, want a certificate question with %s", err, fp)
	}
	_, err = open(ctx, login.Location{Server: ts.URL, Fingerprint: "SHA256:" + strings.Repeat("0", 64)})
	if !errors.As(err, &ce) || ce.Fingerprint != fp || ce.Pinned == "" {
		t.Fatalf("a changed certificate: %v", err)
	}
	got, err := open(ctx, login.Location{Server: ts.URL, Fingerprint: fp})
	if err != nil {
		t.Fatalf("the pinned certificate: %v", err)
	}
	defer got.Close()
	if _, ok := got.(*remote.Service); !ok {
		t.Fatalf("the opener returned a %T for a server", got)
	}
}

func TestOpenerSaysWhenNothingAnswers(t *testing.T) {
	ts := httptest.NewTLSServer(nil)
	url := ts.URL
	ts.Close()
	_, err := open(context.Background(), login.Location{Server: url})
	if !core.Is(core.IO, err) || !strings.Contains(core.UserMessage(err), "cannot reach the server") {
		t.Fatalf("a closed port says %v", err)
	}
}
