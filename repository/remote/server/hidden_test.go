package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ocular-lab/ocular/core"
	"github.com/ocular-lab/ocular/internal/testrepo"
	"github.com/ocular-lab/ocular/repository/remote/server"
	"github.com/ocular-lab/ocular/repository/remote/wire"
)

var wildcard = regexp.MustCompile(`\{([a-z]+)\}`)

// TestHiddenObjectsAnswerLikeMissingOnes probes every /ocular/v1/ route
// whose path names an object, with another user's object in a private
// group and with an ID that does not exist: status and body must be the
// same but for the ID itself.
func TestHiddenObjectsAnswerLikeMissingOnes(t *testing.T) {
	ctx := context.Background()
	svc, _ := testrepo.New(t)
	root := testrepo.Root(t, svc)
	g, err := root.CreateGroup(ctx, "private", core.Private, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"owner", "prober"} {
		if _, err := root.CreateUser(ctx, core.NewUser{Username: u, Password: "pw", Groups: []core.ID{g.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	owner := testrepo.Login(t, svc, "owner", "pw")
	hidden := map[string]core.ID{}
	for _, c := range []struct {
		class core.Class
		name  string
	}{{core.Project, "project"}, {core.Dataset, "dataset"}, {core.Image, "image"}, {core.Screen, "screen"},
		{core.Plate, "plate"}, {core.TagAnnotation, "annotation"}} {
		f := map[string]string{"name": "secret"}
		if c.class == core.TagAnnotation {
			f = map[string]string{"textValue": "secret"}
		}
		v, err := owner.Create(ctx, c.class, f)
		if err != nil {
			t.Fatalf("create %s: %v", c.class, err)
		}
		hidden[c.name] = v.ID
	}
	f, err := owner.Upload(ctx, "secret.txt", strings.NewReader("secret"))
	if err != nil {
		t.Fatal(err)
	}
	hidden["file"] = f.ID
	prober := testrepo.Login(t, svc, "prober", "pw")

	srv := server.New(server.Config{Service: svc})
	ts := httptest.NewTLSServer(srv.Handler())
	defer ts.Close()
	probe := func(method, path string) (int, string) {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader("{}"))
		req.Header.Set(wire.SessionHeader, prober.Key())
		req.Header.Set("Content-Type", "application/json")
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := make([]byte, 1<<16)
		n, _ := resp.Body.Read(b)
		return resp.StatusCode, string(b[:n])
	}
	probed := 0
	for _, r := range srv.Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		if !strings.HasPrefix(path, wire.OcularPrefix) {
			continue
		}
		m := wildcard.FindAllStringSubmatch(path, -1)
		if len(m) != 1 {
			continue
		}
		id, ok := hidden[m[0][1]]
		if !ok {
			continue
		}
		const missing = 987654321
		hs, hb := probe(method, strings.Replace(path, m[0][0], strconv.FormatInt(int64(id), 10), 1))
		ms, mb := probe(method, strings.Replace(path, m[0][0], strconv.Itoa(missing), 1))
		hb = strings.ReplaceAll(hb, strconv.FormatInt(int64(id), 10), "ID")
		mb = strings.ReplaceAll(mb, strconv.Itoa(missing), "ID")
		if hs != ms || hb != mb {
			t.Errorf("%s: hidden answers %d %s, missing %d %s", r.Pattern, hs, hb, ms, mb)
		}
		probed++
	}
	if probed < 10 {
		t.Errorf("only %d routes probed", probed)
	}
}
