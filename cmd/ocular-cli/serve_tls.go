package main

// The certificate `serve` presents: the administrator's (--tls-cert and
// --tls-key), or one generated on first start and kept in the repository,
// so its fingerprint, which clients pin, stays the same across restarts.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/core/diskmode"
)

const (
	certFile = "certificate.pem"
	keyFile  = "key.pem"
	// certValidity is long: clients trust the certificate by its
	// fingerprint, and a new one would make every client ask again.
	certValidity = 10 * 365 * 24 * time.Hour
)

// loadCertificate reads the administrator's certificate and key.
func loadCertificate(certPath, keyPath string) (tls.Certificate, error) {
	c, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return tls.Certificate{}, core.E("serve", core.Invalid, fmt.Sprintf("cannot use the certificate %s with the key %s: %v; give a PEM certificate and its private key", certPath, keyPath, err), err)
	}
	return withLeaf(c)
}

func withLeaf(c tls.Certificate) (tls.Certificate, error) {
	if c.Leaf == nil {
		leaf, err := x509.ParseCertificate(c.Certificate[0])
		if err != nil {
			return c, core.E("serve", core.Invalid, "the certificate cannot be read", err)
		}
		c.Leaf = leaf
	}
	return c, nil
}

// repositoryCertificate is the certificate kept in the repository's server
// folder, generated on first start for the hosts a client may dial
// (localhost, the loopback addresses, this machine's name and listenHost).
// The key is written before the certificate, and each file is renamed into
// place whole, so an interrupted first start leaves no certificate without
// its key: the certificate file's presence means the pair is complete.
func repositoryCertificate(repoDir, listenHost string) (tls.Certificate, error) {
	dir := serverDir(repoDir)
	certPath, keyPath := filepath.Join(dir, certFile), filepath.Join(dir, keyFile)
	if _, err := os.Stat(certPath); err == nil {
		c, err := tls.LoadX509KeyPair(certPath, keyPath)
		if err != nil {
			return tls.Certificate{}, core.E("serve", core.Invalid, fmt.Sprintf("the server certificate kept in %s cannot be used (%v): remove %s and %s to have a new one made (clients will then be asked to trust it again), or give --tls-cert and --tls-key", dir, err, certPath, keyPath), err)
		}
		return withLeaf(c)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return tls.Certificate{}, core.E("serve", core.IO, fmt.Sprintf("cannot read %s", certPath), err)
	}
	certPEM, keyPEM, err := selfSigned(listenHost, time.Now())
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := os.MkdirAll(dir, diskmode.Dir()); err != nil {
		return tls.Certificate{}, core.E("serve", core.IO, fmt.Sprintf("cannot create %s", dir), err)
	}
	// The key is the server's alone, whatever the repository's sharing.
	if err := writeWhole(keyPath, keyPEM, 0o600); err != nil {
		return tls.Certificate{}, err
	}
	if err := writeWhole(certPath, certPEM, diskmode.File()); err != nil {
		return tls.Certificate{}, err
	}
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, core.E("serve", core.Internal, err)
	}
	return withLeaf(c)
}

// selfSigned makes an ECDSA P-256 certificate and key in PEM.
func selfSigned(listenHost string, now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, core.E("serve", core.Internal, err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, core.E("serve", core.Internal, err)
	}
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Ocular server " + host, Organization: []string{"Ocular"}},
		NotBefore:             now.Add(-time.Hour), // a client's clock a little behind
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	addHost := func(h string) {
		if h == "" {
			return
		}
		if ip := net.ParseIP(h); ip != nil {
			if ip.IsUnspecified() {
				return
			}
			for _, have := range tmpl.IPAddresses {
				if have.Equal(ip) {
					return
				}
			}
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			return
		}
		for _, have := range tmpl.DNSNames {
			if have == h {
				return
			}
		}
		tmpl.DNSNames = append(tmpl.DNSNames, h)
	}
	for _, h := range []string{"localhost", "127.0.0.1", "::1", host, listenHost} {
		addHost(h)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, core.E("serve", core.Internal, err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, core.E("serve", core.Internal, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), nil
}

// writeWhole writes b to path through a temporary file renamed over it, so
// a reader never sees half a file.
func writeWhole(path string, b []byte, mode fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return core.E("serve", core.IO, fmt.Sprintf("cannot write in %s", filepath.Dir(path)), err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // harmless after the rename
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return core.E("serve", core.IO, err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return core.E("serve", core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return core.E("serve", core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	if err := f.Close(); err != nil {
		return core.E("serve", core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return core.E("serve", core.IO, fmt.Sprintf("cannot write %s", path), err)
	}
	return nil
}
