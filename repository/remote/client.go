// Package remote is the client end of Ocular's wire: a core.Service that
// talks to an Ocular server (repository/remote/server) over HTTPS, so the
// desktop and the CLI work against a server exactly as against a local
// repository. It holds no rules of its own: the server checks everything.
//
// Certificates are pinned by fingerprint (trust on first use, as ssh):
// Dial with an empty Options.Fingerprint to a server whose certificate no CA
// vouches for fails with a *core.CertificateError carrying the fingerprint
// to show the user; Dial again with it once the user trusts it.
package remote

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// Options configure a connection.
type Options struct {
	// Fingerprint pins the server's certificate ("SHA256:hex"); empty trusts
	// only certificates a system CA vouches for.
	Fingerprint string
	// Insecure allows plain http:// to a non-loopback address.
	Insecure bool
	// Transport replaces the default (tests: an httptest server's).
	Transport http.RoundTripper
	// Timeout bounds one request that is not a long job (default 60 s).
	Timeout time.Duration
}

// Service is a connection to one server. It implements core.Service and may
// be used from many goroutines.
type Service struct {
	base    *url.URL
	address string
	hc      *http.Client
}

// Fingerprint is the pin of a certificate: SHA-256 of its DER.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return "SHA256:" + hex.EncodeToString(sum[:])
}

// Dial connects to the server at address ("https://host:port"), checks that
// it is an Ocular server this client understands, and returns the Service.
func Dial(ctx context.Context, address string, o Options) (*Service, error) {
	const op = "connect"
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(address), "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, core.Errorf(op, core.Invalid, "%q is not a server address: write it as https://host:port", address)
	}
	if u.Scheme == "http" && !o.Insecure && !loopback(u.Hostname()) {
		return nil, core.Errorf(op, core.Invalid, "plain http:// is only for this machine (localhost); use https://%s", u.Host)
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	s := &Service{base: u, address: u.String()}
	tr := o.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		tr = t
	}
	if t, ok := tr.(*http.Transport); ok && u.Scheme == "https" {
		t = t.Clone()
		cfg := t.TLSClientConfig.Clone()
		if cfg == nil {
			cfg = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		pin := o.Fingerprint
		roots := cfg.RootCAs
		// Verify ourselves: a pinned certificate is trusted by its
		// fingerprint alone; otherwise the system's CAs decide.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the server sent no certificate")
			}
			leaf := cs.PeerCertificates[0]
			seen := Fingerprint(leaf) // per handshake: connections are dialled concurrently
			if pin != "" {
				if !strings.EqualFold(seen, pin) {
					return &core.CertificateError{Address: s.address, Fingerprint: seen, Pinned: pin}
				}
				return nil
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			if _, err := leaf.Verify(x509.VerifyOptions{DNSName: cs.ServerName, Roots: roots, Intermediates: inter}); err != nil {
				return &core.CertificateError{Address: s.address, Fingerprint: seen}
			}
			return nil
		}
		t.TLSClientConfig = cfg
		tr = t
	}
	s.hc = &http.Client{Transport: tr, Timeout: o.Timeout}
	if err := s.hello(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Address is the server's address as dialled.
func (s *Service) Address() string { return s.address }

// hello checks the peer is an Ocular server of a protocol this client speaks.
func (s *Service) hello(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url("/api/v0/"), nil)
	if err != nil {
		return err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return s.netError("connect", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	v := resp.Header.Get(wire.VersionHeader)
	if v == "" {
		return core.Errorf("connect", core.Unsupported, "%s answers, but it is not an Ocular server", s.address)
	}
	if n, err := strconv.Atoi(v); err != nil || n > wire.Protocol {
		return core.Errorf("connect", core.Unsupported, "%s runs a newer Ocular (protocol %s; this one speaks %d): update Ocular on this machine", s.address, v, wire.Protocol)
	}
	return nil
}

func (s *Service) url(path string) string { return s.base.String() + path }

// netError turns a transport failure into a sentence: a certificate
// question stays a *core.CertificateError, anything else says the server
// cannot be reached.
func (s *Service) netError(op string, err error) error {
	var ce *core.CertificateError
	if errors.As(err, &ce) {
		return ce
	}
	if errors.Is(err, context.Canceled) {
		return core.E(op, core.Other, err)
	}
	return &core.Error{Op: op, Kind: core.IO, Msg: fmt.Sprintf("cannot reach the server %s; check the address and the network, then try again", s.address), Err: err}
}

// Call is one JSON request: in (nil for none) is sent as the body, a 2xx
// answer is decoded into out (nil to ignore it), anything else becomes the
// core error the server sent. key is the session key ("" for none); group,
// when not zero, runs the request in that group (X-Ocular-Group).
func (s *Service) Call(ctx context.Context, method, path, key string, group core.ID, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return core.E(path, core.Internal, err)
		}
		body = bytes.NewReader(b)
	}
	resp, err := s.Do(ctx, method, path, key, group, body, "application/json")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return core.E(path, core.IO, fmt.Errorf("the server's answer could not be read: %w", err))
	}
	return nil
}

// Do sends one request and returns a 2xx response (its body to be closed by
// the caller); any other status is returned as the server's core error.
func (s *Service) Do(ctx context.Context, method, path, key string, group core.ID, body io.Reader, contentType string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.url(path), body)
	if err != nil {
		return nil, core.E(path, core.Invalid, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.Header.Set(wire.SessionHeader, key)
	}
	if group != 0 {
		req.Header.Set(wire.GroupHeader, strconv.FormatInt(int64(group), 10))
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, s.netError(path, err)
	}
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		return nil, wire.Decode(resp.StatusCode, b)
	}
	return resp, nil
}
