package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/ocular-lab/ocular/repository/remote/server"
)

// shutdownFixture is an HTTP server as serve builds it, with one route that
// waits for the test's word.
type shutdownFixture struct {
	hs         *http.Server
	url        string
	cancelBase context.CancelFunc
	started    chan struct{}
	release    chan struct{}
	ended      chan error // the route's end: nil, or its context's error
}

func newShutdownFixture(t *testing.T) *shutdownFixture {
	t.Helper()
	f := &shutdownFixture{started: make(chan struct{}, 1), release: make(chan struct{}), ended: make(chan error, 1)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	baseCtx, cancel := context.WithCancel(context.Background())
	f.cancelBase = cancel
	f.hs = &http.Server{
		BaseContext: func(net.Listener) context.Context { return baseCtx },
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f.started <- struct{}{}
			select {
			case <-f.release:
				io.WriteString(w, "finished")
				f.ended <- nil
			case <-r.Context().Done():
				f.ended <- r.Context().Err()
			}
		}),
	}
	go f.hs.Serve(ln)
	f.url = "http://" + ln.Addr().String()
	t.Cleanup(func() { cancel(); f.hs.Close() })
	return f
}

func (f *shutdownFixture) shutdown() chan error {
	env := &Env{Stderr: &bytes.Buffer{}}
	done := make(chan error, 1)
	go func() { done <- shutdown(env, f.hs, server.New(server.Config{}), f.cancelBase) }()
	return done
}

// TestShutdownLetsRunningRequestsFinish: a request running when the signal
// comes gets its whole answer; the server then stops.
func TestShutdownLetsRunningRequestsFinish(t *testing.T) {
	f := newShutdownFixture(t)
	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get(f.url)
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answer <- string(b)
	}()
	<-f.started
	stopping := make(chan struct{})
	f.hs.RegisterOnShutdown(func() { close(stopping) })
	done := f.shutdown()
	<-stopping // the server is shutting down while the request runs
	close(f.release)
	if got := <-answer; got != "finished" {
		t.Errorf("the running request got %q, want its whole answer", got)
	}
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if err := <-f.ended; err != nil {
		t.Errorf("the running request was cancelled (%v) although it finished in time", err)
	}
	if _, err := http.Get(f.url); err == nil {
		t.Error("the server still accepts requests after shutdown")
	}
}

// TestShutdownIsBounded: a request that does not finish within the drain
// time is cancelled (its transaction rolls back) and the server stops.
func TestShutdownIsBounded(t *testing.T) {
	old := drainTimeout
	drainTimeout = 1 // a nanosecond: the drain is over at once
	defer func() { drainTimeout = old }()
	f := newShutdownFixture(t)
	go http.Get(f.url)
	<-f.started
	if err := <-f.shutdown(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if err := <-f.ended; err == nil {
		t.Error("the request that outlived the drain was not cancelled")
	}
}
