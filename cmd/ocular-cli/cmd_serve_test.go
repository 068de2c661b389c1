package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/cliconfig"
	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// startLines reads the "Serving" line (and the fingerprint line when the
// server speaks HTTPS) from a serve command's output.
func startLines(t *testing.T, out *lines, tls bool) (dir, url, fingerprint string) {
	t.Helper()
	deadline := time.After(liveness)
	for {
		select {
		case line, ok := <-out.C:
			if !ok {
				t.Fatalf("serve ended before it said it was serving:\n%s", out.String())
			}
			if rest, ok := strings.CutPrefix(line, "Serving "); ok {
				i := strings.LastIndex(rest, " on ")
				if i < 0 {
					t.Fatalf("the Serving line is not 'Serving DIR on URL': %q", line)
				}
				dir, url = rest[:i], rest[i+len(" on "):]
				if !tls {
					return
				}
			}
			if fp, ok := strings.CutPrefix(line, "Certificate fingerprint: "); ok {
				if url == "" {
					t.Fatalf("the fingerprint came before the Serving line")
				}
				return dir, url, fp
			}
		case <-deadline:
			t.Fatalf("serve did not say it was serving:\n%s", out.String())
		}
	}
}

// pinnedClient trusts exactly the certificate with fingerprint fp.
func pinnedClient(fp string) *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true, // the pin below is the check
		VerifyConnection: func(cs tls.ConnectionState) error {
			if got := remote.Fingerprint(cs.PeerCertificates[0]); got != fp {
				return fmt.Errorf("certificate %s, want %s", got, fp)
			}
			return nil
		},
	}}}
}

// TestServeProcess runs the real command as a process: it serves HTTPS
// with a certificate made on first start whose printed fingerprint a client
// can pin, answers as an Ocular server, and on SIGTERM stops with status 0.
func TestServeProcess(t *testing.T) {
	c := newLab(t)
	cmd := exec.Command(os.Args[0], "--repo", c.repo, "serve", "--listen", "127.0.0.1:0")
	cmd.Env = cliProcessEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := newLines()
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	dir, url, fp := startLines(t, readLines(stdout), true)
	if dir != cliconfig.CanonicalPath(c.repo) {
		t.Errorf("Serving %s, want the repository %s", dir, cliconfig.CanonicalPath(c.repo))
	}
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Errorf("serving on %s, want https://127.0.0.1:PORT", url)
	}
	if !strings.HasPrefix(fp, "SHA256:") || len(fp) != len("SHA256:")+64 {
		t.Errorf("fingerprint %q is not SHA256: and 64 hex digits", fp)
	}

	resp, err := pinnedClient(fp).Get(url + "/api/v0/")
	if err != nil {
		t.Fatalf("GET /api/v0/ pinned to the printed fingerprint: %v", err)
	}
	resp.Body.Close()
	if resp.Header.Get(wire.VersionHeader) == "" {
		t.Errorf("GET /api/v0/ answered %s without %s: not an Ocular server", resp.Status, wire.VersionHeader)
	}
	// A client that trusts nothing yet is told the same fingerprint.
	_, err = remote.Dial(context.Background(), url, remote.Options{})
	var ce *core.CertificateError
	if !errors.As(err, &ce) || ce.Fingerprint != fp {
		t.Errorf("Dial without a pin = %v, want a CertificateError with %s", err, fp)
	}
	if st, err := os.Stat(filepath.Join(serverDir(c.repo), keyFile)); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the generated key: %v, mode %v; want a 0600 file in the repository", err, st.Mode().Perm())
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v, want exit status 0\n%s", err, stderr.String())
		}
	case <-time.After(liveness):
		t.Fatalf("serve did not stop after SIGTERM\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "Stopped.") {
		t.Errorf("no word that the server stopped:\n%s", stderr.String())
	}
}

// serveInProcess runs serve until the returned stop is called, which
// returns the exit status.
func serveInProcess(t *testing.T, c *testCLI, args ...string) (out *lines, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = newLines()
	errs := newLines()
	m := &Main{Stdout: out, Stderr: errs, ConfigPath: c.config}
	code := make(chan int, 1)
	go func() { code <- m.Run(ctx, append([]string{"--repo", c.repo, "serve"}, args...)) }()
	var once bool
	var status int
	stop = func() int {
		if !once {
			once = true
			cancel()
			status = <-code
		}
		return status
	}
	t.Cleanup(func() { stop() })
	return out, stop
}

// TestServeKeepsItsCertificate: a restarted server presents the same
// certificate, so clients that trusted it are not asked again.
func TestServeKeepsItsCertificate(t *testing.T) {
	c := newLab(t)
	out, stop := serveInProcess(t, c, "--listen", "127.0.0.1:0")
	_, _, fp1 := startLines(t, out, true)
	if code := stop(); code != 0 {
		t.Fatalf("serve stopped with %d", code)
	}
	out, stop = serveInProcess(t, c, "--listen", "localhost:0")
	_, url, fp2 := startLines(t, out, true)
	if fp1 != fp2 {
		t.Errorf("the restarted server presents %s, not the %s clients trusted", fp2, fp1)
	}
	if _, err := remote.Dial(context.Background(), url, remote.Options{Fingerprint: fp1}); err != nil {
		t.Errorf("Dial pinned to the first fingerprint: %v", err)
	}
	stop()
}

// TestServeTheAdministratorsCertificate: --tls-cert/--tls-key are served
// as given, and their fingerprint printed.
func TestServeTheAdministratorsCertificate(t *testing.T) {
	c := newLab(t)
	certPEM, keyPEM, err := selfSigned("lab.example", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d := t.TempDir()
	certPath, keyPath := filepath.Join(d, "c.pem"), filepath.Join(d, "k.pem")
	os.WriteFile(certPath, certPEM, 0o600)
	os.WriteFile(keyPath, keyPEM, 0o600)
	pair, _ := tls.X509KeyPair(certPEM, keyPEM)
	pair, _ = withLeaf(pair)
	out, stop := serveInProcess(t, c, "--listen", "127.0.0.1:0", "--tls-cert", certPath, "--tls-key", keyPath)
	_, url, fp := startLines(t, out, true)
	if want := remote.Fingerprint(pair.Leaf); fp != want {
		t.Errorf("printed %s, want the given certificate's %s", fp, want)
	}
	if _, err := remote.Dial(context.Background(), url, remote.Options{Fingerprint: fp}); err != nil {
		t.Errorf("Dial: %v", err)
	}
	if _, err := os.Stat(filepath.Join(serverDir(c.repo), certFile)); err == nil {
		t.Error("a certificate was generated although one was given")
	}
	stop()
}

// TestServePlainHTTPOnlyOnLoopback: http:// is served on loopback; on a
// network address it is refused unless --insecure, which warns.
func TestServePlainHTTPOnlyOnLoopback(t *testing.T) {
	c := newLab(t)
	out, stop := serveInProcess(t, c, "--listen", "http://127.0.0.1:0")
	_, url, _ := startLines(t, out, false)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("serving on %s, want http://127.0.0.1:PORT", url)
	}
	if _, err := remote.Dial(context.Background(), url, remote.Options{}); err != nil {
		t.Errorf("Dial over plain HTTP on loopback: %v", err)
	}
	stop()
	if strings.Contains(out.String(), "fingerprint") {
		t.Errorf("a plain HTTP server printed a fingerprint:\n%s", out.String())
	}

	c.failsWith(ExitError, "add --insecure", "serve", "--listen", "http://0.0.0.0:0")
	c.failsWith(ExitUsage, "give both --tls-cert FILE and --tls-key FILE", "serve", "--tls-cert", "x.pem")
	c.failsWith(ExitUsage, "--listen takes HOST:PORT", "serve", "--listen", "4080")
	c.failsWith(ExitUsage, "--tls-cert is for HTTPS", "serve", "--insecure", "--tls-cert", "c", "--tls-key", "k")
	c.failsWith(ExitError, "cannot use the certificate", "serve", "--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.pem")
}
