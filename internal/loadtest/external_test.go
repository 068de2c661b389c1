package loadtest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/repository/remote"
)

// External servers: OCULAR_LOAD_URLS=https://a,https://b points the load at
// `ocular-cli serve` processes started outside the test (one URL is one
// instance, two are two behind the round-robin balancer), so that each can
// run with a CPU budget of its own (scripts/bench-instances.sh puts each in
// its own capped cgroup). In-process httptest servers share the test's
// cores with the clients and each other, so a second one adds no CPU and
// the instance ratio would measure nothing. The servers must serve one
// repository whose root password is OCULAR_LOAD_ROOT_PASSWORD; their
// certificate is pinned by OCULAR_LOAD_FINGERPRINT (printed by serve).
const (
	urlsEnv        = "OCULAR_LOAD_URLS"
	rootPWEnv      = "OCULAR_LOAD_ROOT_PASSWORD"
	fingerprintEnv = "OCULAR_LOAD_FINGERPRINT"
)

// externalURLs are the servers OCULAR_LOAD_URLS names, or none.
func externalURLs() []string {
	var urls []string
	for _, u := range strings.Split(os.Getenv(urlsEnv), ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			urls = append(urls, u)
		}
	}
	return urls
}

// useExternal sets the transport for the external servers at urls and logs
// in as their root, who then creates the load's group and users.
func useExternal(t *testing.T, urls []string) core.Session {
	t.Helper()
	pin := os.Getenv(fingerprintEnv)
	if strings.HasPrefix(urls[0], "https://") && pin == "" {
		t.Fatalf("%s: give the servers' certificate fingerprint in %s", urlsEnv, fingerprintEnv)
	}
	pinned, base = pin, pinnedTransport(pin)
	rsvc, err := dialSpread(context.Background(), urls[:1])
	if err != nil {
		t.Fatal(err)
	}
	root, err := rsvc.Login(context.Background(), "root", os.Getenv(rootPWEnv), "")
	if err != nil {
		t.Fatalf("log in as root on %s (password from %s): %v", urls[0], rootPWEnv, err)
	}
	return root
}

// pinnedTransport trusts the certificate with fingerprint pin only, as
// remote.Dial does for a lone *http.Transport: the round-robin balancer in
// front of it hides it from Dial, so the pin is checked here. It is a
// clone of Go's default transport, HTTP/2 included, as the real client's.
func pinnedTransport(pin string) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified by fingerprint just below
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the server sent no certificate")
			}
			if seen := remote.Fingerprint(cs.PeerCertificates[0]); !strings.EqualFold(seen, pin) {
				return fmt.Errorf("the server's certificate is %s, not the pinned %s", seen, pin)
			}
			return nil
		},
	}
	return tr
}

// runTag makes the group and user names of a run on external servers
// unique, so the same servers can take several runs.
func runTag() string { return fmt.Sprintf("-%x", time.Now().UnixNano()&0xffffff) }
