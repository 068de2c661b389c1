package main

// `ocular-cli serve`: one repository served to remote clients (the desktop,
// ocular-cli --server, OMERO.web-style scripts) over HTTPS, until SIGTERM
// or Ctrl-C, after which it drains and stops cleanly.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/server"
)

func init() {
	Register(&Command{Name: "serve", Args: "--listen ADDR [--tls-cert FILE --tls-key FILE] [--insecure]",
		Short: "serve the repository to remote clients over HTTPS (until interrupted)", Run: runServe})
}

// defaultListen is loopback: serving to the network is a choice the
// administrator writes out.
const defaultListen = "127.0.0.1:4080"

// Timeouts of the HTTP server, so that a slow or broken client cannot hold
// it: headers must come quickly; a whole request or response may take long
// enough for an upload chunk (16 MiB) or a large render on a slow link.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 5 * time.Minute
	writeTimeout      = 5 * time.Minute
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// On SIGTERM, running requests get drainTimeout to finish and then jobs
// jobsTimeout to roll back: together well within main's forceExitAfter.
var (
	drainTimeout = 15 * time.Second
	jobsTimeout  = 10 * time.Second
)

// serveAddress is --listen understood: host and port, and whether plain
// http:// was asked for.
type serveAddress struct {
	host, port string
	plain      bool
}

func parseListen(s string) (serveAddress, error) {
	var a serveAddress
	switch {
	case strings.HasPrefix(s, "http://"):
		a.plain, s = true, strings.TrimPrefix(s, "http://")
	case strings.HasPrefix(s, "https://"):
		s = strings.TrimPrefix(s, "https://")
	}
	s = strings.TrimSuffix(s, "/")
	host, port, err := net.SplitHostPort(s)
	if err != nil || port == "" {
		return a, fmt.Errorf("--listen takes HOST:PORT (e.g. 127.0.0.1:4080, or 0.0.0.0:4080 for every network), not %q", s)
	}
	a.host, a.port = host, port
	return a, nil
}

// loopbackHost reports whether host is only reachable from this machine.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runServe(env *Env, args []string) error {
	fs := env.Flags()
	listen := fs.String("listen", defaultListen, "the address to serve on, `HOST:PORT` (0.0.0.0:PORT for every network; http://HOST:PORT for plain HTTP on loopback)")
	certPath := fs.String("tls-cert", "", "the server's certificate (PEM) `FILE`; without it a self-signed one is made on first start and kept in the repository")
	keyPath := fs.String("tls-key", "", "the private key (PEM) `FILE` of --tls-cert")
	insecure := fs.Bool("insecure", false, "serve plain HTTP, even on a network address (passwords and session keys travel unencrypted)")
	if _, err := env.Parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := env.needLocal(); err != nil {
		return err
	}
	if (*certPath == "") != (*keyPath == "") {
		return env.Usagef("give both --tls-cert FILE and --tls-key FILE, or neither for a self-signed certificate")
	}
	addr, err := parseListen(*listen)
	if err != nil {
		return env.Usagef("%s", err.Error())
	}
	plain := addr.plain || *insecure
	if plain && *certPath != "" {
		return env.Usagef("--tls-cert is for HTTPS; leave out --insecure and http:// to use it")
	}
	if addr.plain && !*insecure && !loopbackHost(addr.host) {
		return core.Errorf("serve", core.Invalid, "plain HTTP sends passwords and session keys unencrypted, so it is only for this machine (127.0.0.1, localhost): serve HTTPS (leave out http://), or add --insecure on a private network you trust")
	}

	svc, err := env.Service()
	if err != nil {
		return err
	}
	repoDir := cliconfig.CanonicalPath(env.Repo)
	var tlsCfg *tls.Config
	fingerprint := ""
	if !plain {
		var cert tls.Certificate
		if *certPath != "" {
			cert, err = loadCertificate(*certPath, *keyPath)
		} else {
			cert, err = repositoryCertificate(repoDir, addr.host)
		}
		if err != nil {
			return err
		}
		fingerprint = remote.Fingerprint(cert.Leaf)
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	cfg := serverConfig(svc, repoDir)
	if err := os.MkdirAll(cfg.UploadDir, diskmode.Dir()); err != nil {
		return core.E("serve", core.IO, fmt.Sprintf("cannot create %s", cfg.UploadDir), err)
	}
	jobs, closeJobs, err := serveJobs(env.Ctx, svc, repoDir)
	if err != nil {
		return err
	}
	defer closeJobs()
	cfg.Jobs = jobs
	srv := server.New(cfg)

	ln, err := net.Listen("tcp", net.JoinHostPort(addr.host, addr.port))
	if err != nil {
		return core.E("serve", core.IO, fmt.Sprintf("cannot listen on %s: %v (is another server using the port?)", net.JoinHostPort(addr.host, addr.port), err), err)
	}
	// Running requests keep this context through the signal; it is
	// cancelled only when the drain time is over.
	baseCtx, cancelBase := context.WithCancel(context.WithoutCancel(env.Ctx))
	defer cancelBase()
	hs := &http.Server{
		Handler:           srv.Handler(),
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
		ErrorLog:          log.New(env.Stderr, "serve: ", 0),
	}
	served := make(chan error, 1)
	go func() {
		if tlsCfg != nil {
			served <- hs.ServeTLS(ln, "", "")
		} else {
			served <- hs.Serve(ln)
		}
	}()

	scheme := "https"
	if plain {
		scheme = "http"
	}
	url := scheme + "://" + publicHostPort(ln.Addr().(*net.TCPAddr))
	type started struct {
		Repository  string `json:"repository"`
		URL         string `json:"url"`
		Fingerprint string `json:"fingerprint,omitempty"`
	}
	if plain && !loopbackHost(addr.host) {
		fmt.Fprintln(env.Stderr, "warning: serving plain HTTP on a network address: passwords and session keys travel unencrypted; use it only on a private network you trust")
	}
	if err := env.Print(started{repoDir, url, fingerprint}, func(w io.Writer) {
		fmt.Fprintf(w, "Serving %s on %s\n", repoDir, url)
		if fingerprint != "" {
			fmt.Fprintf(w, "Certificate fingerprint: %s\n", fingerprint)
		}
	}); err != nil {
		hs.Close()
		return err
	}

	select {
	case err := <-served:
		srv.Shutdown(context.Background())
		return core.E("serve", core.IO, "the server stopped", err)
	case <-env.Ctx.Done():
	}
	return shutdown(env, hs, srv, cancelBase)
}

// shutdown stops a server after a signal: no new connection is accepted,
// running requests finish within drainTimeout (then they are cancelled,
// and their transactions roll back), then the server's jobs are cancelled
// and waited for. The repository is closed after, when the command ends.
func shutdown(env *Env, hs *http.Server, srv *server.Server, cancelBase context.CancelFunc) error {
	fmt.Fprintln(env.Stderr, "Stopping: finishing the running requests…")
	drain, cancel := context.WithTimeout(context.Background(), drainTimeout)
	err := hs.Shutdown(drain)
	cancel()
	if err != nil {
		fmt.Fprintf(env.Stderr, "warning: requests still running after %s were cancelled; their changes were rolled back\n", drainTimeout)
		cancelBase()
		hs.Close()
	}
	jobs, cancel := context.WithTimeout(context.Background(), jobsTimeout)
	defer cancel()
	if err := srv.Shutdown(jobs); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(env.Stderr, "warning: jobs still running after %s are left to roll back as the repository closes\n", jobsTimeout)
	}
	fmt.Fprintln(env.Stderr, "Stopped.")
	return nil
}

// publicHostPort is how a client writes the address the server listens
// on: a server on every network is reached by this machine's name.
func publicHostPort(a *net.TCPAddr) string {
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		if h, err := os.Hostname(); err == nil && h != "" {
			host = h
		}
	}
	return net.JoinHostPort(host, fmt.Sprint(a.Port))
}
