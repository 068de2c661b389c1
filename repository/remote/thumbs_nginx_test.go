package remote_test

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ocular-lab/ocular/app/rendering"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

// TestThumbnailsPerSecondVsNginx measures sustained thumbnails per second
// of render_thumbnail (session check, the owner's settings looked up,
// the JPEG from the server's caches) against Debian's nginx serving the
// same JPEG files from disk, both over plain HTTP on loopback, loaded by
// wrk in turns. It is a measurement, not a pass/fail test: it runs only
// with OCULAR_BENCH_NGINX=1 (scripts/bench/thumbs-nginx.sh) and logs the
// numbers for docs/benchmarks.md.
func TestThumbnailsPerSecondVsNginx(t *testing.T) {
	if os.Getenv("OCULAR_BENCH_NGINX") == "" {
		t.Skip("a measurement: run scripts/bench/thumbs-nginx.sh (needs nginx and wrk)")
	}
	nginx, err1 := exec.LookPath("nginx")
	if err1 != nil {
		nginx = "/usr/sbin/nginx"
	}
	wrk, err2 := exec.LookPath("wrk")
	if _, err := os.Stat(nginx); err != nil || err2 != nil {
		t.Skip("nginx and wrk are needed: apt-get install nginx-light wrk")
	}
	dur := os.Getenv("OCULAR_BENCH_SECONDS")
	if dur == "" {
		dur = "8"
	}
	f := newPicFixtureZ(t, 50, 256, 2, 1)
	ctx := context.Background()
	thumbs, err := f.remote.Thumbnails(ctx, f.imgs, 96)
	if err != nil || len(thumbs) != 50 {
		t.Fatalf("%d thumbnails: %v", len(thumbs), err)
	}
	// The same JPEG files, for nginx.
	dir := t.TempDir()
	www := filepath.Join(dir, "www", "thumbs")
	os.MkdirAll(www, 0o755)
	var ids []string
	for id, b := range thumbs {
		os.WriteFile(filepath.Join(www, fmt.Sprintf("%d.jpg", id)), b, 0o644)
		ids = append(ids, strconv.FormatInt(int64(id), 10))
	}
	port := freePort(t)
	conf := filepath.Join(dir, "nginx.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf(`worker_processes auto;
user root;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; open_file_cache max=1000;
  keepalive_requests 1000000;
  client_body_temp_path %[1]s/tmp; proxy_temp_path %[1]s/tmp; fastcgi_temp_path %[1]s/tmp;
  uwsgi_temp_path %[1]s/tmp; scgi_temp_path %[1]s/tmp;
  server { listen 127.0.0.1:%[2]d; root %[1]s/www; location /thumbs/ { default_type image/jpeg; } }
}
`, dir, port)), 0o644)
	ng := exec.Command(nginx, "-c", conf, "-p", dir, "-g", "daemon off;")
	if out, err := exec.Command(nginx, "-t", "-c", conf, "-p", dir).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	if err := ng.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { ng.Process.Kill(); ng.Wait() }()
	waitListening(t, port)

	ts := httptest.NewServer(server.New(server.Config{Service: f.svc, Pictures: rendering.ServerPictures(f.repo)}).Handler())
	defer ts.Close()

	script := func(name, prefix, suffix, header string) string {
		p := filepath.Join(dir, name+".lua")
		os.WriteFile(p, []byte(fmt.Sprintf(`local ids = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "%s" .. ids[(i %% #ids) + 1] .. "%s", {%s})
end
`, strings.Join(ids, ","), prefix, suffix, header)), 0o644)
		return p
	}
	oc := script("ocular", "/webgateway/render_thumbnail/", "/", fmt.Sprintf(`[%q] = %q`, wire.SessionHeader, f.ada.Key()))
	nx := script("nginx", "/thumbs/", ".jpg", "")
	rps := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	non2xx := regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	run := func(scriptPath, url string) float64 {
		out, err := exec.Command(wrk, "-t2", "-c32", "-d"+dur+"s", "-s", scriptPath, url).CombinedOutput()
		if err != nil {
			t.Fatalf("wrk: %v\n%s", err, out)
		}
		if m := non2xx.FindSubmatch(out); m != nil {
			t.Fatalf("errors under load:\n%s", out)
		}
		m := rps.FindSubmatch(out)
		if m == nil {
			t.Fatalf("wrk said:\n%s", out)
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		return v
	}
	var o, n []float64
	for round := 0; round < 2; round++ { // in turns, so both see the same machine
		o = append(o, run(oc, ts.URL))
		n = append(n, run(nx, fmt.Sprintf("http://127.0.0.1:%d", port)))
	}
	best := func(v []float64) float64 { return max(v[0], v[1]) }
	t.Logf("thumbnails/s (96 px JPEG, 50 images, wrk -t2 -c32 -d%ss, best of 2): ocular render_thumbnail %.0f (%v), nginx static %.0f (%v), ratio %.2f",
		dur, best(o), o, best(n), n, best(o)/best(n))
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening polls until port accepts connections (the start of an
// outside process, not an event of ours).
func waitListening(t *testing.T, port int) {
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("nginx did not start listening")
}
